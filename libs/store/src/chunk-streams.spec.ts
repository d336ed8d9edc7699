// Runs against the real Redis that `npm test` starts (REDIS_URL).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { RedisChunkStreams, decodeChunkEntry, encodeChunkEntry, type ChunkEntry } from './chunk-streams.js';
import { Store } from './index.js';

const redisUrl = process.env['REDIS_URL'];

/** Collects a subscription's entries until `until` holds. */
function collect(streams: RedisChunkStreams, requestId: string, until: (all: ChunkEntry[]) => boolean, timeoutMs = 5000): Promise<ChunkEntry[]> {
  return new Promise((resolve, reject) => {
    const all: ChunkEntry[] = [];
    const timer = setTimeout(() => {
      sub.close();
      reject(new Error(`timed out with ${JSON.stringify(all)}`));
    }, timeoutMs);
    const sub = streams.subscribe(requestId, (entries) => {
      all.push(...entries);
      if (until(all)) {
        clearTimeout(timer);
        sub.close();
        resolve(all);
      }
    });
  });
}

describe('chunk entries', () => {
  it('round-trip through their field encoding', () => {
    const entries: ChunkEntry[] = [
      { kind: 'delta', workId: 'r:0', seq: 0, text: 'Hel', model: 'gpt-x', marks: { workerStart: 1765000000000.125, providerCall: 1765000000001.5, firstDelta: 1765000000009.25 } },
      { kind: 'delta', workId: 'r:0', seq: 1, text: 'lo' },
      { kind: 'end', workId: 'r:0', seq: 2, finishReason: 'stop', inputTokens: 3, outputTokens: 2 },
      { kind: 'error', workId: 'r:0', seq: 3, code: 'timeout', message: 'stalled' },
    ];
    for (const e of entries) assert.deepEqual(decodeChunkEntry(encodeChunkEntry(e)), e);
    assert.equal(decodeChunkEntry(['k', '?']), undefined);
  });
});

describe('RedisChunkStreams', { skip: redisUrl ? false : 'REDIS_URL not set' }, () => {
  let store: Store;
  let streams: RedisChunkStreams;
  before(async () => {
    store = await Store.connect({ url: redisUrl!, keyPrefix: `t${randomBytes(3).toString('hex')}:` });
    streams = new RedisChunkStreams(store, { blockMs: 2000 });
  });
  after(async () => {
    await streams.close();
    await store.close();
  });

  it('delivers entries appended after and before the subscription, in order, with the expiry set', async () => {
    const id = `req-${randomBytes(4).toString('hex')}`;
    const done = collect(streams, id, (all) => all.some((e) => e.kind === 'end'));
    await streams.append(id, [{ kind: 'delta', workId: `${id}:0`, seq: 0, text: 'Hel', model: 'm' }]);
    await streams.append(id, [
      { kind: 'delta', workId: `${id}:0`, seq: 1, text: 'lo' },
      { kind: 'end', workId: `${id}:0`, seq: 2, finishReason: 'stop', inputTokens: 1, outputTokens: 2 },
    ]);
    const all = await done;
    assert.deepEqual(all.map((e) => e.seq), [0, 1, 2]);
    assert.equal(all.flatMap((e) => (e.kind === 'delta' ? [e.text] : [])).join(''), 'Hello');
    const ttl = await store.connection().pttl(store.key(`chunks:${id}`));
    assert.ok(ttl > 0 && ttl <= 300_000, `ttl ${ttl}`);
    // A late reader (an idempotent retry) reads the stream from its start.
    const again = await collect(streams, id, (xs) => xs.length === 3);
    assert.deepEqual(again, all);
  });

  it('a new subscription does not wait out a read blocked on other streams', async () => {
    const idle = `req-${randomBytes(4).toString('hex')}`;
    const idleSub = streams.subscribe(idle, () => undefined);
    await new Promise((r) => setTimeout(r, 100)); // the reader is now blocked on `idle` only
    const id = `req-${randomBytes(4).toString('hex')}`;
    const started = Date.now();
    const got = collect(streams, id, (all) => all.length === 1);
    await streams.append(id, [{ kind: 'delta', workId: `${id}:0`, seq: 0, text: 'x' }]);
    await got;
    idleSub.close();
    assert.ok(Date.now() - started < 500, `took ${Date.now() - started} ms (block is 2000 ms)`);
  });

  it('relays an appended entry to a subscriber in a few milliseconds (p50 over 100, with 20 other streams open)', async () => {
    const others = Array.from({ length: 20 }, (_, i) => streams.subscribe(`other-${i}-${randomBytes(3).toString('hex')}`, () => undefined));
    const samples: number[] = [];
    for (let i = 0; i < 100; i++) {
      const id = `req-${randomBytes(4).toString('hex')}`;
      const got = collect(streams, id, (all) => all.length === 1);
      await new Promise((r) => setImmediate(r));
      const t0 = performance.now();
      await Promise.all([streams.append(id, [{ kind: 'delta', workId: `${id}:0`, seq: 0, text: 'x' }]), got]);
      samples.push(performance.now() - t0);
    }
    for (const o of others) o.close();
    samples.sort((a, b) => a - b);
    const p50 = samples[50]!;
    console.log(`chunk relay (XADD → blocked XREAD → callback): p50 ${p50.toFixed(2)} ms, p90 ${samples[90]!.toFixed(2)} ms, max ${samples[99]!.toFixed(2)} ms`);
    assert.ok(p50 < 25, `p50 ${p50} ms`);
  });
});
