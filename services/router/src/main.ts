import { telemetry } from './instrumentation.js';
import { runService } from '@yardmaster/service-kit';
import { AppModule } from './app.module.js';
import { Catalog } from '@yardmaster/catalog';
import { RouterConfig } from './config.js';

runService('router', telemetry, () => {
  const config = RouterConfig.fromEnv();
  return { module: AppModule.forRoot(config, Catalog.load(config.catalogPath)), common: config.common };
});
