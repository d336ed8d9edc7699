import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { RunningSystem } from '@yardmaster/deploy';
import { RedisApiKeys, type Store } from '@yardmaster/store';
import type OpenAI from 'openai';
import { toFile } from 'openai';
import { apiError, batchFile, batchLines, launchBatchSystem, openAiClient, percentile, rejection, settledBatch, submitBatch, type Batch } from '../support/batch.js';
import { waitFor } from '../support/infra.js';

describe('OpenAI Batch API on the bus (official openai client, real pipeline)', () => {
  let system: RunningSystem;
  let store: Store;
  let acme: OpenAI;
  let beta: OpenAI;
  let small: OpenAI;
  let solo: OpenAI;
  let acmeKey: string;
  // The lane's width (BATCH_LINES_IN_FLIGHT); YM_BATCH_TEST_LANE measures another, and
  // YM_BATCH_TEST_FIGURES=1 runs only the throughput and latency measurement.
  const lane = Number(process.env['YM_BATCH_TEST_LANE'] ?? 64);
  const busyLane = Number(process.env['YM_BATCH_TEST_BUSY_LANE'] ?? 8);
  const figuresOnly = { skip: process.env['YM_BATCH_TEST_FIGURES'] === '1' };

  const client = (apiKey: string) => openAiClient(system, apiKey);

  before(async () => {
    ({ system, store } = await launchBatchSystem('batch', {
      lane,
      busyLane,
      ingress: {
        BATCH_TENANT_LIMITS: JSON.stringify({ small: { maxFileLines: 5, maxFileBytes: 4096 }, solo: { maxOpenBatches: 1 } }),
        // The idle feeder looks only once a minute here: every batch below must start because
        // creating it nudges the feeder of the replica that took it, not at the next idle tick.
        BATCH_IDLE_TICK_MS: '60000',
      },
    }));
    const keys = new RedisApiKeys(store);
    acmeKey = (await keys.create({ tenantId: 'acme' })).secret;
    acme = client(acmeKey);
    beta = client((await keys.create({ tenantId: 'beta' })).secret);
    small = client((await keys.create({ tenantId: 'small' })).secret);
    solo = client((await keys.create({ tenantId: 'solo' })).secret);
  });

  after(async () => {
    await store?.close();
    await system?.stop();
  });

  it('runs a 5,000-line batch: one output line per input line, every custom_id intact, counts, files and spend; interactive latency measured beside it', async (t) => {
    const n = 5000;
    const interactive = async (count: number) => {
      const ms: number[] = [];
      for (let i = 0; i < count; i++) {
        const start = performance.now();
        await acme.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: `What is the capital of Peru? (${i})` }] });
        ms.push(performance.now() - start);
      }
      return ms;
    };
    const idle = await interactive(40);

    const started = performance.now();
    const { file, batch } = await submitBatch(acme, batchFile('big', n));
    assert.equal(file.object, 'file');
    assert.equal(file.purpose, 'batch');
    assert.match(file.id, /^file-/);
    assert.equal((await acme.files.retrieve(file.id)).bytes, file.bytes);
    assert.equal(await (await acme.files.content(file.id)).text(), batchFile('big', n));
    assert.equal(batch.object, 'batch');
    assert.match(batch.id, /^batch_/);
    assert.equal(batch.status, 'validating');
    assert.equal(batch.request_counts?.total, n);
    assert.equal(batch.completion_window, '24h');
    assert.deepEqual(batch.metadata, { job: 'test' });
    assert.ok(batch.expires_at! - batch.created_at >= 24 * 3600 - 1);

    // The batch alone (full lane) until 40% is done, then 60 interactive requests beside it
    // (the lane narrows to BATCH_LINES_IN_FLIGHT_BUSY while they flow), then the batch alone
    // again until it ends.
    let maxLive = 0;
    let alone: { lines: number; seconds: number } | undefined;
    await waitFor('40% done', async () => {
      const b = (await acme.batches.retrieve(batch.id)) as Batch;
      maxLive = Math.max(maxLive, b.yardmaster.lines_live);
      const done = b.request_counts!.completed + b.request_counts!.failed;
      if (done < n * 0.4) return undefined;
      alone = { lines: done, seconds: (performance.now() - started) / 1000 };
      return alone;
    }, 240_000, 100);
    const sideStart = performance.now();
    const atSide = alone!.lines;
    const busy: number[] = [];
    let maxLiveBusy = 0;
    let atSideEnd = atSide;
    for (let round = 0; round < 12; round++) {
      busy.push(...(await interactive(5)));
      const b = (await acme.batches.retrieve(batch.id)) as Batch;
      maxLiveBusy = Math.max(maxLiveBusy, b.yardmaster.lines_live);
      atSideEnd = b.request_counts!.completed + b.request_counts!.failed;
      if (b.status !== 'validating' && b.status !== 'in_progress') break;
    }
    const sideSeconds = (performance.now() - sideStart) / 1000;
    const done = await settledBatch(acme, batch.id);
    const seconds = (performance.now() - started) / 1000;
    assert.equal(done.status, 'completed');
    assert.deepEqual(done.request_counts, { total: n, completed: n, failed: 0 });
    assert.ok(done.in_progress_at && done.finalizing_at && done.completed_at);
    assert.equal(done.error_file_id, null);
    assert.ok(maxLive <= lane, `at most ${lane} lines in flight (saw ${maxLive})`);
    assert.ok(maxLiveBusy <= lane, `at most ${lane} lines in flight (saw ${maxLiveBusy})`);

    const out = await batchLines(acme, done.output_file_id);
    assert.equal(out.length, n, 'one output line per input line');
    assert.deepEqual(out.map((l) => l.custom_id).sort(), Array.from({ length: n }, (_, i) => `big-${i}`).sort(), 'every custom_id once');
    assert.equal(new Set(out.map((l) => l.id)).size, n);
    for (const l of out.slice(0, 50)) {
      assert.match(l.id, /^batch_req_/);
      assert.equal(l.error, null);
      assert.equal(l.response!.status_code, 200);
      assert.equal((l.response!.body as { object: string }).object, 'chat.completion');
      assert.ok(l.response!.request_id.startsWith(`${batch.id}-`));
    }
    const outFile = await acme.files.retrieve(done.output_file_id!);
    assert.equal(outFile.purpose, 'batch_output');

    // Spend: per model, and the same lines at the most expensive model.
    const spend = done.yardmaster;
    const perModel = Object.values(spend.by_model);
    assert.equal(perModel.reduce((s, m) => s + m.requests, 0), n);
    assert.ok(spend.cost_usd > 0);
    assert.ok(spend.most_expensive_model_cost_usd >= spend.cost_usd);
    const sum = out.reduce((s, l) => s + ((l.response!.body as { yardmaster: { cost_usd: number } }).yardmaster.cost_usd ?? 0), 0);
    assert.ok(Math.abs(sum - spend.cost_usd) < 1e-6, `batch spend ${spend.cost_usd} = sum of its lines ${sum}`);

    const figures = {
      lines: n,
      seconds: Number(seconds.toFixed(2)),
      lines_per_s: Math.round(n / seconds),
      alone_lines_per_s: Math.round(alone!.lines / alone!.seconds),
      beside_interactive_lines_per_s: Math.round((atSideEnd - atSide) / sideSeconds),
      lane,
      busy_lane: busyLane,
      max_live: maxLive,
      max_live_beside_interactive: maxLiveBusy,
      load_average: loadavg().map((l) => Number(l.toFixed(1))),
      interactive_idle_ms: { n: idle.length, p50: Math.round(percentile(idle, 50)), p99: Math.round(percentile(idle, 99)) },
      interactive_during_batch_ms: { n: busy.length, p50: Math.round(percentile(busy, 50)), p99: Math.round(percentile(busy, 99)) },
      spend,
    };
    t.diagnostic(`batch figures: ${JSON.stringify(figures)}`);
  });

  it('reports malformed lines by line number, and refuses bad batch parameters precisely', figuresOnly, async () => {
    const good = (id: string) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body: { model: 'auto', messages: [{ role: 'user', content: 'hi' }] } });
    const text = [
      good('a'),
      '{not json',
      good('a'),
      JSON.stringify({ custom_id: 'c', method: 'POST', url: '/v1/embeddings', body: {} }),
      JSON.stringify({ custom_id: 'd', method: 'GET', url: '/v1/chat/completions', body: {} }),
      JSON.stringify({ custom_id: 'e', method: 'POST', url: '/v1/chat/completions', body: { model: 'auto' } }),
      JSON.stringify({ custom_id: 'f', method: 'POST', url: '/v1/chat/completions', body: { model: 'auto', messages: [{ role: 'user', content: 'x' }], temperature: 7 } }),
    ].join('\n');
    const e = apiError(await rejection(acme.files.create({ file: await toFile(Buffer.from(text), 'bad.jsonl'), purpose: 'batch' })));
    assert.equal(e.status, 400);
    assert.equal(e.param, 'line 2');
    for (const [line, what] of [[2, 'not valid JSON'], [3, "custom_id 'a' is also on line 1"], [4, "'url' must be"], [5, "'method' must be"], [6, 'messages'], [7, 'temperature']] as const) {
      assert.match(e.message, new RegExp(`Line ${line}: [^]*?${what.replace(/[()]/g, '\\$&')}`), `line ${line}: ${e.message}`);
    }
    assert.doesNotMatch(e.message, /Line 1:/);
    assert.equal(apiError(await rejection(acme.files.create({ file: await toFile(Buffer.from(good('x')), 'x.jsonl'), purpose: 'fine-tune' }))).param, 'purpose');

    const { file } = await submitBatch(acme, good('only'));
    const bad = (body: Record<string, unknown>) => acme.post('/batches', { body });
    assert.equal(apiError(await rejection(bad({ input_file_id: file.id, endpoint: '/v1/embeddings', completion_window: '24h' }))).param, 'endpoint');
    assert.equal(apiError(await rejection(bad({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '48h' }))).param, 'completion_window');
    assert.equal(apiError(await rejection(bad({ input_file_id: 'file-nope', endpoint: '/v1/chat/completions', completion_window: '24h' }))).status, 404);
  });

  it('keeps files and batches to their tenant', figuresOnly, async () => {
    const { file, batch } = await submitBatch(acme, batchFile('iso', 3));
    for (const call of [beta.files.retrieve(file.id), beta.files.content(file.id), beta.files.delete(file.id), beta.batches.retrieve(batch.id), beta.batches.cancel(batch.id)]) {
      assert.equal(apiError(await rejection(call)).status, 404);
    }
    assert.equal(apiError(await rejection(beta.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }))).status, 404);
    const seen: string[] = [];
    for await (const b of beta.batches.list()) seen.push(b.id);
    assert.ok(!seen.includes(batch.id));
    const done = await settledBatch(acme, batch.id);
    assert.equal(apiError(await rejection(beta.files.content(done.output_file_id!))).status, 404);
    // The owner lists it, newest first, with after/limit paging.
    const second = (await submitBatch(acme, batchFile('iso2', 2))).batch;
    const page = await acme.batches.list({ limit: 1 });
    assert.equal(page.data[0]!.id, second.id);
    assert.equal(page.has_more, true);
    const next = await acme.batches.list({ limit: 1, after: second.id });
    assert.equal(next.data[0]!.id, batch.id);
    await settledBatch(acme, second.id);
    const deleted = await acme.files.delete(file.id);
    assert.deepEqual([deleted.id, deleted.deleted], [file.id, true]);
    assert.equal(apiError(await rejection(acme.files.retrieve(file.id))).status, 404);
  });

  it('enforces per-tenant limits: lines and bytes per file, open batches', figuresOnly, async () => {
    const tooMany = apiError(await rejection(small.files.create({ file: await toFile(Buffer.from(batchFile('s', 6)), 's.jsonl'), purpose: 'batch' })));
    assert.deepEqual([tooMany.status, tooMany.code], [400, 'too_many_lines']);
    assert.match(tooMany.message, /6 lines; tenant small may send at most 5/);
    const big = JSON.stringify({ custom_id: 'b', method: 'POST', url: '/v1/chat/completions', body: { model: 'auto', messages: [{ role: 'user', content: 'x'.repeat(5000) }] } });
    const tooBig = apiError(await rejection(small.files.create({ file: await toFile(Buffer.from(big), 'b.jsonl'), purpose: 'batch' })));
    assert.deepEqual([tooBig.status, tooBig.code], [413, 'file_too_large']);
    // One open batch at a time: a second is refused until the first ends. The first is big
    // enough that it cannot finish before the second create arrives, even on a fast machine.
    const first = await submitBatch(solo, batchFile('s1', 4000));
    const refused = apiError(await rejection(solo.batches.create({ input_file_id: first.file.id, endpoint: '/v1/chat/completions', completion_window: '24h' })));
    const status = (await solo.batches.retrieve(first.batch.id)).status;
    assert.deepEqual([refused.status, refused.code], [429, 'too_many_open_batches'], `first batch ${status}`);
    assert.match(refused.message, /tenant solo has 1 open batches/i);
    await solo.batches.cancel(first.batch.id);
    assert.equal((await settledBatch(solo, first.batch.id)).status, 'cancelled');
    const again = await submitBatch(solo, batchFile('s2', 20));
    assert.equal((await settledBatch(solo, again.batch.id)).status, 'completed');
    assert.equal((await small.files.create({ file: await toFile(Buffer.from(batchFile('s', 5)), 's.jsonl'), purpose: 'batch' })).object, 'file', 'five lines are within the limit');
  });

  it('cancels mid-batch: lines not started never run, lines in flight finish and are reported', figuresOnly, async () => {
    const n = 1500;
    const { file, batch } = await submitBatch(acme, batchFile('cx', n));
    const inUse = apiError(await rejection(acme.files.delete(file.id)));
    assert.deepEqual([inUse.status, inUse.code], [409, 'file_in_use'], 'the input of an open batch stays');
    await waitFor('some lines done', async () => {
      const b = await acme.batches.retrieve(batch.id);
      return (b.request_counts?.completed ?? 0) >= 100 ? b : undefined;
    }, 60_000, 50);
    const cancelling = await acme.batches.cancel(batch.id);
    assert.ok(['cancelling', 'cancelled'].includes(cancelling.status));
    const done = await settledBatch(acme, batch.id);
    assert.equal(done.status, 'cancelled');
    assert.ok(done.cancelling_at && done.cancelled_at);
    const out = await batchLines(acme, done.output_file_id);
    const errs = await batchLines(acme, done.error_file_id);
    assert.equal(out.length + errs.length, n, 'every line reported once');
    assert.equal(new Set([...out, ...errs].map((l) => l.custom_id)).size, n);
    const cancelled = errs.filter((l) => l.error?.code === 'batch_cancelled');
    assert.ok(cancelled.length > 0 && out.length >= 100, `${out.length} done, ${cancelled.length} never started`);
    assert.equal(done.request_counts!.completed, out.length);
    assert.ok((done).yardmaster.lines_dispatched < n, 'not every line was sent');
    assert.equal((done).yardmaster.lines_dispatched, out.length + errs.length - cancelled.length);
  });

  it('expires a short completion window: lines not done get batch_expired', figuresOnly, async () => {
    const n = 1500;
    const { batch } = await submitBatch(acme, batchFile('ex', n), '1s');
    assert.equal(batch.expires_at! - batch.created_at <= 1, true);
    const done = await settledBatch(acme, batch.id);
    assert.equal(done.status, 'expired');
    assert.ok(done.expired_at);
    const out = await batchLines(acme, done.output_file_id);
    const errs = await batchLines(acme, done.error_file_id);
    assert.equal(out.length + errs.length, n);
    assert.equal(new Set([...out, ...errs].map((l) => l.custom_id)).size, n);
    const expired = errs.filter((l) => l.error?.code === 'batch_expired');
    assert.ok(expired.length > 0, 'some lines expired');
    assert.equal(expired[0]!.response, null);
    assert.equal(expired[0]!.error!.message, 'This request could not be executed before the completion window expired.');
    assert.equal(done.request_counts!.completed + done.request_counts!.failed, n);
  });

  it('yardmaster batch submit --wait / status / list / results -o / cancel (the CLI)', figuresOnly, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ym-batch-cli-'));
    const input = path.join(dir, 'input.jsonl');
    writeFileSync(input, batchFile('cli', 20));
    const cli = path.resolve(__dirname, '..', '..', '..', 'cli', 'dist', 'main.js');
    // The key through the environment, so a failure's command line does not show it.
    const run = (...args: string[]) => promisify(execFile)(process.execPath, [cli, 'batch', ...args, '--url', system.httpUrl], { timeout: 120_000, env: { ...process.env, YARDMASTER_API_KEY: acmeKey } });
    const submitted = await run('submit', input, '--wait', '--json', '--metadata', 'job=cli');
    const b = JSON.parse(submitted.stdout.trim()) as Batch;
    assert.equal(b.status, 'completed');
    assert.deepEqual(b.metadata, { job: 'cli' });
    assert.match((await run('status', b.id)).stdout, new RegExp(`${b.id} completed: 20 completed, 0 failed of 20`));
    assert.match((await run('list', '--limit', '3')).stdout, new RegExp(b.id));
    const out = path.join(dir, 'out.jsonl');
    await run('results', b.id, '-o', out);
    const got = readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { custom_id: string }).custom_id);
    assert.deepEqual(got.sort(), Array.from({ length: 20 }, (_, i) => `cli-${i}`).sort());
    const refused = await run('cancel', b.id).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    assert.equal(refused?.code, 1);
    assert.match(refused.stderr, /409 Batch .* is completed and cannot be cancelled/);
  });

  it('loses and doubles nothing when ingress and a stage are SIGKILLed mid-batch', figuresOnly, async () => {
    const n = 5000;
    const { batch } = await submitBatch(acme, batchFile('kill', n));
    await waitFor('a quarter done', async () => ((await acme.batches.retrieve(batch.id)).request_counts?.completed ?? 0) >= n / 4 || undefined, 120_000, 50);
    await system.kill('router', 'SIGKILL');
    await system.kill('ingress', 'SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    await system.restart('router');
    await system.restart('ingress');
    const done = await settledBatch(acme, batch.id, 300_000);
    assert.equal(done.status, 'completed');
    const out = await batchLines(acme, done.output_file_id);
    const errs = await batchLines(acme, done.error_file_id);
    assert.equal(errs.length, 0, `no failed lines: ${JSON.stringify(errs.slice(0, 2))}`);
    assert.equal(out.length, n, 'one output line per input line');
    assert.equal(new Set(out.map((l) => l.custom_id)).size, n, 'no custom_id twice');
    assert.deepEqual(done.request_counts, { total: n, completed: n, failed: 0 });
  });
});
