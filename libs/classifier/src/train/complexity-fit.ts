/**
 * Fits the solution-depth model used by the complexity score: ridge regression of
 * log2(1 + steps) on DEPTH_FEATURES, over complexity/math_steps.jsonl (our own
 * hand-written word problems annotated with the number of arithmetic steps their
 * solution needs). Closed form (normal equations), so it is exactly reproducible.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEPTH_FEATURES, complexityFeatures, depthVector, type DepthModel } from '../complexity';
import { textStats } from '../features';

/** Default location of the step-annotated problems. */
export function defaultStepsFile(): string {
  return path.resolve(__dirname, '..', '..', 'complexity', 'math_steps.jsonl');
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

/** Fits the depth model; weights are rounded to 6 decimals for a stable, readable file. */
export function fitDepthModel(file: string = defaultStepsFile(), lambda = 1): DepthModel & { examples: number } {
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as { text: string; steps: number });
  const X = rows.map((r) => {
    const st = textStats(r.text);
    return depthVector(complexityFeatures(r.text, st), st.sentences);
  });
  const y = rows.map((r) => Math.log2(1 + r.steps));
  const weights = ridge(X, y, lambda).map((v) => Math.round(v * 1e6) / 1e6);
  return { features: DEPTH_FEATURES, weights, examples: rows.length };
}
