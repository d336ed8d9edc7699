/**
 * The routing policy: from a classified request, the catalog, live health and the
 * conversation's previous choice to a complete, explained decision. Pure and synchronous
 * (no I/O): the router service, the offline dry run and the evaluation all call this.
 *
 * Order of work: tier and alias → rules (deny, force, plan, strategy, floor) → injection
 * and PII policy → constraints on every model (each exclusion reported) → scores
 * (expected quality, cost, latency, utility, health penalty) → the strategy's order →
 * conversation affinity → the plan's targets → the fallback chain → the explanation.
 */
import {
  CandidateSchema,
  Capability,
  ConstraintSchema,
  Intent,
  PlanKind,
  Privacy,
  ResponseFormat,
  ToolChoiceMode,
  RoutingDecisionSchema,
  RoutingMode,
  TargetRole,
  bandName,
  subjectName,
  create,
  intentName,
  piiName,
  type Candidate,
  type Constraint,
} from '@yardmaster/contracts';
import type { Catalog, ResolvedModel } from '../catalog.js';
import type { CatalogAlias, CatalogTier } from '../schema.js';
import { planFromName, strategyFromName, strategyName } from '../vocabulary.js';
import { buildPlan } from './plans.js';
import { evaluateRules, type RuleFacts } from './rules.js';
import { levels } from '../learning/posteriors.js';
import { fillUtilities, objective, rank, score, type Scored } from './score.js';
import type { RouteInput, Routed, TargetHealthView } from './types.js';

const CAPABILITY_NAMES: Partial<Record<Capability, string>> = {
  [Capability.VISION]: 'vision',
  [Capability.JSON]: 'json',
  [Capability.TOOLS]: 'tools',
  [Capability.IMAGE_OUTPUT]: 'image_output',
  [Capability.LONG_CONTEXT]: 'long_context',
};

/** Constraint names, in the order they are checked (the first failing one is reported). */
export const CONSTRAINTS = [
  'modality',
  'pinned',
  'rule',
  'tier_models',
  'alias',
  'compliance',
  'provider_allowed',
  'provider_denied',
  'region',
  'capability',
  'context_window',
  'max_output',
  'max_cost',
  'max_latency',
  'health',
] as const;
type ConstraintName = (typeof CONSTRAINTS)[number];

interface Exclusion {
  readonly name: ConstraintName;
  readonly detail: string;
}

const fmtUsd = (v: number) => (v === 0 ? '$0' : v < 0.0001 ? `$${v.toExponential(1)}` : `$${v.toFixed(4)}`);
const fmtMs = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const fmt2 = (v: number) => v.toFixed(2);

/** Output tokens a request is expected to produce: its max_tokens, else the catalog's figure for the intent. */
export function expectedOutputTokens(catalog: Catalog, intent: string, maxTokens?: number): number {
  const d = catalog.data.defaults;
  return maxTokens ?? d.output_tokens_by_intent[intent] ?? d.output_tokens;
}

/** Health key of a model at its provider: `<provider>/<model>` (as `@yardmaster/store` writes it). */
export function healthKey(model: ResolvedModel): string {
  return `${model.provider.name}/${model.name}`;
}

/** Why a target with this live health may not be called now (open circuit, 429 cooldown), or undefined. */
export function targetUnavailable(h: TargetHealthView | undefined, nowMs: number): string | undefined {
  return unavailable(h, nowMs);
}

/** Why a tier may not use a tool model (the same constraints as a model: allowed list, privacy, regions), or undefined. */
function toolExclusion(tool: ResolvedModel, tier: CatalogTier, tierName: string, privateOnly: boolean): string | undefined {
  if (tier.allowed_models.length > 0 && !tier.allowed_models.includes(tool.name)) return `not in tier ${tierName}'s allowed models`;
  if (privateOnly && !tool.provider.self_hosted) return 'the request must stay self-hosted';
  if (tier.regions.length > 0 && !tier.regions.includes(tool.provider.region)) return `region ${tool.provider.region} not in tier ${tierName}'s regions`;
  return undefined;
}

