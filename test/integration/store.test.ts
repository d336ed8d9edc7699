import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Store, StoreError } from '@yardmaster/store';
import { testInfra, uniquePrefix } from '../support/infra.js';

describe('store on a real Redis server', () => {
  let store: Store;

  before(async () => {
    const infra = await testInfra();
    store = await Store.connect({ url: infra.redisUrl, keyPrefix: `${uniquePrefix('store')}:` });
  });

  after(async () => {
    await store.close();
  });

  it('claims a key once; the same owner may claim again, others may not', async () => {
    assert.deepEqual(await store.claim('final:a', 'p0:1', 60), { status: 'acquired' });
    assert.deepEqual(await store.claim('final:a', 'p0:1', 60), { status: 'already_mine' });
    assert.deepEqual(await store.claim('final:a', 'p0:2', 60), { status: 'taken', holder: 'p0:1' });
  });

  it('sets only when absent and expires keys', async () => {
    assert.equal(await store.setIfAbsent('accepted:x', '1', 1), true);
    assert.equal(await store.setIfAbsent('accepted:x', '1', 1), false);
    await store.set('short', 'v', 1);
    assert.equal(await store.get('short'), 'v');
    const until = Date.now() + 5000;
    while ((await store.exists('short')) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await store.exists('short'), false);
  });

  it('round-trips binary values', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    await store.set('bin', bytes, 60);
    assert.deepEqual(await store.getBuffer('bin'), bytes);
  });

  it('fails to connect with a clear StoreError', async () => {
    await assert.rejects(Store.connect({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 500 }), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.code, 'connection_failed');
      assert.match(err.message, /127\.0\.0\.1:1/);
      return true;
    });
  });
});
