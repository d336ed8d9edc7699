import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, ServiceIdentity } from '@yardmaster/service-kit';
import { CancelledRequests, ChunkStreams, ProviderGate, RedisCancelledRequests, RedisChunkStreams, RedisProviderGate, Store } from '@yardmaster/store';
import { WorkerConfig } from './config.js';
import { WorkConsumer } from './pool/work.consumer.js';

@Module({})
export class AppModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(new ServiceIdentity(`worker-${config.pool}`, config.common))],
      providers: [
        { provide: WorkerConfig, useValue: config },
        { provide: ProviderGate, useFactory: (store: Store) => new RedisProviderGate(store, config.breaker, config.limits.windowMs), inject: [Store] },
        { provide: CancelledRequests, useFactory: (store: Store) => new RedisCancelledRequests(store), inject: [Store] },
        { provide: ChunkStreams, useFactory: (store: Store) => new RedisChunkStreams(store), inject: [Store] },
        WorkConsumer,
      ],
    };
  }
}
