/**
 * @yardmaster/bus — the only module that imports kafkajs. See {@link Bus}.
 */
export { Bus, LAGGING_READER_FETCH, restartDelayMs, type BusLogger, type BusOptions, type ConsumeOptions, type MessageContext, type RawMessage, type RunningConsumer } from './bus.js';
export { BusError, isAuthorizationError, isInfrastructureError, isPermanentPublishError, type BusErrorCode } from './errors.js';
export type { Compression } from './compression.js';
export { extractTraceContext, injectTraceHeaders, headersToStrings } from './tracing.js';
