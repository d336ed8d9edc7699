import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Intent } from '@yardmaster/contracts';
import { stringify } from 'yaml';
import { Catalog, CatalogError, qualityPrior } from './catalog.js';
import { API_KINDS, INTENT_NAMES, PLAN_NAMES, STRATEGY_NAMES } from './vocabulary.js';

/** The catalog shipped with the router (libs/catalog/dist → services/router/catalog.yaml). */
export const REPO_CATALOG = join(__dirname, '..', '..', '..', 'services', 'router', 'catalog.yaml');

const latency = { first_token_ms: 500, tokens_per_s: 100, source: 'example' };
const quality = (d: number) => ({ default: d, source: 'example' });

/** A small valid catalog as a plain object; tests copy and break it. */
export function baseCatalog() {
  return {
    version: 'test-1',
    providers: [
      { name: 'cloud', pool: 'cloud', api: 'openai-chat', base_url: 'https://cloud.example/v1', credentials: { env: 'CLOUD_API_KEY' } },
      { name: 'local', pool: 'local-gpu', api: 'openai-chat', base_url: 'http://gpu:8000/v1', self_hosted: true, region: 'eu' },
      { name: 'calc', pool: 'calculator', api: 'tool', self_hosted: true },
    ] as Record<string, unknown>[],
    models: [
      { name: 'small', provider: 'cloud', tier: 'small', input_price_per_mtok: 0.1, output_price_per_mtok: 0.4, price_source: 'vendor page, 2026-01', context_window: 16000, max_output_tokens: 4000, capabilities: ['json'], latency, quality: quality(0.7) },
      { name: 'big', provider: 'cloud', tier: 'frontier', input_price_per_mtok: 5, output_price_per_mtok: 15, price_source: 'vendor page, 2026-01', context_window: 128000, max_output_tokens: 16000, latency, quality: { default: 0.9, intents: { code: 0.95 }, source: 'example' } },
      { name: 'tiny', provider: 'local', tier: 'small', input_price_per_mtok: 0, output_price_per_mtok: 0, price_source: 'example', context_window: 8192, max_output_tokens: 2048, latency, quality: quality(0.5) },
      { name: 'calculator', provider: 'calc', kind: 'tool', tier: 'tool', input_price_per_mtok: 0, output_price_per_mtok: 0, price_source: 'example', context_window: 100000, max_output_tokens: 100, latency, quality: quality(1) },
    ] as Record<string, unknown>[],
    tiers: { standard: {}, free: { strategy: 'cost', allowed_models: ['small', 'tiny'] } } as Record<string, Record<string, unknown>>,
    tenants: { acme: 'free' } as Record<string, string>,
    aliases: { auto: {}, 'auto:cheap': { strategy: 'cost' } } as Record<string, Record<string, unknown>>,
    rules: [] as Record<string, unknown>[],
  };
}

/** Runs `fn`, asserts it throws a CatalogError, and returns the error. */
export function catalogError(fn: () => unknown): CatalogError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof CatalogError, `expected a CatalogError, got ${String(caught)}`);
  assert.equal(caught.code, 'invalid_catalog');
  return caught;
}

describe('vocabulary', () => {
  it('takes intents, plans and strategies from the protobuf enums', () => {
    assert.equal(INTENT_NAMES.length, 15);
    assert.ok(INTENT_NAMES.includes('open_qa') && INTENT_NAMES.includes('image_generation'));
    assert.deepEqual([...PLAN_NAMES].sort(), ['cascade', 'chain', 'draft_review', 'hedge', 'judge', 'single', 'tool', 'vote']);
    assert.deepEqual([...STRATEGY_NAMES].sort(), ['balanced', 'cost', 'latency', 'quality']);
  });
});

