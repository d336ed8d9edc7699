import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RedisAdmissionControl, RedisApiKeys, Store, hashApiKey } from '@yardmaster/store';
import { testInfra, uniquePrefix } from '../support/infra.js';

/** test/dist/integration → the compiled CLI. */
const cli = path.resolve(__dirname, '..', '..', '..', 'cli', 'dist', 'main.js');

describe('npx yardmaster keys (the CLI against a real Redis)', () => {
  let store: Store;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    const infra = await testInfra();
    const prefix = `${uniquePrefix('keys-cli')}:`;
    store = await Store.connect({ url: infra.redisUrl, keyPrefix: prefix });
    env = { ...process.env, REDIS_URL: infra.redisUrl, REDIS_KEY_PREFIX: prefix };
  });

  after(async () => {
    await store.close();
  });

  const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'keys', ...args], { env, encoding: 'utf8' });

  it('creates a key (printing the secret once), lists it with its limits and spend, and revokes it', async () => {
    const created = run('create', '--tenant', 'acme', '--tier', 'enterprise', '--rpm', '30', '--budget-usd', '1.5');
    assert.equal(created.status, 0, created.stderr);
    const secret = created.stdout.trim();
    assert.match(secret, /^ym-[A-Za-z0-9_-]{43}$/);
    assert.match(created.stderr, /created key_[0-9a-f]{16} for tenant acme \(tier enterprise; limits: 30 req\/min, \$1.5\/day\)/);
    const key = await new RedisApiKeys(store).authenticate(secret);
    assert.equal(key?.tenantId, 'acme');
    const admitted = await new RedisAdmissionControl(store).admit({ keyHash: hashApiKey(secret), requestId: 'r-1', ttlSeconds: 60 });
    assert.equal(admitted.outcome, 'admitted');
    await new RedisAdmissionControl(store).recordUsage({ requestId: 'r-1', tokens: 10, costUsd: 0.25 });

    const listed = run('list', '--tenant', 'acme', '--json');
    assert.equal(listed.status, 0, listed.stderr);
    const rows = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0]!['id'], rows[0]!['tenant'], rows[0]!['tier'], rows[0]!['revoked'], rows[0]!['spent_today_usd']], [key.id, 'acme', 'enterprise', false, 0.25]);
    assert.ok(!listed.stdout.includes(secret), 'list never prints a secret');
    const table = run('list');
    assert.match(table.stdout, new RegExp(`${key.id}\\s+ym-\\S{4}…\\s+acme\\s+enterprise\\s+active\\s+30 req/min, \\$1.5/day\\s+\\$0.2500`));

    const revoked = run('revoke', key.id);
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.equal((await new RedisApiKeys(store).authenticate(secret))?.revoked, true);
    assert.equal(run('revoke', 'key_0000000000000000').status, 1);
  });

  it('sets a tenant\'s own limits (keeping the ones not given, 0 removing one) and shows its spend', async () => {
    const set = run('tenant', '--tenant', 'team-x', '--rpm', '100', '--budget-usd', '20', '--json');
    assert.equal(set.status, 0, set.stderr);
    assert.deepEqual(JSON.parse(set.stdout), { tenant: 'team-x', limits: { requestsPerMinute: 100, dailyBudgetUsd: 20 }, spent_today_usd: 0, spent_this_month_usd: 0 });
    const changed = run('tenant', '--tenant', 'team-x', '--rpm', '0', '--monthly-budget-usd', '300');
    assert.equal(changed.status, 0, changed.stderr);
    assert.match(changed.stdout, /tenant team-x: limits \$20\/day, \$300\/month; spent \$0.0000 today/);
    assert.deepEqual(await new RedisApiKeys(store).tenantLimits('team-x'), { dailyBudgetUsd: 20, monthlyBudgetUsd: 300 });
  });

  it('refuses bad input with exit code 2 and a message naming the option', () => {
    const badTenant = run('create', '--tenant', 'two words');
    assert.equal(badTenant.status, 2);
    assert.match(badTenant.stderr, /tenant must be 1-64 characters/);
    const badRpm = run('create', '--tenant', 'acme', '--rpm', 'lots');
    assert.equal(badRpm.status, 2);
    assert.match(badRpm.stderr, /--rpm must be a number/);
    assert.notEqual(run('create').status, 0, '--tenant is required');
  });
});
