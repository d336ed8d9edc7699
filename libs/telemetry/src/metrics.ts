import { diag } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { AggregationType, InstrumentType, type ViewOptions } from '@opentelemetry/sdk-metrics';

/** Content type of the Prometheus text exposition format served on `/metrics`. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Bucket boundaries (seconds) of every histogram whose unit is `s`: from half a
 * millisecond (a classifier hop) to a minute (a slow provider call with retries).
 * The SDK's default buckets are sized for milliseconds and would put every
 * seconds-valued sample in the first few buckets.
 */
export const SECONDS_BUCKETS: readonly number[] = Object.freeze([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]);

/** The metric views every service uses: {@link SECONDS_BUCKETS} for seconds-based histograms. */
export function metricViews(): ViewOptions[] {
  return [
    {
      instrumentType: InstrumentType.HISTOGRAM,
      instrumentUnit: 's',
      aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...SECONDS_BUCKETS] } },
    },
  ];
}

/**
 * A pull-based metric reader that renders the Prometheus text format on demand. The
 * exporter's own HTTP server is not started: services serve the text on their
 * existing HTTP port, so there is one port to probe and scrape.
 */
export class PrometheusMetrics {
  /** The reader to register with the MeterProvider. */
  readonly reader: PrometheusExporter;
  // The exporter's request handler answers with a bare `text/plain`; serialising here
  // lets the caller set the versioned content type Prometheus negotiates on.
  private readonly serializer = new PrometheusSerializer();

  constructor() {
    this.reader = new PrometheusExporter({ preventServerStart: true });
  }

  /**
   * Collects every instrument (running observable callbacks) and renders the text format.
   * @throws when the reader is not registered with a MeterProvider or was shut down.
   */
  async render(): Promise<string> {
    const { resourceMetrics, errors } = await this.reader.collect();
    // A failing observable callback must not hide every other metric from the scrape.
    if (errors.length > 0) diag.error('metrics collection errors', ...errors);
    return this.serializer.serialize(resourceMetrics);
  }
}
