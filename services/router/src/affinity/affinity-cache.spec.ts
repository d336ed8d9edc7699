import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryConversationAffinity, type ConversationChoice } from '@yardmaster/store';
import { RouterConfig } from '../config.js';
import { AffinityCache } from './affinity-cache.js';

/** The in-memory repository, counting the round trips a Redis one would make. */
class Counting extends InMemoryConversationAffinity {
  gets = 0;
  sets = 0;
  override get(t: string, c: string) {
    this.gets++;
    return super.get(t, c);
  }
  override set(t: string, c: string, choice: ConversationChoice, ttl: number) {
    this.sets++;
    return super.set(t, c, choice, ttl);
  }
}

describe('AffinityCache', () => {
  const config = RouterConfig.fromEnv({});

  it('reads the store once per conversation and writes only when the model changes', async () => {
    const store = new Counting();
    const cache = new AffinityCache(store, config);
    assert.equal(await cache.lookup('t', 'c1'), undefined);
    assert.equal(store.gets, 1);
    await cache.remember('t', 'c1', { model: 'm1', intent: 'chat' }, 1800, 1_000);
    assert.equal(store.sets, 1);
    // Later turns on this replica: no round trip at all.
    assert.deepEqual(await cache.lookup('t', 'c1'), { model: 'm1', intent: 'chat', writtenAtMs: 1_000 });
    await cache.remember('t', 'c1', { model: 'm1', intent: 'chat' }, 1800, 2_000);
    assert.deepEqual([store.gets, store.sets], [1, 1]);
    // A move is written; so is a refresh half-way to expiry.
    await cache.remember('t', 'c1', { model: 'm2', intent: 'code' }, 1800, 3_000);
    await cache.remember('t', 'c1', { model: 'm2', intent: 'code' }, 1800, 3_000 + 901_000);
    assert.equal(store.sets, 3);
  });

  it('another replica finds the conversation in the store', async () => {
    const store = new Counting();
    await new AffinityCache(store, config).remember('t', 'c2', { model: 'm9', intent: 'math' }, 1800);
    const other = new AffinityCache(store, config);
    assert.equal((await other.lookup('t', 'c2'))?.model, 'm9');
    assert.equal(await other.lookup('u', 'c2'), undefined, 'scoped by tenant');
  });
});
