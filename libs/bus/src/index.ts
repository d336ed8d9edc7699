/**
 * @yardmaster/bus — the only module that imports kafkajs. See {@link Bus}.
 */
export { Bus, type BusLogger, type BusOptions, type ConsumeOptions, type MessageContext, type RawMessage, type RunningConsumer } from './bus.js';
export { BusError, isInfrastructureError, type BusErrorCode } from './errors.js';
export { extractTraceContext, injectTraceHeaders, headersToStrings } from './tracing.js';