describe('Catalog.load of the repository catalog', () => {
  const catalog = Catalog.load(REPO_CATALOG);

  it('loads and validates, with the agreed pools and API kinds', () => {
    assert.match(catalog.version, /^\d{4}-\d{2}-\d{2}\.\d+$/);
    assert.deepEqual(Object.fromEntries(catalog.poolApis()), {
      openai: 'openai-chat',
      anthropic: 'anthropic-messages',
      google: 'gemini',
      local: 'openai-chat',
      images: 'openai-images',
      calculator: 'tool',
      weather: 'http-tool',
      currency: 'http-tool',
    });
    for (const api of catalog.poolApis().values()) assert.ok((API_KINDS as readonly string[]).includes(api));
  });

  it('ships a frontier model per major vendor, small models, a code specialist, a self-hosted model, an image model and the calculator', () => {
    const tiersOf = (provider: string) => catalog.data.models.filter((m) => m.provider === provider).map((m) => m.tier);
    for (const vendor of ['openai', 'anthropic', 'google']) {
      assert.ok(tiersOf(vendor).includes('frontier'), `${vendor} frontier`);
      assert.ok(tiersOf(vendor).includes('small'), `${vendor} small`);
    }
    assert.ok(catalog.data.models.some((m) => m.tier === 'specialist' && (m.quality.intents['code'] ?? 0) > m.quality.default));
    assert.ok(catalog.models.some((m) => m.provider.self_hosted && m.data.kind === 'chat'));
    assert.ok(catalog.models.some((m) => m.data.kind === 'image'));
    assert.equal(catalog.tools.get('calculator')?.provider.pool, 'calculator');
    // The HTTP tool pools, pointing at provider-sim's example tools.
    for (const tool of ['weather', 'currency']) {
      const m = catalog.tools.get(tool);
      assert.equal(m?.provider.pool, tool);
      assert.equal(m?.provider.api, 'http-tool');
      assert.equal(m?.provider.http_tool?.tool, tool);
      assert.match(m?.provider.http_tool?.path ?? '', new RegExp(`^/tools/${tool}\\?`));
    }
  });

  it('labels every price and prior with a dated source or as an example, and never holds a key', () => {
    for (const m of catalog.data.models) {
      for (const s of [m.price_source, m.quality.source, m.latency.source]) assert.match(s, /\d{4}-\d{2}|example/i, m.name);
    }
    for (const p of catalog.data.providers) assert.doesNotMatch(JSON.stringify(p), /sk-[A-Za-z0-9]/);
  });

  it('resolves tenants to tiers, aliases and per-intent priors', () => {
    assert.equal(catalog.tierOf('dev').name, 'standard');
    assert.equal(catalog.tierOf('someone-else').name, 'standard');
    for (const a of ['auto', 'auto:cheap', 'auto:best', 'auto:fast']) assert.ok(catalog.isModelName(a), a);
    assert.ok(catalog.isModelName('gpt-5.5'));
    assert.ok(!catalog.isModelName('gpt-4o'));
    const coder = catalog.model('qwen3-coder-30b-a3b-instruct')!;
    assert.ok(qualityPrior(coder, Intent.CODE) > qualityPrior(coder, Intent.CHAT));
  });
});

