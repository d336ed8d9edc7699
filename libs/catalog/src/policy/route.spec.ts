import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Capability,
  ClassificationSchema,
  ComplexityBand,
  GenerationParamsSchema,
  Intent,
  PiiKind,
  PlanKind,
  Privacy,
  ResponseFormat,
  RoutingHintsSchema,
  RoutingMode,
  Strategy,
  TargetRole,
  ToolChoiceMode,
  ToolChoiceSchema,
  ToolDefinitionSchema,
  ToolSuggestionSchema,
  create,
  textRequest,
  type MessageInitShape,
  type RoutingDecision,
} from '@yardmaster/contracts';
import { Catalog } from '../catalog.js';
import { ErrorClasses } from '../vocabulary.js';
import { route } from './route.js';
import type { AffinityEntry, HealthView, Routed, TargetHealthView } from './types.js';

// Prices, windows and priors are chosen so every ordering below is unambiguous.
// Expected quality at complexity 0.5 equals the prior. cost: home < cheap < mid < best;
// quality: cheap 0.6 < home 0.72 < mid 0.8 < best 0.92; latency (150 output tokens):
// cheap 1050 ms < home 1200 ms < mid 2100 ms < best 5750 ms. Balanced (0.05 per decade
// of cost, 0.005 per second): best 0.76 > home 0.71 > mid 0.70.
const catalogText = `
version: policy-test-9
defaults: { tier: standard, output_tokens: 150, language_penalty: 0.1 }
providers:
  - { name: cloud-a, pool: a, api: openai-chat, base_url: "https://a.example/v1", region: us }
  - { name: cloud-b, pool: b, api: anthropic-messages, base_url: "https://b.example/v1", region: eu }
  - { name: local, pool: local, api: openai-chat, base_url: "http://gpu:8000/v1", self_hosted: true, region: eu }
  - { name: img, pool: images, api: openai-images, base_url: "https://a.example/v1", region: us }
  - { name: calculator, pool: calculator, api: tool, self_hosted: true }
models:
  - name: cheap
    provider: cloud-a
    tier: small
    input_price_per_mtok: 0.1
    output_price_per_mtok: 0.4
    price_source: example
    context_window: 16000
    max_output_tokens: 4000
    capabilities: [json]
    latency: { first_token_ms: 300, tokens_per_s: 200, source: example }
    quality: { default: 0.6, complexity_slope: 0.3, source: example }
  - name: mid
    provider: cloud-a
    tier: mid
    input_price_per_mtok: 1
    output_price_per_mtok: 4
    price_source: example
    context_window: 128000
    max_output_tokens: 16000
    capabilities: [json, vision, tools]
    latency: { first_token_ms: 600, tokens_per_s: 100, source: example }
    quality: { default: 0.8, complexity_slope: 0.15, source: example }
  - name: best
    provider: cloud-b
    tier: frontier
    input_price_per_mtok: 5
    output_price_per_mtok: 25
    price_source: example
    context_window: 200000
    max_output_tokens: 32000
    capabilities: [json, vision, tools]
    latency: { first_token_ms: 2000, tokens_per_s: 40, source: example }
    quality: { default: 0.92, intents: { code: 0.95 }, complexity_slope: 0.05, source: example }
  - name: home
    provider: local
    tier: open
    input_price_per_mtok: 0.02
    output_price_per_mtok: 0.05
    price_source: example
    context_window: 32000
    max_output_tokens: 8000
    capabilities: [json]
    languages: [en]
    latency: { first_token_ms: 200, tokens_per_s: 150, source: example }
    quality: { default: 0.72, complexity_slope: 0.2, source: example }
  - name: painter
    provider: img
    kind: image
    tier: image
    input_price_per_mtok: 5
    output_price_per_mtok: 0
    price_per_image: 0.04
    price_source: example
    context_window: 32000
    max_output_tokens: 4096
    capabilities: [image_output]
    latency: { first_token_ms: 10000, tokens_per_s: 1000, source: example }
    quality: { default: 0.85, source: example }
  - name: calculator
    provider: calculator
    kind: tool
    tier: tool
    input_price_per_mtok: 0
    output_price_per_mtok: 0
    price_source: example
    context_window: 100000
    max_output_tokens: 100
    latency: { first_token_ms: 2, tokens_per_s: 100000, source: example }
    quality: { default: 1, complexity_slope: 0, source: example }
tiers:
  standard: { strategy: balanced, quality_floor: 0.7, max_cost_usd: 1, max_fallbacks: 3 }
  free: { strategy: cost, quality_floor: 0.55, allowed_models: [cheap, home, painter, calculator], injection: { action: refuse }, max_fallbacks: 1 }
  gold: { strategy: quality, pii_policy: allow, injection: { action: model, model: best }, regions: [eu] }
  strict: { pii_policy: refuse }
  careful: { plan: cascade }
  lean: { strategy: cost, quality_floor: 0.5, max_fallbacks: 1 }
tenants: { f: free, g: gold, s: strict, c: careful, l: lean }
aliases:
  auto: {}
  "auto:cheap": { strategy: cost }
  "auto:best": { strategy: quality }
  "auto:fast": { strategy: latency }
  "auto:private": { privacy: self_hosted_only }
  "auto:a-only": { models: [cheap, mid] }
rules:
  - { name: blocked, when: { metadata: { blocked: "yes" } }, then: { deny: "this team may not use the router" } }
  - { name: hard-code-to-best, when: { intent: [code], band: [high] }, then: { model: best } }
  - { name: research-votes, when: { metadata: { team: [research, science] } }, then: { plan: vote } }
  - { name: labels-cheap, when: { intent: [classification] }, then: { strategy: cost } }
  - { name: critical-floor, when: { metadata: { critical: "true" } }, then: { quality_floor: 0.9 } }
  - { name: research-judges-too, when: { metadata: { team: [research] } }, then: { plan: judge } }
`;
const catalog = Catalog.parse(catalogText);

