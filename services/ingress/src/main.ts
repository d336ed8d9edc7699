import { telemetry } from './instrumentation.js';
import { runService } from '@yardmaster/service-kit';
import { AppModule } from './app.module.js';
import { IngressConfig } from './config.js';

runService('ingress', telemetry, () => {
  const config = IngressConfig.fromEnv();
  return { module: AppModule.forRoot(config), common: config.common };
});
