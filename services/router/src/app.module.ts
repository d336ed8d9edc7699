import { Module, type DynamicModule } from '@nestjs/common';
import type { Catalog } from '@yardmaster/catalog';
import { CoreModule, ServiceIdentity } from '@yardmaster/service-kit';
import { ConversationAffinity, RedisConversationAffinity, RedisRoutingFeedback, RoutingFeedback, Store } from '@yardmaster/store';
import { AffinityCache } from './affinity/affinity-cache.js';
import { CatalogHolder, InitialCatalog } from './catalog/catalog-holder.js';
import { RouterConfig } from './config.js';
import { RouteConsumer } from './decide/route.consumer.js';
import { HealthCache } from './health/health-cache.js';
import { FeedbackConsumer } from './learning/feedback.consumer.js';
import { LearnedRouting } from './learning/learned-routing.js';
import { LearningConfig } from './learning/learning-config.js';
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
        { provide: RoutingFeedback, useFactory: (store: Store) => new RedisRoutingFeedback(store), inject: [Store] },
        { provide: LearningConfig, useValue: LearningConfig.fromEnv() },
        LearnedRouting,
        FeedbackConsumer,
        CatalogHolder,
        HealthCache,
        AffinityCache,
        RouteConsumer,
        FollowUpConsumer,
      ],
    };
  }
}
