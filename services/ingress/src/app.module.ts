import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, ServiceIdentity } from '@yardmaster/service-kit';
import { AcceptService } from './accept/accept.service.js';
import { IngressConfig } from './config.js';
import { RouterGrpcServer } from './grpc/router.grpc.js';
import { ResponseWaiters } from './wait/response-waiters.js';

@Module({})
export class AppModule {
  static forRoot(config: IngressConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(new ServiceIdentity('ingress', config.common))],
      providers: [{ provide: IngressConfig, useValue: config }, AcceptService, ResponseWaiters, RouterGrpcServer],
    };
  }
}
