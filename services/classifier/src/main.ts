import { telemetry } from './instrumentation.js';
import { runService } from '@yardmaster/service-kit';
import { AppModule } from './app.module.js';
import { ClassifierConfig } from './config.js';

runService('classifier', telemetry, () => {
  const config = ClassifierConfig.fromEnv();
  return { module: AppModule.forRoot(config), common: config.common };
});
