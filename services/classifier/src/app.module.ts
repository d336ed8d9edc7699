import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, ServiceIdentity } from '@yardmaster/service-kit';
import { ClassifyConsumer } from './classify/classify.consumer.js';
import { ClassifierConfig } from './config.js';

@Module({})
export class AppModule {
  static forRoot(config: ClassifierConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(new ServiceIdentity('classifier', config.common))],
      providers: [{ provide: ClassifierConfig, useValue: config }, ClassifyConsumer],
    };
  }
}
