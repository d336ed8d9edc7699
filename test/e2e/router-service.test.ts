// The router service on real Kafka and Redis: live provider health read from Redis (a
// target marked unhealthy is avoided and gets traffic back after recovery), decisions on
// llm.decisions.v1, conversation affinity in Redis, and hot reload of the catalog file
// (a good change applied without a restart, a bad one rejected while routing goes on).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Bus } from '@yardmaster/bus';
import {
  ClassificationSchema,
  ClassifiedRequestSchema,
  ComplexityBand,
  FeedbackSchema,
  Intent,
  PiiKind,
  Subject,
  Topics,
  create,
  textRequest,
  workTopic,
  type RoutingDecision,
} from '@yardmaster/contracts';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { AffinityKeys, RedisConversationAffinity, RedisProviderHealth, RedisRoutingFeedback, Store, healthTarget } from '@yardmaster/store';
import { writeCatalog } from '../support/catalog.js';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { TopicReader } from '../support/topic-reader.js';

// alpha is better and cheaper than beta: the router prefers it while it is healthy.
const catalog = (version: string, rules: string[] = []) => `
version: ${version}
providers:
  - { name: pa, pool: pa, api: openai-chat }
  - { name: pb, pool: pb, api: anthropic-messages }
  - { name: home, pool: home, api: openai-chat, self_hosted: true }
models:
  - { name: alpha, provider: pa, tier: mid, input_price_per_mtok: 0.1, output_price_per_mtok: 0.2, price_source: example, context_window: 128000, max_output_tokens: 8000, quality: { default: 0.9, source: example } }
  - { name: beta, provider: pb, tier: mid, input_price_per_mtok: 1, output_price_per_mtok: 2, price_source: example, context_window: 128000, max_output_tokens: 8000, quality: { default: 0.8, source: example } }
  - { name: gamma, provider: home, tier: small, input_price_per_mtok: 0.5, output_price_per_mtok: 0.5, price_source: example, context_window: 8000, max_output_tokens: 2000, quality: { default: 0.6, source: example } }
tiers:
  standard: { quality_floor: 0 }
rules: [${rules.join(', ')}]
`;

