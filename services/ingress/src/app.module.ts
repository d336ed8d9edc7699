import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CoreModule, ServiceIdentity } from '@yardmaster/service-kit';
import { AdmissionControl, ApiKeys, ChunkStreams, RedisAdmissionControl, RedisApiKeys, RedisBatches, RedisChunkStreams, Store } from '@yardmaster/store';
import { AcceptService } from './accept/accept.service.js';
import { BatchService } from './batch/batch.service.js';
import { BatchesController } from './batch/batches.controller.js';
import { BatchConfig } from './batch/config.js';
import { IngressConfig } from './config.js';
import { DoorService } from './door/door.service.js';
import { UsageConsumer } from './door/usage.consumer.js';
import { FileStore, LocalFileStore } from './files/file-store.js';
import { FilesController } from './files/files.controller.js';
import { RouterGrpcServer } from './grpc/router.grpc.js';
import { CatalogModels } from './openai/catalog.js';
import { CATALOG_MODELS, ChatController } from './openai/chat.controller.js';
import { FeedbackController } from './feedback/feedback.controller.js';
import { FeedbackService } from './feedback/feedback.service.js';
import { OpenAiExceptionFilter } from './openai/openai.filter.js';
import { ResponseWaiters } from './wait/response-waiters.js';

@Module({})
export class AppModule {
  static forRoot(config: IngressConfig, batch: BatchConfig = BatchConfig.fromEnv({})): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(new ServiceIdentity('ingress', config.common))],
      controllers: [ChatController, FeedbackController, FilesController, BatchesController],
      providers: [
        FeedbackService,
        { provide: IngressConfig, useValue: config },
        { provide: CATALOG_MODELS, useFactory: () => new CatalogModels(config.catalogPath) },
        { provide: APP_FILTER, useClass: OpenAiExceptionFilter },
        { provide: ApiKeys, useFactory: (store: Store) => new RedisApiKeys(store), inject: [Store] },
        { provide: AdmissionControl, useFactory: (store: Store) => new RedisAdmissionControl(store), inject: [Store] },
        { provide: ChunkStreams, useFactory: (store: Store) => new RedisChunkStreams(store), inject: [Store] },
        { provide: BatchConfig, useValue: batch },
        { provide: FileStore, useFactory: () => new LocalFileStore(batch.fileStoreDir) },
        { provide: RedisBatches, useFactory: (store: Store) => new RedisBatches(store), inject: [Store] },
        BatchService,
        DoorService,
        UsageConsumer,
        AcceptService,
        ResponseWaiters,
        RouterGrpcServer,
      ],
    };
  }
}
