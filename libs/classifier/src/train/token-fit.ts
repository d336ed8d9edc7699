/**
 * Fits the token rates of src/tokens.ts (model/token-rates.json): the average o200k
 * tokens per character of each character class, by ridge least squares over every
 * other corpus text (exact counts as targets). `npm run train` writes them;
 * `npm run fit:tokens -w libs/classifier` prints the error of the estimator that
 * countTextTokens uses on long prompts assembled from the other half.
 */
import { lusolve } from 'mathjs';
import { CHAR_CLASSES, TOKEN_RATES_FORMAT, charClassCounts, countTextTokens, countTextTokensExact, type TokenRatesFile } from '../tokens';
import { defaultCorpusDir, readCorpus, type Corpus } from './corpus';

/** User texts of a corpus, in corpus order. */
export function textsOf(corpus: Corpus): string[] {
  // Texts that open with the same 120 characters count once: composed rows repeat one
  // background paragraph under many requests, and would weigh its script many times.
  const seen = new Set<string>();
  return corpus.examples
    .map((e) => e.turns.filter((t) => t.role === 'user').map((t) => t.content).join('\n'))
    .filter((t) => {
      if (t.length === 0) return false;
      const key = t.slice(0, 120);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** User texts of the corpus in `dir`, in corpus order. */
export function corpusTexts(dir = defaultCorpusDir()): string[] {
  return textsOf(readCorpus(dir));
}

/** Solves (A + λI) b = c for the classes in `active` (others get 0), with mathjs's LU solver. */
function solve(a: readonly (readonly number[])[], c: readonly number[], active: readonly boolean[], lambda: number): number[] {
  const idx = active.flatMap((on, i) => (on ? [i] : []));
  const m = idx.map((i) => idx.map((j) => (a[i]?.[j] ?? 0) + (i === j ? lambda : 0)));
  const x = lusolve(m, idx.map((i) => c[i] ?? 0)) as number[][];
  const out = new Array<number>(active.length).fill(0);
  idx.forEach((i, r) => (out[i] = x[r]?.[0] ?? 0));
  return out;
}

/**
 * Fits tokens per character of each class: least squares weighted by 1/tokens (so
 * long texts do not dominate and the fit tracks relative error), with a small ridge
 * term, and no negative rate (a class whose rate comes out negative is fixed at zero
 * and the rest refitted).
 */
export function fitTokensPerClass(texts: readonly string[], lambda = 1): number[] {
  const k = CHAR_CLASSES;
  const a: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const c = new Array<number>(k).fill(0);
  const x = new Float64Array(k);
  for (const t of texts) {
    charClassCounts(t, 0, t.length, x);
    const y = countTextTokensExact(t);
    const w = 1 / Math.max(1, y);
    for (let i = 0; i < k; i++) {
      const row = a[i] as number[];
      for (let j = 0; j < k; j++) row[j] = (row[j] ?? 0) + w * (x[i] ?? 0) * (x[j] ?? 0);
      c[i] = (c[i] ?? 0) + w * (x[i] ?? 0) * y;
    }
  }
  const active = new Array<boolean>(k).fill(true);
  let b = solve(a, c, active, lambda);
  for (let round = 0; round < k && b.some((v, i) => active[i] && v < 0); round++) {
    b.forEach((v, i) => {
      if (v < 0) active[i] = false;
    });
    b = solve(a, c, active, lambda);
  }
  return b.map((v) => Math.round(Math.max(0, v) * 1000) / 1000);
}

/** The token-rates file fitted on every other text of the corpus (the even rows). */
export function fitTokenRates(texts: readonly string[]): TokenRatesFile {
  const even = texts.filter((_, i) => i % 2 === 0);
  return { format: TOKEN_RATES_FORMAT, tokensPerChar: fitTokensPerClass(even), fittedOn: even.length };
}

/** Long prompts (about `minChars` each) made by joining consecutive texts. */
export function longPrompts(texts: readonly string[], minChars: number, count: number): string[] {
  const out: string[] = [];
  let k = 0;
  for (let i = 0; i < count && texts.length > 0; i++) {
    let s = '';
    while (s.length < minChars) s += (s ? '\n\n' : '') + (texts[k++ % texts.length] ?? '');
    out.push(s);
  }
  return out;
}

/** Relative errors (%) of countTextTokens against exact counts, sorted ascending. */
export function estimateErrors(prompts: readonly string[]): number[] {
  return prompts
    .map((p) => {
      const exact = countTextTokensExact(p);
      return (Math.abs(countTextTokens(p) - exact) / exact) * 100;
    })
    .sort((a, b) => a - b);
}

function main(): void {
  const texts = corpusTexts();
  const rates = fitTokenRates(texts);
  console.log(`token rates fitted on ${rates.fittedOn} texts: [${rates.tokensPerChar.join(', ')}]`);
  const heldOut = texts.filter((_, i) => i % 2 === 1);
  for (const size of [2_000, 8_000, 30_000]) {
    const errs = estimateErrors(longPrompts(heldOut, size, 200));
    const mean = errs.reduce((s, e) => s + e, 0) / errs.length;
    console.log(
      `held-out prompts of ~${size} chars with the committed rates: mean error ${mean.toFixed(2)}%, ` +
        `p95 ${(errs[Math.floor(errs.length * 0.95)] ?? 0).toFixed(1)}%, max ${(errs[errs.length - 1] ?? 0).toFixed(1)}%`,
    );
  }
}

if (require.main === module) main();
