import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@yardmaster/deploy';
import { RedisPipelineState, Store, StoreError } from '@yardmaster/store';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';

describe('pipeline state on a real Redis server', () => {
  let store: Store;
  let a: RedisPipelineState;
  let b: RedisPipelineState;

  before(async () => {
    const infra = await testInfra();
    store = await Store.connect({ url: infra.redisUrl, keyPrefix: `${uniquePrefix('store')}:` });
    a = new RedisPipelineState(store, 'instance-a');
    b = new RedisPipelineState(store, 'instance-b');
  });

  after(async () => {
    await store.close();
  });

  it('accepts a request id once: new, then retry while pending, duplicate once published', async () => {
    assert.equal(await a.beginAccept('r1', 60), 'new');
    assert.equal(await a.beginAccept('r1', 60), 'retry');
    await a.markAccepted('r1', 60);
    assert.equal(await b.beginAccept('r1', 60), 'duplicate');
    assert.equal(await a.wasAccepted('r1'), true);
    assert.equal(await a.wasAccepted('r-unknown'), false);
  });

  it('tells the worker whether a work item is done and whether its request was cancelled', async () => {
    assert.deepEqual(await a.workState('r2:0', 'r2'), { done: false, cancelled: false });
    await a.markWorkDone('r2:0', 60);
    assert.deepEqual(await a.workState('r2:0', 'r2'), { done: true, cancelled: false });
    await b.markCancelled('r3', 60);
    assert.deepEqual(await a.workState('r3:0', 'r3'), { done: false, cancelled: true });
  });

  it('claims a final response once across instances; the same instance sees its own claim', async () => {
    await a.heartbeat(10_000);
    assert.deepEqual(await a.claimFinal('r4', 'results:0:7', 60), { status: 'acquired' });
    assert.deepEqual(await a.claimFinal('r4', 'results:0:7', 60), { status: 'mine', coords: 'results:0:7' });
    const taken = await b.claimFinal('r4', 'results:0:7', 60);
    assert.equal(taken.status, 'taken');
    assert.ok(taken.status === 'taken' && taken.owner === 'instance-a' && taken.coords === 'results:0:7' && taken.alive);
    await a.recordFinal('r4', new Uint8Array([1, 2, 3]), 60);
    assert.deepEqual(await b.claimFinal('r4', 'results:0:9', 60), { status: 'done' });
    assert.deepEqual(await b.storedResponse('r4'), Buffer.from([1, 2, 3]));
    assert.equal(await b.hasFinal('r4'), true);
  });

  it('reports a claim of a retired instance as not alive, and lets another take it over once', async () => {
    const c = new RedisPipelineState(store, 'instance-c');
    await c.heartbeat(10_000);
    assert.deepEqual(await c.claimFinal('r5', 'results:1:3', 60), { status: 'acquired' });
    await c.retire();
    const taken = await a.claimFinal('r5', 'results:1:3', 60);
    assert.ok(taken.status === 'taken' && !taken.alive);
    assert.equal(await a.takeOverFinal('r5', 'instance-c', 'results:1:3', 60), true);
    // The claim is a's now: b cannot take it from c any more.
    assert.equal(await b.takeOverFinal('r5', 'instance-c', 'results:1:3', 60), false);
    assert.deepEqual(await a.claimFinal('r5', 'results:1:3', 60), { status: 'mine', coords: 'results:1:3' });
  });

  it('lets liveness lapse when an instance stops refreshing it', async () => {
    const d = new RedisPipelineState(store, 'instance-d');
    await d.heartbeat(200);
    assert.deepEqual(await d.claimFinal('r6', 'results:2:1', 60), { status: 'acquired' });
    await waitFor('instance-d to count as gone', async () => {
      const claim = await a.claimFinal('r6', 'results:2:1', 60);
      return claim.status === 'taken' && !claim.alive;
    }, 5000);
  });

  it('expires what it stores', async () => {
    await a.markWorkDone('r7:0', 1);
    await waitFor('the work marker to expire', async () => !(await a.workState('r7:0', 'r7')).done, 5000, 100);
  });

  it('rejects message coordinates that would break the claim format', async () => {
    await assert.rejects(a.claimFinal('r8', 'a|b', 60), /must not contain/);
  });

  it('fails to connect with a clear StoreError', async () => {
    await assert.rejects(Store.connect({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 500, connectTimeoutMs: 0 }), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.code, 'connection_failed');
      assert.match(err.message, /127\.0\.0\.1:1 \(1 attempt\)/);
      return true;
    });
  });

  it('keeps trying while Redis is not there yet, and connects once it answers', async () => {
    const target = new URL((await testInfra()).redisUrl);
    const port = await freePort();
    const started = Date.now();
    const connecting = Store.connect({ url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 500, connectTimeoutMs: 20_000 });
    await sleep(1000);
    // The server appears: a proxy on the port to the test's real Redis.
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
    try {
      const late = await connecting;
      assert.ok(Date.now() - started >= 1000, 'connected before anything listened');
      assert.equal(await late.connection().ping(), 'PONG');
      await late.close();
    } finally {
      proxy.close();
    }
  });

  it('gives up after connectTimeoutMs, saying how many attempts it made', async () => {
    const started = Date.now();
    await assert.rejects(Store.connect({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 300, connectTimeoutMs: 1500 }), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.match(err.message, /\((?:[2-9]|\d{2,}) attempts\)/);
      return true;
    });
    const took = Date.now() - started;
    assert.ok(took >= 700 && took < 6000, `gave up after ${took} ms`);
  });

  it('does not try a refused password again', async () => {
    const url = new URL((await testInfra()).redisUrl);
    url.username = 'nobody';
    url.password = 'wrong';
    const started = Date.now();
    await assert.rejects(Store.connect({ url: url.toString(), commandTimeoutMs: 500, connectTimeoutMs: 20_000 }), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.match(err.message, /\(1 attempt\): .*WRONGPASS/);
      assert.doesNotMatch(err.message, /wrong@/);
      return true;
    });
    assert.ok(Date.now() - started < 5000);
  });

  it('normalises command failures to retriable StoreErrors', async () => {
    const other = await Store.connect({ url: (await testInfra()).redisUrl, commandTimeoutMs: 500 });
    const state = new RedisPipelineState(other, 'instance-e');
    await other.close();
    await assert.rejects(state.workState('x:0', 'x'), (err: unknown) => err instanceof StoreError && err.retriable && err.infrastructure);
  });
});
