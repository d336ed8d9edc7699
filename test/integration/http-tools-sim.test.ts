// The HTTP tool adapter over real HTTP against provider-sim's example tools, configured
// exactly as the shipped catalog declares the weather and currency pools.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Catalog } from '@yardmaster/catalog';
import type { GenerationRequest, ProviderAdapter } from '@yardmaster/providers';
import { defaultCatalogPath } from '@yardmaster/deploy';
import { httpToolAdapter, providerFailure as failure } from '../support/http-tools.js';
import { startProviderSim, type SimHandle } from '../support/provider-sim.js';

const ask = (tool: string, args: Record<string, string>): GenerationRequest => ({ model: tool, messages: [], tool: { name: tool, expression: JSON.stringify(args) } });
const call = () => ({ signal: AbortSignal.timeout(10_000) });

describe('HTTP tool pools against provider-sim (the shipped catalog\'s templates)', () => {
  let sim: SimHandle;
  const tools = new Map<string, ProviderAdapter>();
  const catalog = Catalog.load(defaultCatalogPath);

  before(async () => {
    sim = await startProviderSim();
    for (const name of ['weather', 'currency']) tools.set(name, httpToolAdapter(catalog, name, sim.url));
  });
  afterEach(() => sim.clearFaults());
  after(() => sim?.stop());

  it('weather: deterministic example data for the place and day', async () => {
    const a = await tools.get('weather')!.generate(ask('weather', { location: 'São Paulo', when: 'tomorrow' }), call());
    const b = await tools.get('weather')!.generate(ask('weather', { location: 'São Paulo', when: 'tomorrow' }), call());
    assert.equal(a.output, b.output);
    const w = JSON.parse(a.output) as Record<string, unknown>;
    assert.equal(w['location'], 'São Paulo');
    assert.equal(w['when'], 'tomorrow');
    assert.ok(typeof w['temperature_c'] === 'number' && w['temperature_c'] >= -5 && w['temperature_c'] <= 35, a.output);
    const other = JSON.parse((await tools.get('weather')!.generate(ask('weather', { location: 'Oslo', when: 'now' }), call())).output) as Record<string, unknown>;
    assert.equal(other['location'], 'Oslo');
    assert.equal((await sim.stats()).totals['weather']?.requests, 3);
  });

  it('currency: a conversion with an amount, and a rate question without one', async () => {
    const conv = JSON.parse((await tools.get('currency')!.generate(ask('currency', { amount: '100', from: 'EUR', to: 'USD' }), call())).output) as Record<string, unknown>;
    assert.deepEqual([conv['from'], conv['to'], conv['rate'], conv['amount'], conv['result']], ['EUR', 'USD', 1.08696, 100, 108.7]);
    const rate = JSON.parse((await tools.get('currency')!.generate(ask('currency', { from: 'GBP', to: 'JPY' }), call())).output) as Record<string, unknown>;
    assert.equal(rate['rate'], 191.392);
    assert.equal('result' in rate, false);
    const bad = await failure(tools.get('currency')!.generate(ask('currency', { from: 'EUR', to: 'XXX' }), call()));
    assert.deepEqual([bad.code, bad.status], ['bad_request', 400]);
    assert.match(bad.message, /'to' must be a known ISO 4217 code/);
  });

  it('a 5xx fault profile is server_error, a hanging tool times out after the catalog\'s timeout_ms', async () => {
    await sim.faults('weather', { errors: { '500': 1 } });
    const e = await failure(tools.get('weather')!.generate(ask('weather', { location: 'Paris', when: 'today' }), call()));
    assert.deepEqual([e.code, e.status, e.retriable], ['server_error', 500, true]);
    await sim.faults('weather', { hang: 1 });
    const started = Date.now();
    const t = await failure(tools.get('weather')!.generate(ask('weather', { location: 'Paris', when: 'today' }), call()));
    assert.equal(t.code, 'timeout');
    const timeoutMs = catalog.tools.get('weather')!.provider.http_tool!.timeout_ms;
    assert.ok(Date.now() - started >= timeoutMs - 20 && Date.now() - started < timeoutMs + 2000, `${Date.now() - started} ms`);
  });
});
