// The Redis cases run against the real Redis that `npm test` starts (REDIS_URL).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { type ConversationAffinity, InMemoryConversationAffinity, RedisConversationAffinity } from './conversation-affinity.js';
import { Store } from './index.js';

const redisUrl = process.env['REDIS_URL'];

function behaves(name: string, make: () => ConversationAffinity | Promise<ConversationAffinity>, skip: string | false = false): void {
  describe(name, { skip }, () => {
    it('remembers a conversation per tenant and forgets unknown ones', async () => {
      const a = await make();
      const conv = `c-${randomBytes(3).toString('hex')}`;
      assert.equal(await a.get('t1', conv), undefined);
      await a.set('t1', conv, { model: 'gpt-5.4-mini', intent: 'chat' }, 60);
      assert.deepEqual(await a.get('t1', conv), { model: 'gpt-5.4-mini', intent: 'chat' });
      assert.equal(await a.get('t2', conv), undefined, 'another tenant with the same conversation id');
      await a.set('t1', conv, { model: 'claude-sonnet-4-6', intent: 'code' }, 60);
      assert.deepEqual(await a.get('t1', conv), { model: 'claude-sonnet-4-6', intent: 'code' });
    });
  });
}

describe('ConversationAffinity', () => {
  behaves('InMemoryConversationAffinity', () => new InMemoryConversationAffinity());

  it('InMemoryConversationAffinity forgets after the TTL', async () => {
    let clock = 0;
    const a = new InMemoryConversationAffinity(() => clock);
    await a.set('t', 'c', { model: 'm', intent: 'chat' }, 10);
    clock = 9_999;
    assert.equal((await a.get('t', 'c'))?.model, 'm');
    clock = 10_000;
    assert.equal(await a.get('t', 'c'), undefined);
  });

  let store: Store | undefined;
  behaves(
    'RedisConversationAffinity (real Redis)',
    async () => {
      store = await Store.connect({ url: redisUrl!, keyPrefix: `t-affinity-${randomBytes(4).toString('hex')}:` });
      return new RedisConversationAffinity(store);
    },
    redisUrl ? false : 'needs REDIS_URL (npm test sets it)',
  );
  after(async () => {
    await store?.close();
  });
});