function unavailable(h: TargetHealthView | undefined, nowMs: number): string | undefined {
  if (h === undefined) return undefined;
  if (h.circuitOpenUntilMs > nowMs) return `circuit open for ${fmtMs(h.circuitOpenUntilMs - nowMs)}${h.reason ? ` (${h.reason})` : ''}`;
  if (h.cooldownUntilMs > nowMs) return `rate-limit cooldown for ${fmtMs(h.cooldownUntilMs - nowMs)}${h.reason ? ` (${h.reason})` : ''}`;
  return undefined;
}

/**
 * Decides the execution path of one classified request. Never throws for a bad request:
 * a request nothing may serve gets `{ ok: false, code, reason }` with the candidates and
 * constraints that ruled them out.
 */
export function route(catalog: Catalog, input: RouteInput): Routed {
  const { request, classification: c } = input;
  const nowMs = input.nowMs ?? Date.now();
  const hints = request.hints;
  const data = catalog.data;

  // --- Tier and alias ------------------------------------------------------------------
  const { name: tierName, tier } = catalog.tierOf(request.tenantId);
  const named = hints?.pinnedModel ?? '';
  const aliasName = named !== '' && catalog.alias(named) !== undefined ? named : named === '' && catalog.alias('auto') !== undefined ? 'auto' : '';
  const alias: CatalogAlias | undefined = aliasName !== '' ? catalog.alias(aliasName) : undefined;
  const pinnedName = aliasName === '' && named !== '' && (hints?.mode === RoutingMode.PINNED || hints?.mode === RoutingMode.UNSPECIFIED || hints?.mode === undefined) ? named : '';

  // --- Request facts ---------------------------------------------------------------------
  const intent = c.intent || Intent.OTHER;
  const intentText = intentName(intent);
  const band = bandName(c.band);
  const pii = c.pii.map(piiName);
  const imageOutput = c.imageOutput || intent === Intent.IMAGE_GENERATION;
  const maxTokens = request.params?.maxTokens;
  const outputTokens = expectedOutputTokens(catalog, intentText, maxTokens);
  const metadata = request.metadata;
  const facts: RuleFacts = {
    intent: intentText,
    band,
    complexity: c.complexity,
    language: c.language,
    tenant: request.tenantId,
    tier: tierName,
    alias: aliasName,
    metadata,
    pii,
    tool: c.tool?.name ?? '',
    imageInput: c.imageInput,
    imageOutput,
    injection: c.injectionSuspected,
    inputTokens: c.inputTokens,
  };
  const rules = evaluateRules(data.rules, facts);

  const fail = (code: string, reason: string, candidates: Candidate[] = [], constraints: Constraint[] = []): Routed => ({
    ok: false,
    code,
    reason,
    candidates,
    constraints,
    rulesApplied: rules.applied,
    tier: tierName,
    alias: aliasName,
  });

  if (rules.deny) return fail('denied_by_rule', `denied by rule "${rules.deny.rule}": ${rules.deny.reason}`);
  if (pinnedName !== '' && catalog.model(pinnedName) === undefined) {
    return fail('unknown_model', `model "${pinnedName}" is not in the catalog (known: ${catalog.modelNames().join(', ')})`);
  }

  // --- Policies: injection, PII, privacy -------------------------------------------------
  const notes: string[] = [];
  // A rule's model is preferred (first, with fallbacks); the injection policy's model is exclusive.
  const preferred = rules.model ? { name: rules.model.name, why: `rule "${rules.model.rule}"` } : undefined;
  let forced: { name: string; why: string } | undefined;
  if (c.injectionSuspected) {
    if (tier.injection.action === 'refuse') return fail('injection_refused', `prompt flagged as a likely injection; tier ${tierName} refuses such prompts`);
    if (tier.injection.action === 'model') {
      forced = { name: tier.injection.model!, why: `tier ${tierName} injection policy` };
      notes.push(`suspected injection → ${tier.injection.model!}`);
    } else notes.push('suspected injection routed normally (tier policy)');
  }
  if (pii.length > 0 && tier.pii_policy === 'refuse') return fail('pii_refused', `request contains PII (${pii.join(', ')}); tier ${tierName} refuses requests with PII`);
  const privacyWhy: string[] = [];
  if (hints?.privacy === Privacy.SELF_HOSTED_ONLY) privacyWhy.push('caller asked for self-hosted only');
  if (alias?.privacy === 'self_hosted_only') privacyWhy.push(`alias ${aliasName} is self-hosted only`);
  if (pii.length > 0 && tier.pii_policy === 'private') privacyWhy.push(`request contains PII (${pii.join(', ')}) and tier ${tierName} keeps PII private`);
  const privateOnly = privacyWhy.length > 0;

  // --- Strategy, floor, plan -------------------------------------------------------------
  const hintStrategy = hints?.strategy ? strategyName(hints.strategy) : undefined;
  const strategy = rules.strategy?.name ?? hintStrategy ?? alias?.strategy ?? tier.strategy;
  const floor = rules.floor?.value ?? alias?.quality_floor ?? tier.quality_floor;
  const hintPlan = hints?.plan ? hints.plan : undefined;
  // A tool the catalog declares for the suggestion, unless the tier may not use it: then a compliant model answers.
  // A caller that sends its own function tools, or asks for JSON, wants a model's answer in that
  // shape (a tool call, a JSON document), which a tool's raw result is not.
  const declaredTool = c.tool?.name ? catalog.tools.get(c.tool.name) : undefined;
  const callerTools = request.tools.length > 0 && request.toolChoice?.mode !== ToolChoiceMode.NONE;
  const wantsJson = request.params?.responseFormat === ResponseFormat.JSON || Boolean(request.jsonSchema?.schemaJson);
  const toolBar = declaredTool
    ? callerTools
      ? 'the caller sent its own tools'
      : wantsJson
        ? 'the caller asked for JSON'
        : toolExclusion(declaredTool, tier, tierName, privateOnly)
    : undefined;
  if (declaredTool && toolBar) notes.push(`tool ${declaredTool.name} not used: ${toolBar}`);
  // A suggestion for a tool this deployment does not have (an order lookup without an orders pool): a model answers, and says why.
  else if (c.tool?.name && !declaredTool) notes.push(`tool ${c.tool.name} not used: the catalog declares no ${c.tool.name} tool`);
  const tool = toolBar === undefined ? declaredTool : undefined;
  let plan: PlanKind;
  let planWhy: string;
  if (rules.plan) [plan, planWhy] = [planFromName(rules.plan.name), `rule "${rules.plan.rule}"`];
  else if (hintPlan !== undefined) [plan, planWhy] = [hintPlan, 'caller'];
  else if (alias?.plan !== undefined) [plan, planWhy] = [planFromName(alias.plan), `alias ${aliasName}`];
  else if (tool !== undefined && pinnedName === '' && forced === undefined && preferred === undefined) [plan, planWhy] = [PlanKind.TOOL, `classifier found a ${c.tool!.name} ${tool.provider.api === 'http-tool' ? 'request' : 'expression'}`];
  else [plan, planWhy] = [planFromName(tier.plan), `tier ${tierName}`];
  if (plan === PlanKind.TOOL && tool === undefined) {
    notes.push('tool plan requested but no tool matches the request: single');
    plan = PlanKind.SINGLE;
  }

  // --- Constraints -----------------------------------------------------------------------
  const required = new Set<string>();
  for (const cap of hints?.requiredCapabilities ?? []) {
    const name = CAPABILITY_NAMES[cap];
    if (name) required.add(name);
  }
  if (c.imageInput) required.add('vision');
  if (imageOutput) required.add('image_output');
  if (request.params?.responseFormat === ResponseFormat.JSON || request.jsonSchema?.schemaJson) required.add('json');
  // Tools the model may call need a model that calls tools (unless the caller said it must not).
  if (request.tools.length > 0 && request.toolChoice?.mode !== ToolChoiceMode.NONE) required.add('tools');
  const maxCost = Math.min(hints?.maxCostUsd || Infinity, tier.max_cost_usd ?? Infinity);
  const maxLatency = hints?.maxLatencyMs || Infinity;
  const allowed = hints?.allowedProviders ?? [];
  const denied = hints?.deniedProviders ?? [];
  const tierAllowed = tier.allowed_models.length > 0 ? new Set(tier.allowed_models) : undefined;
  const aliasModels = alias?.models ? new Set(alias.models) : undefined;
  // A catalog without image models answers image requests in text (the classifier may be wrong, and a text answer beats none).
  const wantKind = imageOutput && catalog.models.some((m) => m.data.kind === 'image') ? 'image' : 'chat';
  if (imageOutput && wantKind === 'chat') {
    required.delete('image_output');
    notes.push('no image model in the catalog: answered in text');
  }
  const belief = { intent, confidence: c.intentConfidence, runnerUp: c.runnerUp, runnerUpConfidence: c.runnerUpConfidence };
  const scoreFacts = { intent: belief, complexity: c.complexity, language: c.language, inputTokens: c.inputTokens, outputTokens, languagePenalty: data.defaults.language_penalty };
  // Quality learned from feedback for this request's cell (intent, band, subject), when the router has any.
  const learnedCell = input.learned ? { intent: intentText, band, subject: subjectName(c.subject) } : undefined;
  const learned = input.learned && learnedCell ? { posteriors: input.learned.posteriors, explore: input.learned.explore, cell: learnedCell, levels: levels(learnedCell) } : undefined;

  const exclusions = new Map<string, Exclusion>();
  const scoredAll: Scored[] = [];
  const eligible: Scored[] = [];
  const unhealthy: Scored[] = [];
  for (const m of catalog.models) {
    const h = input.health?.get(healthKey(m));
    const s = score(m, scoreFacts, h, tier.weights, learned, nowMs);
    scoredAll.push(s);
    const ex = exclude(m, s, h);
    if (ex === undefined) eligible.push(s);
    else {
      exclusions.set(m.name, ex);
      if (ex.name === 'health') unhealthy.push(s);
    }
  }

  function exclude(m: ResolvedModel, s: Scored, h: TargetHealthView | undefined): Exclusion | undefined {
    const md = m.data;
    if (md.kind !== wantKind) return { name: 'modality', detail: wantKind === 'image' ? 'does not generate images' : 'generates images, not text' };
    if (pinnedName !== '' && m.name !== pinnedName) return { name: 'pinned', detail: `caller pinned ${pinnedName}` };
    if (forced !== undefined && m.name !== forced.name) return { name: 'rule', detail: `${forced.why} forces ${forced.name}` };
    if (rules.pool && m.provider.pool !== rules.pool.name) return { name: 'rule', detail: `rule "${rules.pool.rule}" allows pool ${rules.pool.name} only` };
    if (rules.models && !rules.models.names.has(m.name)) return { name: 'rule', detail: `not in rule "${rules.models.rule}"'s models` };
    if (tierAllowed && !tierAllowed.has(m.name)) return { name: 'tier_models', detail: `not allowed for tier ${tierName}` };
    if (aliasModels && !aliasModels.has(m.name)) return { name: 'alias', detail: `not in alias ${aliasName}` };
    if (privateOnly && !m.provider.self_hosted) return { name: 'compliance', detail: 'not self-hosted' };
    if (allowed.length > 0 && !allowed.includes(m.provider.name)) return { name: 'provider_allowed', detail: `provider ${m.provider.name} not in the caller's allowed providers` };
    if (denied.includes(m.provider.name)) return { name: 'provider_denied', detail: `provider ${m.provider.name} denied by the caller` };
    if (tier.regions.length > 0 && !tier.regions.includes(m.provider.region)) return { name: 'region', detail: `region ${m.provider.region} not in tier ${tierName}'s regions` };
    for (const cap of required) if (!m.capabilities.has(cap)) return { name: 'capability', detail: `lacks ${cap}` };
    if (c.inputTokens + outputTokens > md.context_window) return { name: 'context_window', detail: `needs ${c.inputTokens + outputTokens} tokens, window ${md.context_window}` };
    if (maxTokens !== undefined && maxTokens > md.max_output_tokens) return { name: 'max_output', detail: `max_tokens ${maxTokens} > its max output ${md.max_output_tokens}` };
    if (s.cost > maxCost) return { name: 'max_cost', detail: `expected ${fmtUsd(s.cost)} > limit ${fmtUsd(maxCost)}` };
    if (s.latencyMs > maxLatency) return { name: 'max_latency', detail: `expected ${fmtMs(s.latencyMs)} > limit ${fmtMs(maxLatency)}` };
    const down = unavailable(h, nowMs);
    if (down !== undefined) return { name: 'health', detail: down };
    return undefined;
  }

  const constraintReports = (): Constraint[] => {
    const by = new Map<string, { detail: string; models: string[] }>();
    for (const [model, ex] of exclusions) {
      const r = by.get(ex.name) ?? { detail: ex.detail, models: [] };
      r.models.push(model);
      by.set(ex.name, r);
    }
    return CONSTRAINTS.filter((n) => by.has(n)).map((n) => create(ConstraintSchema, { name: n, detail: by.get(n)!.detail, models: by.get(n)!.models }));
  };

  // Every eligible target unhealthy: better to try the one recovering first than to refuse.
  let allUnhealthy = false;
  if (eligible.length === 0 && unhealthy.length > 0) {
    allUnhealthy = true;
    for (const s of unhealthy) eligible.push(s);
    notes.push('every eligible target is unhealthy: trying them anyway');
  }

  // A tier routed against a reference model prices every candidate against the reference's figures for this request
  // (the reference is scored even where a constraint excludes it: its cost is still the yardstick).
  const refScored = tier.reference !== undefined ? scoredAll.find((s) => s.model.name === tier.reference!.model) : undefined;
  fillUtilities(eligible, tier.weights, refScored !== undefined ? { settings: tier.reference!, scored: refScored } : undefined);
  if (refScored !== undefined && strategy === 'balanced') notes.push(`against reference ${refScored.model.name} (quality ${fmt2(refScored.quality)}, ${fmtUsd(refScored.cost)})`);
  const candidates = (): Candidate[] => candidateList(scoredAll, eligible, exclusions, strategy);

  if (eligible.length === 0) {
    const byCompliance = [...exclusions.values()].some((e) => e.name === 'compliance');
    const considered = [...exclusions].filter(([, e]) => e.name !== 'modality').map(([m, e]) => `${m}: ${e.detail}`);
    const list = considered.length > 0 ? ` (${considered.join('; ')})` : '';
    if (privateOnly && byCompliance) {
      return fail('no_compliant_model', `${privacyWhy.join('; ')}: no self-hosted model can serve this request${list}`, candidates(), constraintReports());
    }
    if (pinnedName !== '') return fail('constraints_unsatisfiable', `pinned model ${pinnedName}: ${exclusions.get(pinnedName)?.detail ?? 'not eligible'}`, candidates(), constraintReports());
    if (forced !== undefined) return fail('constraints_unsatisfiable', `${forced.why} forces ${forced.name}, which is not eligible: ${exclusions.get(forced.name)?.detail ?? 'not eligible'}`, candidates(), constraintReports());
    return fail('no_eligible_model', `no model satisfies the request's constraints${list}`, candidates(), constraintReports());
  }

  // --- Strategy order (quality floor first) ----------------------------------------------
  const above: Scored[] = [];
  const below: Scored[] = [];
  for (const s of eligible) (strategy === 'quality' || s.quality >= floor ? above : below).push(s);
  let ordered: Scored[];
  if (above.length > 0) ordered = [...rank(strategy, above), ...rank(strategy, below)];
  else {
    ordered = rank('quality', [...below]);
    notes.push(`no candidate clears quality floor ${fmt2(floor)}: best available`);
  }
  if (allUnhealthy) ordered.sort((a, b) => recovery(a) - recovery(b));
  function recovery(s: Scored): number {
    const h = input.health?.get(healthKey(s.model));
    return Math.max(h?.circuitOpenUntilMs ?? 0, h?.cooldownUntilMs ?? 0);
  }

  // --- Conversation affinity -------------------------------------------------------------
  let affinity = '';
  const previous = input.affinity;
  let preferredWhy = '';
  if (preferred !== undefined && pinnedName === '' && forced === undefined) {
    const p = ordered.find((s) => s.model.name === preferred.name);
    if (p !== undefined) {
      ordered.splice(ordered.indexOf(p), 1);
      ordered.unshift(p);
      preferredWhy = `preferred by ${preferred.why}`;
    } else {
      const ex = exclusions.get(preferred.name);
      notes.push(`${preferred.why} prefers ${preferred.name}, which is not eligible${ex ? ` (${ex.name}: ${ex.detail})` : ''}`);
    }
  }
  if (previous !== undefined && data.affinity.enabled && pinnedName === '' && forced === undefined && preferredWhy === '') {
    const prev = ordered.find((s) => s.model.name === previous.model);
    const intentChanged = previous.intent !== intentText && c.intentConfidence >= data.affinity.intent_change_confidence;
    const ex = exclusions.get(previous.model);
    if (ordered[0]?.model.name === previous.model) affinity = `kept ${previous.model}`;
    else if (prev === undefined) affinity = `moved from ${previous.model}: ${ex ? `${ex.name === 'health' ? 'unhealthy' : ex.name} (${ex.detail})` : 'no longer in the catalog'}`;
    else if (intentChanged) affinity = `moved from ${previous.model}: intent changed ${previous.intent} → ${intentText}`;
    else if (strategy !== 'quality' && prev.quality < floor && above.length > 0) affinity = `moved from ${previous.model}: below quality floor ${fmt2(floor)} at this complexity`;
    else {
      ordered.splice(ordered.indexOf(prev), 1);
      ordered.unshift(prev);
      affinity = `kept ${previous.model}`;
    }
  }

  // --- Plan and fallbacks ----------------------------------------------------------------
  const built = buildPlan(catalog, {
    plan,
    ordered,
    floor,
    tool,
    toolHealthy: tool !== undefined && unavailable(input.health?.get(healthKey(tool)), nowMs) === undefined,
    inputTokens: c.inputTokens,
    outputTokens,
    maxFallbacks: pinnedName !== '' ? 0 : tier.max_fallbacks,
    pinned: pinnedName !== '',
  });
  notes.push(...built.notes);
  const primary = built.primary;

  // --- Explanation -----------------------------------------------------------------------
  const parts: string[] = [];
  parts.push(`${intentText} (${fmt2(c.intentConfidence)}), ${band} complexity ${fmt2(c.complexity)}, tier ${tierName}${aliasName ? `, alias ${aliasName}` : ''}, ${strategy}`);
  const why = pinnedName !== '' ? 'pinned by caller' : forced !== undefined ? `forced by ${forced.why}` : preferredWhy !== '' ? preferredWhy : affinity.startsWith('kept') ? 'conversation affinity' : `best ${strategy}`;
  parts.push(
    built.plan === PlanKind.TOOL
      ? `${planWhy} → ${built.targets[0]!.model} (${tool?.provider.api === 'http-tool' ? `HTTP tool, pool ${tool.provider.pool}` : 'exact'}, no model cost)`
      : `${why} → ${primary.model.name} (quality ${fmt2(primary.quality)}, ${fmtUsd(primary.cost)}, ${fmtMs(primary.latencyMs)}${primary.liveLatency ? ' live' : ''})`,
  );
  if (built.plan !== PlanKind.SINGLE && built.plan !== PlanKind.TOOL) parts.push(`plan ${planKindName(built.plan)} (${planWhy}): ${built.summary}`);
  if (strategy !== 'quality') {
    const under = eligible.filter((s) => s.quality < floor).map((s) => s.model.name);
    if (under.length > 0) parts.push(`${list(under)} below quality floor ${fmt2(floor)}`);
  }
  const excluded = [...exclusions].filter(([, e]) => e.name !== 'modality' && !(allUnhealthy && e.name === 'health'));
  if (excluded.length > 0) parts.push(`excluded: ${list(excluded.map(([m, e]) => `${m} (${e.name}: ${e.detail})`), 4)}`);
  if (privateOnly) parts.push(privacyWhy.join('; '));
  if (rules.applied.length > 0) parts.push(`rules: ${rules.applied.join(', ')}`);
  if (affinity !== '') parts.push(`conversation: ${affinity}`);
  parts.push(...notes);
  const fallbacks = built.targets.filter((t) => t.role === TargetRole.FALLBACK).map((t) => t.model);
  if (fallbacks.length > 0) parts.push(`fallbacks: ${fallbacks.join(', ')}`);

  return {
    ok: true,
    decision: create(RoutingDecisionSchema, {
      requestId: request.requestId,
      plan: built.plan,
      targets: built.targets,
      strategy: strategyFromName(strategy),
      expectedCostUsd: built.expectedCost,
      expectedLatencyMs: Math.round(built.expectedLatencyMs),
      candidates: candidates(),
      reason: parts.join('; '),
      policyVersion: catalog.version,
      catalogVersion: catalog.version,
      rulesApplied: rules.applied,
      constraints: constraintReports(),
      alias: aliasName,
      tier: tierName,
      qualityFloor: floor,
      expectedQuality: built.plan === PlanKind.TOOL ? 1 : primary.quality,
      affinity,
      intent: intentText,
    }),
  };
}

