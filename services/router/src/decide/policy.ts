import {
  Capability,
  CandidateSchema,
  PlanKind,
  Privacy,
  ResponseFormat,
  RoutingDecisionSchema,
  RoutingMode,
  Strategy,
  TargetRole,
  TargetSchema,
  bandName,
  create,
  intentName,
  type Candidate,
  type ClassifiedRequest,
  type RoutingDecision,
} from '@yardmaster/contracts';
import type { Catalog, CatalogModel } from '@yardmaster/catalog';

/** The outcome of routing: a decision, or the reason no model may serve the request. */
export type Routed = { ok: true; decision: RoutingDecision } | { ok: false; code: string; reason: string };

const CAPABILITY_NAMES: Partial<Record<Capability, CatalogModel['capabilities'][number]>> = {
  [Capability.VISION]: 'vision',
  [Capability.JSON]: 'json',
  [Capability.TOOLS]: 'tools',
  [Capability.IMAGE_OUTPUT]: 'image_output',
  [Capability.LONG_CONTEXT]: 'long_context',
};

/** Output tokens assumed for cost estimates when the caller sets no max_tokens. */
const DEFAULT_OUTPUT_TOKENS = 256;

function expectedCost(model: CatalogModel, inputTokens: number, outputTokens: number): number {
  return (inputTokens * model.input_price_per_mtok + outputTokens * model.output_price_per_mtok) / 1e6;
}

/**
 * The first routing policy: the intent's route from the catalog (primary, or `strong`
 * when complexity reaches the threshold or the caller asks for quality), filtered by
 * the caller's constraints (pinned model, providers, privacy, capabilities, context
 * window, max cost), with the route's remaining models as ordered fallbacks.
 */
export function decide(catalog: Catalog, input: ClassifiedRequest): Routed {
  const request = input.request!;
  const c = input.classification!;
  const hints = request.hints;
  const intent = intentName(c.intent);
  const outputTokens = request.params?.maxTokens ?? DEFAULT_OUTPUT_TOKENS;
  const strategy = hints?.strategy || Strategy.BALANCED;

  const required = new Set<CatalogModel['capabilities'][number]>();
  for (const cap of hints?.requiredCapabilities ?? []) {
    const name = CAPABILITY_NAMES[cap];
    if (name) required.add(name);
  }
  if (c.imageInput) required.add('vision');
  if (request.params?.responseFormat === ResponseFormat.JSON) required.add('json');

  /** Why a model may not serve this request, or null when it may. */
  const ineligible = (m: CatalogModel): string | null => {
    const provider = catalog.provider(m.provider)!;
    if (hints?.allowedProviders.length && !hints.allowedProviders.includes(m.provider)) return 'provider not allowed';
    if (hints?.deniedProviders.includes(m.provider)) return 'provider denied';
    if (hints?.privacy === Privacy.SELF_HOSTED_ONLY && !provider.self_hosted) return 'not self-hosted';
    for (const cap of required) if (!m.capabilities.includes(cap)) return `lacks ${cap}`;
    if (c.inputTokens + outputTokens > m.context_window) return 'context window too small';
    if (hints?.maxCostUsd && expectedCost(m, c.inputTokens, outputTokens) > hints.maxCostUsd) return 'over max cost';
    return null;
  };

  const candidates: Candidate[] = [];
  let ordered: CatalogModel[];
  let why: string;
  if (hints?.mode === RoutingMode.PINNED) {
    const pinned = catalog.model(hints.pinnedModel);
    if (!pinned) return { ok: false, code: 'unknown_model', reason: `pinned model "${hints.pinnedModel}" is not in the catalog` };
    const problem = ineligible(pinned);
    if (problem) return { ok: false, code: 'constraints_unsatisfiable', reason: `pinned model "${pinned.name}": ${problem}` };
    ordered = [pinned];
    why = `pinned by caller: ${pinned.name}`;
  } else {
    const route = catalog.route(intent);
    const strong = route.strong ? catalog.model(route.strong) : undefined;
    const primary = catalog.model(route.primary)!;
    // Complexity travels as a 32-bit float; compare against the threshold at the same precision.
    const wantStrong = strong !== undefined && (strategy === Strategy.QUALITY || Math.fround(c.complexity) >= Math.fround(catalog.data.policy.strong_threshold));
    const chain = [wantStrong ? strong : primary, ...(wantStrong ? [primary] : []), ...route.fallbacks.map((n) => catalog.model(n)!)];
    if (strategy === Strategy.COST) chain.sort((a, b) => expectedCost(a, c.inputTokens, outputTokens) - expectedCost(b, c.inputTokens, outputTokens));
    if (strategy === Strategy.LATENCY) chain.sort((a, b) => a.typical_latency_ms - b.typical_latency_ms);
    const seen = new Set<string>();
    ordered = chain.filter((m) => (seen.has(m.name) ? false : (seen.add(m.name), true)));
    why =
      `intent ${intent} (${c.intentConfidence.toFixed(2)}), complexity ${c.complexity.toFixed(2)} (${bandName(c.band)})` +
      (wantStrong ? `${strategy === Strategy.QUALITY ? ', quality strategy' : ` >= ${catalog.data.policy.strong_threshold}`}: strong model` : ': route primary');
  }

  const eligible: CatalogModel[] = [];
  for (const m of ordered) {
    const problem = ineligible(m);
    candidates.push(create(CandidateSchema, { model: m.name, score: problem ? 0 : 1 / (1 + eligible.length), note: problem ?? 'eligible' }));
    if (!problem) eligible.push(m);
  }
  if (eligible.length === 0 && hints?.mode !== RoutingMode.PINNED) {
    // Nothing on the route fits the constraints: take the cheapest model in the catalog that does.
    const rest = catalog.data.models
      .filter((m) => !ordered.includes(m) && ineligible(m) === null)
      .sort((a, b) => expectedCost(a, c.inputTokens, outputTokens) - expectedCost(b, c.inputTokens, outputTokens));
    if (rest[0]) {
      eligible.push(rest[0]);
      candidates.push(create(CandidateSchema, { model: rest[0].name, score: 0.5, note: 'cheapest eligible outside the route' }));
      why += `; route models excluded by constraints, using ${rest[0].name}`;
    }
  }
  if (eligible.length === 0) {
    return { ok: false, code: 'no_eligible_model', reason: `no model satisfies the request's constraints (${candidates.map((x) => `${x.model}: ${x.note}`).join('; ')})` };
  }
  const targets = eligible.map((m, i) => {
    const provider = catalog.provider(m.provider)!;
    return create(TargetSchema, {
      model: m.name,
      provider: m.provider,
      pool: provider.pool,
      role: i === 0 ? TargetRole.PRIMARY : TargetRole.FALLBACK,
      inputPricePerMtok: m.input_price_per_mtok,
      outputPricePerMtok: m.output_price_per_mtok,
    });
  });
  const primary = eligible[0]!;
  return {
    ok: true,
    decision: create(RoutingDecisionSchema, {
      requestId: request.requestId,
      plan: PlanKind.SINGLE,
      targets,
      strategy,
      expectedCostUsd: expectedCost(primary, c.inputTokens, outputTokens),
      expectedLatencyMs: primary.typical_latency_ms,
      candidates,
      reason: `${why}; primary ${primary.name}${eligible.length > 1 ? `, fallbacks ${eligible.slice(1).map((m) => m.name).join(', ')}` : ''}`,
      policyVersion: catalog.version,
    }),
  };
}