describe('Catalog.parse', () => {
  it('applies defaults', () => {
    const catalog = Catalog.parse(stringify(baseCatalog()));
    assert.equal(catalog.provider('cloud')?.self_hosted, false);
    assert.equal(catalog.provider('cloud')?.region, 'global');
    assert.deepEqual(catalog.model('big')?.data.capabilities, []);
    assert.equal(catalog.model('big')?.data.kind, 'chat');
    assert.equal(catalog.data.tiers['standard']?.strategy, 'balanced');
    assert.equal(catalog.data.tiers['standard']?.pii_policy, 'private');
    assert.equal(catalog.data.defaults.tier, 'standard');
    assert.deepEqual(catalog.pools(), ['cloud', 'local-gpu', 'calculator']);
    assert.deepEqual(catalog.models.map((m) => m.name), ['small', 'big', 'tiny']);
    assert.equal(catalog.tierOf('acme').name, 'free');
    assert.equal(qualityPrior(catalog.model('big')!, Intent.CODE), 0.95);
    assert.equal(qualityPrior(catalog.model('big')!, Intent.CHAT), 0.9);
    assert.match(catalog.digest, /^[0-9a-f]{12}$/);
  });

  it('reports invalid YAML with its source', () => {
    const err = catalogError(() => Catalog.parse('version: "1\nproviders: [', 'bad.yaml'));
    assert.equal(err.source, 'bad.yaml');
    assert.equal(err.problems.length, 1);
    assert.match(err.problems[0]!, /^YAML: /);
    assert.match(err.message, /invalid model catalog bad\.yaml/);
  });

  it('lists every schema error at once: ranges, pools, capabilities, unknown keys, unsourced prices, pasted keys', () => {
    const data = baseCatalog();
    data.models[0]!['input_price_per_mtok'] = -1;
    data.providers[1]!['pool'] = 'Local_GPU';
    data.models[1]!['capabilities'] = ['vision', 'telepathy'];
    data.models[1]!['prise'] = 3;
    data.models[2]!['price_source'] = 'somebody said so';
    data.providers[0]!['credentials'] = { env: 'sk-live-123' };
    data.tiers['standard']!['strategy'] = 'cheapest';
    const err = catalogError(() => Catalog.parse(stringify(data)));
    const text = err.problems.join('\n');
    assert.equal(err.problems.length, 7, text);
    assert.match(text, /^models\.0\.input_price_per_mtok: /m);
    assert.match(text, /^providers\.1\.pool: pool must be lowercase letters, digits and dashes$/m);
    assert.match(text, /^models\.1\.capabilities\.1: /m);
    assert.match(text, /^models\.1: .*prise/m);
    assert.match(text, /^models\.2\.price_source: name a source with a date/m);
    assert.match(text, /^providers\.0\.credentials\.env: an environment variable NAME/m);
    assert.match(text, /^tiers\.standard\.strategy: /m);
    for (const p of err.problems) assert.ok(err.message.includes(`  - ${p}`), `message lists "${p}"`);
  });

  it('lists every cross-reference error at once', () => {
    const data = baseCatalog();
    data.models[2]!['provider'] = 'nowhere';
    data.models.push({ ...data.models[0]!, input_price_per_mtok: 0.2 });
    data.models[3]!['provider'] = 'cloud'; // a tool model on a chat provider
    data.providers.push({ name: 'other', pool: 'cloud', api: 'anthropic-messages', base_url: 'https://other.example' });
    data.tiers['free']!['allowed_models'] = ['small', 'ghost'];
    data.tenants['beta'] = 'platinum';
    data.aliases['small'] = {};
    data.aliases['auto:x'] = { models: ['phantom'] };
    data.rules.push({ name: 'r1', when: { tier: ['gold'] }, then: { model: 'spectre', pool: 'nopool' } });
    data.rules.push({ name: 'r1', when: { complexity_min: 0.8, complexity_max: 0.2 }, then: { plan: 'vote' } });
    const err = catalogError(() => Catalog.parse(stringify(data), 'x.yaml'));
    assert.deepEqual([...err.problems].sort(), [
      'alias "small" is also a model name',
      'aliases.auto:x.models names unknown model "phantom"',
      'model "calculator" (kind tool) cannot be served by provider "cloud" (api openai-chat)',
      'model "small" is defined twice',
      'model "tiny" names unknown provider "nowhere"',
      'pool "cloud" mixes API kinds openai-chat and anthropic-messages (one worker per pool speaks one API)',
      'rule "r1" is defined twice',
      'rules[0] "r1" names unknown model "spectre"',
      'rules[0] "r1" names unknown pool "nopool"',
      'rules[0] "r1" names unknown tier "gold"',
      'rules[1] "r1": complexity_min 0.8 > complexity_max 0.2',
      'tenants.beta names unknown tier "platinum"',
      'tiers.free.allowed_models names unknown model "ghost"',
    ]);
  });

  it('rejects a rule without actions, an unknown intent and an injection policy without its model', () => {
    const data = baseCatalog();
    data.rules.push({ name: 'empty', when: { intent: ['poetry'] }, then: {} });
    data.tiers['standard']!['injection'] = { action: 'model' };
    const text = catalogError(() => Catalog.parse(stringify(data))).problems.join('\n');
    assert.match(text, /^rules\.0\.when\.intent\.0: /m);
    assert.match(text, /^rules\.0\.then: a rule needs at least one action$/m);
    assert.match(text, /^tiers\.standard\.injection: action "model" needs a model$/m);
  });
});

