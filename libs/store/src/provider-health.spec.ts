// The Redis cases run against the real Redis that `npm test` starts (REDIS_URL).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Store } from './index.js';
import { InMemoryProviderHealth, type ProviderHealth, RedisProviderHealth, countsAgainstHealth, healthTarget, isAvailable } from './provider-health.js';

const redisUrl = process.env['REDIS_URL'];

/** The same behaviour from both implementations. */
function behaves(name: string, make: (now: () => number) => ProviderHealth | Promise<ProviderHealth>, skip: string | false = false): void {
  describe(`${name}`, { skip }, () => {
    let clock = 1_000_000;
    const now = () => clock;
    let health: ProviderHealth;
    const t = healthTarget('openai', `gpt-${randomBytes(3).toString('hex')}`);
    before(async () => {
      health = await make(now);
    });

    it('starts unknown, and unknown targets are available', async () => {
      assert.equal(await health.get(t), undefined);
      assert.equal(isAvailable(await health.get(t), now()), true);
    });

    it('tracks the error rate and latency as EWMAs of provider faults only', async () => {
      await health.record(t, { ok: true, latencyMs: 100 });
      let h = (await health.get(t))!;
      assert.equal(h.errorRate, 0);
      assert.equal(h.latencyMs, 100);
      assert.equal(h.samples, 1);
      await health.record(t, { ok: false, latencyMs: 5, errorCode: 'unavailable' });
      h = (await health.get(t))!;
      assert.ok(Math.abs(h.errorRate - 0.5) < 1e-9, `alpha 0.5: ${h.errorRate}`);
      assert.equal(h.latencyMs, 100, 'a failed call does not move the latency');
      // A bad request or a context overflow is the caller's problem, not the provider's.
      await health.record(t, { ok: false, latencyMs: 5, errorCode: 'context_length' });
      await health.record(t, { ok: false, latencyMs: 5, errorCode: 'bad_request' });
      h = (await health.get(t))!;
      assert.ok(Math.abs(h.errorRate - 0.5) < 1e-9);
      assert.equal(h.samples, 4);
      await health.record(t, { ok: true, latencyMs: 300 });
      h = (await health.get(t))!;
      assert.ok(Math.abs(h.errorRate - 0.25) < 1e-9);
      assert.ok(Math.abs(h.latencyMs - 200) < 1e-9);
    });

    it('applies outcomes reported at once (queued behind a write in flight) in order, each once', async () => {
      const u = healthTarget('openai', `burst-${randomBytes(3).toString('hex')}`);
      // fault, ok 100, ignored, fault, ok 300 with alpha 0.5 → err 1 → 0.5 → 0.5 → 0.75 → 0.375; latency 100 → 200.
      await Promise.all([
        health.record(u, { ok: false, latencyMs: 1, errorCode: 'server_error' }),
        health.record(u, { ok: true, latencyMs: 100 }),
        health.record(u, { ok: false, latencyMs: 1, errorCode: 'bad_request' }),
        health.record(u, { ok: false, latencyMs: 1, errorCode: 'timeout' }),
        health.record(u, { ok: true, latencyMs: 300 }),
      ]);
      const h = (await health.get(u))!;
      assert.equal(h.samples, 5);
      assert.ok(Math.abs(h.errorRate - 0.375) < 1e-9, `error rate ${h.errorRate}`);
      assert.ok(Math.abs(h.latencyMs - 200) < 1e-9, `latency ${h.latencyMs}`);
    });

    it('shares open circuits and cooldowns until they expire', async () => {
      await health.openCircuit(t, now() + 5000, 'breaker: 5 failures in 10 s');
      let h = (await health.get(t))!;
      assert.equal(isAvailable(h, now()), false);
      assert.equal(h.reason, 'breaker: 5 failures in 10 s');
      assert.equal(isAvailable(h, now() + 5001), true, 'available again once the open period ends');
      await health.closeCircuit(t);
      await health.cooldown(t, now() + 2000, 'HTTP 429, Retry-After 2 s');
      h = (await health.get(t))!;
      assert.equal(h.circuitOpenUntilMs, 0);
      assert.equal(isAvailable(h, now()), false);
      assert.equal(isAvailable(h, now() + 2001), true);
    });

    it('reports rate-limit headroom, clamped to 0..1', async () => {
      await health.setHeadroom(t, 1.7);
      assert.equal((await health.get(t))!.headroom, 1);
      await health.setHeadroom(t, 0.25);
      assert.equal((await health.get(t))!.headroom, 0.25);
    });

    it('lists every target in a snapshot and forgets targets quiet for longer than the TTL', async () => {
      const other = healthTarget('local', `llama-${randomBytes(3).toString('hex')}`);
      await health.record(other, { ok: true, latencyMs: 40 });
      let snap = await health.snapshot();
      assert.equal(snap.get(other)?.latencyMs, 40);
      assert.equal(snap.get(t)?.headroom, 0.25);
      clock += 11_000;
      await health.record(other, { ok: true, latencyMs: 40 });
      snap = await health.snapshot();
      assert.ok(snap.has(other));
      assert.ok(!snap.has(t), 'a target not reported for longer than the TTL is gone');
    });
  });
}

describe('ProviderHealth', () => {
  behaves('InMemoryProviderHealth', (now) => new InMemoryProviderHealth({ alpha: 0.5, ttlSeconds: 10, now }));

  let store: Store | undefined;
  behaves(
    'RedisProviderHealth (real Redis)',
    async (now) => {
      store = await Store.connect({ url: redisUrl!, keyPrefix: `t-health-${randomBytes(4).toString('hex')}:` });
      return new RedisProviderHealth(store, { alpha: 0.5, ttlSeconds: 10, now });
    },
    redisUrl ? false : 'needs REDIS_URL (npm test sets it)',
  );
  after(async () => {
    await store?.close();
  });

  it('counts only provider faults against health', () => {
    for (const code of ['unavailable', 'server_error', 'timeout', 'network', 'auth']) assert.equal(countsAgainstHealth(code), true, code);
    for (const code of ['bad_request', 'context_length', 'content_policy', 'rate_limited', 'deadline_exceeded', 'cancelled', undefined]) assert.equal(countsAgainstHealth(code), false, String(code));
  });
});
