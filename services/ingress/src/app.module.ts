import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, ServiceIdentity } from '@yardmaster/service-kit';
import { AdmissionControl, ApiKeys, RedisAdmissionControl, RedisApiKeys, Store } from '@yardmaster/store';
import { AcceptService } from './accept/accept.service.js';
import { IngressConfig } from './config.js';
import { DoorService } from './door/door.service.js';
import { UsageConsumer } from './door/usage.consumer.js';
import { RouterGrpcServer } from './grpc/router.grpc.js';
import { ResponseWaiters } from './wait/response-waiters.js';

@Module({})
export class AppModule {
  static forRoot(config: IngressConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(new ServiceIdentity('ingress', config.common))],
      providers: [
        { provide: IngressConfig, useValue: config },
        { provide: ApiKeys, useFactory: (store: Store) => new RedisApiKeys(store), inject: [Store] },
        { provide: AdmissionControl, useFactory: (store: Store) => new RedisAdmissionControl(store), inject: [Store] },
        DoorService,
        UsageConsumer,
        AcceptService,
        ResponseWaiters,
        RouterGrpcServer,
      ],
    };
  }
}
