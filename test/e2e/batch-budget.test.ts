import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSystem } from '@yardmaster/deploy';
import { RedisAdmissionControl, RedisApiKeys, type Store } from '@yardmaster/store';
import type OpenAI from 'openai';
import { toFile } from 'openai';
import { apiError, batchFile, batchLines, launchBatchSystem, openAiClient, rejection, settledBatch, submitBatch } from '../support/batch.js';
import { waitFor } from '../support/infra.js';

const round6 = (usd: number) => Math.round(usd * 1e6) / 1e6;

describe('batches go through the door: charged to the caller\'s budget, refused and halted when it is spent (official openai client, real pipeline)', () => {
  let system: RunningSystem;
  let store: Store;
  let keys: RedisApiKeys;
  let door: RedisAdmissionControl;
  // A narrow lane, so a batch crossing its budget halts close to it.
  const lane = 16;

  before(async () => {
    ({ system, store } = await launchBatchSystem('batch-budget', { lane, busyLane: lane }));
    keys = new RedisApiKeys(store);
    door = new RedisAdmissionControl(store);
  });

  after(async () => {
    await store?.close();
    await system?.stop();
  });

  it('charges batch lines to the key, refuses a batch once the daily budget is spent, and halts one that crosses it with budget_exceeded lines', async () => {
    // What a line costs here: a small batch of another tenant.
    const calib = openAiClient(system, (await keys.create({ tenantId: 'calibration' })).secret);
    const probe = await settledBatch(calib, (await submitBatch(calib, batchFile('calib', 10))).batch.id);
    assert.equal(probe.status, 'completed');
    const perLine = probe.yardmaster.cost_usd / 10;
    assert.ok(perLine > 1e-6, `a line costs something (${perLine})`);

    const budget = round6(perLine * 30);
    const { secret, key } = await keys.create({ tenantId: 'budgeted', limits: { dailyBudgetUsd: budget } });
    const c = openAiClient(system, secret);

    // Within the budget: every line runs, and the key (and its tenant) is charged what the batch spent.
    const first = await settledBatch(c, (await submitBatch(c, batchFile('b1', 10))).batch.id);
    assert.equal(first.status, 'completed');
    assert.deepEqual(first.request_counts, { total: 10, completed: 10, failed: 0 });
    assert.equal(first.yardmaster.halted, null);
    const charged = await waitFor('the first batch charged to the key', async () => {
      const s = await door.spend(key.id);
      return Math.abs(s.dayUsd - first.yardmaster.cost_usd) <= 10e-6 ? s : undefined;
    }, 30_000, 100);
    assert.equal(charged.monthUsd, charged.dayUsd);
    assert.ok(Math.abs((await door.tenantSpend('budgeted')).dayUsd - charged.dayUsd) < 1e-9, 'the tenant is charged the same');
    assert.equal((await door.spend(key.id)).dayUsd, charged.dayUsd, 'charged once (no second charge from another consumer)');

    // Crossing the budget mid-way: lines in flight finish, lines never sent get budget_exceeded.
    const n = 400;
    const { batch } = await submitBatch(c, batchFile('b2', n));
    const done = await settledBatch(c, batch.id);
    assert.equal(done.status, 'completed', 'a halted batch completes, with failed lines');
    const out = await batchLines(c, done.output_file_id);
    const errs = await batchLines(c, done.error_file_id);
    assert.equal(out.length + errs.length, n, 'exactly one line per input line');
    assert.deepEqual([...out, ...errs].map((l) => l.custom_id).sort(), Array.from({ length: n }, (_, i) => `b2-${i}`).sort(), 'every custom_id once');
    const refused = errs.filter((l) => (l.response?.body['error'] as { code?: string } | undefined)?.code === 'budget_exceeded');
    assert.equal(refused.length, errs.length, `only budget refusals: ${JSON.stringify(errs.find((l) => !refused.includes(l)))}`);
    assert.ok(out.length >= 10 && refused.length > n / 2, `${out.length} ran, ${refused.length} refused`);
    const line = refused[0]!;
    assert.equal(line.error, null);
    assert.equal(line.response!.status_code, 429);
    assert.ok(line.response!.request_id.startsWith(`${batch.id}-`));
    const body = line.response!.body['error'] as { message: string; type: string; code: string };
    assert.equal(body.type, 'rate_limit_error');
    assert.match(body.message, new RegExp(`budget spent: API key ${key.id} \\(tenant budgeted\\) allows a budget of \\$${budget} per UTC day`));
    assert.deepEqual(done.request_counts, { total: n, completed: out.length, failed: errs.length });
    assert.equal(done.yardmaster.halted?.code, 'budget_exceeded');
    assert.equal(done.yardmaster.lines_dispatched, n - refused.length, 'the refused lines are exactly the lines never sent');
    // The spend stopped near the budget: at most a lane's width (and one feeder step) of lines past it.
    const spend = await waitFor('the second batch charged', async () => {
      const s = await door.spend(key.id);
      return Math.abs(s.dayUsd - round6(first.yardmaster.cost_usd + done.yardmaster.cost_usd)) <= 20e-6 * n ? s : undefined;
    }, 30_000, 100);
    assert.ok(spend.dayUsd >= budget, `spent ${spend.dayUsd} of ${budget}`);
    assert.ok(spend.dayUsd <= budget + perLine * 3 * lane, `spent ${spend.dayUsd}: within ${3 * lane} lines of ${budget}`);

    // A batch after the budget is spent is refused at the door, as chat completions are.
    const file = await c.files.create({ file: await toFile(Buffer.from(batchFile('b3', 3)), 'b3.jsonl'), purpose: 'batch' });
    const e = apiError(await rejection(c.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' })));
    assert.deepEqual([e.status, e.code], [429, 'budget_exceeded']);
    assert.match(e.message, new RegExp(`allows a budget of \\$${budget} per UTC day`));
    assert.ok(Number(e.headers?.get('retry-after')) > 0, 'Retry-After says when the day ends');
    const chat = apiError(await rejection(c.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] })));
    assert.deepEqual([chat.status, chat.code], [429, 'budget_exceeded'], 'the same refusal as chat completions');
    const page = await c.batches.list();
    assert.ok(page.data.every((b) => b.input_file_id !== file.id), 'no batch was created');
  });

  it('refuses a batch over the key\'s request rate with 429 and the x-ratelimit headers', async () => {
    const c = openAiClient(system, (await keys.create({ tenantId: 'rated', limits: { requestsPerMinute: 1 } })).secret);
    const file = await c.files.create({ file: await toFile(Buffer.from(batchFile('r', 2)), 'r.jsonl'), purpose: 'batch' });
    const ok = await c.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const e = apiError(await rejection(c.withOptions({ maxRetries: 0 }).batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' })));
    assert.deepEqual([e.status, e.code], [429, 'rate_limit_exceeded']);
    assert.match(e.message, /allows 1 requests per minute/);
    assert.equal(e.headers?.get('x-ratelimit-limit-requests'), '1');
    assert.equal((await settledBatch(c, ok.id)).status, 'completed');
  });
});

describe('GET /v1/files (official openai client)', () => {
  let system: RunningSystem;
  let store: Store;
  let a: OpenAI;
  let b: OpenAI;

  before(async () => {
    ({ system, store } = await launchBatchSystem('files-list'));
    const keys = new RedisApiKeys(store);
    a = openAiClient(system, (await keys.create({ tenantId: 'lister' })).secret);
    b = openAiClient(system, (await keys.create({ tenantId: 'outsider' })).secret);
  });

  after(async () => {
    await store?.close();
    await system?.stop();
  });

  it('lists a tenant\'s files newest first, pages with after/limit, orders, filters by purpose, and shows another tenant none of them', async () => {
    const uploaded: OpenAI.FileObject[] = [];
    for (let i = 0; i < 3; i++) uploaded.push(await a.files.create({ file: await toFile(Buffer.from(batchFile(`f${i}`, 2)), `f${i}.jsonl`), purpose: 'batch' }));
    const ids = uploaded.map((f) => f.id);

    const all: string[] = [];
    for await (const f of a.files.list()) all.push(f.id);
    assert.deepEqual(all, [...ids].reverse(), 'newest first');

    const first = await a.files.list({ limit: 2 });
    assert.deepEqual(first.data.map((f) => f.id), [ids[2], ids[1]]);
    assert.equal(first.has_more, true);
    assert.deepEqual(first.data[0], uploaded[2], 'the same file object as files.create');
    const paged: string[] = [];
    for await (const f of a.files.list({ limit: 1 })) paged.push(f.id);
    assert.deepEqual(paged, [...ids].reverse(), 'auto-paging with after');
    const asc = await a.files.list({ order: 'asc', after: ids[0] });
    assert.deepEqual(asc.data.map((f) => f.id), [ids[1], ids[2]]);
    assert.equal(asc.has_more, false);

    // A batch's output file is listed too, under its own purpose.
    const { batch } = await submitBatch(a, batchFile('out', 2));
    const done = await settledBatch(a, batch.id);
    const outputs = await a.files.list({ purpose: 'batch_output' });
    assert.deepEqual(outputs.data.map((f) => f.id), [done.output_file_id]);
    const inputs = await a.files.list({ purpose: 'batch' });
    assert.equal(inputs.data.length, 4);
    assert.ok(inputs.data.every((f) => f.purpose === 'batch'));

    // Another tenant sees none of them.
    assert.deepEqual((await b.files.list()).data, []);
    assert.deepEqual((await b.files.list({ purpose: 'batch_output' })).data, []);
    assert.deepEqual((await b.files.list({ after: ids[2] })).data, [], 'another tenant\'s file id as a cursor gives nothing');

    // A deleted file leaves the list.
    await a.files.delete(ids[0]!);
    assert.ok(!(await a.files.list({ purpose: 'batch' })).data.some((f) => f.id === ids[0]));

    assert.equal(apiError(await rejection(a.files.list({ limit: 0 }))).param, 'limit');
    assert.equal(apiError(await rejection(a.files.list({ order: 'sideways' as 'asc' }))).param, 'order');
  });
});
