import { createRequire } from 'node:module';
import seedrandom from 'seedrandom';

/** jStat has no type declarations; the one function used. */
interface JStat {
  setRandom(fn: () => number): void;
  beta: { sample(alpha: number, beta: number): number };
}
const { jStat } = createRequire(__filename)('jstat') as { jStat: JStat };

/** Where a request falls for learning: its task, complexity band and subject. */
export interface Cell {
  readonly intent: string;
  readonly band: string;
  readonly subject: string;
}

/** The evidence for one model in one cell (or a coarser level): summed scores and the number of scores. */
export interface Evidence {
  /** Sum of the scores (each in [0, 1]). */
  readonly sum: number;
  readonly n: number;
  /** Summed output tokens of the scored answers that reported them (0 when none did). */
  readonly tokens?: number;
  /** How many scored answers reported their output tokens. */
  readonly tokensN?: number;
}

/** What scoring uses about one model in one cell (see {@link QualityPosteriors.estimate}). */
export interface Estimate {
  readonly alpha: number;
  readonly beta: number;
  readonly mean: number;
  readonly sd: number;
  readonly outputTokens: number;
}

/** One stored row: a level key, a model and its evidence. */
export interface EvidenceRow extends Evidence {
  readonly level: string;
  readonly model: string;
}

/** The levels of a cell, coarse to fine: intent, intent × band, intent × band × subject. */
export function levels(cell: Cell): [string, string, string] {
  const a = cell.intent || 'other';
  const b = `${a}|${cell.band || 'unspecified'}`;
  return [a, b, `${b}|${cell.subject || 'unspecified'}`];
}

/**
 * How many answers the catalog's expected output length is worth at each level when the
 * learned output length is shrunk towards it (fixed, not tuned: a cell's own answers take
 * over after a handful).
 */
export const OUTPUT_TOKENS_PRIOR_STRENGTH = 8;

/** How many scores the catalog prior is worth when nothing else is said. */
export const DEFAULT_PRIOR_STRENGTH = 8;

/** Options of {@link QualityPosteriors}. */
export interface PosteriorOptions {
  /**
   * How many scores a prior is worth at each level: the catalog prior counts as this many
   * observations at the intent level, that level's estimate as this many at intent × band,
   * and so on (hierarchical shrinkage: a fine cell with few scores leans on its parent).
   * Default 8.
   */
  priorStrength?: number;
  /** Seed of the Thompson-sampling generator (tests, replay evaluation). Default: unseeded. */
  seed?: string;
}

/**
 * What the router has learned about model quality from feedback: for each (intent,
 * complexity band, subject) cell and model, a Beta posterior over the model's score that
 * starts from the catalog's prior and moves with every score fed back. Sparse cells back
 * off to coarser ones (intent × band, then intent), each level shrunk towards the one
 * above it, so a handful of scores in a new cell moves the estimate a little and hundreds
 * move it all the way.
 *
 * {@link mean} is the estimate the scoring uses; {@link sample} draws from the posterior
 * for Thompson-sampling exploration (the router decides when it may explore; constraints
 * have removed every ineligible model before either is asked).
 */
export class QualityPosteriors {
  private readonly evidence = new Map<string, { sum: number; n: number; tokens: number; tokensN: number }>();
  private readonly strength: number;
  private readonly random: () => number;

  constructor(options: PosteriorOptions = {}) {
    this.strength = options.priorStrength ?? DEFAULT_PRIOR_STRENGTH;
    this.random = options.seed !== undefined ? seedrandom(options.seed) : Math.random;
  }

  private static key(level: string, model: string): string {
    return `${level}\u0000${model}`;
  }

  /**
   * Adds evidence for a model in a cell, at every level: a score in [0, 1] (or the summed
   * scores of `n` requests) and, when known, the answer's output tokens (summed over the
   * `n` requests), from which the expected cost of the model in the cell is learned.
   */
  observe(cell: Cell, model: string, score: number, n = 1, outputTokens?: number): void {
    if (!Number.isFinite(score) || n <= 0) return;
    const s = Math.min(n, Math.max(0, score));
    const t = outputTokens !== undefined && Number.isFinite(outputTokens) && outputTokens >= 0 ? outputTokens : undefined;
    for (const level of levels(cell)) this.add(level, model, s, n, t ?? 0, t === undefined ? 0 : n);
  }

  /** Adds stored evidence for one level (loading a snapshot). */
  add(level: string, model: string, sum: number, n: number, tokens = 0, tokensN = 0): void {
    const k = QualityPosteriors.key(level, model);
    const e = this.evidence.get(k);
    if (e) {
      e.sum += sum;
      e.n += n;
      e.tokens += tokens;
      e.tokensN += tokensN;
    } else this.evidence.set(k, { sum, n, tokens, tokensN });
  }

  /** Replaces everything with a snapshot's rows. */
  load(rows: Iterable<EvidenceRow>): void {
    this.evidence.clear();
    for (const r of rows) this.add(r.level, r.model, r.sum, r.n, r.tokens ?? 0, r.tokensN ?? 0);
  }

