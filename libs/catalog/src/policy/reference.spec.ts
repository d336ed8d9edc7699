import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClassificationSchema, ComplexityBand, Intent, RoutingHintsSchema, Subject, create, textRequest, type RoutingDecision } from '@yardmaster/contracts';
import { Catalog, CatalogError } from '../catalog.js';
import { QualityPosteriors } from '../learning/posteriors.js';
import { route } from './route.js';

// Three chat models on two providers; 200 input and 200 expected output tokens per request.
// Expected cost: cheap $0.00004, ref $0.0004, dear $0.004 (10x apart). Priors (complexity 0.5,
// slope 0): cheap 0.68, ref 0.70, dear 0.74.
const catalogText = (reference: string) => `
version: reference-test-1
defaults: { tier: standard, output_tokens: 200 }
providers:
  - { name: a, pool: a, api: openai-chat, base_url: "https://a.example/v1" }
  - { name: b, pool: b, api: openai-chat, base_url: "https://b.example/v1" }
models:
  - { name: cheap, provider: a, tier: small, input_price_per_mtok: 0.1, output_price_per_mtok: 0.1, price_source: example, context_window: 16000, max_output_tokens: 4000, latency: { first_token_ms: 100, tokens_per_s: 100, source: example }, quality: { default: 0.68, complexity_slope: 0, source: example } }
  - { name: ref, provider: b, tier: mid, input_price_per_mtok: 1, output_price_per_mtok: 1, price_source: example, context_window: 16000, max_output_tokens: 4000, latency: { first_token_ms: 100, tokens_per_s: 100, source: example }, quality: { default: 0.7, complexity_slope: 0, source: example } }
  - { name: dear, provider: a, tier: frontier, input_price_per_mtok: 10, output_price_per_mtok: 10, price_source: example, context_window: 16000, max_output_tokens: 4000, latency: { first_token_ms: 100, tokens_per_s: 100, source: example }, quality: { default: 0.74, complexity_slope: 0, source: example } }
tiers:
  standard:
    strategy: balanced
    weights: { latency_per_s: 0 }
${reference}
`;
const withReference = (marginSd: number, costWeight: number) => Catalog.parse(catalogText(`    reference: { model: ref, margin_sd: ${marginSd}, cost_weight: ${costWeight} }`));
const cell = { intent: 'math', band: 'high', subject: 'mathematics' };

function decide(catalog: Catalog, posteriors?: QualityPosteriors, hints?: Parameters<typeof create<typeof RoutingHintsSchema>>[1]): RoutingDecision {
  const request = textRequest('what is the integral of x^2', { requestId: 'r-1', tenantId: 'acme' });
  if (hints) request.hints = create(RoutingHintsSchema, hints);
  const classification = create(ClassificationSchema, {
    requestId: 'r-1',
    intent: Intent.MATH,
    intentConfidence: 1,
    complexity: 0.5,
    band: ComplexityBand.HIGH,
    subject: Subject.MATHEMATICS,
    language: 'en',
    inputTokens: 200,
  });
  const routed = route(catalog, { request, classification, ...(posteriors ? { learned: { posteriors, explore: false } } : {}) });
  assert.ok(routed.ok, routed.ok ? '' : routed.reason);
  return routed.decision;
}

/** Feeds `n` scores for a model in the cell, a share `rate` of them 1 and the rest 0, each with `tokens` output tokens. */
function feed(p: QualityPosteriors, model: string, n: number, rate: number, tokens?: number): void {
  for (let i = 0; i < n; i++) p.observe(cell, model, i < Math.round(n * rate) ? 1 : 0, 1, tokens);
}

