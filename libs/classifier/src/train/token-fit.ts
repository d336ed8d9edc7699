/**
 * Fits the token rates of src/tokens.ts (model/token-rates.json): the average o200k
 * tokens per character of each character class, by ridge least squares over every
 * other corpus text (exact counts as targets). `npm run train` writes them;
 * `npm run fit:tokens -w libs/classifier` prints the error of the estimator that
 * countTextTokens uses on long prompts assembled from the other half.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
import o200k = require('gpt-tokenizer/encoding/o200k_base');
import { CHAR_CLASSES, TOKEN_RATES_FORMAT, charClassCounts, countTextTokens, type TokenRatesFile } from '../tokens';
import { defaultCorpusDir, readCorpus, type Corpus } from './corpus';

/** User texts of a corpus, in corpus order. */
export function textsOf(corpus: Corpus): string[] {
  return corpus.examples.map((e) => e.turns.filter((t) => t.role === 'user').map((t) => t.content).join('\n')).filter((t) => t.length > 0);
}

/** User texts of the corpus in `dir`, in corpus order. */
export function corpusTexts(dir = defaultCorpusDir()): string[] {
  return textsOf(readCorpus(dir));
}

/** Solves (XᵀX + λI) w = Xᵀy. */
export function fitTokensPerClass(texts: readonly string[], lambda = 1): number[] {
  const k = CHAR_CLASSES;
  const a: number[][] = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  const x = new Float64Array(k);
  for (const t of texts) {
    charClassCounts(t, 0, t.length, x);
    const y = o200k.countTokens(t);
    for (let i = 0; i < k; i++) {
      const row = a[i] as number[];
      for (let j = 0; j < k; j++) row[j] = (row[j] ?? 0) + (x[i] ?? 0) * (x[j] ?? 0);
      row[k] = (row[k] ?? 0) + (x[i] ?? 0) * y;
    }
  }
  for (let i = 0; i < k; i++) (a[i] as number[])[i] = ((a[i] as number[])[i] ?? 0) + lambda;
  // Gauss-Jordan elimination with partial pivoting.
  for (let i = 0; i < k; i++) {
    let p = i;
    for (let r = i + 1; r < k; r++) if (Math.abs(a[r]?.[i] ?? 0) > Math.abs(a[p]?.[i] ?? 0)) p = r;
    [a[i], a[p]] = [a[p] as number[], a[i] as number[]];
    const pivot = a[i] as number[];
    for (let r = 0; r < k; r++) {
      const row = a[r] as number[];
      if (r === i) continue;
      const f = (row[i] ?? 0) / (pivot[i] ?? 1);
      for (let c = i; c <= k; c++) row[c] = (row[c] ?? 0) - f * (pivot[c] ?? 0);
    }
  }
  return a.map((row, i) => Math.round(((row[k] ?? 0) / (row[i] ?? 1)) * 1000) / 1000);
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
      const exact = o200k.countTokens(p);
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