interface Init {
  classification?: MessageInitShape<typeof ClassificationSchema>;
  hints?: MessageInitShape<typeof RoutingHintsSchema>;
  params?: MessageInitShape<typeof GenerationParamsSchema>;
  tenant?: string;
  metadata?: Record<string, string>;
  /** Another catalog than the shared one. */
  catalog?: Catalog;
  /** Tools the request offers the model, and the caller's tool choice. */
  tools?: { choice?: ToolChoiceMode };
  health?: Record<string, Partial<TargetHealthView>>;
  affinity?: AffinityEntry;
}

const NOW = 1_800_000_000_000;

function health(entries: Record<string, Partial<TargetHealthView>>): HealthView {
  const map = new Map(
    Object.entries(entries).map(([k, v]) => [k, { errorRate: 0, latencyMs: 0, samples: 0, circuitOpenUntilMs: 0, cooldownUntilMs: 0, headroom: undefined, reason: '', ...v }]),
  );
  return { get: (t) => map.get(t) };
}

/** Routes a one-message request; defaults to a medium-complexity English chat of 100 input tokens. */
function decide(init: Init = {}): Routed {
  const request = textRequest('hello there', { requestId: 'req-42', tenantId: init.tenant ?? 'acme' });
  if (init.hints) request.hints = create(RoutingHintsSchema, init.hints);
  if (init.params) request.params = create(GenerationParamsSchema, init.params);
  if (init.metadata) request.metadata = init.metadata;
  if (init.tools) {
    request.tools = [create(ToolDefinitionSchema, { name: 'get_weather', parametersJson: '{"type":"object"}' })];
    if (init.tools.choice !== undefined) request.toolChoice = create(ToolChoiceSchema, { mode: init.tools.choice });
  }
  const classification = create(ClassificationSchema, {
    requestId: 'req-42',
    intent: Intent.CHAT,
    intentConfidence: 0.9,
    complexity: 0.5,
    band: ComplexityBand.MEDIUM,
    language: 'en',
    inputTokens: 100,
    ...init.classification,
  });
  return route(init.catalog ?? catalog, { request, classification, nowMs: NOW, ...(init.health ? { health: health(init.health) } : {}), ...(init.affinity ? { affinity: init.affinity } : {}) });
}

function ok(routed: Routed): RoutingDecision {
  assert.ok(routed.ok, `expected a decision, got ${routed.ok ? '' : `${routed.code}: ${routed.reason}`}`);
  return routed.decision;
}
function failed(routed: Routed): Extract<Routed, { ok: false }> {
  assert.ok(!routed.ok, `expected a refusal, got a decision: ${routed.ok ? routed.decision.reason : ''}`);
  return routed;
}

const first = (d: RoutingDecision) => d.targets[0]!.model;
const models = (d: RoutingDecision) => d.targets.map((t) => t.model);
const excludedBy = (d: { candidates: RoutingDecision['candidates'] }, model: string) => d.candidates.find((c) => c.model === model)?.excluded;
const constraint = (d: { constraints: RoutingDecision['constraints'] }, name: string) => d.constraints.find((c) => c.name === name);

describe('route: the decision record', () => {
  it('names the catalog version, tier, intent, strategy, floor and every candidate with its score components', () => {
    const d = ok(decide());
    assert.equal(d.catalogVersion, 'policy-test-9');
    assert.equal(d.policyVersion, 'policy-test-9');
    assert.equal(d.tier, 'standard');
    assert.equal(d.alias, 'auto');
    assert.equal(d.intent, 'chat');
    assert.equal(d.strategy, Strategy.BALANCED);
    assert.equal(d.qualityFloor, 0.7);
    assert.deepEqual(d.candidates.map((c) => c.model).sort(), ['best', 'cheap', 'home', 'mid']);
    const mid = d.candidates.find((c) => c.model === 'mid')!;
    assert.equal(mid.quality, 0.8);
    assert.equal(mid.costUsd, (100 * 1 + 150 * 4) / 1e6);
    assert.equal(mid.latencyMs, 2100);
    assert.equal(mid.score, mid.utility);
    assert.equal(mid.excluded, '');
    assert.equal(d.expectedCostUsd, d.candidates.find((c) => c.model === first(d))!.costUsd);
  });

  it('explains the choice in one line: intent, complexity, tier, the model and why others lost', () => {
    const d = ok(decide({ classification: { imageInput: true } }));
    assert.match(d.reason, /^chat \(0\.90\), medium complexity 0\.50, tier standard, alias auto, balanced; best balanced → best \(quality 0\.92, \$0\.0043, 5\.8 s\)/);
    assert.match(d.reason, /excluded: cheap \(capability: lacks vision\), home \(capability: lacks vision\)/);
    assert.match(d.reason, /fallbacks: mid$/);
  });
});

