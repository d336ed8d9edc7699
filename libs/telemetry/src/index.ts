import { SpanStatusCode, context, metrics, propagation, trace, type Attributes, type Span, type SpanKind } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NoopSpanProcessor,
  ParentBasedSampler,
  TracerProvider,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { PrometheusMetrics, metricViews } from './metrics.js';

export { PROMETHEUS_CONTENT_TYPE, SECONDS_BUCKETS } from './metrics.js';

/** Span attribute names: OpenTelemetry GenAI conventions where they fit, `yardmaster.*` otherwise. */
export const Attr = Object.freeze({
  requestId: 'yardmaster.request_id',
  tenantId: 'yardmaster.tenant_id',
  intent: 'yardmaster.intent',
  complexity: 'yardmaster.complexity',
  plan: 'yardmaster.plan',
  pool: 'yardmaster.pool',
  reason: 'yardmaster.reason',
  status: 'yardmaster.status',
  duplicate: 'yardmaster.duplicate',
  /** Why the classifier's second stage was not consulted (`self_hosted_only`, `pii_private`); never the prompt. */
  secondStageSkipped: 'yardmaster.classifier.second_stage_skipped',
  genAiSystem: 'gen_ai.system',
  genAiOperation: 'gen_ai.operation.name',
  genAiRequestModel: 'gen_ai.request.model',
  genAiResponseModel: 'gen_ai.response.model',
  genAiInputTokens: 'gen_ai.usage.input_tokens',
  genAiOutputTokens: 'gen_ai.usage.output_tokens',
  genAiFinishReasons: 'gen_ai.response.finish_reasons',
});

/** Options for {@link startTelemetry}. */
export interface TelemetryOptions {
  serviceName: string;
  /** `otlp` sends OTLP/HTTP to `endpoint`, `console` prints spans, `none` only propagates context. */
  exporter: 'otlp' | 'console' | 'none';
  /** OTLP/HTTP base URL, e.g. http://collector:4318 (`/v1/traces` is appended). */
  endpoint?: string | undefined;
}

/** A started SDK; `shutdown()` flushes pending spans. */
export interface Telemetry {
  shutdown(): Promise<void>;
  /** The current metrics in the Prometheus text format (see {@link renderMetrics}). */
  renderMetrics(): Promise<string>;
}

/** The metrics of the SDK this process started; one per process, like OTel's global providers. */
let processMetrics: PrometheusMetrics | undefined;

/**
 * Starts OpenTelemetry for this process: an AsyncLocalStorage context manager, the W3C
 * trace-context and baggage propagators, a tracer provider with the chosen exporter and a
 * meter provider read by the Prometheus reader. Call it first thing in a service's process
 * (its `instrumentation.ts`), before NestJS or any driver is loaded.
 *
 * The providers are registered directly rather than through `@opentelemetry/sdk-node`:
 * that package loads every exporter it can be configured with (OTLP over gRPC, HTTP and
 * protobuf for traces, metrics and logs, Zipkin, B3) and starts an OTLP log exporter when
 * `OTEL_LOGS_EXPORTER` is unset, about 20 MB of resident memory per process for code a
 * service never runs. The OTLP trace exporter is loaded only when it is the one chosen.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  let processor: SpanProcessor;
  switch (options.exporter) {
    case 'otlp': {
      const base = (options.endpoint ?? 'http://127.0.0.1:4318').replace(/\/+$/, '');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp;
      processor = new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${base}/v1/traces` }),
        scheduledDelayMillis: 500,
        maxExportBatchSize: 512,
        maxQueueSize: 8192,
      });
      break;
    }
    case 'console':
      processor = new BatchSpanProcessor({ exporter: new ConsoleSpanExporter() });
      break;
    case 'none':
      // Still register a tracer provider so trace ids exist and travel in Kafka headers.
      processor = new NoopSpanProcessor();
      break;
  }
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName });
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  // With nothing to export, spans are not recorded at all: the sampler hands out
  // non-recording spans (new ids, propagated in traceparent with the sampled flag off),
  // so attributes, events and ends cost nothing on the hot path. With an exporter, a
  // span follows its parent's sampling decision and a root span is sampled.
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: [processor],
    sampler: options.exporter === 'none' ? new AlwaysOffSampler() : new ParentBasedSampler({ root: new AlwaysOnSampler() }),
  });
  trace.setGlobalTracerProvider(tracerProvider);
  // Metrics are pulled over the service's own HTTP port whatever the trace exporter is.
  const prometheus = new PrometheusMetrics();
  const meterProvider = new MeterProvider({ resource, views: metricViews(), readers: [prometheus.reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  processMetrics = prometheus;
  return {
    shutdown: async () => {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      contextManager.disable();
    },
    renderMetrics: () => prometheus.render(),
  };
}

/**
 * Renders the current metrics of this process in the Prometheus text format (serve it
 * with {@link PROMETHEUS_CONTENT_TYPE}). Instruments are created by the libraries
 * through the global `metrics` API of `@opentelemetry/api`.
 * @throws Error when {@link startTelemetry} has not been called in this process.
 */
export function renderMetrics(): Promise<string> {
  if (!processMetrics) return Promise.reject(new Error('telemetry is not started in this process; call startTelemetry first'));
  return processMetrics.render();
}

/**
 * Runs `fn` inside a new active span; sets the status, records an exception and ends
 * the span in `finally`. The span is the child of the active context.
 */
export async function withSpan<T>(
  name: string,
  options: { attributes?: Attributes; kind?: SpanKind; tracer?: string },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const tracer = trace.getTracer(options.tracer ?? '@yardmaster');
  return tracer.startActiveSpan(name, { attributes: options.attributes ?? {}, ...(options.kind !== undefined ? { kind: options.kind } : {}) }, async (span) => {
    try {
      const result = await fn(span);
      span.setStatus({ code: SpanStatusCode.OK });
      return result;
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The trace id of the active span, or '' when there is none. */
export function activeTraceId(): string {
  return trace.getActiveSpan()?.spanContext().traceId ?? '';
}

/**
 * Starts telemetry for a Yardmaster service from `OTEL_TRACES_EXPORTER` and
 * `OTEL_EXPORTER_OTLP_ENDPOINT`; the service name is `yardmaster-<name>`.
 */
export function startServiceTelemetry(name: string, env: Readonly<Record<string, string | undefined>> = process.env): Telemetry {
  const exporter = env['OTEL_TRACES_EXPORTER'] ?? 'none';
  if (exporter !== 'otlp' && exporter !== 'console' && exporter !== 'none') {
    throw new Error(`OTEL_TRACES_EXPORTER must be otlp, console or none (got "${exporter}")`);
  }
  return startTelemetry({ serviceName: `yardmaster-${name}`, exporter, endpoint: env['OTEL_EXPORTER_OTLP_ENDPOINT'] });
}
