import { Module, type DynamicModule } from '@nestjs/common';
import { MetricsController } from '@yardmaster/service-kit';
import { SimConfig } from './config.js';
import { AdminController } from './sim/admin.controller.js';
import { AnthropicController } from './sim/anthropic.controller.js';
import { ChatController } from './sim/chat.controller.js';
import { FaultBook } from './sim/faults.js';
import { GeminiController } from './sim/gemini.controller.js';
import { HealthController } from './sim/health.controller.js';
import { ImagesController } from './sim/images.controller.js';
import { SimState } from './sim/state.js';
import { SimStats } from './sim/stats.js';
import { ToolsController } from './sim/tools.controller.js';

@Module({})
export class AppModule {
  static forRoot(config: SimConfig): DynamicModule {
    const state = new SimState(
      new FaultBook(config.faults, { latencyMs: config.latencyMs, jitterMs: config.jitterMs, perTokenMs: config.latencyPerTokenMs }, config.apiKeys),
      new SimStats(config.statsWindowMs),
    );
    return {
      module: AppModule,
      controllers: [ChatController, AnthropicController, GeminiController, ImagesController, ToolsController, AdminController, HealthController, MetricsController],
      providers: [
        { provide: SimConfig, useValue: config },
        { provide: SimState, useValue: state },
      ],
    };
  }
}
