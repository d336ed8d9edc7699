// The HTTP tool adapter over real HTTP against provider-sim's example record API, configured
// exactly as docs/examples/catalog-orders.yaml declares the order and customer pools.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Catalog, type CatalogHttpTool } from '@yardmaster/catalog';
import type { GenerationRequest, ProviderAdapter } from '@yardmaster/providers';
import { ORDERS_CATALOG } from '../support/catalog.js';
import { httpToolAdapter, providerFailure as failure } from '../support/http-tools.js';
import { startProviderSim, type SimHandle } from '../support/provider-sim.js';


const ask = (tool: string, args: Record<string, string>): GenerationRequest => ({ model: tool, messages: [], tool: { name: tool, expression: JSON.stringify(args) } });
const KEY = 'orders-test-key-not-a-secret';
const call = (apiKey: string | undefined = KEY) => ({ signal: AbortSignal.timeout(10_000), ...(apiKey ? { apiKey } : {}) });

describe("HTTP record lookups against provider-sim (docs/examples/catalog-orders.yaml's templates)", () => {
  let sim: SimHandle;
  const catalog = Catalog.load(ORDERS_CATALOG);
  const adapter = (tool: string, over: Partial<CatalogHttpTool> = {}): ProviderAdapter => httpToolAdapter(catalog, tool, sim.url, over);

  before(async () => {
    sim = await startProviderSim();
  });
  afterEach(() => sim.clearFaults());
  after(() => sim?.stop());

  it('order_lookup: the record of a known order, with the credential in the Authorization header', async () => {
    await sim.resetStats();
    const a = await adapter('order_lookup').generate(ask('order_lookup', { order_id: 'A-10442' }), call());
    const r = JSON.parse(a.output) as Record<string, unknown>;
    assert.deepEqual([r['order_id'], r['status'], r['placed']], ['A-10442', 'processing', '2026-12-04']);
    assert.equal(a.inputTokens + a.outputTokens, 0);
    const stats = await sim.stats();
    assert.equal(stats.totals['order_lookup']?.statuses['200'], 1);
    assert.equal(Object.values(stats.keys).reduce((x, y) => x + y, 0), 1, 'the call carried a key');
    // Without a key the pool refuses to call: the header needs {credential}.
    assert.equal((await failure(adapter('order_lookup').generate(ask('order_lookup', { order_id: '48213' }), call('')))).code, 'auth');
  });

  it('an unknown order is the answer "no such order" (not_found: answer), and an outage-like error with not_found: error', async () => {
    const a = await adapter('order_lookup').generate(ask('order_lookup', { order_id: 'Z-99999' }), call());
    assert.deepEqual(JSON.parse(a.output), { error: { type: 'not_found', message: 'no order with id Z-99999' }, order_id: 'Z-99999', found: false });
    assert.equal((await sim.stats()).totals['order_lookup']?.statuses['404'], 1);
    const e = await failure(adapter('order_lookup', { not_found: 'error' }).generate(ask('order_lookup', { order_id: 'Z-99999' }), call()));
    assert.deepEqual([e.code, e.status], ['not_found', 404]);
  });

  it('customer_lookup: a known customer; the id is URL-encoded into the path', async () => {
    const c = JSON.parse((await adapter('customer_lookup').generate(ask('customer_lookup', { customer_id: 'C-2291' }), call())).output) as Record<string, unknown>;
    assert.deepEqual([c['customer_id'], c['tier']], ['C-2291', 'gold']);
    // "a/b" stays one path segment (%2F): provider-sim answers for the id "A/B", which it rejects.
    const bad = await failure(adapter('customer_lookup').generate(ask('customer_lookup', { customer_id: 'a/b' }), call()));
    assert.deepEqual([bad.code, bad.status], ['bad_request', 400]);
  });

  it("fault profiles apply by tool name: a 5xx is server_error, a hang times out after the catalog's timeout_ms", async () => {
    await sim.faults('order_lookup', { errors: { '503': 1 } });
    const e = await failure(adapter('order_lookup').generate(ask('order_lookup', { order_id: '48213' }), call()));
    assert.equal(e.retriable, true);
    assert.equal(e.status, 503);
    await sim.faults('order_lookup', { hang: 1 });
    const started = Date.now();
    const t = await failure(adapter('order_lookup').generate(ask('order_lookup', { order_id: '48213' }), call()));
    assert.equal(t.code, 'timeout');
    assert.ok(Date.now() - started >= 1480 && Date.now() - started < 3500, `${Date.now() - started} ms`);
  });
});
