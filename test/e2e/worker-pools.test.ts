import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Bus } from '@yardmaster/bus';
import {
  ClassificationSchema,
  ProviderResultSchema,
  ResultStatus,
  RoutingDecisionSchema,
  TargetRole,
  Topics,
  WorkItemSchema,
  create,
  textRequest,
  timestampFromMs,
  toBinary,
  workTopic,
  type ProviderResult,
  type WorkItem,
} from '@yardmaster/contracts';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { keyFingerprint } from '@yardmaster/providers';
import { RedisPipelineState, RedisProviderHealth, Store } from '@yardmaster/store';
import { writeCatalog } from '../support/catalog.js';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { startProviderSim, type SimHandle } from '../support/provider-sim.js';
import { scrape, select, total, type Sample } from '../support/prometheus.js';
import { TopicReader } from '../support/topic-reader.js';

// Real-looking keys: the scan at the end must find none of them anywhere.
const K1 = 'sk-proj-4fT9qL2mX8vB1nC6zR3wY7uK0eH5jD2gA9sP';
const K2 = 'sk-proj-8hJ3kW6pQ1rT5yU9iO2aS4dF7gZ0xC3vB6nM';
const K3 = 'sk-proj-2mN5bV8cX1zL4kJ7hG0fD3sA6qW9eR2tY5uI';
const KA = 'sk-ant-api03-Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5Nm7';
const KG = 'AIzaSyD4f8H2k9L0q3W7e1R5t8Y2u6I0o4P8a2S';
const KEYS = [K1, K2, K3, KA, KG];

// One catalog pool per API kind, plus `shared` (two replicas) for the breaker and the limits.
const CATALOG = `
version: worker-pools-test
providers:
  - { name: chatp, pool: chat, api: openai-chat }
  - { name: claude, pool: claude, api: anthropic-messages }
  - { name: gem, pool: gem, api: gemini }
  - { name: img, pool: img, api: openai-images }
  - { name: calc, pool: calculator, api: tool }
  - { name: shared, pool: shared, api: openai-chat }
models:
  - { name: plain, provider: chatp, tier: small, input_price_per_mtok: 1, output_price_per_mtok: 2, context_window: 8000, typical_latency_ms: 100 }
policy:
  default: { primary: plain }
`;

interface ItemOptions {
  text?: string;
  deadlineMs?: number;
  fallback?: boolean;
  tool?: string;
}

let seq = 0;

/** A work item for `pool` as the router would publish it (primary target, optional fallback). */
function item(pool: string, provider: string, model: string, o: ItemOptions = {}): WorkItem {
  const requestId = `wp-${pool}-${model}-${seq++}`;
  const target = (m: string, p: string, pl: string, role: TargetRole) => ({ model: m, provider: p, pool: pl, role, inputPricePerMtok: 1, outputPricePerMtok: 2 });
  return create(WorkItemSchema, {
    requestId,
    workId: `${requestId}:0`,
    request: textRequest(o.text ?? `Tell me about request ${requestId}.`, { requestId, tenantId: 'tenant-a' }),
    ...(o.tool ? { classification: create(ClassificationSchema, { requestId, tool: { name: 'calculator', expression: o.tool } }) } : {}),
    decision: create(RoutingDecisionSchema, {
      requestId,
      targets: [target(model, provider, pool, TargetRole.PRIMARY), ...(o.fallback ? [target('fallback-model', 'elsewhere', 'elsewhere', TargetRole.FALLBACK)] : [])],
    }),
    targetIndex: 0,
    deadline: timestampFromMs(Date.now() + (o.deadlineMs ?? 60_000)),
  });
}

