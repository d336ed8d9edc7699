import { telemetry } from './instrumentation.js';
import { runService } from '@yardmaster/service-kit';
import { AppModule } from './app.module.js';
import { AggregatorConfig } from './config.js';

runService('aggregator', telemetry, () => {
  const config = AggregatorConfig.fromEnv();
  return { module: AppModule.forRoot(config), common: config.common };
});