describe('route: balanced against a tier reference model', () => {
  it('keeps the reference while nothing learned says another model is better, even where a prior says so', () => {
    const d = decide(withReference(1, 0.01));
    assert.equal(d.targets[0]!.model, 'ref');
    assert.match(d.reason, /against reference ref \(quality 0\.70, \$0\.0004\)/);
    // Without the reference the same tier takes the prior's word for dear's edge at a 0.01 price of cost.
    const plain = decide(Catalog.parse(catalogText('    weights: { cost_per_decade: 0.01, latency_per_s: 0 }').replace('    weights: { latency_per_s: 0 }\n', '')));
    assert.equal(plain.targets[0]!.model, 'dear');
  });

  it('moves to a cheaper model only once enough feedback says it answers better', () => {
    const few = new QualityPosteriors({ priorStrength: 8 });
    feed(few, 'ref', 1, 0);
    feed(few, 'cheap', 1, 1);
    assert.equal(decide(withReference(2, 0.05), few).targets[0]!.model, 'ref', 'one score each is not enough evidence at two standard deviations');
    const many = new QualityPosteriors({ priorStrength: 8 });
    feed(many, 'ref', 200, 0.5);
    feed(many, 'cheap', 200, 0.8);
    assert.equal(decide(withReference(2, 0.05), many).targets[0]!.model, 'cheap');
    // Where cheap is only as good as the reference, its lower spend decides.
    const same = new QualityPosteriors({ priorStrength: 8 });
    feed(same, 'ref', 400, 0.6);
    feed(same, 'cheap', 400, 0.6);
    assert.equal(decide(withReference(0.5, 0.05), same).targets[0]!.model, 'cheap');
    assert.equal(decide(withReference(3, 0.05), same).targets[0]!.model, 'ref', 'a large margin keeps the reference on a tie');
  });

  it('spends above the reference only where the learned gain pays for the extra cost at the cost weight', () => {
    const p = new QualityPosteriors({ priorStrength: 8 });
    feed(p, 'ref', 300, 0.5);
    feed(p, 'dear', 300, 0.9);
    feed(p, 'cheap', 300, 0.3);
    // dear costs 10 references: 0.9 - 0.1 vs 0.5 - 0.01 at 0.01 per reference cost; 0.9 - 0.5 vs 0.5 - 0.05 at 0.05.
    assert.equal(decide(withReference(1, 0.01), p).targets[0]!.model, 'dear');
    assert.equal(decide(withReference(1, 0.05), p).targets[0]!.model, 'ref');
  });

  it('prices each model by the answer length feedback reported for it in the cell', () => {
    const p = new QualityPosteriors({ priorStrength: 8 });
    feed(p, 'ref', 300, 0.6, 200);
    feed(p, 'cheap', 300, 0.6, 8000);
    const d = decide(withReference(0.5, 0.05), p);
    const cost = (m: string) => d.candidates.find((c) => c.model === m)!.costUsd;
    // cheap writes 40x as much: (200 + ~7800) tokens at $0.1/M instead of 400 tokens.
    assert.ok(cost('cheap') > 0.00075 && cost('cheap') < 0.0009, `${cost('cheap')}`);
    assert.ok(Math.abs(cost('ref') - 0.0004) < 1e-9, `${cost('ref')}`);
    assert.equal(d.targets[0]!.model, 'ref', 'as good but dearer than the reference once its length is known');
  });

  it('still prices against the reference when a constraint excludes it, and never picks it then', () => {
    const p = new QualityPosteriors({ priorStrength: 8 });
    feed(p, 'ref', 300, 0.9);
    const d = decide(withReference(1, 0.05), p, { deniedProviders: ['b'] });
    assert.notEqual(d.targets[0]!.model, 'ref');
    assert.equal(d.candidates.find((c) => c.model === 'ref')!.excluded, 'provider_denied');
    assert.match(d.reason, /against reference ref/);
  });

  it('refuses a catalog whose reference is not one of its models', () => {
    assert.throws(
      () => Catalog.parse(catalogText('    reference: { model: nope }')),
      (e: unknown) => e instanceof CatalogError && /tiers\.standard\.reference\.model names unknown model "nope"/.test(e.message),
    );
  });
});
