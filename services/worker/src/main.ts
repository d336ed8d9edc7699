import { telemetry } from './instrumentation.js';
import { runService } from '@yardmaster/service-kit';
import { AppModule } from './app.module.js';
import { WorkerConfig } from './config.js';

runService('worker', telemetry, () => {
  const config = WorkerConfig.fromEnv();
  return { module: AppModule.forRoot(config), common: config.common };
});
