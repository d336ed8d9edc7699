import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, ServiceIdentity } from '@yardmaster/service-kit';
import { WorkerConfig } from './config.js';
import { WorkConsumer } from './pool/work.consumer.js';

@Module({})
export class AppModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(new ServiceIdentity(`worker-${config.pool}`, config.common))],
      providers: [{ provide: WorkerConfig, useValue: config }, WorkConsumer],
    };
  }
}
