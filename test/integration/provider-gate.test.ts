import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RedisProviderGate, Store, type Admission, type BreakerPolicy, type GateLease, type GateScope } from '@yardmaster/store';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';

const POLICY: BreakerPolicy = { consecutiveFailures: 3, failureRatio: 0.5, minCalls: 10, windowMs: 10_000, openMs: 300, maxOpenMs: 2_000, probeMs: 5_000 };

function lease(a: Admission): GateLease {
  assert.ok(a.admitted, `expected an admission, got ${JSON.stringify(a)}`);
  return a.lease;
}

/**
 * Two "replicas": each its own Redis connection and gate over the same key prefix, as
 * two worker processes of one pool would have.
 */
describe('provider gate (shared breaker, cooldowns, rate limits) on a real Redis server', () => {
  let storeA: Store;
  let storeB: Store;
  let a: RedisProviderGate;
  let b: RedisProviderGate;

  before(async () => {
    const infra = await testInfra();
    const keyPrefix = `${uniquePrefix('gate')}:`;
    storeA = await Store.connect({ url: infra.redisUrl, keyPrefix });
    storeB = await Store.connect({ url: infra.redisUrl, keyPrefix });
    // A 1.5 s window instead of a minute, so windows pass within a test.
    a = new RedisProviderGate(storeA, POLICY, 1500);
    b = new RedisProviderGate(storeB, POLICY, 1500);
  });

  after(async () => {
    await storeA.close();
    await storeB.close();
  });

  it('two replicas together admit exactly the RPM limit, and say when the window frees a slot', async () => {
    const scopes: GateScope[] = [{ name: 'provider', rpm: 10 }];
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).admit({ provider: 'p-rpm', model: 'm', scopes, tokens: 1, leaseMs: 5000 })));
    const admitted = results.filter((r) => r.admitted);
    const denied = results.filter((r): r is Extract<Admission, { admitted: false }> => !r.admitted);
    assert.equal(admitted.length, 10);
    assert.ok(denied.every((d) => d.reason === 'rate_limited' && d.scope === 'provider'));
    for (const d of denied) assert.ok(d.retryAtMs >= started + 1400 && d.retryAtMs <= Date.now() + 1600, `retry at +${d.retryAtMs - started} ms`);
    // Settling does not give a request back: it was sent, so it counts until it leaves the window.
    for (const r of admitted) if (r.admitted) await a.settle(r.lease, { verdict: 'ok', actualTokens: 1 });
    assert.equal((await b.admit({ provider: 'p-rpm', model: 'm', scopes, tokens: 1, leaseMs: 5000 })).admitted, false);
    await waitFor('the window to move on', async () => (await b.admit({ provider: 'p-rpm', model: 'm', scopes, tokens: 1, leaseMs: 5000 })).admitted, 5000);
    assert.ok(Date.now() - started >= 1400);
  });

  it('reserves tokens against the TPM limit and gives back what the call did not use', async () => {
    const scopes: GateScope[] = [{ name: 'model:m', tpm: 100 }];
    const args = { provider: 'p-tpm', model: 'm', scopes, tokens: 30, leaseMs: 5000 };
    const first = [await a.admit(args), await b.admit(args), await a.admit(args)].map(lease);
    const fourth = await b.admit(args);
    assert.equal(fourth.admitted, false);
    assert.equal(!fourth.admitted && fourth.reason, 'rate_limited');
    // The first call used 5 tokens of its 30: the 25 go back and the fourth fits.
    await a.settle(first[0]!, { verdict: 'ok', actualTokens: 5 });
    assert.equal((await b.admit(args)).admitted, true);
    const huge = await a.admit({ ...args, tokens: 101 });
    assert.equal(!huge.admitted && huge.reason, 'too_large');
  });

  it('in-flight slots are leases: released by settle, and by expiry when a worker dies holding one', async () => {
    const scopes: GateScope[] = [{ name: 'provider', maxInFlight: 2 }];
    const held = lease(await a.admit({ provider: 'p-run', model: 'm', scopes, tokens: 1, leaseMs: 60_000 }));
    // This one's worker "dies": it never settles, its 400 ms lease runs out.
    lease(await b.admit({ provider: 'p-run', model: 'm', scopes, tokens: 1, leaseMs: 400 }));
    const third = await a.admit({ provider: 'p-run', model: 'm', scopes, tokens: 1, leaseMs: 60_000 });
    assert.equal(!third.admitted && third.reason, 'saturated');
    const started = Date.now();
    const after = await waitFor('the dead lease to expire', async () => {
      const r = await a.admit({ provider: 'p-run', model: 'm', scopes, tokens: 1, leaseMs: 60_000 });
      return r.admitted ? r : undefined;
    }, 5000, 20);
    assert.ok(Date.now() - started < 1500);
    // Timed-out or not, a settled call gives its slot back at once.
    assert.equal((await b.admit({ provider: 'p-run', model: 'm', scopes, tokens: 1, leaseMs: 60_000 })).admitted, false);
    await a.settle(held, { verdict: 'fault' });
    assert.equal((await b.admit({ provider: 'p-run', model: 'm', scopes, tokens: 1, leaseMs: 60_000 })).admitted, true);
    await a.settle(after.lease, { verdict: 'neutral' });
  });

  it('a breaker opened by faults on one replica stops the other at once; one probe closes it', async () => {
    const args = { provider: 'p-cb', model: 'm', scopes: [], tokens: 1, leaseMs: 5000 };
    let opened: number | undefined;
    for (let i = 0; i < 3; i++) {
      const s = await a.settle(lease(await a.admit(args)), { verdict: 'fault' });
      if (s.transition === 'opened') opened = s.openUntilMs;
    }
    assert.ok(opened !== undefined, 'opened after 3 consecutive faults');
    const denied = await b.admit(args);
    assert.equal(!denied.admitted && denied.reason, 'circuit_open');
    assert.equal(!denied.admitted && denied.retryAtMs, opened);
    assert.equal((await b.breaker('p-cb', 'm')).state, 'open');
    // After the open time, exactly one replica gets the probe.
    const probe = await waitFor('the half-open probe', async () => {
      const r = await b.admit(args);
      return r.admitted ? r.lease : undefined;
    }, 5000, 20);
    assert.equal(probe.probe, true);
    const other = await a.admit(args);
    assert.equal(!other.admitted && other.reason, 'circuit_open', 'one probe at a time');
    const closed = await b.settle(probe, { verdict: 'ok' });
    assert.equal(closed.transition, 'closed');
    assert.equal((await a.admit(args)).admitted, true);
  });

  it('a failed probe opens the breaker again for twice as long', async () => {
    const args = { provider: 'p-probe', model: 'm', scopes: [], tokens: 1, leaseMs: 5000 };
    let first = 0;
    for (let i = 0; i < 3; i++) {
      const s = await a.settle(lease(await a.admit(args)), { verdict: 'fault' });
      if (s.transition === 'opened') first = s.openUntilMs;
    }
    const probe = await waitFor('the probe', async () => {
      const r = await a.admit(args);
      return r.admitted ? r.lease : undefined;
    }, 5000, 20);
    const at = Date.now();
    const again = await a.settle(probe, { verdict: 'fault' });
    assert.equal(again.transition, 'opened');
    assert.ok(again.openUntilMs - at >= 550 && again.openUntilMs - at <= 650, `reopened for ${again.openUntilMs - at} ms`);
    assert.ok(again.openUntilMs > first);
  });

  it('opens on the error ratio over the window, not only on faults in a row', async () => {
    const args = { provider: 'p-ratio', model: 'm', scopes: [], tokens: 1, leaseMs: 5000 };
    let transition: string | undefined;
    for (let i = 0; i < 12 && !transition; i++) {
      transition = (await a.settle(lease(await a.admit(args)), { verdict: i % 2 ? 'fault' : 'ok' })).transition;
    }
    assert.equal(transition, 'opened');
  });

  it('a neutral outcome (a bad request, a 429) never moves the breaker', async () => {
    const args = { provider: 'p-neutral', model: 'm', scopes: [], tokens: 1, leaseMs: 5000 };
    for (let i = 0; i < 10; i++) assert.equal((await a.settle(lease(await a.admit(args)), { verdict: 'neutral' })).transition, undefined);
    assert.equal((await b.breaker('p-neutral', 'm')).state, 'closed');
  });

  it('a 429 cooldown set on one replica holds every replica, and a shorter one never cuts it short', async () => {
    const args = { provider: 'p-cool', model: 'm', scopes: [], tokens: 1, leaseMs: 5000 };
    const until = Date.now() + 800;
    const s = await a.settle(lease(await a.admit(args)), { verdict: 'neutral', cooldownUntilMs: until });
    assert.equal(s.cooldownUntilMs, until);
    const denied = await b.admit(args);
    assert.equal(!denied.admitted && denied.reason, 'cooldown');
    assert.equal(!denied.admitted && denied.retryAtMs, until);
    // Another call (admitted before) comes back with a 1 s shorter Retry-After: the longer cooldown stays.
    const shorter = await b.settle({ id: 'late', provider: 'p-cool', model: 'm', scopes: [], probe: false }, { verdict: 'neutral', cooldownUntilMs: Date.now() + 100 });
    assert.equal(shorter.cooldownUntilMs, until);
    await waitFor('the cooldown to end', async () => (await b.admit(args)).admitted, 5000, 20);
    assert.ok(Date.now() >= until - 5);
  });
});
