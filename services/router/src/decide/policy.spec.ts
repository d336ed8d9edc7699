import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Capability,
  ClassificationSchema,
  ClassifiedRequestSchema,
  ComplexityBand,
  GenerationParamsSchema,
  Intent,
  PlanKind,
  Privacy,
  ResponseFormat,
  RoutingHintsSchema,
  RoutingMode,
  Strategy,
  TargetRole,
  create,
  textRequest,
  type ClassifiedRequest,
  type MessageInitShape,
  type RoutingDecision,
} from '@yardmaster/contracts';
import { Catalog } from '@yardmaster/catalog';
import { decide, type Routed } from './policy.js';

// Prices are chosen so that every cost ordering is distinct:
// tiny < coder < small < big; latency: tiny < small < coder < big.
const catalog = Catalog.parse(`
version: policy-test-7
providers:
  - { name: cloud, pool: cloud, api: openai-chat }
  - { name: local, pool: local-gpu, api: openai-chat, self_hosted: true }
models:
  - { name: small, provider: cloud, tier: small, input_price_per_mtok: 0.1, output_price_per_mtok: 0.4, context_window: 16000, typical_latency_ms: 800, capabilities: [json, vision] }
  - { name: big, provider: cloud, tier: frontier, input_price_per_mtok: 5, output_price_per_mtok: 15, context_window: 128000, typical_latency_ms: 3000, capabilities: [json, vision, tools] }
  - { name: tiny, provider: local, tier: small, input_price_per_mtok: 0.01, output_price_per_mtok: 0.02, context_window: 8192, typical_latency_ms: 400 }
  - { name: coder, provider: local, tier: specialist, input_price_per_mtok: 0.05, output_price_per_mtok: 0.1, context_window: 32768, typical_latency_ms: 1500, capabilities: [json] }
policy:
  strong_threshold: 0.6
  default: { primary: small, strong: big, fallbacks: [tiny] }
  intents:
    code: { primary: coder, strong: big, fallbacks: [small] }
    chat: { primary: tiny, fallbacks: [small] }
`);

interface Init {
  classification?: MessageInitShape<typeof ClassificationSchema>;
  hints?: MessageInitShape<typeof RoutingHintsSchema>;
  params?: MessageInitShape<typeof GenerationParamsSchema>;
}

/** A classified one-message request; defaults to a simple chat of 100 input tokens. */
function classified(init: Init = {}): ClassifiedRequest {
  const request = textRequest('hello there', { requestId: 'req-42', tenantId: 'acme' });
  if (init.hints) request.hints = create(RoutingHintsSchema, init.hints);
  if (init.params) request.params = create(GenerationParamsSchema, init.params);
  const classification = create(ClassificationSchema, {
    requestId: 'req-42',
    intent: Intent.CHAT,
    intentConfidence: 0.9,
    complexity: 0.2,
    band: ComplexityBand.LOW,
    inputTokens: 100,
    ...init.classification,
  });
  return create(ClassifiedRequestSchema, { request, classification });
}

function ok(routed: Routed): RoutingDecision {
  assert.ok(routed.ok, `expected a decision, got ${routed.ok ? '' : `${routed.code}: ${routed.reason}`}`);
  return routed.decision;
}

const models = (d: RoutingDecision) => d.targets.map((t) => t.model);
const note = (d: RoutingDecision, model: string) => d.candidates.find((c) => c.model === model)?.note;

describe('decide: routes', () => {
  it("uses the intent's primary with its fallbacks when complexity is low", () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CODE, complexity: 0.3 } })));
    assert.deepEqual(models(d), ['coder', 'small']);
    assert.equal(d.strategy, Strategy.BALANCED);
  });

  it('uses the default route for an intent without its own', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.SUMMARIZATION } })));
    assert.deepEqual(models(d), ['small', 'tiny']);
  });

  it('goes to the strong model from strong_threshold on, keeping the primary as first fallback', () => {
    const below = ok(decide(catalog, classified({ classification: { intent: Intent.CODE, complexity: 0.59 } })));
    assert.deepEqual(models(below), ['coder', 'small']);
    const at = ok(decide(catalog, classified({ classification: { intent: Intent.CODE, complexity: 0.6, band: ComplexityBand.HIGH } })));
    assert.deepEqual(models(at), ['big', 'coder', 'small']);
    assert.match(at.reason, />= 0\.6: strong model/);
  });

  it('stays on the primary when the route has no strong model', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CHAT, complexity: 0.95 } })));
    assert.deepEqual(models(d), ['tiny', 'small']);
  });
});