describe('docs/examples/catalog-orders.yaml (the documented order and customer record pools)', () => {
  const example = Catalog.load(join(__dirname, '..', '..', '..', 'docs', 'examples', 'catalog-orders.yaml'));

  it('loads and validates: order_lookup and customer_lookup pools with a path template, a credential header, a timeout and 404 as an answer', () => {
    assert.deepEqual(Object.fromEntries(example.poolApis()), { chat: 'openai-chat', orders: 'http-tool', customers: 'http-tool' });
    const orders = example.tools.get('order_lookup');
    assert.equal(orders?.name, 'orders');
    assert.deepEqual(orders?.provider.http_tool, {
      tool: 'order_lookup',
      method: 'GET',
      path: '/tools/orders/{order_id}',
      headers: { authorization: 'Bearer {credential}', accept: 'application/json' },
      timeout_ms: 1500,
      not_found: 'answer',
    });
    assert.deepEqual(orders?.provider.credentials, { env: 'ORDERS_API_KEY' });
    assert.equal(example.tools.get('customer_lookup')?.provider.http_tool?.path, '/tools/customers/{customer_id}');
    // Shoppers (standard) may look up orders but not customer records; the support desk may do both.
    assert.deepEqual(example.tierOf('someone').tier.allowed_models, ['chat-small', 'orders']);
    assert.equal(example.tierOf('support-desk').name, 'staff');
  });

  it('rejects an unknown not_found meaning', () => {
    const text = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'examples', 'catalog-orders.yaml'), 'utf8').replace('not_found: answer', 'not_found: ignore');
    assert.match(catalogError(() => Catalog.parse(text)).problems.join('\n'), /http_tool\.not_found/);
  });
});