describe('route: strategies are objectives', () => {
  it('cost: the cheapest candidate that clears the quality floor', () => {
    const d = ok(decide({ hints: { strategy: Strategy.COST } }));
    assert.equal(first(d), 'home'); // cheap is cheaper but 0.6 < floor 0.7
    assert.match(d.reason, /cheap below quality floor 0\.70/);
    assert.equal(d.candidates[0]!.score, -d.candidates[0]!.costUsd);
  });

  it('quality: the best expected quality under the cost ceiling', () => {
    assert.equal(first(ok(decide({ hints: { strategy: Strategy.QUALITY } }))), 'best');
    const capped = ok(decide({ hints: { strategy: Strategy.QUALITY, maxCostUsd: 0.002 } }));
    assert.equal(first(capped), 'mid');
    assert.deepEqual(constraint(capped, 'max_cost')?.models, ['best']);
  });

  it('latency: the fastest candidate above the floor', () => {
    assert.equal(first(ok(decide({ hints: { strategy: Strategy.LATENCY } }))), 'home');
  });

  it('balanced: the highest utility (quality less relative cost and latency) above the floor', () => {
    const d = ok(decide());
    const eligible = d.candidates.filter((c) => c.excluded === '' && c.quality >= 0.7);
    const top = eligible.reduce((a, b) => (b.utility > a.utility ? b : a));
    assert.equal(first(d), top.model);
    // Utility is quality less 0.05 per decade of cost over the cheapest and 0.005 per second.
    const home = d.candidates.find((c) => c.model === 'home')!;
    const cheapest = Math.min(...d.candidates.map((c) => c.costUsd));
    assert.ok(Math.abs(home.utility - (0.72 - 0.05 * Math.log10((home.costUsd + 1e-6) / (cheapest + 1e-6)) - 0.005 * 1.2)) < 1e-9);
  });

  it('complexity lowers the expected quality of weak models faster', () => {
    const easy = ok(decide({ classification: { complexity: 0.1, band: ComplexityBand.LOW } }));
    const hard = ok(decide({ classification: { complexity: 0.95, band: ComplexityBand.HIGH } }));
    const q = (d: RoutingDecision, m: string) => d.candidates.find((c) => c.model === m)!.quality;
    assert.ok(q(easy, 'cheap') - q(hard, 'cheap') > q(easy, 'best') - q(hard, 'best'));
    assert.equal(first(hard), 'best'); // mid falls to 0.73, home to 0.63 (below floor)
  });

  it('a language the model does not list costs it the language penalty', () => {
    const d = ok(decide({ classification: { language: 'de' } }));
    assert.ok(Math.abs(d.candidates.find((c) => c.model === 'home')!.quality - 0.62) < 1e-9);
  });

  it('when nothing clears the floor, takes the best available and says so', () => {
    const d = ok(decide({ hints: { maxCostUsd: 0.0001 }, classification: { complexity: 1, band: ComplexityBand.HIGH } }));
    assert.match(d.reason, /no candidate clears quality floor 0\.70: best available/);
    assert.equal(first(d), 'home'); // 0.62 > cheap 0.45
  });
});

describe('route: constraints, each reported', () => {
  it('context window: input plus requested output must fit', () => {
    const d = ok(decide({ classification: { inputTokens: 20_000 } }));
    assert.equal(excludedBy(d, 'cheap'), 'context_window');
    assert.match(constraint(d, 'context_window')!.detail, /needs 20150 tokens, window 16000/);
  });

  it('max output: max_tokens above what a model can generate', () => {
    const d = ok(decide({ params: { maxTokens: 10_000 } }));
    assert.equal(excludedBy(d, 'cheap'), 'max_output');
    assert.equal(excludedBy(d, 'home'), 'max_output');
  });

  it('capabilities: image input needs vision, JSON output needs json, a required capability is required', () => {
    const vision = ok(decide({ classification: { imageInput: true } }));
    assert.deepEqual(constraint(vision, 'capability')?.models.sort(), ['cheap', 'home']);
    const tools = ok(decide({ hints: { requiredCapabilities: [Capability.TOOLS] } }));
    assert.equal(excludedBy(tools, 'home'), 'capability');
    const json = ok(decide({ params: { responseFormat: ResponseFormat.JSON } }));
    assert.equal(json.candidates.filter((c) => c.excluded === 'capability').length, 0);
  });

  it('capabilities: a request with tools needs the tools capability, unless tool_choice is none', () => {
    const withTools = ok(decide({ tools: {} }));
    assert.equal(excludedBy(withTools, 'home'), 'capability');
    assert.match(constraint(withTools, 'capability')!.detail, /tools/);
    const required = ok(decide({ tools: { choice: ToolChoiceMode.REQUIRED } }));
    assert.equal(excludedBy(required, 'home'), 'capability');
    const none = ok(decide({ tools: { choice: ToolChoiceMode.NONE } }));
    assert.equal(excludedBy(none, 'home'), '', 'not excluded');
  });

  it('image generation goes to image models only; text requests never to them', () => {
    const img = ok(decide({ classification: { intent: Intent.IMAGE_GENERATION, imageOutput: true } }));
    assert.deepEqual(models(img), ['painter']);
    assert.equal(img.targets[0]!.pool, 'images');
    assert.equal(img.targets[0]!.api, 'openai-images');
    assert.ok(img.expectedCostUsd >= 0.04);
    assert.ok(!ok(decide()).candidates.some((c) => c.model === 'painter'));
  });

  it('pinned model: only that model, no fallbacks; unknown or ineligible pins fail clearly', () => {
    const d = ok(decide({ hints: { mode: RoutingMode.PINNED, pinnedModel: 'cheap' } }));
    assert.deepEqual(models(d), ['cheap']);
    assert.match(d.reason, /pinned by caller → cheap/);
    assert.equal(excludedBy(d, 'mid'), 'pinned');
    const unknown = failed(decide({ hints: { mode: RoutingMode.PINNED, pinnedModel: 'gpt-4o' } }));
    assert.equal(unknown.code, 'unknown_model');
    const tooSmall = failed(decide({ hints: { mode: RoutingMode.PINNED, pinnedModel: 'cheap' }, classification: { inputTokens: 30_000 } }));
    assert.equal(tooSmall.code, 'constraints_unsatisfiable');
    assert.match(tooSmall.reason, /pinned model cheap: needs 30150 tokens, window 16000/);
  });

  it('allowed and denied providers', () => {
    const allowed = ok(decide({ hints: { allowedProviders: ['cloud-b'] } }));
    assert.deepEqual(models(allowed), ['best']);
    assert.equal(excludedBy(allowed, 'mid'), 'provider_allowed');
    const denied = ok(decide({ hints: { deniedProviders: ['cloud-a'] } }));
    assert.ok(!models(denied).some((m) => m === 'cheap' || m === 'mid'));
    assert.deepEqual(constraint(denied, 'provider_denied')?.models, ['cheap', 'mid']);
  });

  it('max cost and max latency', () => {
    const cost = ok(decide({ hints: { maxCostUsd: 0.0001 } }));
    assert.deepEqual(constraint(cost, 'max_cost')?.models.sort(), ['best', 'mid']);
    const latency = ok(decide({ hints: { maxLatencyMs: 2000 } }));
    assert.deepEqual(constraint(latency, 'max_latency')?.models.sort(), ['best', 'mid']);
  });

  it("region: a tier's regions", () => {
    const d = ok(decide({ tenant: 'g' }));
    assert.deepEqual(constraint(d, 'region')?.models.sort(), ['cheap', 'mid']);
    assert.equal(first(d), 'best');
  });

  it("tier models: a tier's allowed models", () => {
    const d = ok(decide({ tenant: 'f' }));
    assert.deepEqual(constraint(d, 'tier_models')?.models.sort(), ['best', 'mid']);
    assert.equal(first(d), 'home'); // cost strategy, floor 0.55
    assert.deepEqual(models(d), ['home', 'cheap']); // max_fallbacks 1
  });
});

