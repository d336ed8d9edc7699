import { ValueType, metrics, type Counter, type Histogram } from '@opentelemetry/api';

/** `yardmaster.router.catalog.reloads` (Prometheus `yardmaster_router_catalog_reloads_total`), by `result`: applied or rejected. */
export const CATALOG_RELOADS_METRIC = 'yardmaster.router.catalog.reloads';
/**
 * `yardmaster.router.decision.duration` in microseconds (a decision takes tens of them: the
 * shared seconds buckets start at 0.5 ms), by `plan` and `outcome` (ok or the refusal code).
 */
export const DECISION_DURATION_METRIC = 'yardmaster.router.decision.duration';

let reloads: Counter | undefined;
let durations: Histogram | undefined;

// Instruments are taken on first use: a meter taken before the service registered the SDK would stay a no-op.
const meter = () => metrics.getMeter('@yardmaster/router');

/** Counts one catalog reload attempt. */
export function recordCatalogReload(result: 'applied' | 'rejected'): void {
  reloads ??= meter().createCounter(CATALOG_RELOADS_METRIC, { description: 'Catalog file changes applied or rejected (a rejected catalog leaves the previous one in force)', unit: '{reload}', valueType: ValueType.INT });
  reloads.add(1, { result });
}

/** Bucket boundaries of the decision histogram, µs. */
export const DECISION_BUCKETS_US: readonly number[] = Object.freeze([5, 10, 20, 50, 100, 200, 500, 1000, 5000, 20000]);

/** Records how long one routing decision took (the policy only: no I/O). */
export function recordDecision(microseconds: number, plan: string, outcome: string): void {
  durations ??= meter().createHistogram(DECISION_DURATION_METRIC, {
    description: 'Time to decide one request (policy only, in process)',
    unit: 'us',
    advice: { explicitBucketBoundaries: [...DECISION_BUCKETS_US] },
  });
  durations.record(microseconds, { plan, outcome });
}
