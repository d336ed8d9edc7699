// Multi-model plans end to end (issue 12): gRPC Infer → classifier → router → worker pools
// → aggregator → router follow-ups, on real Kafka and Redis, with provider-sim answering
// per model as each test sets it (refusal, empty, truncated, invalid JSON, tables).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Bus } from '@yardmaster/bus';
import {
  GenerationParamsSchema,
  InferRequestSchema,
  PlanKind,
  ResponseFormat,
  ResponseStatus,
  ResultStatus,
  RoutingHintsSchema,
  Strategy,
  SubmitRequestSchema,
  TargetRole,
  Topics,
  create,
  createRouterClient,
  textRequest,
  timestampFromMs,
  type InferenceResponse,
  type RouterClient,
} from '@yardmaster/contracts';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { writeCatalog } from '../support/catalog.js';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import type { SimStatsSnapshot } from '../support/provider-sim.js';
import { TopicReader } from '../support/topic-reader.js';

// Three chat models on three providers (a vote needs distinct providers) and the calculator.
const CATALOG = `
version: plans-test
providers:
  - { name: pa, pool: pa, api: openai-chat }
  - { name: pb, pool: pb, api: anthropic-messages }
  - { name: pc, pool: pc, api: openai-chat }
  - { name: calculator, pool: calculator, api: tool, self_hosted: true }
models:
  - { name: cheap, capabilities: [json], provider: pa, tier: small, input_price_per_mtok: 0.1, output_price_per_mtok: 0.2, price_source: example, context_window: 128000, max_output_tokens: 8000, quality: { default: 0.6, source: example } }
  - { name: mid, capabilities: [json], provider: pc, tier: mid, input_price_per_mtok: 0.5, output_price_per_mtok: 1, price_source: example, context_window: 128000, max_output_tokens: 8000, quality: { default: 0.8, source: example } }
  - { name: strong, capabilities: [json], provider: pb, tier: frontier, input_price_per_mtok: 3, output_price_per_mtok: 6, price_source: example, context_window: 128000, max_output_tokens: 8000, quality: { default: 0.95, source: example } }
  - { name: calculator, provider: calculator, kind: tool, tier: tool, input_price_per_mtok: 0, output_price_per_mtok: 0, price_source: example, context_window: 1000000, max_output_tokens: 1000 }
tiers:
  standard: { quality_floor: 0 }
plans:
  cascade: { checks: [non_empty, no_refusal, finished], max_steps: 2, first_step_margin: 0.15 }
  hedge: { delay_ms: 300 }
  vote: { voters: 3 }
  judge: { candidates: 2 }
  draft_review: {}
  chain:
    steps:
      - instruction: "CHAIN-ONE: work it out."
      - instruction: "CHAIN-TWO: check the work."
      - instruction: "CHAIN-THREE: state the final answer."
`;

const MODELS = ['cheap', 'mid', 'strong'] as const;

