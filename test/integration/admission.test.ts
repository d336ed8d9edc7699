import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RedisAdmissionControl, RedisApiKeys, Store, budgetPeriods, generateApiKeySecret, hashApiKey, type ApiKeyLimits } from '@yardmaster/store';
import { testInfra, uniquePrefix } from '../support/infra.js';

describe('the door (admission control) on a real Redis server', () => {
  let store: Store;
  let other: Store;
  let keys: RedisApiKeys;
  let door: RedisAdmissionControl;
  /** A second replica's view: another connection, the same Redis keys. */
  let door2: RedisAdmissionControl;
  let n = 0;
  const rid = () => `req-${++n}`;

  before(async () => {
    const infra = await testInfra();
    const prefix = `${uniquePrefix('door')}:`;
    store = await Store.connect({ url: infra.redisUrl, keyPrefix: prefix });
    other = await Store.connect({ url: infra.redisUrl, keyPrefix: prefix });
    keys = new RedisApiKeys(store);
    door = new RedisAdmissionControl(store);
    door2 = new RedisAdmissionControl(other);
  });

  after(async () => {
    await store.close();
    await other.close();
  });

  async function key(tenantId: string, limits: ApiKeyLimits = {}): Promise<{ hash: string; id: string }> {
    const { secret, key } = await keys.create({ tenantId, limits });
    return { hash: hashApiKey(secret), id: key.id };
  }

  it('admits a known key as its tenant and refuses unknown and revoked keys', async () => {
    const k = await key('acme');
    const a = await door.admit({ keyHash: k.hash, requestId: rid(), ttlSeconds: 60 });
    assert.equal(a.outcome, 'admitted');
    assert.ok(a.outcome === 'admitted' && a.tenantId === 'acme' && a.fresh && a.key?.id === k.id);
    assert.deepEqual(await door.admit({ keyHash: hashApiKey(generateApiKeySecret()), requestId: rid(), ttlSeconds: 60 }), { outcome: 'unknown_key' });
    await keys.revoke(k.id);
    const revoked = await door.admit({ keyHash: k.hash, requestId: rid(), ttlSeconds: 60 });
    assert.equal(revoked.outcome, 'revoked_key');
  });

  it('gives a request id to the first tenant: a retry is admitted as not fresh, another tenant gets a conflict, another body a mismatch', async () => {
    const a = await key('tenant-a');
    const b = await key('tenant-b');
    const id = rid();
    const first = await door.admit({ keyHash: a.hash, requestId: id, fingerprint: 'f1', ttlSeconds: 60 });
    assert.ok(first.outcome === 'admitted' && first.fresh);
    const retry = await door2.admit({ keyHash: a.hash, requestId: id, fingerprint: 'f1', ttlSeconds: 60 });
    assert.ok(retry.outcome === 'admitted' && !retry.fresh && retry.tenantId === 'tenant-a');
    assert.equal((await door.admit({ keyHash: b.hash, requestId: id, fingerprint: 'f1', ttlSeconds: 60 })).outcome, 'conflict');
    assert.equal((await door.admit({ keyHash: a.hash, requestId: id, fingerprint: 'f2', ttlSeconds: 60 })).outcome, 'mismatch');
    // Without a fingerprint (gRPC request ids) the same id is a retry whatever the body.
    assert.equal((await door.admit({ keyHash: a.hash, requestId: id, ttlSeconds: 60 })).outcome, 'admitted');
    assert.deepEqual(await door.owners([id, 'never-seen']), ['tenant-a', undefined]);
  });

  it('limits requests per minute across replicas, with remaining counts, a retry time, and free retries of admitted ids', async () => {
    const k = await key('rpm', { requestsPerMinute: 3 });
    const seen: number[] = [];
    const ids: string[] = [];
    for (const d of [door, door2, door]) {
      const id = rid();
      ids.push(id);
      const a = await d.admit({ keyHash: k.hash, requestId: id, ttlSeconds: 60 });
      assert.equal(a.outcome, 'admitted');
      if (a.outcome === 'admitted') seen.push(a.requests!.remaining);
    }
    assert.deepEqual(seen, [2, 1, 0]);
    const refusedId = rid();
    const over = await door2.admit({ keyHash: k.hash, requestId: refusedId, ttlSeconds: 60 });
    assert.equal(over.outcome, 'limited');
    if (over.outcome !== 'limited') return;
    assert.equal(over.limit, 'requests_per_minute');
    assert.equal(over.scope, 'key');
    assert.equal(over.value, 3);
    assert.equal(over.used, 3);
    // One request's share of the minute (20 s) comes back first.
    assert.ok(over.retryAfterMs > 15_000 && over.retryAfterMs <= 20_000, String(over.retryAfterMs));
    assert.deepEqual({ limit: over.requests?.limit, remaining: over.requests?.remaining }, { limit: 3, remaining: 0 });
    const retry = await door.admit({ keyHash: k.hash, requestId: ids[0]!, ttlSeconds: 60 });
    assert.ok(retry.outcome === 'admitted' && !retry.fresh, 'a retry of an admitted request is not limited');
    // A refused request does not take the id: it can be sent again once there is room.
    assert.deepEqual(await door.owners([refusedId]), [undefined]);
  });

  it('limits tokens per minute from the usage recorded after each request', async () => {
    const k = await key('tpm', { tokensPerMinute: 100 });
    const first = rid();
    const a = await door.admit({ keyHash: k.hash, requestId: first, ttlSeconds: 60 });
    assert.ok(a.outcome === 'admitted' && a.tokens?.remaining === 100);
    assert.equal(await door.recordUsage({ requestId: first, tokens: 150, costUsd: 0 }), true);
    const over = await door2.admit({ keyHash: k.hash, requestId: rid(), ttlSeconds: 60 });
    assert.equal(over.outcome, 'limited');
    if (over.outcome !== 'limited') return;
    assert.equal(over.limit, 'tokens_per_minute');
    assert.equal(over.value, 100);
    assert.equal(over.used, 150);
    // 150 tokens at 100/min: the bucket has room again after ~30 s.
    assert.ok(over.retryAfterMs > 25_000 && over.retryAfterMs <= 31_000, String(over.retryAfterMs));
  });

  it('refuses once the daily budget is spent, charges each request once, and says when the day ends', async () => {
    const k = await key('budget', { dailyBudgetUsd: 0.01, monthlyBudgetUsd: 5 });
    const first = rid();
    assert.equal((await door.admit({ keyHash: k.hash, requestId: first, ttlSeconds: 60 })).outcome, 'admitted');
    assert.equal(await door.recordUsage({ requestId: first, tokens: 10, costUsd: 0.006 }), true);
    assert.equal(await door2.recordUsage({ requestId: first, tokens: 10, costUsd: 0.006 }), false, 'charged once');
    const second = rid();
    assert.equal((await door.admit({ keyHash: k.hash, requestId: second, ttlSeconds: 60 })).outcome, 'admitted', 'under budget: $0.006 of $0.01');
    await door.recordUsage({ requestId: second, tokens: 10, costUsd: 0.006 });
    assert.deepEqual(await door.spend(k.id), { dayUsd: 0.012, monthUsd: 0.012 });
    const now = Date.now();
    const over = await door.admit({ keyHash: k.hash, requestId: rid(), ttlSeconds: 60, nowMs: now });
    assert.equal(over.outcome, 'limited');
    if (over.outcome !== 'limited') return;
    assert.equal(over.limit, 'daily_budget_usd');
    assert.equal(over.value, 0.01);
    assert.equal(over.used, 0.012);
    assert.equal(over.retryAfterMs, budgetPeriods(now).msToDayEnd);
    // Usage of a request the door never admitted (no owner record) is charged to nobody.
    assert.equal(await door.recordUsage({ requestId: 'unknown-request', tokens: 1, costUsd: 1 }), false);
  });

  it('applies a tenant\'s own limits across all its keys, and charges the tenant as well as the key', async () => {
    await keys.setTenantLimits('shared', { requestsPerMinute: 2, dailyBudgetUsd: 0.5 });
    assert.deepEqual(await keys.tenantLimits('shared'), { requestsPerMinute: 2, dailyBudgetUsd: 0.5 });
    const a = await key('shared');
    const b = await key('shared', { requestsPerMinute: 100 });
    const first = await door.admit({ keyHash: a.hash, requestId: rid(), ttlSeconds: 60 });
    assert.ok(first.outcome === 'admitted' && first.requests?.limit === 2 && first.requests.remaining === 1, 'a key without its own rpm shows the tenant\'s');
    const second = await door2.admit({ keyHash: b.hash, requestId: rid(), ttlSeconds: 60 });
    assert.ok(second.outcome === 'admitted' && second.requests?.limit === 100, 'a key with its own rpm shows its own');
    const third = await door.admit({ keyHash: b.hash, requestId: rid(), ttlSeconds: 60 });
    assert.equal(third.outcome, 'limited');
    assert.ok(third.outcome === 'limited' && third.scope === 'tenant' && third.limit === 'requests_per_minute' && third.value === 2);
    // Spend: the key's and the tenant's.
    const k = await key('shared-budget');
    await keys.setTenantLimits('shared-budget', { dailyBudgetUsd: 0.5 });
    const id = rid();
    assert.equal((await door.admit({ keyHash: k.hash, requestId: id, ttlSeconds: 60 })).outcome, 'admitted');
    await door.recordUsage({ requestId: id, tokens: 5, costUsd: 0.75 });
    assert.equal((await door.tenantSpend('shared-budget')).dayUsd, 0.75);
    assert.equal((await door.spend(k.id)).dayUsd, 0.75);
    const k2 = await key('shared-budget');
    const over = await door.admit({ keyHash: k2.hash, requestId: rid(), ttlSeconds: 60 });
    assert.ok(over.outcome === 'limited' && over.scope === 'tenant' && over.limit === 'daily_budget_usd' && over.used === 0.75, JSON.stringify(over));
    // Clearing the tenant's limits (0) lets it in again.
    await keys.setTenantLimits('shared-budget', {});
    assert.equal((await door.admit({ keyHash: k2.hash, requestId: rid(), ttlSeconds: 60 })).outcome, 'admitted');
    await assert.rejects(keys.setTenantLimits('bad tenant', {}), /tenant must be/);
  });

  it('charges a batch line (no owner record) to its batch\'s owner, once, and reports the batch owner\'s budget', async () => {
    const k = await key('batcher', { dailyBudgetUsd: 0.01 });
    const batchId = `batch_${++n}`;
    assert.deepEqual(await door.budget(batchId), { outcome: 'unknown' }, 'no owner record yet');
    assert.equal((await door.admit({ keyHash: k.hash, requestId: batchId, ttlSeconds: 60 })).outcome, 'admitted');
    assert.deepEqual(await door.budget(batchId), { outcome: 'within', tenantId: 'batcher', keyId: k.id });
    assert.equal(await door.recordUsage({ requestId: `${batchId}-0`, batchId, tokens: 10, costUsd: 0.004 }), true);
    assert.equal(await door2.recordUsage({ requestId: `${batchId}-0`, batchId, tokens: 10, costUsd: 0.004 }), false, 'a line is charged once');
    assert.equal(await door.recordUsage({ requestId: `${batchId}-1`, tokens: 10, costUsd: 0.004 }), false, 'without its batch id a line has no owner');
    assert.deepEqual(await door.spend(k.id), { dayUsd: 0.004, monthUsd: 0.004 });
    assert.equal((await door.tenantSpend('batcher')).dayUsd, 0.004, 'the tenant is charged too');
    assert.equal((await door.budget(batchId)).outcome, 'within');
    await door.recordUsage({ requestId: `${batchId}-1`, batchId, tokens: 10, costUsd: 0.007 });
    const now = Date.now();
    const spent = await door2.budget(batchId, now);
    assert.deepEqual(spent, { outcome: 'spent', tenantId: 'batcher', keyId: k.id, scope: 'key', limit: 'daily_budget_usd', value: 0.01, used: 0.011, retryAfterMs: budgetPeriods(now).msToDayEnd });
    // A request with its own owner record is charged to it, not to the batch named beside it.
    const other = await key('bystander');
    const own = rid();
    await door.admit({ keyHash: other.hash, requestId: own, ttlSeconds: 60 });
    await door.recordUsage({ requestId: own, batchId, tokens: 1, costUsd: 0.5 });
    assert.equal((await door.spend(other.id)).dayUsd, 0.5);
    assert.equal((await door.spend(k.id)).dayUsd, 0.011);
  });

  it('reports a tenant\'s own monthly budget as spent for its keys\' batches', async () => {
    await keys.setTenantLimits('monthly', { monthlyBudgetUsd: 0.002 });
    const k = await key('monthly');
    const batchId = `batch_${++n}`;
    await door.admit({ keyHash: k.hash, requestId: batchId, ttlSeconds: 60 });
    await door.recordUsage({ requestId: `${batchId}-0`, batchId, tokens: 1, costUsd: 0.003 });
    const spent = await door.budget(batchId);
    assert.ok(spent.outcome === 'spent');
    assert.deepEqual([spent.scope, spent.limit, spent.value, spent.used], ['tenant', 'monthly_budget_usd', 0.002, 0.003]);
  });

  it('without authentication the caller\'s tenant owns its request ids', async () => {
    const id = rid();
    const a = await door.admit({ tenantId: 'default', requestId: id, ttlSeconds: 60 });
    assert.ok(a.outcome === 'admitted' && a.fresh && a.tenantId === 'default' && a.key === undefined);
    assert.deepEqual(await door.owners([id]), ['default']);
    assert.equal((await door.admit({ tenantId: 'someone-else', requestId: id, ttlSeconds: 60 })).outcome, 'conflict');
  });

  it('computes UTC budget periods', () => {
    const p = budgetPeriods(Date.UTC(2026, 11, 31, 23, 59, 0));
    assert.deepEqual(p, { day: '20261231', month: '202612', msToDayEnd: 60_000, msToMonthEnd: 60_000 });
  });
});
