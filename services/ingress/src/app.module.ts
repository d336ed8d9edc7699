import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CoreModule, ServiceIdentity } from '@yardmaster/service-kit';
import { AdmissionControl, ApiKeys, ChunkStreams, RedisAdmissionControl, RedisApiKeys, RedisChunkStreams, Store } from '@yardmaster/store';
import { AcceptService } from './accept/accept.service.js';
import { IngressConfig } from './config.js';
import { DoorService } from './door/door.service.js';
import { UsageConsumer } from './door/usage.consumer.js';
import { RouterGrpcServer } from './grpc/router.grpc.js';
import { CatalogModels } from './openai/catalog.js';
import { CATALOG_MODELS, ChatController } from './openai/chat.controller.js';
import { FeedbackController } from './feedback/feedback.controller.js';
import { FeedbackService } from './feedback/feedback.service.js';
import { OpenAiExceptionFilter } from './openai/openai.filter.js';
import { ResponseWaiters } from './wait/response-waiters.js';

@Module({})
export class AppModule {
  static forRoot(config: IngressConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(new ServiceIdentity('ingress', config.common))],
      controllers: [ChatController, FeedbackController],
      providers: [
        FeedbackService,
        { provide: IngressConfig, useValue: config },
        { provide: CATALOG_MODELS, useFactory: () => new CatalogModels(config.catalogPath) },
        { provide: APP_FILTER, useClass: OpenAiExceptionFilter },
        { provide: ApiKeys, useFactory: (store: Store) => new RedisApiKeys(store), inject: [Store] },
        { provide: AdmissionControl, useFactory: (store: Store) => new RedisAdmissionControl(store), inject: [Store] },
        { provide: ChunkStreams, useFactory: (store: Store) => new RedisChunkStreams(store), inject: [Store] },
        DoorService,
        UsageConsumer,
        AcceptService,
        ResponseWaiters,
        RouterGrpcServer,
      ],
    };
  }
}
