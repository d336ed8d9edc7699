import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEV_TENANT, ensureDevKey, readDevKey } from '@yardmaster/deploy';
import { RedisApiKeys, Store } from '@yardmaster/store';
import { testInfra, uniquePrefix } from '../support/infra.js';

describe('the development key of npm start (real Redis)', () => {
  let store: Store;
  let redisUrl: string;
  let prefix: string;

  before(async () => {
    redisUrl = (await testInfra()).redisUrl;
    prefix = `${uniquePrefix('devkey')}:`;
    store = await Store.connect({ url: redisUrl, keyPrefix: prefix });
  });

  after(async () => {
    await store.close();
  });

  it('creates a key once, saves it (mode 0600), reuses it on the next start, and replaces a revoked one', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ym-devkey-')), 'nested', 'dev-api-key');
    const first = await ensureDevKey({ redisUrl, redisKeyPrefix: prefix, file });
    assert.equal(first.key.tenantId, DEV_TENANT);
    assert.equal(readDevKey(file), first.secret);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const again = await ensureDevKey({ redisUrl, redisKeyPrefix: prefix, file });
    assert.deepEqual([again.secret, again.key.id], [first.secret, first.key.id]);
    const keys = new RedisApiKeys(store);
    assert.equal((await keys.authenticate(first.secret))?.id, first.key.id);
    await keys.revoke(first.key.id);
    const replaced = await ensureDevKey({ redisUrl, redisKeyPrefix: prefix, file });
    assert.notEqual(replaced.secret, first.secret);
    assert.equal(readDevKey(file), replaced.secret);
    assert.equal((await keys.authenticate(replaced.secret))?.revoked, false);
  });

  it('stores the saved key again in a fresh Redis (another key prefix), keeping the same secret', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ym-devkey-')), 'dev-api-key');
    const first = await ensureDevKey({ redisUrl, redisKeyPrefix: prefix, file });
    const elsewhere = `${uniquePrefix('devkey-fresh')}:`;
    const second = await ensureDevKey({ redisUrl, redisKeyPrefix: elsewhere, file });
    assert.equal(second.secret, first.secret);
  });
});