describe('decide: strategies', () => {
  it('QUALITY takes the strong model even for a simple request', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CODE, complexity: 0.1 }, hints: { strategy: Strategy.QUALITY } })));
    assert.deepEqual(models(d), ['big', 'coder', 'small']);
    assert.equal(d.strategy, Strategy.QUALITY);
    assert.match(d.reason, /quality strategy: strong model/);
  });

  it('COST orders the route cheapest first', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CODE, complexity: 0.9 }, hints: { strategy: Strategy.COST } })));
    assert.deepEqual(models(d), ['coder', 'small', 'big']);
    const cheap = ok(decide(catalog, classified({ classification: { intent: Intent.OTHER, complexity: 0.9 }, hints: { strategy: Strategy.COST } })));
    assert.deepEqual(models(cheap), ['tiny', 'small', 'big']);
    assert.equal(cheap.strategy, Strategy.COST);
  });

  it('LATENCY orders the route fastest first', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CODE, complexity: 0.9 }, hints: { strategy: Strategy.LATENCY } })));
    assert.deepEqual(models(d), ['small', 'coder', 'big']);
    assert.equal(d.expectedLatencyMs, 800);
  });
});

describe('decide: pinned model', () => {
  it('uses only the pinned model, whatever the route', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CHAT }, hints: { mode: RoutingMode.PINNED, pinnedModel: 'big' } })));
    assert.deepEqual(models(d), ['big']);
    assert.equal(d.targets[0]?.role, TargetRole.PRIMARY);
    assert.match(d.reason, /^pinned by caller: big; primary big$/);
  });

  it('refuses a model that is not in the catalog', () => {
    const routed = decide(catalog, classified({ hints: { mode: RoutingMode.PINNED, pinnedModel: 'gpt-9' } }));
    assert.deepEqual(routed, { ok: false, code: 'unknown_model', reason: 'pinned model "gpt-9" is not in the catalog' });
  });

  it('refuses a pinned model that breaks a constraint instead of substituting another', () => {
    const routed = decide(catalog, classified({ hints: { mode: RoutingMode.PINNED, pinnedModel: 'big', privacy: Privacy.SELF_HOSTED_ONLY } }));
    assert.equal(routed.ok, false);
    assert.equal(!routed.ok && routed.code, 'constraints_unsatisfiable');
    assert.match(!routed.ok ? routed.reason : '', /pinned model "big": not self-hosted/);
  });
});