describe('multi-model plans end to end (real Kafka, Redis, gRPC, provider-sim)', () => {
  let system: RunningSystem;
  let bus: Bus;
  let client: RouterClient;
  let responses: TopicReader<typeof Topics.responses.schema>;
  let results: TopicReader<typeof Topics.results.schema>;
  let decisions: TopicReader<typeof Topics.decisions.schema>;
  let seq = 0;

  const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${system.simUrl}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return res.status === 204 ? undefined : res.json();
  };
  const output = (model: string, spec: unknown, extra: Record<string, unknown> = {}) => admin('PUT', `/admin/faults/${model}`, { output: spec, ...extra });
  const table = (model: string, answers: Record<string, string>, extra: Record<string, unknown> = {}) => output(model, { kind: 'table', answers }, extra);

  async function infer(text: string, init: { plan?: PlanKind; strategy?: Strategy; json?: boolean; deadlineMs?: number } = {}): Promise<InferenceResponse> {
    const requestId = `plan-${++seq}-${Date.now()}`;
    const request = textRequest(text, { requestId });
    request.hints = create(RoutingHintsSchema, { ...(init.plan ? { plan: init.plan } : {}), ...(init.strategy ? { strategy: init.strategy } : {}) });
    if (init.json) request.params = create(GenerationParamsSchema, { responseFormat: ResponseFormat.JSON });
    request.deadline = timestampFromMs(Date.now() + (init.deadlineMs ?? 30_000));
    const res = await client.infer(create(InferRequestSchema, { request }), { deadlineMs: (init.deadlineMs ?? 30_000) + 10_000 });
    assert.ok(res.response, 'a response');
    return res.response;
  }
  const roles = (r: InferenceResponse) => r.steps.map((s) => [s.model, TargetRole[s.role], s.outcome]);

  before(async () => {
    const infra = await testInfra();
    const prefix = uniquePrefix('plans');
    const { dir, catalogPath } = writeCatalog('plans', CATALOG);
    system = await launchSystem({
      brokers: infra.brokers,
      redisUrl: infra.redisUrl,
      topicPrefix: prefix,
      redisKeyPrefix: `ym:${prefix}:`,
      catalogPath,
      partitions: 4,
      aggregatorReplicas: 2,
      sessionTimeoutMs: 6000,
      simLatencyMs: 10,
      logs: { kind: 'file', dir },
      env: { CANCEL_POLL_MS: '50' },
    });
    bus = await Bus.connect({ brokers: infra.brokers.split(','), clientId: 'plans-test', topicPrefix: prefix });
    responses = await new TopicReader(bus, Topics.responses).start();
    results = await new TopicReader(bus, Topics.results).start();
    decisions = await new TopicReader(bus, Topics.decisions).start();
    client = createRouterClient(system.grpcAddress, system.clientOptions);
    // Warm-up: every pool has its partitions.
    for (const plan of [PlanKind.VOTE, PlanKind.VOTE]) assert.equal((await infer('warm up please', { plan, deadlineMs: 60_000 })).status, ResponseStatus.OK);
  });

  afterEach(async () => {
    await admin('PUT', '/admin/faults', {});
  });

  after(async () => {
    client?.close();
    await responses?.stop();
    await results?.stop();
    await decisions?.stop();
    await bus?.close();
    await system?.stop();
  });

  it('cascade: the cheap model answers when it passes its checks (no escalation)', async () => {
    await table('cheap', { 'capital of france': 'Paris is the capital of France.' });
    const r = await infer('What is the capital of France?', { plan: PlanKind.CASCADE });
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.equal(r.output, 'Paris is the capital of France.');
    assert.deepEqual(roles(r), [['cheap', 'PRIMARY', 'answered']]);
    assert.match(r.planOutcome, /stage 0 cheap answered/);
    assert.equal(r.decision?.plan, PlanKind.CASCADE);
  });

  for (const [name, spec, check, json] of [
    ['a refusal', { kind: 'refusal' }, 'no_refusal', false],
    ['an empty answer', { kind: 'empty' }, 'non_empty', false],
    ['a truncated answer', { kind: 'truncated' }, 'not_truncated', false],
    ['invalid JSON when JSON was asked', { kind: 'invalid_json' }, 'valid_json', true],
  ] as const) {
    it(`cascade: escalates on ${name} and says why`, async () => {
      await output('cheap', spec);
      for (const m of ['mid', 'strong']) await output(m, { kind: 'fixed', text: json ? '{"answer": "escalated"}' : 'escalated answer' });
      const r = await infer(`Explain cascade case ${check}.`, { plan: PlanKind.CASCADE, json });
      assert.equal(r.status, ResponseStatus.OK, r.error?.message);
      assert.equal(r.output, json ? '{"answer": "escalated"}' : 'escalated answer');
      assert.equal(r.steps.length, 2);
      assert.deepEqual(r.steps.map((s) => [TargetRole[s.role], s.outcome]), [
        ['PRIMARY', 'rejected'],
        ['ESCALATION', 'answered'],
      ]);
      assert.equal(r.steps[0]!.model, 'cheap');
      assert.match(r.steps[0]!.detail, new RegExp(check));
      assert.match(r.planOutcome, new RegExp(`stage 1 \\w+ answered after stage 0 cheap rejected \\(.*${check}`));
      // Both calls are paid for and reported.
      assert.equal(r.models.length, 2);
      assert.ok(Math.abs(r.costUsd - r.steps.reduce((s, x) => s + x.costUsd, 0)) < 1e-12);
      // The router decided the escalation (a follow_up record on the audit topic), and the plan's outcome was audited.
      await waitFor('follow-up and completion records', () => {
        const mine = decisions.messages.filter((m) => m.key === r.requestId).map((m) => m.value.event);
        return mine.includes('follow_up') && mine.includes('completed');
      });
    });
  }

  it('hedge: the backup answers first, the primary call is cancelled and its cost still counted', async () => {
    // With the quality strategy the primary is `strong`; it takes 5 s, the hedge starts after 300 ms.
    await table('strong', {}, { latency: { kind: 'fixed', ms: 5000 } });
    await output('mid', { kind: 'fixed', text: 'hedge answer' });
    const before = (await admin('GET', '/admin/stats')) as SimStatsSnapshot;
    const started = Date.now();
    const r = await infer('Tell me something quick about hedges.', { plan: PlanKind.HEDGE, strategy: Strategy.QUALITY });
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.ok(Date.now() - started < 4000, 'answered before the primary would have');
    assert.equal(r.output, 'hedge answer');
    assert.match(r.planOutcome, /hedge: hedge mid answered first/);
    const cancelled = r.steps.find((s) => s.outcome === 'cancelled');
    assert.equal(cancelled?.model, 'strong');
    assert.ok((cancelled?.costUsd ?? 0) > 0, 'the primary sent its prompt: its input cost is counted');
    assert.ok(r.costUsd >= (cancelled?.costUsd ?? 0) + (r.steps.find((s) => s.outcome === 'answered')?.costUsd ?? 0) - 1e-12);
    // The worker aborted the primary's call: its result says `cancelled`, well before the sim's 5 s.
    const primary = await waitFor('the cancelled primary result', () => results.messages.find((m) => m.value.workId === `${r.requestId}:0`)?.value, 4000);
    assert.equal(primary.status, ResultStatus.ERROR);
    assert.equal(primary.error?.code, 'cancelled');
    assert.ok(primary.latencyMs < 4000, `aborted after ${primary.latencyMs} ms`);
    const after = (await admin('GET', '/admin/stats')) as SimStatsSnapshot;
    assert.ok(JSON.stringify(after) !== JSON.stringify(before));
  });

  it('vote: the normalised majority wins', async () => {
    await table('cheap', { 'vote-majority': '42' });
    await table('mid', { 'vote-majority': '42.0' });
    await table('strong', { 'vote-majority': '41' });
    const r = await infer('vote-majority: what is six times seven?', { plan: PlanKind.VOTE });
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    // Among the agreeing voters, the one with the higher expected quality gives the text.
    assert.equal(r.output, '42.0');
    assert.match(r.planOutcome, /2 of 3 ballots/);
    assert.deepEqual(r.steps.map((s) => s.outcome).sort(), ['agreed', 'answered', 'outvoted']);
  });

  it('vote: a three-way tie goes to the voter with the highest expected quality', async () => {
    await table('cheap', { 'vote-tie': 'x' });
    await table('mid', { 'vote-tie': 'y' });
    await table('strong', { 'vote-tie': 'z' });
    const r = await infer('vote-tie: pick a letter', { plan: PlanKind.VOTE });
    assert.equal(r.output, 'z');
    assert.match(r.planOutcome, /tie broken by expected quality/);
  });

  it('vote: a voter missing at the deadline leaves a partial vote of the others', async () => {
    await table('cheap', { 'vote-late': '7' });
    await table('mid', { 'vote-late': '7' });
    await table('strong', { 'vote-late': '8' }, { latency: { kind: 'fixed', ms: 20_000 } });
    const r = await infer('vote-late: how many days in a week?', { plan: PlanKind.VOTE, deadlineMs: 3000 });
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.equal(r.output, '7');
    assert.match(r.planOutcome, /partial: 1 of 3 voters did not answer \((deadline_exceeded|timeout)\)/);
    const late = r.steps.find((s) => s.model === 'strong');
    assert.equal(late?.outcome, 'failed');
  });

  it('judge: the judge picks a candidate; its cost is booked separately', async () => {
    // Whichever model judges, it answers the judge's prompt with a choice of candidate 2.
    for (const m of MODELS) await table(m, { 'Candidate answers': 'The second is right. Choice: 2', 'judge-q': `answer from ${m}` });
    const r = await infer('judge-q: which city hosts the Louvre?', { plan: PlanKind.JUDGE });
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    const candidates = r.steps.filter((s) => s.role === TargetRole.VOTER).sort((a, b) => a.targetIndex - b.targetIndex);
    assert.equal(candidates.length, 2);
    assert.equal(r.output, `answer from ${candidates[1]!.model}`);
    const judge = r.steps.find((s) => s.role === TargetRole.JUDGE);
    assert.equal(judge?.outcome, 'chose');
    assert.ok(r.judgeCostUsd > 0);
    assert.equal(r.judgeCostUsd, judge?.costUsd);
    assert.match(r.planOutcome, /chose candidate 2 of 2/);
  });

  it('draft_review: the reviewer improves the draft it was given', async () => {
    await table('cheap', { 'draft-q': 'DRAFT-v1' });
    for (const m of ['mid', 'strong']) await table(m, { 'DRAFT-v1': 'REVIEWED-v2' });
    const r = await infer('draft-q: write a slogan', { plan: PlanKind.DRAFT_REVIEW });
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.equal(r.output, 'REVIEWED-v2');
    assert.deepEqual(r.steps.map((s) => [TargetRole[s.role], s.outcome]), [
      ['DRAFTER', 'accepted'],
      ['REVIEWER', 'answered'],
    ]);
  });

  it('chain: three steps, each fed the previous output', async () => {
    // Each step answers only when it sees the previous step's output.
    for (const m of MODELS) await table(m, { 'S2-OUT': 'S3-OUT', 'S1-OUT': 'S2-OUT', 'CHAIN-ONE': 'S1-OUT' });
    const r = await infer('chain-q: plan a trip', { plan: PlanKind.CHAIN });
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.equal(r.output, 'S3-OUT');
    assert.deepEqual(r.steps.map((s) => [TargetRole[s.role], s.step, s.outcome]), [
      ['STEP', 0, 'accepted'],
      ['STEP', 1, 'accepted'],
      ['STEP', 2, 'answered'],
    ]);
    assert.equal(r.usage?.totalTokens, r.steps.reduce((s, x) => s + (x.usage?.totalTokens ?? 0), 0));
  });

  it('tool: the calculator answers exactly with no model call and no cost', async () => {
    const before = (await admin('GET', '/admin/stats')) as SimStatsSnapshot;
    const r = await infer('What is 1234 * 5678?');
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.equal(r.decision?.plan, PlanKind.TOOL);
    assert.match(r.output, /7006652/);
    assert.equal(r.costUsd, 0);
    assert.deepEqual(r.models.map((m) => m.model), ['calculator']);
    const after = (await admin('GET', '/admin/stats')) as SimStatsSnapshot;
    assert.deepEqual(after, before, 'provider-sim saw no call');
  });

  it('chain: the calculator\'s exact result, phrased by a small model', async () => {
    for (const m of MODELS) await table(m, { '7006652': 'The product is 7006652.' });
    const r = await infer('What is 1234 * 5678?', { plan: PlanKind.CHAIN });
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.equal(r.output, 'The product is 7006652.');
    assert.deepEqual(r.steps.map((s) => [s.model, s.outcome]), [
      ['calculator', 'accepted'],
      ['cheap', 'answered'],
    ]);
    assert.equal(r.steps[0]!.costUsd, 0);
  });

  it('a SIGKILLed aggregator mid-plan: every request still answered exactly once', async () => {
    await output('cheap', { kind: 'refusal' });
    for (const m of ['mid', 'strong']) await output(m, { kind: 'fixed', text: 'escalated' }, { latency: { kind: 'fixed', ms: 50 } });
    const total = 120;
    const ids = Array.from({ length: total }, (_, i) => `kill-${i}-${Date.now()}`);
    const submitting = (async () => {
      for (let i = 0; i < total; i += 20) {
        await Promise.all(
          ids.slice(i, i + 20).map((requestId) => {
            const request = textRequest(`cascade under a crash ${requestId}`, { requestId });
            request.hints = create(RoutingHintsSchema, { plan: PlanKind.CASCADE });
            return client.submit(create(SubmitRequestSchema, { request }));
          }),
        );
      }
    })();
    await waitFor('some answers before the kill', () => ids.filter((id) => responses.countsByKey().has(id)).length >= 10, 60_000);
    await system.kill('aggregator-0', 'SIGKILL');
    await submitting;
    await waitFor('every response', () => ids.every((id) => responses.countsByKey().has(id)), 120_000, 200);
    const counts = responses.countsByKey();
    assert.deepEqual(ids.filter((id) => counts.get(id) !== 1), [], 'each request answered exactly once');
    for (const m of responses.messages.filter((x) => ids.includes(x.key))) {
      assert.equal(m.value.status, ResponseStatus.OK, `${m.key}: ${m.value.error?.message ?? ''}`);
      assert.equal(m.value.output, 'escalated');
      assert.deepEqual(m.value.steps.map((s) => s.outcome), ['rejected', 'answered']);
    }
  });
});