describe('Catalog.parse: http-tool providers', () => {
  const weatherModel = { name: 'weather', provider: 'wx', kind: 'tool', tier: 'tool', input_price_per_mtok: 0, output_price_per_mtok: 0, price_source: 'example', context_window: 100000, max_output_tokens: 100, latency, quality: quality(1) };
  const withTool = (provider: Record<string, unknown>, ...extraModels: Record<string, unknown>[]) => {
    const data = baseCatalog();
    data.providers.push({ name: 'wx', pool: 'weather', api: 'http-tool', base_url: 'https://wx.example', ...provider });
    data.models.push({ ...weatherModel }, ...extraModels);
    return data;
  };

  it('loads a valid one with defaults, keyed by the tool it serves', () => {
    const c = Catalog.parse(stringify(withTool({ credentials: { env: 'WX_KEY' }, http_tool: { tool: 'weather', path: '/v1?q={location}&d={when}', headers: { 'x-api-key': '{credential}' } } })));
    const t = c.tools.get('weather');
    assert.equal(t?.name, 'weather');
    assert.deepEqual(t?.provider.http_tool, { tool: 'weather', method: 'GET', path: '/v1?q={location}&d={when}', headers: { 'x-api-key': '{credential}' }, timeout_ms: 5000, not_found: 'error' });
    assert.equal(c.poolApis().get('weather'), 'http-tool');
    // The model may be named differently from the tool: the tool name routes.
    const renamed = withTool({ http_tool: { tool: 'weather', path: '/w?q={location}' } });
    renamed.models[renamed.models.length - 1]!['name'] = 'acme-weather';
    assert.equal(Catalog.parse(stringify(renamed)).tools.get('weather')?.name, 'acme-weather');
  });

  it('lists every template, method, header and timeout problem with its path', () => {
    const data = withTool({ http_tool: { tool: 'Weather!', method: 'DELETE', path: 'tools/{location}', headers: { 'x-key': 'Bearer abcdefghijklmnopqrstuvwxyz012345', 'x-where': '{location}' }, timeout_ms: 10, extra: 1 } });
    const problems = catalogError(() => Catalog.parse(stringify(data))).problems.join('\n');
    assert.match(problems, /^providers\.3\.http_tool\.tool: a tool name/m);
    assert.match(problems, /^providers\.3\.http_tool\.method: /m);
    assert.match(problems, /^providers\.3\.http_tool\.path: a path starting with \/$/m);
    assert.match(problems, /^providers\.3\.http_tool\.timeout_ms: /m);
    assert.match(problems, /^providers\.3\.http_tool: Unrecognized key: "extra"/m);
    const bad = withTool({ http_tool: { tool: 'weather', path: '/w?q={loc ation}&x={', headers: { 'x-key': 'Bearer abcdefghijklmnopqrstuvwxyz012345', 'x-where': '{location}' } } });
    const text = catalogError(() => Catalog.parse(stringify(bad))).problems.join('\n');
    assert.match(text, /^providers\.3\.http_tool\.path: placeholder \{loc ation\} is not an argument name/m);
    assert.match(text, /^providers\.3\.http_tool\.path: unbalanced \{ or \}$/m);
    assert.match(text, /^providers\.3\.http_tool\.headers\.x-key: looks like a literal secret/m);
    assert.match(text, /^providers\.3\.http_tool\.headers\.x-where: only \{credential\} may be used in a header, not \{location\}$/m);
    // The literal secret is not echoed back in the problem.
    assert.ok(!text.includes('abcdefghijklmnopqrstuvwxyz012345'));
  });

  it('lists every cross-reference problem: missing http_tool or base_url, credentials, two providers per pool, two models per tool, http_tool on another api', () => {
    const data = withTool({ base_url: undefined }, { ...weatherModel, name: 'weather-2', provider: 'wx2' });
    data.providers.push({ name: 'wx2', pool: 'weather', api: 'http-tool', base_url: 'https://wx2.example', http_tool: { tool: 'weather', path: '/x', headers: { authorization: 'Bearer {credential}' } } });
    data.providers.push({ name: 'wx3', pool: 'wx3', api: 'http-tool', base_url: 'https://wx3.example', credentials: { env: 'WX3_KEY' }, http_tool: { tool: 'rates', path: '/r' } });
    data.providers[0]!['http_tool'] = { tool: 'weather', path: '/x' };
    const err = catalogError(() => Catalog.parse(stringify(data), 'x.yaml'));
    assert.deepEqual([...err.problems].sort(), [
      'pool "weather" has 2 http-tool providers (its worker calls one endpoint: one provider per http-tool pool)',
      'provider "cloud": http_tool is only for api http-tool (it has api openai-chat)',
      'provider "wx" (api http-tool) needs base_url (the tool\'s endpoint; the worker may override it with PROVIDER_BASE_URL)',
      'provider "wx" (api http-tool) needs http_tool: { tool, path, method, headers, timeout_ms }',
      'provider "wx2": a header uses {credential} but the provider has no credentials',
      'provider "wx3": credentials are given but no http_tool header uses {credential}',
      'tool "weather" is served by two models, "weather" and "weather-2" (the router sends a tool suggestion to one)',
    ]);
  });

  it('a chat model cannot use an http-tool provider', () => {
    const data = withTool({ http_tool: { tool: 'weather', path: '/w' } });
    data.models[0]!['provider'] = 'wx';
    assert.ok(catalogError(() => Catalog.parse(stringify(data))).problems.includes('model "small" (kind chat) cannot be served by provider "wx" (api http-tool)'));
  });
});

describe('Catalog.load', () => {
  it('reports a missing file with its path', () => {
    const path = join(__dirname, 'no-such-catalog.yaml');
    const err = catalogError(() => Catalog.load(path));
    assert.equal(err.source, path);
    assert.equal(err.problems.length, 1);
    assert.match(err.problems[0]!, /^cannot read: .*ENOENT/);
  });
});
