import { ValueType, metrics, type Attributes, type Counter } from '@opentelemetry/api';

/** Name of the door's metric (Prometheus: `yardmaster_door_refusals_total`). */
export const DOOR_REFUSALS_METRIC = 'yardmaster.door.refusals';

let counter: Counter | undefined;
const attributeSets = new Map<string, Attributes>();

/**
 * Counts calls the door refused, by `error.type` (the refusal's code: `missing_api_key`,
 * `invalid_api_key`, `revoked_api_key`, `rate_limit_exceeded`, `budget_exceeded`,
 * `request_id_in_use`, `idempotency_key_reused`, `tenant_mismatch`) and `yardmaster.door`
 * (`grpc` or `http`). No tenant or key label: their number is unbounded.
 */
export function countRefusal(code: string, door: 'grpc' | 'http'): void {
  // Taken on first use: a meter taken before the service registered the SDK would stay a no-op.
  counter ??= metrics.getMeter('@yardmaster/ingress').createCounter(DOOR_REFUSALS_METRIC, {
    description: 'Calls the door refused (authentication, request-id ownership, rate limits, budgets)',
    unit: '{call}',
    valueType: ValueType.INT,
  });
  const key = `${door}\u0000${code}`;
  let attributes = attributeSets.get(key);
  if (!attributes) attributeSets.set(key, (attributes = Object.freeze({ 'error.type': code, 'yardmaster.door': door })));
  counter.add(1, attributes);
}