  /** Every stored row (for persistence and `router stats`). */
  rows(): EvidenceRow[] {
    return [...this.evidence.entries()].map(([k, e]) => {
      const [level, model] = k.split('\u0000') as [string, string];
      return { level, model, sum: e.sum, n: e.n, tokens: e.tokens, tokensN: e.tokensN };
    });
  }

  /** Scores seen for a model in a cell (finest level). */
  count(cell: Cell, model: string): number {
    return this.evidence.get(QualityPosteriors.key(levels(cell)[2], model))?.n ?? 0;
  }

  /** The Beta posterior's parameters for a model in a cell, given the catalog prior for the request. */
  posterior(cell: Cell, model: string, prior: number): { alpha: number; beta: number } {
    const { alpha, beta } = this.estimate(cell, model, prior, 0);
    return { alpha, beta };
  }

  /**
   * The posterior's standard deviation: how unsure the router still is of a model's
   * quality in the cell (the prior's spread while there is no evidence).
   */
  sd(cell: Cell, model: string, prior: number): number {
    return this.estimate(cell, model, prior, 0).sd;
  }

  /**
   * Expected output tokens of a model's answer in a cell: the catalog's figure for the
   * request, moved towards the answers fed back with their length, each level shrunk
   * towards the one above it ({@link OUTPUT_TOKENS_PRIOR_STRENGTH} answers' worth). A
   * model that writes five times as much as another in a cell costs five times as much
   * there, whatever its price per token.
   */
  outputTokens(cell: Cell, model: string, prior: number): number {
    return this.estimate(cell, model, 0.5, prior).outputTokens;
  }

  /**
   * Everything scoring needs about one model in one cell in one pass over its levels: the
   * posterior's parameters, mean and standard deviation, and the expected output tokens.
   * `cellLevels` may be passed precomputed (once per request rather than once per model).
   */
  estimate(cell: Cell, model: string, prior: number, tokensPrior: number, cellLevels: readonly string[] = levels(cell)): Estimate {
    let mean = Math.min(0.999, Math.max(0.001, prior));
    let alpha = mean * this.strength;
    let beta = (1 - mean) * this.strength;
    let tokens = tokensPrior;
    for (const level of cellLevels) {
      const e = this.evidence.size === 0 ? undefined : this.evidence.get(QualityPosteriors.key(level, model));
      alpha = mean * this.strength + (e?.sum ?? 0);
      beta = (1 - mean) * this.strength + ((e?.n ?? 0) - (e?.sum ?? 0));
      mean = alpha / (alpha + beta);
      if (e !== undefined && e.tokensN > 0) tokens = (tokens * OUTPUT_TOKENS_PRIOR_STRENGTH + e.tokens) / (OUTPUT_TOKENS_PRIOR_STRENGTH + e.tokensN);
    }
    const t = alpha + beta;
    return { alpha, beta, mean: this.evidence.size === 0 ? prior : mean, sd: Math.sqrt((alpha * beta) / (t * t * (t + 1))), outputTokens: tokens };
  }

  /** One draw from a Beta(alpha, beta) with this instance's generator (Thompson sampling). */
  draw(alpha: number, beta: number): number {
    jStat.setRandom(this.random);
    return jStat.beta.sample(alpha, beta);
  }

  /** Expected quality: the posterior mean (the prior itself while there is no evidence). */
  mean(cell: Cell, model: string, prior: number): number {
    return this.estimate(cell, model, prior, 0).mean;
  }

  /** One draw from the posterior (Thompson sampling). */
  sample(cell: Cell, model: string, prior: number): number {
    const { alpha, beta } = this.estimate(cell, model, prior, 0);
    return this.draw(alpha, beta);
  }
}

/** How scoring uses what was learned for one request. */
export interface LearnedQuality {
  readonly posteriors: QualityPosteriors;
  readonly cell: Cell;
  /** The cell's levels ({@link levels}), computed once per request. */
  readonly levels?: readonly string[];
  /** Draw from the posteriors instead of taking their means (an exploratory request). */
  readonly explore: boolean;
}

/** The quality a candidate is scored with: the prior, the posterior mean, or a posterior draw. */
export function learnedQuality(learned: LearnedQuality | undefined, model: string, prior: number): number {
  if (!learned) return prior;
  return learned.explore ? learned.posteriors.sample(learned.cell, model, prior) : learned.posteriors.mean(learned.cell, model, prior);
}

/** How unsure the quality estimate is: the posterior's standard deviation, or the prior's spread at `priorStrength` when nothing was learned. */
export function learnedQualitySd(learned: LearnedQuality | undefined, model: string, prior: number, priorStrength = DEFAULT_PRIOR_STRENGTH): number {
  if (learned) return learned.posteriors.sd(learned.cell, model, prior);
  const p = Math.min(0.999, Math.max(0.001, prior));
  return Math.sqrt((p * (1 - p)) / (priorStrength + 1));
}

/** The output tokens a candidate's cost is computed with: the catalog's figure, or what feedback taught about the model in the cell. */
export function learnedOutputTokens(learned: LearnedQuality | undefined, model: string, prior: number): number {
  return learned ? learned.posteriors.outputTokens(learned.cell, model, prior) : prior;
}
