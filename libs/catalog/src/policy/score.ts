import type { ResolvedModel } from '../catalog.js';
import type { TierReference, TierWeights } from '../schema.js';
import { learnedQualitySd, type LearnedQuality } from '../learning/posteriors.js';
import type { TargetHealthView } from './types.js';

/** Calls a target must have recorded before its live figures replace the priors. */
export const MIN_LIVE_SAMPLES = 3;
/**
 * An error rate fades by half for every this long without a new report. A target that the
 * router stops choosing because of its error rate gets no new calls, so without fading its
 * last error rate would keep it out for good after the provider recovers; with it, the
 * target wins again within seconds of its last failure and the next calls measure it anew.
 */
export const ERROR_RATE_HALF_LIFE_MS = 5000;
/** Cost floor (USD) so that free models do not make the cost ratio infinite. */
const COST_EPSILON = 1e-6;

/** The figures a candidate is judged by. */
export interface Scored {
  readonly model: ResolvedModel;
  /** Expected quality, 0..1. */
  readonly quality: number;
  /** How unsure the quality is (the posterior's standard deviation). */
  readonly qualitySd: number;
  /** Expected cost in USD. */
  readonly cost: number;
  /** Expected latency in ms. */
  readonly latencyMs: number;
  /** Whether the latency is a live figure from the workers. */
  readonly liveLatency: boolean;
  /** Quality points taken off for live error rate and saturation. */
  readonly healthPenalty: number;
  /** Balanced utility (set once the cheapest eligible cost is known). */
  utility: number;
}

/** What the classifier said about the task: the intent, its confidence, and the runner-up. */
export interface IntentBelief {
  readonly intent: number;
  readonly confidence: number;
  readonly runnerUp: number;
  readonly runnerUpConfidence: number;
}

/**
 * The prior for the task as the classifier believes it: the intents' priors weighted by
 * their confidences, the rest of the mass on the model's default. A sure classification
 * gives the intent's prior; an unsure one hedges towards the runner-up and the default.
 */
export function intentPrior(model: ResolvedModel, b: IntentBelief): number {
  const q = model.qualityByIntent;
  const d = model.data.quality.default;
  const p1 = b.confidence > 0 ? Math.min(1, b.confidence) : 1;
  const p2 = b.runnerUp > 0 ? Math.max(0, Math.min(1 - p1, b.runnerUpConfidence)) : 0;
  return p1 * (q[b.intent] ?? d) + p2 * (q[b.runnerUp] ?? d) + (1 - p1 - p2) * d;
}

/** Expected quality: the task's prior, moved by complexity around 0.5, less the language penalty. */
export function expectedQuality(model: ResolvedModel, intent: number | IntentBelief, complexity: number, language: string, languagePenalty: number): number {
  const base = typeof intent === 'number' ? (model.qualityByIntent[intent] ?? model.data.quality.default) : intentPrior(model, intent);
  let q = base - model.data.quality.complexity_slope * (complexity - 0.5);
  if (model.languages.size > 0 && language !== '' && language !== 'und' && !model.languages.has(language)) q -= languagePenalty;
  return q < 0 ? 0 : q > 1 ? 1 : q;
}

/** Expected cost of one call in USD. */
export function expectedCost(model: ResolvedModel, inputTokens: number, outputTokens: number): number {
  const m = model.data;
  return (inputTokens * m.input_price_per_mtok + outputTokens * m.output_price_per_mtok) / 1e6 + m.price_per_image * (m.kind === 'image' ? 1 : 0);
}

/** Expected latency from the prior: time to first token plus generation time. */
export function priorLatencyMs(model: ResolvedModel, outputTokens: number): number {
  const l = model.data.latency;
  return l.first_token_ms + (outputTokens * 1000) / l.tokens_per_s;
}

