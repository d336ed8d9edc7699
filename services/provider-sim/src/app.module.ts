import { Module, type DynamicModule } from '@nestjs/common';
import { MetricsController } from '@yardmaster/service-kit';
import { SimConfig } from './config.js';
import { ChatController } from './sim/chat.controller.js';
import { HealthController } from './sim/health.controller.js';

@Module({})
export class AppModule {
  static forRoot(config: SimConfig): DynamicModule {
    return { module: AppModule, controllers: [ChatController, HealthController, MetricsController], providers: [{ provide: SimConfig, useValue: config }] };
  }
}
