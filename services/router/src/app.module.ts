import { Module, type DynamicModule } from '@nestjs/common';
import type { Catalog } from '@yardmaster/catalog';
import { CoreModule, ServiceIdentity } from '@yardmaster/service-kit';
import { ConversationAffinity, RedisConversationAffinity, Store } from '@yardmaster/store';
import { AffinityCache } from './affinity/affinity-cache.js';
import { CatalogHolder, InitialCatalog } from './catalog/catalog-holder.js';
import { RouterConfig } from './config.js';
import { RouteConsumer } from './decide/route.consumer.js';
import { HealthCache } from './health/health-cache.js';
import { FollowUpConsumer } from './plan/follow-up.consumer.js';

@Module({})
export class AppModule {
  static forRoot(config: RouterConfig, catalog: Catalog): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(new ServiceIdentity('router', config.common))],
      providers: [
        { provide: RouterConfig, useValue: config },
        { provide: InitialCatalog, useValue: new InitialCatalog(catalog) },
        { provide: ConversationAffinity, useFactory: (store: Store) => new RedisConversationAffinity(store), inject: [Store] },
        CatalogHolder,
        HealthCache,
        AffinityCache,
        RouteConsumer,
        FollowUpConsumer,
      ],
    };
  }
}