describe('route: compliance (PII and privacy)', () => {
  it('PII under a private tier goes to self-hosted models only', () => {
    const d = ok(decide({ classification: { pii: [PiiKind.PAYMENT_CARD] } }));
    assert.deepEqual(models(d), ['home']);
    assert.deepEqual(constraint(d, 'compliance')?.models.sort(), ['best', 'cheap', 'mid']);
    assert.match(d.reason, /request contains PII \(payment_card\) and tier standard keeps PII private/);
  });

  it('fails with no_compliant_model and a clear reason when no self-hosted model can serve it, never leaking', () => {
    const r = failed(decide({ classification: { pii: [PiiKind.EMAIL], imageInput: true } }));
    assert.equal(r.code, 'no_compliant_model');
    assert.match(r.reason, /request contains PII \(email\) and tier standard keeps PII private: no self-hosted model can serve this request/);
    assert.match(r.reason, /home: lacks vision/);
    assert.match(r.reason, /mid: not self-hosted/);
    assert.deepEqual(constraint(r, 'compliance')?.models.sort(), ['best', 'cheap', 'mid']);
  });

  it('the self-hosted-only hint and the auto:private alias keep any request home', () => {
    assert.deepEqual(models(ok(decide({ hints: { privacy: Privacy.SELF_HOSTED_ONLY } }))), ['home']);
    assert.deepEqual(models(ok(decide({ hints: { pinnedModel: 'auto:private' } }))), ['home']);
    const r = failed(decide({ hints: { privacy: Privacy.SELF_HOSTED_ONLY }, classification: { inputTokens: 40_000 } }));
    assert.equal(r.code, 'no_compliant_model');
    assert.match(r.reason, /caller asked for self-hosted only/);
  });

  it('a tier that allows PII routes it anywhere; a tier that refuses it refuses', () => {
    assert.equal(first(ok(decide({ tenant: 'g', classification: { pii: [PiiKind.EMAIL] } }))), 'best');
    const r = failed(decide({ tenant: 's', classification: { pii: [PiiKind.IBAN] } }));
    assert.equal(r.code, 'pii_refused');
    assert.match(r.reason, /contains PII \(iban\); tier strict refuses/);
  });
});

describe('route: injection policy', () => {
  it('refuse, route to a designated model, or route normally, per tier', () => {
    assert.equal(failed(decide({ tenant: 'f', classification: { injectionSuspected: true } })).code, 'injection_refused');
    const gold = ok(decide({ tenant: 'g', classification: { injectionSuspected: true }, hints: { strategy: Strategy.COST } }));
    assert.equal(first(gold), 'best');
    assert.match(gold.reason, /forced by tier gold injection policy → best/);
    assert.match(ok(decide({ classification: { injectionSuspected: true } })).reason, /suspected injection routed normally/);
  });
});

