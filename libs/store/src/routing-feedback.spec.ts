// Runs against the real Redis that `npm test` starts (REDIS_URL).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Store } from './index.js';
import { RedisRoutingFeedback } from './routing-feedback.js';

const redisUrl = process.env['REDIS_URL'];

describe('RedisRoutingFeedback (real Redis)', { skip: redisUrl ? false : 'needs REDIS_URL (npm test sets it)' }, () => {
  let store: Store | undefined;
  after(async () => {
    await store?.close();
  });
  const fresh = async () => {
    store ??= await Store.connect({ url: redisUrl!, keyPrefix: `t-learn-${randomBytes(4).toString('hex')}:` });
    return new RedisRoutingFeedback(store);
  };

  it('sums scores and answer lengths per level and model, once per request', async () => {
    const f = await fresh();
    const levels = ['math', 'math|high', 'math|high|mathematics'];
    assert.equal(await f.record({ requestId: 'r1', levels, model: 'm', score: 1, outputTokens: 300 }, 60), true);
    assert.equal(await f.record({ requestId: 'r1', levels, model: 'm', score: 0, outputTokens: 900 }, 60), false, 'a repeated request counts once');
    assert.equal(await f.record({ requestId: 'r2', levels, model: 'm', score: 0.5, outputTokens: 100 }, 60), true);
    assert.equal(await f.record({ requestId: 'r3', levels, model: 'm', score: 0 }, 60), true, 'a score without a length');
    await f.addSums([{ level: 'math', model: 'm', sum: 2, n: 2, tokens: 1000, tokensN: 2 }]);
    const rows = (await f.snapshot()).sort((a, b) => a.level.localeCompare(b.level));
    assert.deepEqual(rows, [
      { level: 'math', model: 'm', sum: 3.5, n: 5, tokens: 1400, tokensN: 4 },
      { level: 'math|high', model: 'm', sum: 1.5, n: 3, tokens: 400, tokensN: 2 },
      { level: 'math|high|mathematics', model: 'm', sum: 1.5, n: 3, tokens: 400, tokensN: 2 },
    ]);
  });
});
