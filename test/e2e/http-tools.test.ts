// HTTP tool pools end to end: gRPC Infer → classifier (a weather / currency tool
// suggestion) → router (the catalog's http-tool pool) → the pool's worker calling
// provider-sim's example tools → aggregator, on real Kafka and Redis.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { PlanKind, ResponseStatus, createRouterClient, type InferenceResponse, type RouterClient } from '@yardmaster/contracts';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { writeCatalog } from '../support/catalog.js';
import { inferText } from '../support/infer.js';
import { testInfra, uniquePrefix } from '../support/infra.js';

// One chat model, the weather and currency HTTP tools (their base_url is replaced by the
// launcher's provider-sim URL, as `npm start` does).
const CATALOG = `
version: http-tools-test
providers:
  - { name: pa, pool: pa, api: openai-chat }
  - name: weather-sim
    pool: weather
    api: http-tool
    base_url: http://127.0.0.1:9
    http_tool: { tool: weather, path: "/tools/weather?location={location}&when={when}", timeout_ms: 2000 }
  - name: currency-sim
    pool: currency
    api: http-tool
    base_url: http://127.0.0.1:9
    http_tool: { tool: currency, path: "/tools/currency?from={from}&to={to}&amount={amount}", timeout_ms: 2000 }
models:
  - { name: chat, provider: pa, tier: small, input_price_per_mtok: 0.1, output_price_per_mtok: 0.2, price_source: example, context_window: 128000, max_output_tokens: 8000, quality: { default: 0.8, source: example } }
  - { name: weather, provider: weather-sim, kind: tool, tier: tool, input_price_per_mtok: 0, output_price_per_mtok: 0, price_source: example, context_window: 1000000, max_output_tokens: 1000 }
  - { name: currency, provider: currency-sim, kind: tool, tier: tool, input_price_per_mtok: 0, output_price_per_mtok: 0, price_source: example, context_window: 1000000, max_output_tokens: 1000 }
tiers:
  standard: { quality_floor: 0 }
`;

describe('HTTP tool pools end to end (real Kafka, Redis, gRPC, provider-sim)', () => {
  let system: RunningSystem;
  let client: RouterClient;

  const admin = async (method: string, path: string, body?: unknown): Promise<void> => {
    const res = await fetch(`${system.simUrl}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
    assert.ok(res.ok, `${method} ${path}: ${res.status}`);
  };

  const infer = (text: string, plan?: PlanKind): Promise<InferenceResponse> => inferText(client, text, { idPrefix: 'tool', ...(plan ? { plan } : {}) });

  before(async () => {
    const infra = await testInfra();
    const prefix = uniquePrefix('httptools');
    const { dir, catalogPath } = writeCatalog('httptools', CATALOG);
    system = await launchSystem({
      brokers: infra.brokers,
      redisUrl: infra.redisUrl,
      topicPrefix: prefix,
      redisKeyPrefix: `ym:${prefix}:`,
      catalogPath,
      partitions: 2,
      sessionTimeoutMs: 6000,
      simLatencyMs: 5,
      logs: { kind: 'file', dir },
      env: { PROVIDER_RETRY_BASE_MS: '20' },
    });
    client = createRouterClient(system.grpcAddress, system.clientOptions);
    // Warm-up: each pool has its partitions.
    for (const text of ['hello there', "what's the weather in Oslo today?", 'convert 5 euros to dollars']) await infer(text);
  });

  afterEach(() => admin('PUT', '/admin/faults', {}));

  after(async () => {
    client?.close();
    await system?.stop();
  });

  it("\"what's the weather in Paris tomorrow?\" is answered by the weather pool with the tool's raw JSON", async () => {
    const r = await infer("what's the weather in Paris tomorrow?");
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.equal(r.decision?.plan, PlanKind.TOOL);
    assert.equal(r.decision?.targets[0]?.pool, 'weather');
    assert.deepEqual(r.models.map((m) => m.model), ['weather']);
    assert.equal(r.costUsd, 0);
    const w = JSON.parse(r.output) as Record<string, unknown>;
    assert.deepEqual([w['location'], w['when'], typeof w['temperature_c']], ['Paris', 'tomorrow', 'number']);
  });

  it('currency: "convert 100 euros to dollars" gets the conversion from the currency pool', async () => {
    const r = await infer('convert 100 euros to dollars');
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.equal(r.decision?.targets[0]?.pool, 'currency');
    const c = JSON.parse(r.output) as Record<string, unknown>;
    assert.deepEqual([c['from'], c['to'], c['amount'], c['result']], ['EUR', 'USD', 100, 108.7]);
  });

  it('chain: the weather result, phrased by the chat model', async () => {
    await admin('PUT', '/admin/faults/chat', { output: { kind: 'table', answers: { temperature_c: 'Tomorrow in Paris: see the forecast.' } } });
    const r = await infer("what's the weather in Paris tomorrow?", PlanKind.CHAIN);
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.equal(r.output, 'Tomorrow in Paris: see the forecast.');
    assert.deepEqual(r.steps.map((s) => [s.model, s.outcome]), [
      ['weather', 'accepted'],
      ['chat', 'answered'],
    ]);
  });

  it('when the weather service fails (5xx), the chat model answers instead: one final response', async () => {
    await admin('PUT', '/admin/faults/weather', { errors: { '500': 1 } });
    const r = await infer("what's the weather in Rome tomorrow?");
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.equal(r.decision?.plan, PlanKind.TOOL);
    assert.equal(r.models.at(-1)?.model, 'chat');
    assert.match(r.output, /^\[chat\] /);
  });
});
