import { ValueType, metrics, type Attributes, type Counter } from '@opentelemetry/api';

/** Name of the store's metric (Prometheus: `yardmaster_redis_errors_total`). */
export const REDIS_ERRORS_METRIC = 'yardmaster.redis.errors';

let counter: Counter | undefined;
const attributeSets = new Map<string, Attributes>();

/**
 * Taken on first error rather than at import: the global API has no proxy meter, so a
 * meter taken before the service registered the SDK would stay a no-op.
 */
function errors(): Counter {
  counter ??= metrics.getMeter('@yardmaster/store').createCounter(REDIS_ERRORS_METRIC, {
    description: 'Redis commands that failed, by command (when Redis named it) and error type',
    unit: '{error}',
    valueType: ValueType.INT,
  });
  return counter;
}

/**
 * A bounded label for an ioredis failure: the Redis error prefix for a server reply
 * (WRONGTYPE, NOSCRIPT, OOM, READONLY…), `timeout`, `connection_closed`, or the
 * error's class name (MaxRetriesPerRequestError…). Never the message itself.
 */
export function redisErrorType(err: unknown): string {
  if (!(err instanceof Error)) return '_OTHER';
  if (err.name === 'ReplyError') return /^[A-Z]+/.exec(err.message)?.[0] ?? 'ReplyError';
  if (err.message === 'Command timed out') return 'timeout';
  if (err.message.startsWith('Connection is closed') || err.message.startsWith("Stream isn't writeable")) return 'connection_closed';
  return err.name;
}

/** Counts one failed Redis command. ioredis attaches the command to server replies only; timeouts and lost connections have none. */
export function recordRedisError(err: unknown): void {
  const command = (err as { command?: { name?: unknown } } | null)?.command?.name;
  const operation = typeof command === 'string' ? command.toUpperCase() : '';
  const type = redisErrorType(err);
  const key = `${operation}\u0000${type}`;
  let attributes = attributeSets.get(key);
  if (!attributes) {
    attributes = Object.freeze({ 'db.system.name': 'redis', 'error.type': type, ...(operation ? { 'db.operation.name': operation } : {}) });
    attributeSets.set(key, attributes);
  }
  errors().add(1, attributes);
}
