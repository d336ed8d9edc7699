// The Redis cases run against the real Redis that `npm test` starts (REDIS_URL).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Store } from './index.js';
import { RedisCancelledRequests } from './cancellations.js';
import { RedisPipelineState } from './pipeline-state.js';
import { InMemoryPlanState, RedisPlanState, workCancelId, type PlanState } from './plan-state.js';

const redisUrl = process.env['REDIS_URL'];
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Buffer) => b.toString('utf8');

function behaves(name: string, make: () => PlanState | Promise<PlanState>, skip: string | false = false): void {
  describe(name, { skip }, () => {
    it('records each part once (first write wins) and returns all parts in arrival order', async () => {
      const s = await make();
      const req = `r-${randomBytes(3).toString('hex')}`;
      let parts = await s.recordPart(req, `${req}:1`, bytes('one'), 60);
      assert.deepEqual(parts.map((p) => [p.workId, p.seq, text(p.data)]), [[`${req}:1`, 1, 'one']]);
      await s.recordPart(req, `${req}:0`, bytes('zero|with a bar'), 60);
      // A redelivered result with other bytes changes nothing.
      parts = await s.recordPart(req, `${req}:1`, bytes('one again'), 60);
      assert.deepEqual(parts.map((p) => [p.workId, p.seq, text(p.data)]), [
        [`${req}:1`, 1, 'one'],
        [`${req}:0`, 2, 'zero|with a bar'],
      ]);
      assert.deepEqual((await s.parts(req)).map((p) => p.workId), [`${req}:1`, `${req}:0`]);
      assert.deepEqual(await s.parts(`${req}-other`), []);
    });

    it('keeps binary parts intact', async () => {
      const s = await make();
      const req = `b-${randomBytes(3).toString('hex')}`;
      const data = new Uint8Array([0, 124, 255, 10, 13, 124]);
      const [part] = await s.recordPart(req, 'w', data, 60);
      assert.deepEqual([...part!.data], [...data]);
    });
  });
}

describe('PlanState', () => {
  behaves('InMemoryPlanState', () => new InMemoryPlanState());

  let store: Store | undefined;
  behaves(
    'RedisPlanState (real Redis)',
    async () => {
      store ??= await Store.connect({ url: redisUrl!, keyPrefix: `t-plan-${randomBytes(3).toString('hex')}:` });
      return new RedisPlanState(store);
    },
    redisUrl ? false : 'needs REDIS_URL',
  );

  it('RedisPlanState: concurrent first writes of one part keep exactly one', { skip: redisUrl ? false : 'needs REDIS_URL' }, async () => {
    store ??= await Store.connect({ url: redisUrl!, keyPrefix: `t-plan-${randomBytes(3).toString('hex')}:` });
    const s = new RedisPlanState(store);
    const req = `c-${randomBytes(3).toString('hex')}`;
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => s.recordPart(req, `${req}:${i % 2}`, bytes(`copy ${i}`), 60)));
    const final = all.at(-1)!;
    assert.equal(final.length, 2);
    assert.deepEqual(final.map((p) => p.seq), [1, 2]);
    assert.deepEqual(final.map((p) => text(p.data)), ['copy 0', 'copy 1']);
  });

  it('RedisPlanState: a cancelled work item is seen by the worker state and the cancel watch', { skip: redisUrl ? false : 'needs REDIS_URL' }, async () => {
    store ??= await Store.connect({ url: redisUrl!, keyPrefix: `t-plan-${randomBytes(3).toString('hex')}:` });
    const s = new RedisPlanState(store);
    const pipeline = new RedisPipelineState(store, 'plan-test');
    const req = `x-${randomBytes(3).toString('hex')}`;
    assert.deepEqual(await pipeline.workState(`${req}:1`, req), { done: false, cancelled: false });
    await s.cancelWork([`${req}:1`], 60);
    assert.deepEqual(await pipeline.workState(`${req}:1`, req), { done: false, cancelled: true });
    assert.deepEqual(await pipeline.workState(`${req}:0`, req), { done: false, cancelled: false });
    const which = await new RedisCancelledRequests(store).which([req, workCancelId(`${req}:0`), workCancelId(`${req}:1`)]);
    assert.deepEqual([...which], [workCancelId(`${req}:1`)]);
  });

  after(async () => {
    await store?.close();
  });
});