describe('router service on real Kafka and Redis', () => {
  let system: RunningSystem;
  let bus: Bus;
  let store: Store;
  let health: RedisProviderHealth;
  let decisions: TopicReader<typeof Topics.decisions.schema>;
  let workA: TopicReader<ReturnType<typeof workTopic>['schema']>;
  let catalogPath: string;
  let seq = 0;

  before(async () => {
    const infra = await testInfra();
    const prefix = uniquePrefix('router');
    const redisKeyPrefix = `ym:${prefix}:`;
    ({ catalogPath } = writeCatalog('router', catalog('v1')));
    system = await launchSystem({
      brokers: infra.brokers,
      redisUrl: infra.redisUrl,
      redisKeyPrefix,
      topicPrefix: prefix,
      partitions: 2,
      catalogPath,
      only: ['router'],
      serviceEnv: { router: { ROUTER_HEALTH_REFRESH_MS: '100', ROUTER_CATALOG_POLL_MS: '200', ROUTER_LEARN_REFRESH_MS: '200', ROUTER_LEARN_PRIOR_STRENGTH: '4', ROUTER_EXPLORE_PERCENT: '0' } },
    });
    bus = await Bus.connect({ brokers: infra.brokers.split(','), clientId: 'router-test', topicPrefix: prefix });
    store = await Store.connect({ url: infra.redisUrl, keyPrefix: redisKeyPrefix });
    health = new RedisProviderHealth(store);
    decisions = await new TopicReader(bus, Topics.decisions).start();
    workA = await new TopicReader(bus, workTopic('pa')).start();
  });

  after(async () => {
    await decisions?.stop();
    await workA?.stop();
    await bus?.close();
    await store?.close();
    await system?.stop();
  });

  /** Publishes one classified chat request and waits for its decision record. */
  async function routeOne(init: { conversationId?: string; pii?: PiiKind[] } = {}) {
    const id = `rt-${++seq}`;
    const request = textRequest('hello there', { requestId: id, tenantId: 'acme' });
    if (init.conversationId) request.conversationId = init.conversationId;
    const classification = create(ClassificationSchema, { requestId: id, intent: Intent.CHAT, intentConfidence: 0.9, complexity: 0.3, band: ComplexityBand.LOW, language: 'en', inputTokens: 20, pii: init.pii ?? [] });
    await bus.publish(Topics.classified, id, create(ClassifiedRequestSchema, { request, classification }));
    const record = await waitFor(`decision for ${id}`, () => decisions.messages.find((m) => m.key === id)?.value, 30000);
    return { id, record };
  }
  const first = (d: RoutingDecision | undefined) => d?.targets[0]?.model;

  it('publishes the decision to llm.decisions.v1 and the work to the chosen pool', async () => {
    const { id, record } = await routeOne();
    assert.equal(first(record.decision), 'alpha');
    assert.equal(record.decision?.catalogVersion, 'v1');
    assert.equal(record.tenantId, 'acme');
    assert.equal(record.classification?.intent, Intent.CHAT);
    assert.ok(record.durationUs > 0n);
    await waitFor('work on llm.work.pa.v1', () => workA.messages.find((m) => m.key === id));
  });

  it('avoids a target marked unhealthy in Redis and returns to it after recovery', async () => {
    const target = healthTarget('pa', 'alpha');
    await health.openCircuit(target, Date.now() + 120_000, 'test: breaker open');
    // The router reads health from a cache refreshed in the background: route until it sees it.
    const avoided = await waitFor('a decision that avoids alpha', async () => {
      const { record } = await routeOne();
      return first(record.decision) === 'beta' ? record : undefined;
    }, 20000, 100);
    const alpha = avoided.decision!.candidates.find((c) => c.model === 'alpha')!;
    assert.equal(alpha.excluded, 'health');
    assert.match(alpha.note, /circuit open .*test: breaker open/);

    await health.closeCircuit(target);
    await waitFor('a decision back on alpha', async () => {
      const { record } = await routeOne();
      return first(record.decision) === 'alpha' ? record : undefined;
    }, 20000, 100);
  });

  it('sends a request with PII to the self-hosted model only', async () => {
    const { record } = await routeOne({ pii: [PiiKind.EMAIL] });
    assert.deepEqual(record.decision?.targets.map((t) => t.model), ['gamma']);
    assert.deepEqual(record.decision?.constraints.find((c) => c.name === 'compliance')?.models.sort(), ['alpha', 'beta']);
  });

  it('keeps a conversation on its model in Redis', async () => {
    const conv = `conv-${seq}`;
    const { record } = await routeOne({ conversationId: conv });
    assert.equal(first(record.decision), 'alpha');
    const affinity = new RedisConversationAffinity(store);
    assert.deepEqual(await waitFor('the affinity entry', () => affinity.get('acme', conv)), { model: 'alpha', intent: 'chat' });
    assert.ok((await store.connection().ttl(store.key(AffinityKeys.conversation('acme', conv)))) > 0);
    // The next turn keeps it, and says so.
    const next = await routeOne({ conversationId: conv });
    assert.equal(next.record.decision?.affinity, 'kept alpha');
  });

  it('hot-reloads a changed catalog without a restart and rejects a bad one, keeping the last good', async () => {
    const pid = system.processes.get('router')!.child.pid;
    writeFileSync(catalogPath, catalog('v2', ['{ name: prefer-beta, then: { model: beta } }']));
    const v2 = await waitFor('a decision with catalog v2', async () => {
      const { record } = await routeOne();
      return record.decision?.catalogVersion === 'v2' ? record : undefined;
    }, 20000, 100);
    assert.equal(first(v2.decision), 'beta');
    assert.deepEqual(v2.decision?.rulesApplied, ['prefer-beta']);

    writeFileSync(catalogPath, catalog('v3').replace('tier: mid', 'tier: gigantic').replace('price_source: example', 'price_source: trust me'));
    // Give the router several poll periods to (not) apply it, then check it still routes with v2.
    const marker = Date.now();
    await waitFor('a few more decisions', async () => (await routeOne()) && Date.now() - marker > 1000, 20000, 100);
    const { record } = await routeOne();
    assert.equal(record.decision?.catalogVersion, 'v2');
    assert.equal(system.processes.get('router')!.child.pid, pid, 'the router was not restarted');
  });

  it('learns from feedback on llm.feedback.v1: poor scores for a model in a cell move that cell\'s traffic to another model', async () => {
    writeFileSync(catalogPath, catalog('v4'));
    const mathRequest = async () => {
      const id = `rt-${++seq}`;
      const request = textRequest('prove that there are infinitely many primes', { requestId: id, tenantId: 'acme' });
      const classification = create(ClassificationSchema, { requestId: id, intent: Intent.MATH, intentConfidence: 0.9, complexity: 0.7, band: ComplexityBand.HIGH, language: 'en', inputTokens: 20, subject: Subject.MATHEMATICS });
      await bus.publish(Topics.classified, id, create(ClassifiedRequestSchema, { request, classification }));
      return (await waitFor(`decision for ${id}`, () => decisions.messages.find((m) => m.key === id)?.value, 30000)).decision;
    };
    const before = await waitFor('a decision with catalog v4', async () => {
      const d = await mathRequest();
      return d?.catalogVersion === 'v4' ? d : undefined;
    }, 20000, 100);
    assert.equal(first(before), 'alpha', 'the priors prefer alpha');
    // Callers say alpha's math answers are poor and beta's good; a repeated score for one request counts once.
    const cell = { intent: 'math', band: 'high', subject: 'mathematics' };
    for (let i = 0; i < 30; i++) {
      await bus.publish(Topics.feedback, `fb-a-${i}`, create(FeedbackSchema, { requestId: `fb-a-${i}`, tenantId: 'acme', score: 0, label: 'thumbs_down', source: 'caller', model: 'alpha', ...cell }));
      await bus.publish(Topics.feedback, `fb-b-${i}`, create(FeedbackSchema, { requestId: `fb-b-${i}`, tenantId: 'acme', score: 1, label: 'thumbs_up', source: 'caller', model: 'beta', ...cell }));
    }
    await bus.publish(Topics.feedback, 'fb-a-0', create(FeedbackSchema, { requestId: 'fb-a-0', tenantId: 'acme', score: 0, model: 'alpha', ...cell }));
    // The router applies the feedback as it consumes it: beta can come first before every
    // score is in, so wait for the decision that has seen them all (or report the last one).
    let last: { alpha: number; beta: number; first: string | undefined } | undefined;
    const after = await waitFor('a math decision on beta with every score applied', async () => {
      const d = await mathRequest();
      const quality = (model: string): number => d?.candidates.find((c) => c.model === model)?.quality ?? Number.NaN;
      last = { alpha: quality('alpha'), beta: quality('beta'), first: d ? first(d) : undefined };
      return last.first === 'beta' && last.alpha < 0.3 && last.beta > 0.8 ? d : undefined;
    }, 30000, 200).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)}; last decision: ${JSON.stringify(last)}`);
    });
    assert.equal(first(after), 'beta');
    const feedback = new RedisRoutingFeedback(store);
    const rows = await feedback.snapshot();
    assert.equal(rows.find((r) => r.level === 'math|high|mathematics' && r.model === 'alpha')?.n, 30, 'the repeated score for fb-a-0 counted once');
    // Another cell is untouched: a chat request still goes to alpha.
    const { record } = await routeOne();
    assert.equal(first(record.decision), 'alpha');
  });
});
