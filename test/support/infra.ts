import { randomBytes } from 'node:crypto';
import { startInfra, type Infra } from '@yardmaster/deploy';

let shared: Promise<Infra> | undefined;

/**
 * Kafka and Redis for a test file: the ones in KAFKA_BROKERS / REDIS_URL (scripts/test.mjs
 * starts them once for the whole run), or started here when a file is run on its own.
 */
export function testInfra(): Promise<{ brokers: string; redisUrl: string; stop(): Promise<void> }> {
  shared ??= startInfra({});
  return shared.then((infra) => ({ brokers: infra.brokers!, redisUrl: infra.redisUrl!, stop: () => infra.stop() }));
}

/** A fresh namespace for one test's topics, consumer groups and Redis keys. */
export function uniquePrefix(name: string): string {
  return `t-${name}-${randomBytes(4).toString('hex')}`;
}

/**
 * Polls `check` until it returns a truthy value (returned) or `timeoutMs` passes
 * (throws with `what` and the last value seen). No fixed sleeps in tests.
 */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 30000, intervalMs = 50): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
