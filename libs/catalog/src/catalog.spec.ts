import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { Catalog, CatalogError } from './catalog.js';

/** The catalog shipped with the router (libs/catalog/dist → services/router/catalog.yaml). */
const REPO_CATALOG = join(__dirname, '..', '..', '..', 'services', 'router', 'catalog.yaml');

/** A small valid catalog as a plain object; tests copy and break it. */
function base() {
  return {
    version: 'test-1',
    providers: [
      { name: 'cloud', pool: 'cloud', api: 'openai-chat' },
      { name: 'local', pool: 'local-gpu', api: 'openai-chat', self_hosted: true },
    ],
    models: [
      { name: 'small', provider: 'cloud', tier: 'small', input_price_per_mtok: 0.1, output_price_per_mtok: 0.4, context_window: 16000, typical_latency_ms: 800, capabilities: ['json'] },
      { name: 'big', provider: 'cloud', tier: 'frontier', input_price_per_mtok: 5, output_price_per_mtok: 15, context_window: 128000, typical_latency_ms: 3000 },
      { name: 'tiny', provider: 'local', tier: 'small', input_price_per_mtok: 0, output_price_per_mtok: 0, context_window: 8192, typical_latency_ms: 400 },
    ],
    policy: {
      default: { primary: 'small', strong: 'big', fallbacks: ['tiny'] },
      intents: { chat: { primary: 'tiny', fallbacks: ['small'] } },
    },
  };
}

/** Runs `fn`, asserts it throws a CatalogError, and returns the error. */
function catalogError(fn: () => unknown): CatalogError {
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

describe('Catalog.load of the repository catalog', () => {
  const catalog = Catalog.load(REPO_CATALOG);

  it('loads and validates', () => {
    assert.equal(catalog.version, '2026-11-22.1');
    assert.deepEqual(
      catalog.data.models.map((m) => m.name),
      ['gpt-4o-mini', 'gpt-4o', 'llama-3.1-8b-instruct', 'qwen2.5-coder-32b-instruct'],
    );
    assert.equal(catalog.data.policy.strong_threshold, 0.6);
    assert.equal(catalog.model('gpt-4o')?.provider, 'openai');
    assert.equal(catalog.provider('local')?.self_hosted, true);
    assert.equal(catalog.model('no-such-model'), undefined);
  });

  it('routes known intents to their own route and the rest to the default', () => {
    assert.equal(catalog.route('code').primary, 'qwen2.5-coder-32b-instruct');
    assert.equal(catalog.route('chat').primary, 'llama-3.1-8b-instruct');
    assert.equal(catalog.route('chat').strong, undefined);
    assert.deepEqual(catalog.route('writing'), catalog.data.policy.default);
    assert.deepEqual(catalog.route('unspecified'), { primary: 'gpt-4o-mini', strong: 'gpt-4o', fallbacks: ['llama-3.1-8b-instruct'] });
  });

  it('lists each worker pool once', () => {
    assert.deepEqual(catalog.pools(), ['openai', 'local']);
  });
});

describe('Catalog.parse', () => {
  it('applies defaults', () => {
    const catalog = Catalog.parse(stringify(base()));
    assert.equal(catalog.data.policy.strong_threshold, 0.6);
    assert.equal(catalog.provider('cloud')?.self_hosted, false);
    assert.deepEqual(catalog.model('big')?.capabilities, []);
    assert.deepEqual(catalog.pools(), ['cloud', 'local-gpu']);
    assert.equal(catalog.route('chat').primary, 'tiny');
    assert.equal(catalog.route('code').primary, 'small');
  });

  it('deduplicates pools shared by providers', () => {
    const data = base();
    data.providers.push({ name: 'cloud-eu', pool: 'cloud', api: 'openai-chat' });
    assert.deepEqual(Catalog.parse(stringify(data)).pools(), ['cloud', 'local-gpu']);
  });

  it('reports invalid YAML with its source', () => {
    const err = catalogError(() => Catalog.parse('version: "1\nproviders: [', 'bad.yaml'));
    assert.equal(err.source, 'bad.yaml');
    assert.equal(err.problems.length, 1);
    assert.match(err.problems[0]!, /^YAML: /);
    assert.match(err.message, /invalid model catalog bad\.yaml/);
  });

  it('reports an empty document as a schema error', () => {
    const err = catalogError(() => Catalog.parse(''));
    assert.equal(err.source, '<inline>');
    assert.match(err.problems.join('\n'), /\(root\)/);
  });

  it('lists every schema error at once', () => {
    const data = base();
    data.models[0]!.input_price_per_mtok = -1;
    data.providers[1]!.pool = 'Local_GPU';
    data.models[1]!.capabilities = ['vision', 'telepathy'];
    const err = catalogError(() => Catalog.parse(stringify(data)));
    assert.equal(err.problems.length, 3, err.problems.join('\n'));
    const text = err.problems.join('\n');
    assert.match(text, /^models\.0\.input_price_per_mtok: /m);
    assert.match(text, /^providers\.1\.pool: pool must be lowercase letters, digits and dashes$/m);
    assert.match(text, /^models\.1\.capabilities\.1: /m);
    for (const p of err.problems) assert.ok(err.message.includes(`  - ${p}`), `message lists "${p}"`);
  });

  it('rejects a strong_threshold outside [0, 1] and an unknown intent', () => {
    const data = { ...base(), policy: { ...base().policy, strong_threshold: 1.5, intents: { poetry: { primary: 'small' } } } };
    const text = catalogError(() => Catalog.parse(stringify(data))).problems.join('\n');
    assert.match(text, /^policy\.strong_threshold: /m);
    assert.match(text, /^policy\.intents: .*"poetry"/m);
  });

  it('lists every cross-reference error at once', () => {
    const data = base();
    data.models[2]!.provider = 'nowhere';
    data.models.push({ ...data.models[0]!, input_price_per_mtok: 0.2 });
    data.policy.intents.chat.fallbacks = ['small', 'ghost'];
    data.policy.default.strong = 'phantom';
    const err = catalogError(() => Catalog.parse(stringify(data), 'x.yaml'));
    assert.deepEqual([...err.problems].sort(), [
      'model "small" is defined twice',
      'model "tiny" names unknown provider "nowhere"',
      'policy.default names unknown model "phantom"',
      'policy.intents.chat names unknown model "ghost"',
    ]);
  });

  it('rejects duplicate provider names', () => {
    const data = base();
    data.providers.push({ name: 'local', pool: 'other', api: 'openai-chat' });
    assert.deepEqual(catalogError(() => Catalog.parse(stringify(data))).problems, ['provider "local" is defined twice']);
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
