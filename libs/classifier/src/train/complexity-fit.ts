/**
 * Fits the word-problem difficulty model used by the complexity score: ridge
 * regression of the difficulty target on DEPTH_FEATURES, over every *.jsonl file in
 * complexity/ - our own hand-written grade-school word problems, one JSON object per
 * line:
 *
 *   {"text": "...", "steps": 4, "tags": ["frac_rem", "rate"]}
 *
 * - steps: the number of arithmetic operations a correct, straightforward solution
 *   needs (each binary operation, unit conversion or rounding counts one);
 * - tags: the reasoning phenomena the problem contains (TAGS below).
 *
 * Target = log2(1 + steps) + TRAP_WEIGHT * min(MAX_TRAPS, number of SEMANTIC traps).
 * Errors compound per step, so difficulty grows with log steps; a semantic trap is a
 * place where the wording must be translated into a non-obvious operation (a relation
 * to another quantity, a fraction of a remainder, a percentage of a percentage,
 * working backwards from a total, a shift in time between ages, an average, an
 * irrelevant number) - the failure modes of small models on word problems. A trap
 * weighs as much as doubling 1 + steps (3 steps with a trap = 7 plain steps).
 * Procedural tags (rates, units, clock arithmetic, pricing, several entities) only
 * add steps, which are already counted, so they do not add to the target.
 *
 * Closed form (normal equations) over files read in sorted order, so it is exactly
 * reproducible.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { DEPTH_FEATURES, complexityFeatures, depthVector, type DepthModel } from '../complexity';
import { textStats } from '../features';

/** Traps that make a problem harder than its step count says. */
export const SEMANTIC_TRAPS: readonly string[] = ['relational', 'frac_rem', 'pct_pct', 'inverse', 'age', 'average', 'distractor'];
/** Bookkeeping phenomena: they add steps (already counted) but no trap. */
export const PROCEDURAL_TAGS: readonly string[] = ['rate', 'units', 'time', 'price', 'multi_entity'];
export const TAGS: readonly string[] = [...SEMANTIC_TRAPS, ...PROCEDURAL_TAGS];
export const TRAP_WEIGHT = 1;
export const MAX_TRAPS = 3;
/** Ridge penalty (bias not penalised). */
export const RIDGE_LAMBDA = 1;

/** One annotated word problem. */
export interface StepExample {
  text: string;
  steps: number;
  tags: string[];
  /** file:line, for error messages. */
  source: string;
}

/** Default location of the annotated problems. */
export function defaultStepsDir(): string {
  return path.resolve(__dirname, '..', '..', 'complexity');
}

/** @deprecated kept for callers of the single-file layout; the fit reads the whole directory. */
export function defaultStepsFile(): string {
  return path.join(defaultStepsDir(), 'math_steps.jsonl');
}

/** Reads a .jsonl file or every .jsonl file of a directory (sorted); validates every row. */
export function readStepExamples(fileOrDir: string = defaultStepsDir()): StepExample[] {
  const files = statSync(fileOrDir).isDirectory()
    ? readdirSync(fileOrDir)
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
        .map((f) => path.join(fileOrDir, f))
    : [fileOrDir];
  const out: StepExample[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim().length === 0) return;
        const source = `${path.basename(file)}:${i + 1}`;
        const r = JSON.parse(line) as { text?: unknown; steps?: unknown; tags?: unknown };
        if (typeof r.text !== 'string' || r.text.trim().length === 0) throw new Error(`${source}: missing text`);
        if (typeof r.steps !== 'number' || !Number.isInteger(r.steps) || r.steps < 1) throw new Error(`${source}: steps must be a positive integer`);
        const tags = r.tags === undefined ? [] : r.tags;
        if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || !TAGS.includes(t))) {
          throw new Error(`${source}: tags must be a subset of ${TAGS.join(', ')}`);
        }
        const key = r.text.trim().toLowerCase();
        if (seen.has(key)) throw new Error(`${source}: duplicate problem`);
        seen.add(key);
        out.push({ text: r.text, steps: r.steps, tags: tags as string[], source });
      });
  }
  return out;
}

/** Number of semantic traps of an example (capped). */
export function trapCount(ex: Pick<StepExample, 'tags'>): number {
  return Math.min(MAX_TRAPS, ex.tags.filter((t) => SEMANTIC_TRAPS.includes(t)).length);
}

/** The regression target of an example. */
export function difficultyTarget(ex: Pick<StepExample, 'steps' | 'tags'>): number {
  return Math.log2(1 + ex.steps) + TRAP_WEIGHT * trapCount(ex);
}

