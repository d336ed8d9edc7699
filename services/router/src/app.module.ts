import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, ServiceIdentity } from '@yardmaster/service-kit';
import { Catalog } from '@yardmaster/catalog';
import { RouterConfig } from './config.js';
import { RouteConsumer } from './decide/route.consumer.js';

@Module({})
export class AppModule {
  static forRoot(config: RouterConfig, catalog: Catalog): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(new ServiceIdentity('router', config.common))],
      providers: [{ provide: RouterConfig, useValue: config }, { provide: Catalog, useValue: catalog }, RouteConsumer],
    };
  }
}
