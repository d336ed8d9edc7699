import { telemetry } from './instrumentation.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { runService } from '@yardmaster/service-kit';
import { AppModule } from './app.module.js';
import { SimConfig } from './config.js';

runService('provider-sim', telemetry, () => {
  const config = SimConfig.fromEnv();
  return {
    module: AppModule.forRoot(config),
    common: config.common,
    configure: (app) => (app as NestExpressApplication).useBodyParser('json', { limit: config.maxBody }),
  };
});