describe('decide: constraints', () => {
  it('drops denied providers', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.OTHER, complexity: 0.9 }, hints: { deniedProviders: ['cloud'] } })));
    assert.deepEqual(models(d), ['tiny']);
    assert.equal(note(d, 'big'), 'provider denied');
    assert.equal(note(d, 'small'), 'provider denied');
  });

  it('keeps only allowed providers', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CHAT }, hints: { allowedProviders: ['cloud'] } })));
    assert.deepEqual(models(d), ['small']);
    assert.equal(note(d, 'tiny'), 'provider not allowed');
  });

  it('SELF_HOSTED_ONLY keeps self-hosted models', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CODE, complexity: 0.9 }, hints: { privacy: Privacy.SELF_HOSTED_ONLY } })));
    assert.deepEqual(models(d), ['coder']);
    assert.equal(note(d, 'big'), 'not self-hosted');
    assert.equal(d.targets[0]?.pool, 'local-gpu');
  });

  it('an image input requires vision', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CHAT, imageInput: true } })));
    assert.deepEqual(models(d), ['small']);
    assert.equal(note(d, 'tiny'), 'lacks vision');
  });

  it('a required capability hint is honoured', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.OTHER, complexity: 0.9 }, hints: { requiredCapabilities: [Capability.TOOLS] } })));
    assert.deepEqual(models(d), ['big']);
    assert.equal(note(d, 'small'), 'lacks tools');
  });

  it('a JSON response format requires the json capability', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CHAT }, params: { responseFormat: ResponseFormat.JSON } })));
    assert.deepEqual(models(d), ['small']);
    assert.equal(note(d, 'tiny'), 'lacks json');
    const text = ok(decide(catalog, classified({ classification: { intent: Intent.CHAT }, params: { responseFormat: ResponseFormat.TEXT } })));
    assert.deepEqual(models(text), ['tiny', 'small']);
  });

  it('input plus max_tokens must fit the context window', () => {
    // 8000 + 256 default output tokens > tiny's 8192.
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CHAT, inputTokens: 8000 } })));
    assert.deepEqual(models(d), ['small']);
    assert.equal(note(d, 'tiny'), 'context window too small');
    const fits = ok(decide(catalog, classified({ classification: { intent: Intent.CHAT, inputTokens: 8000 }, params: { maxTokens: 192 } })));
    assert.deepEqual(models(fits), ['tiny', 'small']);
  });

  it('takes the cheapest eligible model outside the route when the route has none', () => {
    // 15000 + 2000 fits neither tiny (8192) nor small (16000); coder is cheaper than big.
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CHAT, inputTokens: 15000 }, params: { maxTokens: 2000 } })));
    assert.deepEqual(models(d), ['coder']);
    assert.equal(d.targets[0]?.role, TargetRole.PRIMARY);
    assert.match(d.reason, /route models excluded by constraints, using coder/);
  });

  it('drops models over max cost', () => {
    // 1000 input + 256 output tokens: big costs $0.00884, small $0.0002024, tiny $0.00001512.
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.OTHER, complexity: 0.9, inputTokens: 1000 }, hints: { maxCostUsd: 0.001 } })));
    assert.deepEqual(models(d), ['small', 'tiny']);
    assert.equal(note(d, 'big'), 'over max cost');
  });

  it('answers no_eligible_model, with every candidate and why, when no model fits', () => {
    const routed = decide(catalog, classified({ classification: { intent: Intent.CHAT, imageInput: true }, hints: { privacy: Privacy.SELF_HOSTED_ONLY } }));
    assert.equal(routed.ok, false);
    if (routed.ok) return;
    assert.equal(routed.code, 'no_eligible_model');
    assert.match(routed.reason, /tiny: lacks vision/);
    assert.match(routed.reason, /small: not self-hosted/);
  });
});

describe('decide: the decision', () => {
  it('describes targets with their roles, pools and prices', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CODE, complexity: 0.8 } })));
    assert.deepEqual(
      d.targets.map((t) => [t.model, t.provider, t.pool, t.role, t.inputPricePerMtok, t.outputPricePerMtok]),
      [
        ['big', 'cloud', 'cloud', TargetRole.PRIMARY, 5, 15],
        ['coder', 'local', 'local-gpu', TargetRole.FALLBACK, 0.05, 0.1],
        ['small', 'cloud', 'cloud', TargetRole.FALLBACK, 0.1, 0.4],
      ],
    );
    assert.equal(d.requestId, 'req-42');
    assert.equal(d.plan, PlanKind.SINGLE);
    assert.equal(d.policyVersion, 'policy-test-7');
    assert.equal(d.expectedLatencyMs, 3000);
    // (100 × 5 + 256 × 15) / 1e6
    assert.ok(Math.abs(d.expectedCostUsd - 0.00434) < 1e-12, String(d.expectedCostUsd));
  });

  it('uses max_tokens for the expected cost', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CHAT, inputTokens: 1000 }, params: { maxTokens: 500 } })));
    // (1000 × 0.01 + 500 × 0.02) / 1e6
    assert.ok(Math.abs(d.expectedCostUsd - 0.00002) < 1e-15, String(d.expectedCostUsd));
  });

  it('scores eligible candidates in order and ineligible ones 0', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.OTHER, complexity: 0.9 }, hints: { deniedProviders: ['local'] } })));
    assert.deepEqual(
      d.candidates.map((c) => [c.model, c.score, c.note]),
      [
        ['big', 1, 'eligible'],
        ['small', 0.5, 'eligible'],
        ['tiny', 0, 'provider denied'],
      ],
    );
  });

  it('explains itself: intent, confidence, complexity band and models', () => {
    const d = ok(decide(catalog, classified({ classification: { intent: Intent.CODE, intentConfidence: 0.75, complexity: 0.25, band: ComplexityBand.LOW } })));
    assert.equal(d.reason, 'intent code (0.75), complexity 0.25 (low): route primary; primary coder, fallbacks small');
  });
});
