import { telemetry } from './instrumentation.js';
import multipart from '@fastify/multipart';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { runService } from '@yardmaster/service-kit';
import { AppModule } from './app.module.js';
import { BatchConfig } from './batch/config.js';
import { IngressConfig } from './config.js';

runService('ingress', telemetry, () => {
  const config = IngressConfig.fromEnv();
  const batch = BatchConfig.fromEnv();
  const maxFileBytes = Math.max(batch.defaults.maxFileBytes, ...Object.values(batch.tenantLimits).map((l) => l.maxFileBytes ?? 0));
  return {
    module: AppModule.forRoot(config, batch),
    // Batch files arrive as multipart/form-data (POST /v1/files); one file per upload.
    configure: (app) => void (app as NestFastifyApplication).register(multipart, { limits: { fileSize: maxFileBytes, files: 1, fields: 10 } }),
    common: config.common,
    // Fastify serves the OpenAI-compatible API beside /healthz and /metrics. A JSON body may be
    // larger than the request it becomes (base64 images, JSON syntax): twice the request limit
    // reaches validation, which answers the precise 413.
    httpAdapter: () => new FastifyAdapter({ bodyLimit: config.limits.maxRequestBytes * 2 }),
  };
});