function list(items: string[], max = 6): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function planKindName(plan: PlanKind): string {
  return (PlanKind[plan] ?? 'UNSPECIFIED').toLowerCase();
}

/** Every model considered: eligible ones best first by the strategy, then the excluded with why. */
function candidateList(all: readonly Scored[], eligible: readonly Scored[], exclusions: ReadonlyMap<string, Exclusion>, strategy: string): Candidate[] {
  const inEligible = new Set(eligible);
  const sorted = [...eligible].sort((a, b) => objective(strategy, b) - objective(strategy, a));
  const out: Candidate[] = [];
  for (const s of sorted) out.push(candidate(s, strategy, undefined));
  for (const s of all) {
    if (inEligible.has(s)) continue;
    const ex = exclusions.get(s.model.name);
    if (ex?.name === 'modality') continue;
    out.push(candidate(s, strategy, ex));
  }
  return out;
}

function candidate(s: Scored, strategy: string, ex: Exclusion | undefined): Candidate {
  return create(CandidateSchema, {
    model: s.model.name,
    provider: s.model.provider.name,
    score: ex ? 0 : objective(strategy, s),
    note: ex ? `${ex.name}: ${ex.detail}` : 'eligible',
    quality: s.quality,
    costUsd: s.cost,
    latencyMs: Math.round(s.latencyMs),
    utility: s.utility,
    excluded: ex?.name ?? '',
    healthPenalty: s.healthPenalty,
  });
}