/** Scores one candidate (utility is filled in by {@link fillUtilities}). */
export function score(
  model: ResolvedModel,
  f: { intent: number | IntentBelief; complexity: number; language: string; inputTokens: number; outputTokens: number; languagePenalty: number },
  health: TargetHealthView | undefined,
  weights: TierWeights,
  learned?: LearnedQuality,
  nowMs: number = Date.now(),
): Scored {
  const live = health !== undefined && health.samples >= MIN_LIVE_SAMPLES && health.latencyMs > 0;
  let penalty = 0;
  if (health !== undefined && health.samples >= MIN_LIVE_SAMPLES) {
    const age = health.updatedAtMs !== undefined ? Math.max(0, nowMs - health.updatedAtMs) : 0;
    penalty += weights.error_rate * health.errorRate * 0.5 ** (age / ERROR_RATE_HALF_LIFE_MS);
  }
  if (health?.headroom !== undefined && health.headroom < 0.2) penalty += weights.saturation * ((0.2 - health.headroom) / 0.2);
  const prior = expectedQuality(model, f.intent, f.complexity, f.language, f.languagePenalty);
  // The catalog's prior, replaced by what feedback taught about this cell when there is any (a posterior draw when exploring);
  // the model's own answer length in this cell once feedback reported some (verbose models cost more than their price says).
  const e = learned?.posteriors.estimate(learned.cell, model.name, prior, f.outputTokens, learned.levels);
  return {
    model,
    quality: e === undefined ? prior : learned!.explore ? learned!.posteriors.draw(e.alpha, e.beta) : e.mean,
    qualitySd: e === undefined ? learnedQualitySd(undefined, model.name, prior) : e.sd,
    cost: expectedCost(model, f.inputTokens, e === undefined ? f.outputTokens : e.outputTokens),
    latencyMs: live ? health.latencyMs : priorLatencyMs(model, f.outputTokens),
    liveLatency: live,
    healthPenalty: penalty,
    utility: 0,
  };
}

/**
 * Balanced utility: quality, less `cost_per_decade` for every 10x of cost over the
 * cheapest eligible candidate, less `latency_per_s` per second, less the health penalty.
 * Relative cost keeps the trade-off independent of the request's size.
 *
 * With a tier `reference` (its scored figures passed as `reference`), the trade-off is
 * against that model instead: quality, less `cost_weight` per multiple of the reference's
 * expected cost for this request, less `margin_sd` standard deviations of the quality
 * difference to the reference for every other model. The reference is the default, and
 * another model takes a request only where what was learned says, with that confidence,
 * that it answers better or as well for less; spending above the reference on some
 * requests is paid for by what cheaper models save on others (a linear price of cost,
 * so the spend is held near the reference's).
 */
export function fillUtilities(scored: Scored[], weights: TierWeights, reference?: { readonly settings: TierReference; readonly scored: Scored }): void {
  if (reference !== undefined) {
    const { settings, scored: ref } = reference;
    const refCost = ref.cost + COST_EPSILON;
    for (const s of scored) {
      const margin = s.model.name === ref.model.name ? 0 : settings.margin_sd * Math.sqrt(s.qualitySd * s.qualitySd + ref.qualitySd * ref.qualitySd);
      s.utility = s.quality - margin - (settings.cost_weight * (s.cost + COST_EPSILON)) / refCost - (weights.latency_per_s * s.latencyMs) / 1000 - s.healthPenalty;
    }
    return;
  }
  let minCost = Infinity;
  for (const s of scored) if (s.cost < minCost) minCost = s.cost;
  for (const s of scored) {
    s.utility = s.quality - weights.cost_per_decade * Math.log10((s.cost + COST_EPSILON) / (minCost + COST_EPSILON)) - (weights.latency_per_s * s.latencyMs) / 1000 - s.healthPenalty;
  }
}

/** Orders candidates best first for a strategy; returns the objective each is ranked by (higher is better). */
export function objective(strategy: string, s: Scored): number {
  switch (strategy) {
    case 'cost':
      return -s.cost;
    case 'latency':
      return -s.latencyMs;
    case 'quality':
      return s.quality - s.healthPenalty;
    default:
      return s.utility;
  }
}

/** Sorts best first by the strategy's objective; ties go to higher quality, then lower cost, then catalog order. */
export function rank(strategy: string, list: Scored[]): Scored[] {
  return list.sort((a, b) => objective(strategy, b) - objective(strategy, a) || b.quality - a.quality || a.cost - b.cost || a.model.index - b.model.index);
}
