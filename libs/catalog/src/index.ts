/**
 * @yardmaster/catalog - the model catalog and the routing policy that reads it.
 *
 * The catalog (YAML, validated with every problem listed at once): providers (worker
 * pools, API kinds, credentials references, regions), models (prices, windows,
 * capabilities, quality and latency priors, languages), tenant tiers, route aliases,
 * ordered rules and plan settings. The policy ({@link route}) is pure and synchronous:
 * the router service, `yardmaster route` (offline dry run) and `eval:router` share it.
 * Ingress uses {@link Catalog.isModelName} / {@link Catalog.modelNames} for model names.
 */
export * from './catalog.js';
export * from './vocabulary.js';
export { catalogSchema, sourced, type TierWeights } from './schema.js';
export { route, healthKey, targetUnavailable, expectedOutputTokens, CONSTRAINTS } from './policy/route.js';
export { followUpTarget, type FollowUpChoice, type FollowUpQuery } from './policy/follow-up.js';
export { buildPlan, triggersFor, type BuiltPlan, type PlanInput } from './policy/plans.js';
export { evaluateRules, ruleMatches, type RuleFacts, type RuleOutcome } from './policy/rules.js';
export { expectedCost, expectedQuality, intentPrior, priorLatencyMs, MIN_LIVE_SAMPLES, type IntentBelief } from './policy/score.js';
export type { AffinityEntry, HealthView, RouteInput, Routed, TargetHealthView } from './policy/types.js';
export { classificationFromResult } from './classification.js';
export { QualityPosteriors, learnedQuality, learnedQualitySd, learnedOutputTokens, levels, OUTPUT_TOKENS_PRIOR_STRENGTH, DEFAULT_PRIOR_STRENGTH, type Cell, type Estimate, type Evidence, type EvidenceRow, type LearnedQuality, type PosteriorOptions } from './learning/posteriors.js';
