import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKeyInputError, RedisApiKeys, Store, generateApiKeySecret, hashApiKey, looksLikeApiKey } from '@yardmaster/store';
import { Redis } from 'ioredis';
import { testInfra, uniquePrefix } from '../support/infra.js';

describe('API keys on a real Redis server', () => {
  let store: Store;
  let keys: RedisApiKeys;
  let raw: Redis;
  let prefix: string;

  before(async () => {
    const infra = await testInfra();
    prefix = `${uniquePrefix('apikeys')}:`;
    store = await Store.connect({ url: infra.redisUrl, keyPrefix: prefix });
    keys = new RedisApiKeys(store);
    raw = new Redis(infra.redisUrl);
  });

  after(async () => {
    await store.close();
    raw.disconnect();
  });

  /** Every key and value this test's prefix holds in Redis, as text. */
  async function everythingStored(): Promise<string> {
    const names = await raw.keys(`${prefix}*`);
    const parts: string[] = [];
    for (const name of names) {
      const type = await raw.type(name);
      parts.push(name);
      if (type === 'string') parts.push((await raw.get(name)) ?? '');
      if (type === 'hash') parts.push(JSON.stringify(await raw.hgetall(name)));
      if (type === 'set') parts.push(JSON.stringify(await raw.smembers(name)));
    }
    return parts.join('\n');
  }

  it('creates a key whose secret authenticates as its tenant, and stores only its SHA-256', async () => {
    const { secret, key } = await keys.create({ tenantId: 'acme', tier: 'enterprise', limits: { requestsPerMinute: 60, dailyBudgetUsd: 2.5 }, name: 'ci' });
    assert.ok(looksLikeApiKey(secret), secret.slice(0, 3));
    assert.match(key.id, /^key_[0-9a-f]{16}$/);
    assert.equal(key.hint, `${secret.slice(0, 7)}…`);
    assert.deepEqual({ tenant: key.tenantId, tier: key.tier, limits: key.limits, revoked: key.revoked, name: key.name }, {
      tenant: 'acme',
      tier: 'enterprise',
      limits: { requestsPerMinute: 60, dailyBudgetUsd: 2.5 },
      revoked: false,
      name: 'ci',
    });
    assert.deepEqual(await keys.authenticate(secret), key);
    assert.deepEqual(await keys.get(key.id), key);
    const stored = await everythingStored();
    assert.ok(!stored.includes(secret), 'the secret itself is stored nowhere');
    assert.ok(!stored.includes(secret.slice(7)), 'nor its random part');
    assert.ok(stored.includes(hashApiKey(secret)), 'its hash is the lookup key');
  });

  it('does not authenticate unknown secrets or text that is not a key', async () => {
    assert.equal(await keys.authenticate(generateApiKeySecret()), undefined);
    assert.equal(await keys.authenticate('not-a-key'), undefined);
    assert.equal(await keys.authenticate(''), undefined);
  });

  it('lists keys, all or one tenant\'s, oldest first', async () => {
    const a = await keys.create({ tenantId: 'list-a' });
    const b = await keys.create({ tenantId: 'list-b', tier: 'free' });
    const a2 = await keys.create({ tenantId: 'list-a' });
    assert.deepEqual((await keys.list({ tenantId: 'list-a' })).map((k) => k.id), [a.key.id, a2.key.id]);
    const all = (await keys.list()).map((k) => k.id);
    for (const id of [a.key.id, b.key.id, a2.key.id]) assert.ok(all.includes(id));
    assert.equal(a.key.tier, 'standard', 'the default tier');
  });

  it('revokes a key: it still authenticates as revoked (so the door can say so), and revoking again keeps the first time', async () => {
    let now = 1_000;
    const clocked = new RedisApiKeys(store, () => now);
    const { secret, key } = await clocked.create({ tenantId: 'rev' });
    now = 2_000;
    const revoked = await clocked.revoke(key.id);
    assert.equal(revoked?.revoked, true);
    assert.equal(revoked?.revokedAtMs, 2_000);
    now = 3_000;
    assert.equal((await clocked.revoke(key.id))?.revokedAtMs, 2_000);
    assert.equal((await clocked.authenticate(secret))?.revoked, true);
    assert.equal(await clocked.revoke('key_0000000000000000'), undefined);
  });

  it('ensure() stores a given secret once and returns the same key on later calls', async () => {
    const secret = generateApiKeySecret();
    const first = await keys.ensure(secret, { tenantId: 'dev' });
    const again = await keys.ensure(secret, { tenantId: 'other' });
    assert.deepEqual(again, first);
    assert.equal((await keys.authenticate(secret))?.tenantId, 'dev');
    await assert.rejects(keys.ensure('ym-short', { tenantId: 'dev' }), ApiKeyInputError);
  });

  it('refuses bad tenants, tiers and limits with ApiKeyInputError', async () => {
    await assert.rejects(keys.create({ tenantId: 'has space' }), ApiKeyInputError);
    await assert.rejects(keys.create({ tenantId: 'x'.repeat(65) }), ApiKeyInputError);
    await assert.rejects(keys.create({ tenantId: 'ok', tier: 'Gold Plus' }), ApiKeyInputError);
    await assert.rejects(keys.create({ tenantId: 'ok', limits: { requestsPerMinute: -1 } }), ApiKeyInputError);
    await assert.rejects(keys.create({ tenantId: 'ok', limits: { requestsPerMinute: 1.5 } }), ApiKeyInputError);
    await assert.rejects(keys.create({ tenantId: 'ok', limits: { dailyBudgetUsd: Number.NaN } }), ApiKeyInputError);
  });
});