describe('route: rules', () => {
  it('deny refuses with the rule and its reason', () => {
    const r = failed(decide({ metadata: { blocked: 'yes' } }));
    assert.equal(r.code, 'denied_by_rule');
    assert.equal(r.reason, 'denied by rule "blocked": this team may not use the router');
  });

  it('put a model first (and say so), recording the rule; the others stay as fallbacks', () => {
    const d = ok(decide({ classification: { intent: Intent.CODE, complexity: 0.9, band: ComplexityBand.HIGH }, hints: { strategy: Strategy.COST } }));
    assert.equal(first(d), 'best');
    assert.ok(d.targets.slice(1).every((t) => t.role === TargetRole.FALLBACK) && d.targets.length > 1);
    assert.deepEqual(d.rulesApplied, ['hard-code-to-best']);
    assert.match(d.reason, /preferred by rule "hard-code-to-best" → best/);
  });

  it("a rule's model never overrides compliance", () => {
    const d = ok(decide({ classification: { intent: Intent.CODE, band: ComplexityBand.HIGH, pii: [PiiKind.PHONE] } }));
    assert.deepEqual(models(d), ['home']);
    assert.deepEqual(d.rulesApplied, ['hard-code-to-best']);
    assert.match(d.reason, /rule "hard-code-to-best" prefers best, which is not eligible \(compliance: not self-hosted\)/);
  });

  it('restrict to a pool', () => {
    const restricted = Catalog.parse(String(catalogText).replace('rules:\n', 'rules:\n  - { name: home-only, when: { metadata: { restricted: "yes" } }, then: { pool: local } }\n'));
    const request = textRequest('hi', { requestId: 'r', tenantId: 'acme' });
    request.metadata = { restricted: 'yes' };
    const d = ok(route(restricted, { request, classification: create(ClassificationSchema, { intent: Intent.CHAT, complexity: 0.5, inputTokens: 10 }) }));
    assert.deepEqual(models(d), ['home']);
    assert.equal(excludedBy(d, 'mid'), 'rule');
  });

  it('set the strategy, the floor and the plan; the first rule that sets an action wins', () => {
    const labels = ok(decide({ classification: { intent: Intent.CLASSIFICATION } }));
    assert.equal(labels.strategy, Strategy.COST);
    const critical = ok(decide({ metadata: { critical: 'true' } }));
    assert.equal(critical.qualityFloor, 0.9);
    assert.equal(first(critical), 'best');
    const research = ok(decide({ metadata: { team: 'research' } }));
    assert.equal(research.plan, PlanKind.VOTE);
    assert.deepEqual(research.rulesApplied, ['research-votes', 'research-judges-too']);
  });

  it('rules beat caller hints for the strategy', () => {
    assert.equal(ok(decide({ classification: { intent: Intent.CLASSIFICATION }, hints: { strategy: Strategy.QUALITY } })).strategy, Strategy.COST);
  });
});

describe('route: aliases', () => {
  it('auto:cheap, auto:best and auto:fast set the strategy; a caller hint still wins', () => {
    assert.equal(ok(decide({ hints: { pinnedModel: 'auto:cheap' } })).strategy, Strategy.COST);
    assert.equal(first(ok(decide({ hints: { pinnedModel: 'auto:best' } }))), 'best');
    assert.equal(first(ok(decide({ hints: { pinnedModel: 'auto:fast' } }))), 'home');
    const d = ok(decide({ hints: { pinnedModel: 'auto:best', strategy: Strategy.COST } }));
    assert.equal(d.alias, 'auto:best');
    assert.equal(d.strategy, Strategy.COST);
  });

  it('an alias may restrict the models', () => {
    const d = ok(decide({ hints: { mode: RoutingMode.PINNED, pinnedModel: 'auto:a-only' } }));
    assert.ok(models(d).every((m) => m === 'cheap' || m === 'mid'));
    assert.equal(excludedBy(d, 'best'), 'alias');
  });
});

describe('route: live health', () => {
  it('skips a target whose circuit is open or that is cooling down, and returns to it after', () => {
    const open = ok(decide({ hints: { strategy: Strategy.QUALITY }, health: { 'cloud-b/best': { circuitOpenUntilMs: NOW + 5000, reason: '5 failures' } } }));
    assert.equal(first(open), 'mid');
    assert.equal(excludedBy(open, 'best'), 'health');
    assert.match(constraint(open, 'health')!.detail, /circuit open for 5\.0 s \(5 failures\)/);
    const cooling = ok(decide({ hints: { strategy: Strategy.QUALITY }, health: { 'cloud-b/best': { cooldownUntilMs: NOW + 1000 } } }));
    assert.equal(excludedBy(cooling, 'best'), 'health');
    const recovered = ok(decide({ hints: { strategy: Strategy.QUALITY }, health: { 'cloud-b/best': { circuitOpenUntilMs: NOW - 1 } } }));
    assert.equal(first(recovered), 'best');
  });

  it('penalises error rate and saturation, and uses live latency once reported', () => {
    const d = ok(decide({ health: { 'cloud-a/mid': { samples: 50, errorRate: 0.4, latencyMs: 900 }, 'local/home': { samples: 10, headroom: 0, latencyMs: 0 } } }));
    const mid = d.candidates.find((c) => c.model === 'mid')!;
    assert.ok(Math.abs(mid.healthPenalty - 0.2) < 1e-9);
    assert.equal(mid.latencyMs, 900);
    assert.ok(Math.abs(d.candidates.find((c) => c.model === 'home')!.healthPenalty - 0.2) < 1e-9);
  });

  it('lets an old error rate fade, so a target avoided for its errors gets traffic again after the provider recovers', () => {
    const penalty = (ageMs: number) => ok(decide({ health: { 'cloud-a/mid': { samples: 50, errorRate: 0.4, latencyMs: 900, updatedAtMs: NOW - ageMs } } })).candidates.find((c) => c.model === 'mid')!.healthPenalty;
    assert.ok(Math.abs(penalty(0) - 0.2) < 1e-9);
    assert.ok(Math.abs(penalty(5000) - 0.1) < 1e-9, 'half after one half-life');
    assert.ok(penalty(60_000) < 0.001, 'gone after a minute without reports');
  });

  it('when every eligible target is unhealthy, tries the one that recovers first rather than refusing', () => {
    const d = ok(decide({ hints: { privacy: Privacy.SELF_HOSTED_ONLY }, health: { 'local/home': { circuitOpenUntilMs: NOW + 1000 } } }));
    assert.equal(first(d), 'home');
    assert.match(d.reason, /every eligible target is unhealthy/);
  });
});

