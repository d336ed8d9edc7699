/** Shared NestJS plumbing for Yardmaster services: bus/store providers, health, bootstrap. */
export { CoreModule, Readiness, ServiceIdentity } from './core.module.js';
export { applyHeapGrowth, bootstrapService, runService } from './bootstrap.js';
export { MetricsController } from './metrics.controller.js';
