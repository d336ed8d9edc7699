import { telemetry } from './instrumentation.js';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { runService } from '@yardmaster/service-kit';
import { AppModule } from './app.module.js';
import { IngressConfig } from './config.js';

runService('ingress', telemetry, () => {
  const config = IngressConfig.fromEnv();
  return {
    module: AppModule.forRoot(config),
    common: config.common,
    // Fastify serves the OpenAI-compatible API beside /healthz and /metrics. A JSON body may be
    // larger than the request it becomes (base64 images, JSON syntax): twice the request limit
    // reaches validation, which answers the precise 413.
    httpAdapter: () => new FastifyAdapter({ bodyLimit: config.limits.maxRequestBytes * 2 }),
  };
});
