// Runs against the real Redis that `npm test` starts (REDIS_URL).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { RedisBatches, type BatchSpec } from './batches.js';
import { Store } from './index.js';

const redisUrl = process.env['REDIS_URL'];

describe('RedisBatches (real Redis)', { skip: redisUrl ? false : 'REDIS_URL is not set' }, () => {
  let store: Store;
  let batches: RedisBatches;
  const spec = (tenantId: string, total = 3): BatchSpec => ({
    id: `batch_${randomBytes(6).toString('hex')}`,
    tenantId,
    inputFileId: 'file-x',
    endpoint: '/v1/chat/completions',
    completionWindow: '24h',
    metadata: null,
    createdAt: Math.floor(Date.now() / 1000),
    expiresAt: Math.floor(Date.now() / 1000) + 86400,
    total,
  });
  const result = (customId: string, ok = true, model = 'm1') => ({ customId, line: `{"custom_id":"${customId}"}`, ok, model, costUsd: 0.5, mostExpensiveCostUsd: 2 });

  before(async () => {
    store = await Store.connect({ url: redisUrl!, keyPrefix: `ym:test-batches-${randomBytes(4).toString('hex')}:` });
    batches = new RedisBatches(store);
  });
  after(async () => {
    await store?.close();
  });

  it('records a custom_id once, with counts and spend per model, and nothing after the batch closes', async () => {
    const s = spec('t1');
    assert.equal(await batches.create(s, 0), true);
    assert.equal(await batches.record(s.id, result('a')), 'recorded');
    assert.equal(await batches.record(s.id, result('a')), 'duplicate');
    assert.equal(await batches.record(s.id, result('b', false, 'm2')), 'recorded');
    assert.equal(await batches.record('batch_nope', result('a')), 'unknown_batch');
    const b = (await batches.get(s.id))!;
    assert.deepEqual([b.status, b.completed, b.failed], ['validating', 1, 1]);
    assert.deepEqual(b.spend, { m1: { requests: 1, costUsd: 0.5, mostExpensiveCostUsd: 2 }, m2: { requests: 1, costUsd: 0.5, mostExpensiveCostUsd: 2 } });
    assert.deepEqual((await batches.resultsOf(s.id, ['a', 'b', 'c'])).map((line) => line !== null), [true, true, false]);
    assert.equal(await batches.transition(s.id, ['in_progress'], 'finalizing', 1), 'validating', 'not from validating');
    assert.equal(await batches.transition(s.id, ['validating'], 'finalizing', 1), 'finalizing');
    assert.equal(await batches.record(s.id, result('c')), 'closed');
    await batches.finish(s, 'completed', 2, { outputFileId: 'file-o', completed: 1, failed: 2 });
    const done = (await batches.get(s.id))!;
    assert.deepEqual([done.status, done.outputFileId, done.failed, done.times['completed_at']], ['completed', 'file-o', 2, 2]);
    assert.ok(!(await batches.active()).includes(s.id));
  });

  it('limits open batches per tenant and lists a tenant\'s batches newest first with paging', async () => {
    const tenant = `t-${randomBytes(3).toString('hex')}`;
    // Created in the same second: the order of creation still decides.
    const a = { ...spec(tenant), createdAt: 100 };
    const b = { ...spec(tenant), createdAt: 100 };
    assert.equal(await batches.create(a, 2), true);
    assert.equal(await batches.create(b, 2), true);
    assert.equal(await batches.create(spec(tenant), 2), false, 'a third open batch');
    assert.equal(await batches.create(spec('other'), 2), true, 'another tenant');
    assert.deepEqual(await batches.list(tenant, undefined, 1), { ids: [b.id], hasMore: true });
    assert.deepEqual(await batches.list(tenant, b.id, 5), { ids: [a.id], hasMore: false });
    await batches.finish(a, 'cancelled', 300, {});
    assert.equal(await batches.openCount(tenant), 1);
    assert.equal(await batches.create(spec(tenant), 2), true, 'room again after one closed');
  });

  it('moves the dispatch cursor only from where it is, and leases a batch to one owner at a time', async () => {
    const s = spec('t2', 10);
    await batches.create(s, 0);
    assert.equal(await batches.advance(s.id, 0, 4), true);
    assert.equal(await batches.advance(s.id, 0, 4), false, 'another replica moved it');
    assert.equal((await batches.get(s.id))!.dispatched, 4);
    assert.equal(await batches.lease(s.id, 'r1', 200), true);
    assert.equal(await batches.lease(s.id, 'r2', 200), false);
    assert.equal(await batches.lease(s.id, 'r1', 200), true, 'renewed');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await batches.lease(s.id, 'r2', 200), true, 'taken over after it lapsed');
  });

  it('halts a batch in progress once, keeping its cursor, and reports why', async () => {
    const s = spec('t-halt', 10);
    await batches.create(s, 0);
    const halt = { statusCode: 429, body: { error: { message: 'budget spent', type: 'rate_limit_error', param: null, code: 'budget_exceeded' } } };
    assert.equal(await batches.halt(s.id, halt), false, 'a batch still validating does not halt');
    await batches.transition(s.id, ['validating'], 'in_progress', 1);
    await batches.advance(s.id, 0, 4);
    assert.equal(await batches.halt(s.id, halt), true);
    assert.equal(await batches.halt(s.id, { ...halt, statusCode: 400 }), false, 'only once');
    const b = await batches.get(s.id);
    assert.deepEqual(b?.halted, halt);
    assert.equal(b?.dispatched, 4);
    assert.equal((await batches.get(spec('t-halt').id))?.halted, undefined);
  });

  it('lists a tenant\'s files by purpose, newest or oldest first, with after and limit, and forgets deleted ones', async () => {
    const file = (id: string, tenantId: string, purpose = 'batch') => ({ id, tenantId, bytes: 1, createdAt: 1, filename: `${id}.jsonl`, purpose });
    const tag = randomBytes(3).toString('hex');
    const ids = [0, 1, 2].map((i) => `file-${tag}-${i}`);
    for (const id of ids) await batches.saveFile(file(id, 'lister'));
    await batches.saveFile(file(`file-${tag}-out`, 'lister', 'batch_output'));
    await batches.saveFile(file(`file-${tag}-other`, 'someone-else'));
    await batches.saveFile(file(ids[0]!, 'lister'));
    const list = async (o: Parameters<RedisBatches['listFiles']>[1]) => (await batches.listFiles('lister', o)).files.map((f) => f.id);
    assert.deepEqual(await list({ limit: 10, order: 'desc' }), [`file-${tag}-out`, ids[2], ids[1], ids[0]], 'saving again keeps the place');
    assert.deepEqual(await list({ limit: 10, order: 'asc', purpose: 'batch' }), ids);
    assert.deepEqual(await batches.listFiles('lister', { limit: 2, order: 'desc', purpose: 'batch' }), { files: [file(ids[2]!, 'lister'), file(ids[1]!, 'lister')], hasMore: true });
    assert.deepEqual(await list({ limit: 2, order: 'desc', purpose: 'batch', after: ids[1] }), [ids[0]]);
    assert.deepEqual(await list({ limit: 2, order: 'desc', after: `file-${tag}-other` }), [], 'another tenant\'s file is no cursor');
    await batches.deleteFile(file(ids[1]!, 'lister'));
    assert.deepEqual(await list({ limit: 10, order: 'asc', purpose: 'batch' }), [ids[0], ids[2]]);
    assert.equal(await batches.file(ids[1]!), undefined);
  });
});