describe('worker pools against provider-sim (real Kafka, Redis, HTTP; separate worker processes)', () => {
  let sim: SimHandle;
  let system: RunningSystem;
  let bus: Bus;
  let results: TopicReader<typeof Topics.results.schema>;
  let store: Store;
  let dir: string;

  const send = async (pool: string, w: WorkItem) => {
    await bus.publish(workTopic(pool), w.requestId, w);
    return w;
  };
  const resultOf = (w: WorkItem, timeoutMs = 30_000): Promise<ProviderResult> =>
    waitFor(`the result of ${w.requestId}`, () => results.messages.find((m) => m.value.requestId === w.requestId)?.value, timeoutMs, 20);

  before(async () => {
    const infra = await testInfra();
    const catalog = writeCatalog('worker-pools', CATALOG);
    dir = catalog.dir;
    sim = await startProviderSim({ SIM_API_KEYS: KEYS.join(','), SIM_STATS_WINDOW_MS: '2000' });
    const prefix = uniquePrefix('workers');
    system = await launchSystem({
      brokers: infra.brokers,
      redisUrl: infra.redisUrl,
      topicPrefix: prefix,
      catalogPath: catalog.catalogPath,
      partitions: 2,
      only: ['worker'],
      logs: { kind: 'file', dir },
      // Spans go to stdout, so the key scan reads them too.
      env: { OTEL_TRACES_EXPORTER: 'console', LOG_LEVEL: 'debug' },
      serviceEnv: { worker: { PROVIDER_BASE_URL: sim.url } },
      workerReplicas: { shared: 2 },
      poolEnv: {
        chat: { PROVIDER_API_KEYS: `${K1},${K2},${K3}`, PROVIDER_FIRST_BYTE_TIMEOUT_MS: '1000', PROVIDER_RETRY_BASE_MS: '50', CANCEL_POLL_MS: '100' },
        claude: { PROVIDER_API_KEY: KA },
        gem: { PROVIDER_API_KEY: KG },
        img: { PROVIDER_API_KEY: K1 },
        shared: {
          PROVIDER_API_KEY: K2,
          WORKER_CONCURRENCY: '2',
          PROVIDER_MAX_ATTEMPTS: '1',
          PROVIDER_FIRST_BYTE_TIMEOUT_MS: '500',
          BREAKER_FAILURES: '3',
          BREAKER_OPEN_MS: '1500',
          RATE_LIMIT_WINDOW_MS: '2000',
          RATE_LIMIT_MODELS: JSON.stringify({ limited: { rpm: 15, tpm: 700 }, stuck: { maxInFlight: 2 } }),
        },
      },
    });
    bus = await Bus.connect({ brokers: infra.brokers.split(','), clientId: 'worker-pools-test', topicPrefix: prefix });
    results = await new TopicReader(bus, Topics.results).start();
    store = await Store.connect({ url: infra.redisUrl, keyPrefix: `ym:${prefix}:` });
  });

  after(async () => {
    await results?.stop();
    await bus?.close();
    await store?.close();
    await system?.stop();
    await sim?.stop();
  });

  it('every API kind answers through its pool: chat, Anthropic, Gemini, images and the calculator, with usage and cost', async () => {
    const chat = await send('chat', item('chat', 'chatp', 'plain'));
    const claude = await send('claude', item('claude', 'claude', 'claude-sonnet'));
    const gem = await send('gem', item('gem', 'gem', 'gemini-flash'));
    const img = await send('img', item('img', 'img', 'gpt-image-1', { text: 'a red caboose at dusk' }));
    const calc = await send('calculator', item('calculator', 'calc', 'calculator', { text: 'what is 2^64 + 1?', tool: '2^64 + 1' }));
    for (const [w, model] of [[chat, 'plain'], [claude, 'claude-sonnet'], [gem, 'gemini-flash']] as const) {
      const r = await resultOf(w);
      assert.equal(r.status, ResultStatus.OK, `${model}: ${r.error?.code} ${r.error?.message}`);
      assert.match(r.output, new RegExp(`^\\[${model}\\] `));
      assert.equal(r.providerModel, model);
      assert.equal(r.attempts, 1);
      const usage = r.usage!;
      assert.ok(usage.inputTokens > 5 && usage.outputTokens > 5);
      assert.ok(Math.abs(r.costUsd - (usage.inputTokens * 1 + usage.outputTokens * 2) / 1e6) < 1e-12);
    }
    const image = await resultOf(img);
    assert.equal(image.status, ResultStatus.OK, image.error?.message);
    assert.deepEqual([...(image.images[0]?.data ?? new Uint8Array()).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const tool = await resultOf(calc);
    assert.equal(tool.status, ResultStatus.OK, tool.error?.message);
    assert.equal(tool.output, '18446744073709551617');
    assert.equal(tool.costUsd, 0);
  });

  it('rotates to the next key on a 429 and rests the throttled key', async () => {
    await sim.faults('rot', { throttledKeys: [keyFingerprint(K1)], throttledRetryAfterS: 30 });
    await sim.resetStats();
    const attempts: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await resultOf(await send('chat', item('chat', 'chatp', 'rot')));
      assert.equal(r.status, ResultStatus.OK, r.error?.message);
      attempts.push(r.attempts);
    }
    const keys = (await sim.stats()).keys;
    assert.equal(keys[keyFingerprint(K1)], 1, 'the throttled key is tried once, then rests for its Retry-After');
    assert.equal((keys[keyFingerprint(K2)] ?? 0) + (keys[keyFingerprint(K3)] ?? 0), 12);
    assert.ok((keys[keyFingerprint(K2)] ?? 0) >= 5 && (keys[keyFingerprint(K3)] ?? 0) >= 5, JSON.stringify(keys));
    assert.deepEqual(attempts.filter((a) => a > 1), [2], 'one call retried at once on another key');
  });

  it('a hung primary costs the first-byte timeout once, then falls back, far within the deadline', async () => {
    await sim.faults('hung', { hang: 1 });
    const started = Date.now();
    const r = await resultOf(await send('chat', item('chat', 'chatp', 'hung', { fallback: true, deadlineMs: 30_000 })));
    const took = Date.now() - started;
    assert.equal(r.status, ResultStatus.TIMEOUT);
    assert.equal(r.error?.code, 'timeout');
    assert.equal(r.error?.retriable, true);
    assert.equal(r.attempts, 1, 'no second attempt on a hung target when a fallback waits');
    assert.ok(took < 3000, `fell back after ${took} ms of a 30 s deadline`);
    assert.ok((r.work?.request?.messages.length ?? 0) > 0, 'the prompt travels back for the fallback');
    // Without a fallback the attempts are retried, all within the deadline.
    const alone = await resultOf(await send('chat', item('chat', 'chatp', 'hung', { deadlineMs: 6_000 })));
    assert.equal(alone.error?.code, 'timeout');
    assert.equal(alone.attempts, 3);
    assert.ok(alone.latencyMs < 6000, `${alone.latencyMs} ms`);
  });

  it('aborts a call in flight when its request is cancelled', async () => {
    await sim.faults('slowc', { latency: { kind: 'fixed', ms: 20_000 } });
    await sim.resetStats();
    const w = await send('chat', item('chat', 'chatp', 'slowc'));
    await waitFor('the call to reach provider-sim', async () => (await sim.stats()).totals['slowc']?.requests === 1, 10_000);
    await new RedisPipelineState(store, 'test').markCancelled(w.requestId, 60);
    const cancelledAt = Date.now();
    const r = await resultOf(w);
    assert.equal(r.error?.code, 'cancelled', r.error?.message);
    assert.ok(Date.now() - cancelledAt < 2000, `aborted ${Date.now() - cancelledAt} ms after the cancel`);
  });

  it('a breaker opened by one replica holds both: the dead provider sees only the calls that opened it, traffic returns on recovery', async () => {
    await sim.faults('dead', { down: true });
    await sim.resetStats();
    const items = await Promise.all(Array.from({ length: 30 }, () => send('shared', item('shared', 'shared', 'dead', { fallback: true }))));
    const all = await Promise.all(items.map((w) => resultOf(w)));
    const codes = all.map((r) => r.error?.code);
    assert.ok(codes.every((c) => c === 'unavailable' || c === 'circuit_open'), JSON.stringify(all.map((r) => r.error)));
    const reached = (await sim.stats()).totals['dead']?.requests ?? 0;
    // 3 faults open it; the other replica may have one call in flight meanwhile. Without
    // sharing, each of the two replicas would need 3 faults of its own (6 calls or more).
    assert.ok(reached >= 3 && reached <= 5, `${reached} calls reached the dead provider`);
    assert.ok(codes.filter((c) => c === 'circuit_open').length >= 25);
    const health = await new RedisProviderHealth(store).get('shared/dead');
    assert.ok(health && health.circuitOpenUntilMs > 0, 'the router sees the open circuit');
    // Recovery: after the open time one probe goes through, succeeds and closes the circuit.
    await sim.clearFaults();
    const recovered = Date.now();
    await waitFor('traffic to return', async () => (await resultOf(await send('shared', item('shared', 'shared', 'dead', { fallback: true })))).status === ResultStatus.OK, 15_000, 200);
    assert.ok(Date.now() - recovered < 5000, `traffic returned ${Date.now() - recovered} ms after recovery`);
    await waitFor('the circuit to close in the health the router reads', async () => (await new RedisProviderHealth(store).get('shared/dead'))?.circuitOpenUntilMs === 0, 5000);
  });

  it('two replicas together never exceed the model RPM and TPM, counted at provider-sim per window', async () => {
    await sim.resetStats();
    const items = await Promise.all(Array.from({ length: 45 }, () => send('shared', item('shared', 'shared', 'limited', { deadlineMs: 120_000 }))));
    const all = await Promise.all(items.map((w) => resultOf(w, 90_000)));
    assert.ok(all.every((r) => r.status === ResultStatus.OK), JSON.stringify(all.filter((r) => r.status !== ResultStatus.OK).map((r) => r.error)));
    const stats = await sim.stats();
    const windows = stats.windows.map((w) => w.models['limited']).filter((c) => c !== undefined);
    assert.equal(windows.reduce((n, c) => n + c.requests, 0), 45);
    for (const c of windows) {
      assert.ok(c.requests <= 15, `${c.requests} requests in one 2 s window (limit 15)`);
      assert.ok(c.tokens <= 700, `${c.tokens} tokens in one 2 s window (limit 700)`);
    }
    assert.ok(windows.length >= 3, `spread over ${windows.length} windows`);
  });

  it('releases in-flight slots when calls time out: the next calls are not locked out', async () => {
    await sim.faults('stuck', { hang: 1 });
    const hung = await Promise.all(Array.from({ length: 4 }, () => send('shared', item('shared', 'shared', 'stuck', { deadlineMs: 20_000 }))));
    for (const r of await Promise.all(hung.map((w) => resultOf(w)))) assert.equal(r.error?.code, 'timeout');
    await sim.clearFaults();
    const started = Date.now();
    const fresh = await Promise.all(Array.from({ length: 4 }, () => send('shared', item('shared', 'shared', 'stuck', { deadlineMs: 20_000 }))));
    for (const r of await Promise.all(fresh.map((w) => resultOf(w)))) assert.equal(r.status, ResultStatus.OK, r.error?.message);
    assert.ok(Date.now() - started < 3000, `answered ${Date.now() - started} ms later (a leaked slot would hold them for the lease)`);
  });

  it('exports per-pool metrics: attempts and results by error class, breaker state, rate-limit waits, GenAI durations and tokens', async () => {
    const shared: Sample[] = [];
    for (const p of system.processes.values()) if (p.id.startsWith('worker-shared')) shared.push(...(await scrape(p.httpPort)).samples);
    const model = { gen_ai_request_model: 'dead' };
    assert.ok(total(shared, 'yardmaster_worker_attempts_total', { ...model, error_type: 'unavailable' }) >= 3);
    assert.ok(total(shared, 'yardmaster_worker_results_total', { ...model, error_type: 'circuit_open' }) >= 25);
    assert.ok(total(shared, 'yardmaster_worker_gate_denials_total', { ...model, reason: 'circuit_open' }) >= 25);
    assert.ok(select(shared, 'yardmaster_worker_breaker_state', model).length > 0, 'breaker state gauge');
    assert.ok(total(shared, 'yardmaster_worker_rate_limit_wait_count', { gen_ai_request_model: 'limited', reason: 'rate_limited' }) > 0, 'rate-limit waits recorded');
    assert.ok(total(shared, 'gen_ai_client_operation_duration_count', { gen_ai_request_model: 'limited', gen_ai_operation_name: 'chat' }) >= 45);
    assert.ok(total(shared, 'gen_ai_client_token_usage_sum', { gen_ai_request_model: 'limited', gen_ai_token_type: 'output' }) > 0);
    assert.ok(select(shared, 'yardmaster_worker_inflight', model).length > 0, 'calls in flight are reported per deployment');
    assert.equal(total(shared, 'yardmaster_worker_inflight'), 0, 'no call in flight at rest');
  });

  it('no API key appears in logs, spans, results, the dead-letter topic or /metrics', async () => {
    const dlq = await new TopicReader(bus, Topics.dlq).start();
    const haystack: string[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.log'))) haystack.push(readFileSync(path.join(dir, f), 'utf8'));
    assert.ok(haystack.join('').includes('rate-limited'), 'the logs do mention the throttled key (by its id)');
    for (const m of results.messages) haystack.push(Buffer.from(toBinary(ProviderResultSchema, m.value)).toString('latin1'));
    for (const m of dlq.messages) haystack.push(JSON.stringify(m.value));
    for (const p of system.processes.values()) haystack.push(await fetch(`http://127.0.0.1:${p.httpPort}/metrics`).then((r) => r.text()));
    await dlq.stop();
    const all = haystack.join('\n');
    assert.ok(all.length > 10_000);
    for (const key of KEYS) {
      assert.ok(!all.includes(key), `key ${keyFingerprint(key)} found`);
      assert.ok(!all.includes(Buffer.from(key).toString('base64')), `base64 of key ${keyFingerprint(key)} found`);
    }
  });
});