describe('route: plans', () => {
  const calc = { tool: create(ToolSuggestionSchema, { name: 'calculator', expression: '17.5% * 2340', result: '409.5' }), intent: Intent.MATH };

  it('single by default: the primary then FALLBACK targets in order', () => {
    const d = ok(decide());
    assert.equal(d.plan, PlanKind.SINGLE);
    assert.equal(d.targets[0]!.role, TargetRole.PRIMARY);
    assert.ok(d.targets.slice(1).every((t) => t.role === TargetRole.FALLBACK));
  });

  it('tool: calculator-marked requests go to the calculator pool, no model cost, a model if the tool fails', () => {
    const d = ok(decide({ classification: calc }));
    assert.equal(d.plan, PlanKind.TOOL);
    assert.deepEqual({ model: d.targets[0]!.model, provider: d.targets[0]!.provider, pool: d.targets[0]!.pool, api: d.targets[0]!.api, role: d.targets[0]!.role }, { model: 'calculator', provider: 'calculator', pool: 'calculator', api: 'tool', role: TargetRole.PRIMARY });
    assert.equal(d.expectedCostUsd, 0);
    assert.equal(d.expectedQuality, 1);
    assert.equal(d.targets[1]!.role, TargetRole.FALLBACK);
    assert.deepEqual(d.targets[1]!.triggerErrors, []);
    assert.match(d.reason, /classifier found a calculator expression → calculator \(exact, no model cost\)/);
  });

  it('tool: not for pinned requests, and a model answers while the calculator is unhealthy', () => {
    assert.equal(ok(decide({ classification: calc, hints: { pinnedModel: 'mid' } })).plan, PlanKind.SINGLE);
    const down = ok(decide({ classification: calc, health: { 'calculator/calculator': { circuitOpenUntilMs: NOW + 1000 } } }));
    assert.equal(down.plan, PlanKind.SINGLE);
    assert.match(down.reason, /calculator unavailable: a model answers instead/);
  });

  describe('HTTP tools', () => {
    // The shared catalog plus a weather tool pool; the shared one declares no weather tool.
    const withWeather = Catalog.parse(
      catalogText
        .replace('models:\n', [
          '  - name: weather-api',
          '    pool: weather',
          '    api: http-tool',
          '    base_url: "https://weather.example"',
          '    region: eu',
          '    http_tool: { tool: weather, path: "/v1/forecast?q={location}&when={when}", timeout_ms: 2000 }',
          'models:',
          '  - { name: weather, provider: weather-api, kind: tool, tier: tool, input_price_per_mtok: 0, output_price_per_mtok: 0, price_source: example, context_window: 100000, max_output_tokens: 500, latency: { first_token_ms: 80, tokens_per_s: 100000, source: example }, quality: { default: 1, source: example } }',
          '',
        ].join('\n'))
        .replace('version: policy-test-9', 'version: policy-test-9-weather'),
    );
    const weather = { tool: create(ToolSuggestionSchema, { name: 'weather', expression: '{"location":"Paris","when":"tomorrow"}' }), intent: Intent.OPEN_QA };

    it('a weather suggestion goes to the weather pool when the catalog declares it, a model if the tool fails', () => {
      const d = ok(decide({ classification: weather, catalog: withWeather }));
      assert.equal(d.plan, PlanKind.TOOL);
      assert.deepEqual({ model: d.targets[0]!.model, provider: d.targets[0]!.provider, pool: d.targets[0]!.pool, api: d.targets[0]!.api, role: d.targets[0]!.role }, { model: 'weather', provider: 'weather-api', pool: 'weather', api: 'http-tool', role: TargetRole.PRIMARY });
      assert.equal(d.targets[1]!.role, TargetRole.FALLBACK);
      assert.notEqual(d.targets[1]!.pool, 'weather');
      assert.match(d.reason, /classifier found a weather request → weather \(HTTP tool, pool weather, no model cost\)/);
    });

    it('without the tool in the catalog, the same request goes to a model as before', () => {
      const d = ok(decide({ classification: weather }));
      assert.equal(d.plan, PlanKind.SINGLE);
      assert.ok(d.targets.every((t) => t.api !== 'http-tool' && t.pool !== 'weather'), models(d).join(', '));
    });

    it("a tier that may not use it, or a request that must stay self-hosted, gets a compliant model", () => {
      const free = ok(decide({ classification: weather, catalog: withWeather, tenant: 'f' }));
      assert.equal(free.plan, PlanKind.SINGLE);
      assert.ok(!models(free).includes('weather'));
      assert.match(free.reason, /tool weather not used: not in tier free's allowed models/);
      const pii = ok(decide({ classification: { ...weather, pii: [PiiKind.EMAIL] }, catalog: withWeather }));
      assert.equal(pii.plan, PlanKind.SINGLE);
      assert.ok(models(pii).every((m) => m === 'home'), models(pii).join(', '));
      assert.match(pii.reason, /tool weather not used: the request must stay self-hosted/);
    });

    it('a caller that sends its own function tools or asks for JSON gets a model, not the tool', () => {
      const tools = ok(decide({ classification: weather, catalog: withWeather, tools: {} }));
      assert.equal(tools.plan, PlanKind.SINGLE);
      assert.ok(!models(tools).includes('weather'), models(tools).join(', '));
      assert.match(tools.reason, /tool weather not used: the caller sent its own tools/);
      const json = ok(decide({ classification: calc, catalog: withWeather, params: { responseFormat: ResponseFormat.JSON } }));
      assert.ok(!models(json).includes('calculator'), models(json).join(', '));
      assert.match(json.reason, /tool calculator not used: the caller asked for JSON/);
      // Tools the caller turned off (tool_choice none) do not stand in the way.
      assert.equal(ok(decide({ classification: weather, catalog: withWeather, tools: { choice: ToolChoiceMode.NONE } })).targets[0]!.model, 'weather');
    });

    it('another tool name, or a calculator suggestion, does not reach the weather pool', () => {
      const other = ok(decide({ classification: { tool: create(ToolSuggestionSchema, { name: 'currency', expression: '{"from":"EUR","to":"USD"}' }) }, catalog: withWeather }));
      assert.equal(other.plan, PlanKind.SINGLE);
      assert.ok(!models(other).includes('weather'));
      assert.equal(ok(decide({ classification: calc, catalog: withWeather })).targets[0]!.model, 'calculator');
    });

    it('chain: the weather tool, then a small model phrases its raw answer', () => {
      const d = ok(decide({ classification: weather, catalog: withWeather, hints: { plan: PlanKind.CHAIN } }));
      assert.equal(d.plan, PlanKind.CHAIN);
      assert.deepEqual(d.targets.slice(0, 2).map((t) => [t.model, t.role, t.step]), [['weather', TargetRole.STEP, 0], [d.targets[1]!.model, TargetRole.STEP, 1]]);
      assert.notEqual(d.targets[1]!.model, 'weather');
    });
  });

  describe('record lookups (order_lookup, customer_lookup)', () => {
    // The shared catalog plus the company's order API as a pool; tier free may not use it.
    const withOrders = Catalog.parse(
      catalogText
        .replace('models:\n', [
          '  - name: orders-api',
          '    pool: orders',
          '    api: http-tool',
          '    base_url: "https://orders.internal.example"',
          '    self_hosted: true',
          '    credentials: { env: ORDERS_API_KEY }',
          '    http_tool: { tool: order_lookup, path: "/v1/orders/{order_id}", headers: { authorization: "Bearer {credential}" }, timeout_ms: 1500, not_found: answer }',
          'models:',
          '  - { name: orders, provider: orders-api, kind: tool, tier: tool, input_price_per_mtok: 0, output_price_per_mtok: 0, price_source: example, context_window: 100000, max_output_tokens: 500, latency: { first_token_ms: 40, tokens_per_s: 100000, source: example }, quality: { default: 1, source: example } }',
          '',
        ].join('\n'))
        .replace('version: policy-test-9', 'version: policy-test-9-orders'),
    );
    const order = { tool: create(ToolSuggestionSchema, { name: 'order_lookup', expression: '{"order_id":"48213"}' }), intent: Intent.OPEN_QA };

    it('an order lookup goes to the orders pool when the catalog declares it, with a model as fallback', () => {
      const d = ok(decide({ classification: order, catalog: withOrders }));
      assert.equal(d.plan, PlanKind.TOOL);
      assert.deepEqual([d.targets[0]!.model, d.targets[0]!.pool, d.targets[0]!.api], ['orders', 'orders', 'http-tool']);
      assert.notEqual(d.targets[1]!.pool, 'orders');
      assert.match(d.reason, /classifier found a order_lookup request → orders \(HTTP tool, pool orders, no model cost\)/);
    });

    it('without the pool in the catalog a model answers, and the reason says why', () => {
      const d = ok(decide({ classification: order }));
      assert.equal(d.plan, PlanKind.SINGLE);
      assert.ok(d.targets.every((t) => t.api !== 'http-tool'), models(d).join(', '));
      assert.match(d.reason, /tool order_lookup not used: the catalog declares no order_lookup tool/);
      // A customer lookup in the orders catalog: the orders pool does not take it.
      const customer = ok(decide({ classification: { tool: create(ToolSuggestionSchema, { name: 'customer_lookup', expression: '{"customer_id":"C-2291"}' }) }, catalog: withOrders }));
      assert.ok(!models(customer).includes('orders'), models(customer).join(', '));
      assert.match(customer.reason, /tool customer_lookup not used: the catalog declares no customer_lookup tool/);
    });

    it("a tenant whose tier may not use it gets a model; a self-hosted record API keeps requests with personal data", () => {
      const free = ok(decide({ classification: order, catalog: withOrders, tenant: 'f' }));
      assert.ok(!models(free).includes('orders'));
      assert.match(free.reason, /tool orders not used: not in tier free's allowed models/);
      const pii = ok(decide({ classification: { ...order, pii: [PiiKind.EMAIL] }, catalog: withOrders }));
      assert.equal(pii.targets[0]!.model, 'orders');
    });
  });

  it('cascade: cheapest acceptable first with checks, escalation to a stronger model', () => {
    const d = ok(decide({ hints: { plan: PlanKind.CASCADE } }));
    assert.equal(d.plan, PlanKind.CASCADE);
    assert.deepEqual(
      d.targets.slice(0, 2).map((t) => [t.model, t.role, t.step, t.checks]),
      [
        ['home', TargetRole.PRIMARY, 0, ['non_empty', 'no_refusal']],
        ['best', TargetRole.ESCALATION, 1, []],
      ],
    );
    assert.equal(d.expectedCostUsd, d.candidates.find((c) => c.model === 'home')!.costUsd);
  });

  it("cascade as a tier's default plan", () => {
    assert.equal(ok(decide({ tenant: 'c' })).plan, PlanKind.CASCADE);
  });

  it('hedge: a second target from another provider after a delay', () => {
    const d = ok(decide({ hints: { plan: PlanKind.HEDGE, strategy: Strategy.QUALITY } }));
    assert.deepEqual(d.targets.slice(0, 2).map((t) => [t.model, t.role]), [['best', TargetRole.PRIMARY], ['mid', TargetRole.HEDGE]]);
    assert.equal(d.targets[1]!.hedgeDelayMs, Math.round(5750 * 0.8));
  });

  it('vote: voters from distinct providers', () => {
    const d = ok(decide({ hints: { plan: PlanKind.VOTE, strategy: Strategy.QUALITY } }));
    const voters = d.targets.filter((t) => t.role === TargetRole.VOTER);
    assert.equal(voters.length, 3);
    assert.equal(new Set(voters.map((v) => v.provider)).size, 3);
    assert.ok(voters.every((v) => v.step === 0));
    assert.ok(Math.abs(d.expectedCostUsd - voters.reduce((s, v) => s + d.candidates.find((c) => c.model === v.model)!.costUsd, 0)) < 1e-12);
  });

  it('judge: candidates at step 0 and a judge with its instruction at step 1', () => {
    const d = ok(decide({ hints: { plan: PlanKind.JUDGE } }));
    const judge = d.targets.find((t) => t.role === TargetRole.JUDGE)!;
    assert.equal(judge.model, 'best');
    assert.equal(judge.step, 1);
    assert.match(judge.instruction, /best one/);
    assert.equal(d.targets.filter((t) => t.role === TargetRole.VOTER).length, 2);
  });

  it('draft_review: a cheap drafter and the strongest reviewer', () => {
    const d = ok(decide({ hints: { plan: PlanKind.DRAFT_REVIEW } }));
    assert.deepEqual(d.targets.slice(0, 2).map((t) => [t.model, t.role, t.step]), [['home', TargetRole.DRAFTER, 0], ['best', TargetRole.REVIEWER, 1]]);
    assert.match(d.targets[1]!.instruction, /Review the draft/);
  });

  it('chain: one STEP target per configured step, each with its instruction', () => {
    const d = ok(decide({ hints: { plan: PlanKind.CHAIN } }));
    const steps = d.targets.filter((t) => t.role === TargetRole.STEP);
    assert.deepEqual(steps.map((s) => s.step), [0, 1]);
    assert.ok(steps.every((s) => s.model === steps[0]!.model && s.instruction !== ''));
  });

  it('a plan that cannot be formed falls back to single with a note', () => {
    const d = ok(decide({ hints: { plan: PlanKind.VOTE, privacy: Privacy.SELF_HOSTED_ONLY } }));
    assert.equal(d.plan, PlanKind.SINGLE);
    assert.match(d.reason, /vote needs two models: single/);
  });
});

describe('route: fallback chain', () => {
  it('orders fallbacks by score with the error classes that trigger each', () => {
    const d = ok(decide({ hints: { strategy: Strategy.QUALITY } }));
    assert.deepEqual(models(d), ['best', 'mid', 'home', 'cheap']);
    const [, mid, home] = d.targets;
    // Another provider: outages and content-policy refusals; a smaller window: not for context length.
    assert.deepEqual(mid!.triggerErrors, [...ErrorClasses.outage, ...ErrorClasses.contentPolicy]);
    assert.ok(!home!.triggerErrors.includes('context_length'));
  });

  it('adds a larger window for context-length errors, even past max_fallbacks', () => {
    const d = ok(decide({ tenant: 'l' }));
    assert.deepEqual(models(d), ['home', 'cheap', 'best']); // max_fallbacks 1, then the largest window
    assert.deepEqual(d.targets[2]!.triggerErrors, ['context_length']);
  });
});

describe('route: conversation affinity', () => {
  it('keeps the conversation on its model when it is still eligible', () => {
    const d = ok(decide({ affinity: { model: 'home', intent: 'chat' } }));
    assert.equal(first(d), 'home');
    assert.equal(d.affinity, 'kept home');
    assert.match(d.reason, /conversation affinity → home/);
  });

  it('moves when the model became unhealthy, with the reason', () => {
    const d = ok(decide({ affinity: { model: 'home', intent: 'chat' }, health: { 'local/home': { circuitOpenUntilMs: NOW + 9000 } } }));
    assert.notEqual(first(d), 'home');
    assert.match(d.affinity, /^moved from home: unhealthy \(circuit open/);
  });

  it('moves when a constraint excludes the model now', () => {
    const d = ok(decide({ affinity: { model: 'home', intent: 'chat' }, classification: { imageInput: true } }));
    assert.match(d.affinity, /^moved from home: capability \(lacks vision\)/);
  });

  it('moves on a confident change of intent, stays on an unsure one', () => {
    const confident = ok(decide({ affinity: { model: 'home', intent: 'chat' }, classification: { intent: Intent.MATH, intentConfidence: 0.9 } }));
    assert.equal(confident.affinity, 'moved from home: intent changed chat → math');
    const unsure = ok(decide({ affinity: { model: 'home', intent: 'chat' }, classification: { intent: Intent.MATH, intentConfidence: 0.4 } }));
    assert.equal(unsure.affinity, 'kept home');
  });

  it('does not override a pinned model', () => {
    const d = ok(decide({ affinity: { model: 'home', intent: 'chat' }, hints: { pinnedModel: 'mid' } }));
    assert.equal(first(d), 'mid');
    assert.equal(d.affinity, '');
  });
});