/** Feature vector of a problem text (DEPTH_FEATURES order). */
export function exampleVector(text: string): number[] {
  const st = textStats(text);
  return depthVector(complexityFeatures(text, st), st.sentences);
}

/** Solves (X'X + λI')w = X'y (bias not penalised) by Gaussian elimination with pivoting. */
export function ridge(X: readonly number[][], y: readonly number[], lambda: number): number[] {
  const d = X[0]?.length ?? 0;
  const A = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const b = new Array<number>(d).fill(0);
  X.forEach((x, i) => {
    for (let r = 0; r < d; r++) {
      b[r] = (b[r] ?? 0) + (x[r] ?? 0) * (y[i] ?? 0);
      const row = A[r];
      if (row) for (let c = 0; c < d; c++) row[c] = (row[c] ?? 0) + (x[r] ?? 0) * (x[c] ?? 0);
    }
  });
  for (let r = 1; r < d; r++) {
    const row = A[r];
    if (row) row[r] = (row[r] ?? 0) + lambda;
  }
  for (let i = 0; i < d; i++) {
    let p = i;
    for (let r = i + 1; r < d; r++) if (Math.abs(A[r]?.[i] ?? 0) > Math.abs(A[p]?.[i] ?? 0)) p = r;
    [A[i], A[p]] = [A[p] ?? [], A[i] ?? []];
    [b[i], b[p]] = [b[p] ?? 0, b[i] ?? 0];
    const pivotRow = A[i] ?? [];
    for (let r = i + 1; r < d; r++) {
      const row = A[r] ?? [];
      const m = (row[i] ?? 0) / (pivotRow[i] ?? 1);
      for (let c = i; c < d; c++) row[c] = (row[c] ?? 0) - m * (pivotRow[c] ?? 0);
      b[r] = (b[r] ?? 0) - m * (b[i] ?? 0);
    }
  }
  const w = new Array<number>(d).fill(0);
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i] ?? 0;
    for (let c = i + 1; c < d; c++) s -= (A[i]?.[c] ?? 0) * (w[c] ?? 0);
    w[i] = s / (A[i]?.[i] ?? 1);
  }
  return w;
}

/** Pearson correlation. */
export function correlation(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let c = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    c += ((a[i] ?? 0) - ma) * ((b[i] ?? 0) - mb);
    va += ((a[i] ?? 0) - ma) ** 2;
    vb += ((b[i] ?? 0) - mb) ** 2;
  }
  return c / Math.sqrt(va * vb);
}

/**
 * k-fold cross-validated correlation between the prediction and the target on our
 * own problems (folds by position i % k: deterministic). A check that the features
 * generalise beyond the problems they were fitted on.
 */
export function crossValidate(examples: readonly StepExample[], k = 5, lambda = RIDGE_LAMBDA): { r: number; stepsR: number } {
  const X = examples.map((e) => exampleVector(e.text));
  const y = examples.map((e) => difficultyTarget(e));
  const pred = new Array<number>(examples.length).fill(0);
  for (let f = 0; f < k; f++) {
    const tx: number[][] = [];
    const ty: number[] = [];
    X.forEach((x, i) => {
      if (i % k !== f) {
        tx.push(x);
        ty.push(y[i] ?? 0);
      }
    });
    const w = ridge(tx, ty, lambda);
    X.forEach((x, i) => {
      if (i % k === f) pred[i] = x.reduce((s, v, j) => s + v * (w[j] ?? 0), 0);
    });
  }
  return { r: correlation(pred, y), stepsR: correlation(pred, examples.map((e) => Math.log2(1 + e.steps))) };
}

/** Fits the difficulty model; weights are rounded to 6 decimals for a stable, readable file. */
export function fitDepthModel(fileOrDir: string = defaultStepsDir(), lambda = RIDGE_LAMBDA): DepthModel & { examples: number } {
  const rows = readStepExamples(fileOrDir);
  const X = rows.map((r) => exampleVector(r.text));
  const y = rows.map((r) => difficultyTarget(r));
  // (+ 0 turns -0 into 0, which JSON cannot tell apart)
  const weights = ridge(X, y, lambda).map((v) => Math.round(v * 1e6) / 1e6 + 0);
  return {
    features: DEPTH_FEATURES,
    weights,
    target: `log2(1+steps) + ${TRAP_WEIGHT.toFixed(1)} * min(${MAX_TRAPS}, semantic traps)`,
    examples: rows.length,
  };
}
