/**
 * Complexity: how likely it is that a strong model is needed to answer well, in [0,1].
 *
 * A hand-specified logistic model over general, interpretable features - no weights
 * are fitted to any evaluation set. Each term encodes a known driver of weak-model
 * failure:
 * - intent prior: reasoning/math/code fail more often on small models than chat/rewrites;
 * - reasoning depth: estimated solution steps - numeric quantities, operations implied
 *   by rates, ratios, percentages, fractions, comparisons and sequencing words; each
 *   extra step is another chance for a weak model to slip (errors compound);
 * - constraints: "at least", "must", "exactly", "without", conditionals;
 * - entities: several named actors whose quantities must be kept apart;
 * - length and structure: long prompts, code blocks, multi-part questions;
 * - domain: specialist vocabulary (proofs, algorithms, law, medicine, finance).
 */
import type { TextStats } from './features';
import { INTENTS, type ComplexityBand, type Intent } from './types';

/** Prior log-odds per intent (typical strong-vs-weak gap of each task family). */
const INTENT_PRIOR: Readonly<Record<Intent, number>> = {
  code: 0.5,
  // Math and reasoning share a prior: both are multi-step; which of the two a word
  // problem is labelled should not move its difficulty.
  math: 0.6,
  reasoning: 0.6,
  creative_writing: -0.2,
  writing: -0.3,
  summarization: -0.4,
  translation: -0.5,
  extraction: -0.5,
  classification: -0.9,
  rewrite: -0.8,
  open_qa: -0.3,
  brainstorming: -0.4,
  chat: -1.8,
  image_generation: -0.8,
  other: -0.5,
};

/**
 * Cue lexicon, one list per family. Entries are words or short phrases; a trailing
 * '*' makes a single word a prefix ("percent*" matches "percentage"). Matching is a
 * word-level pass with map lookups instead of one big regex per family: a regex
 * alternation tries every alternative at every position, which costs ~50x more on
 * long prompts.
 */
const FAMILIES = {
  numberWords: [
    'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'fifteen', 'twenty',
    'thirty', 'forty', 'fifty', 'hundred', 'thousand', 'million', 'dozen', 'half', 'twice', 'double', 'triple', 'quadruple',
    'third', 'quarter', 'fourth', 'fifth',
  ],
  operations: [
    '%', 'percent*', 'per', 'each', 'every', 'ratio', 'rate', 'average', 'fraction', 'times', 'twice', 'half', 'third', 'quarter',
    'double', 'triple', 'more than', 'less than', 'fewer', 'as many', 'as much', 'remaining', 'the rest', 'left', 'discount*',
    'interest', 'profit', 'tax', 'increase*', 'decrease*', 'split', 'share*', 'divid*', 'combined', 'altogether', 'in total',
    'total', 'difference', 'older', 'younger', 'faster', 'slower', 'longer', 'shorter', 'loss', 'speed', 'mph', 'hourly',
    'weekly', 'monthly', 'yearly', 'annual*',
  ],
  sequence: [
    'then', 'after', 'afterwards', 'before', 'later', 'next', 'finally', 'until', 'while', 'during', 'first', 'second', 'instead',
    'again', 'each time', 'per day', 'a day', 'a week', 'a month', 'a year',
  ],
  units: [
    'second', 'seconds', 'minute', 'minutes', 'hour', 'hours', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years',
    'cent', 'cents', 'dollar', 'dollars', 'euro', 'euros', 'pound', 'pounds', 'mile', 'miles', 'km', 'kilometer', 'kilometers',
    'meter', 'meters', 'feet', 'foot', 'inch', 'inches', 'gallon', 'gallons', 'liter', 'liters', 'litre', 'litres', 'kg', 'gram',
    'grams', 'ounce', 'ounces', 'page', 'pages', 'cup', 'cups',
  ],
  constraints: [
    'must', 'should', 'at least', 'at most', 'no more than', 'no less than', 'exactly', 'without', 'only', 'unless', 'if',
    'such that', 'subject to', 'constraint', 'constraints', 'requirement', 'requirements', 'ensure', 'make sure', 'cannot',
    "can't", "don't", 'do not', 'never', 'always', 'both', 'either', 'neither', 'except',
  ],
  reasoning: [
    'why', 'prove', 'proof', 'derive', 'justify', 'analyse', 'analyze', 'analysis', 'compare', 'contrast', 'evaluate', 'assess',
    'trade-off', 'trade-offs', 'tradeoff', 'tradeoffs', 'pros and cons', 'step by step', 'reason', 'implication', 'implications',
    'critique', 'design', 'architect*', 'optimise', 'optimize', 'debug', 'refactor', 'strategy', 'plan', 'hypothes*',
    'what would happen', 'counterfactual', 'estimate',
  ],
  domain: [
    'algorithm', 'complexity', 'theorem', 'lemma', 'integral', 'derivative', 'derivatives', 'eigen*', 'matrix', 'probability',
    'bayes*', 'regression', 'statistic*', 'distributed', 'concurren*', 'kubernetes', 'compiler', 'kernel', 'quantum',
    'thermodynamic*', 'relativity', 'molecul*', 'enzyme', 'genom*', 'legal', 'lawsuit', 'liability', 'statute', 'diagnos*',
    'clinical', 'pharmac*', 'taxes', 'taxation', 'amortis*', 'amortiz*', 'portfolio', 'cryptograph*', 'asymptotic',
    'recurrence', 'polynomial', 'topolog*', 'differential', 'stochastic', 'optimization', 'gradient', 'neural', 'transformer',
    'database', 'latency', 'consensus', 'byzantine',
  ],
} as const;

type Family = keyof typeof FAMILIES;
const FAMILY_NAMES = Object.keys(FAMILIES) as Family[];

interface Lexicon {
  single: Map<string, number[]>;
  prefixes: Array<[string, number]>;
  phrases: Map<string, Array<{ rest: string[]; family: number }>>;
}

const LEXICON: Lexicon = (() => {
  const lex: Lexicon = { single: new Map(), prefixes: [], phrases: new Map() };
  FAMILY_NAMES.forEach((name, f) => {
    for (const entry of FAMILIES[name]) {
      const words = entry.split(' ');
      if (words.length > 1) {
        const first = words[0] ?? '';
        const list = lex.phrases.get(first) ?? [];
        list.push({ rest: words.slice(1), family: f });
        lex.phrases.set(first, list);
      } else if (entry.endsWith('*')) lex.prefixes.push([entry.slice(0, -1), f]);
      else lex.single.set(entry, [...(lex.single.get(entry) ?? []), f]);
    }
  });
  return lex;
})();

const WORD_RE = /[a-z0-9]+(?:['-][a-z]+)*|%/g;

/** Counts per cue family (FAMILY_NAMES order) and the distinct unit words. */
function countCues(lower: string): { counts: number[]; units: Set<string> } {
  const counts = FAMILY_NAMES.map(() => 0);
  const units = new Set<string>();
  const unitFamily = FAMILY_NAMES.indexOf('units');
  const words = lower.match(WORD_RE) ?? [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const fams = LEXICON.single.get(w);
    let matched = false;
    if (fams) {
      for (const f of fams) {
        counts[f] = (counts[f] ?? 0) + 1;
        if (f === unitFamily) units.add(w.replace(/s$/, ''));
      }
      matched = true;
    }
    const phrases = LEXICON.phrases.get(w);
    if (phrases) {
      for (const ph of phrases) {
        let ok = true;
        for (let k = 0; k < ph.rest.length && ok; k++) ok = words[i + 1 + k] === ph.rest[k];
        if (ok) counts[ph.family] = (counts[ph.family] ?? 0) + 1;
      }
    }
    if (!matched && w.length > 4) {
      for (const [prefix, f] of LEXICON.prefixes) {
        if (w.startsWith(prefix)) {
          counts[f] = (counts[f] ?? 0) + 1;
          break;
        }
      }
    }
  }
  // "how many X are there / would ..." is an estimation question (Fermi-style).
  if (lower.includes('how many') && /how many [^.?!\n]{0,80}?(?:are there|would)/.test(lower)) {
    const r = FAMILY_NAMES.indexOf('reasoning');
    counts[r] = (counts[r] ?? 0) + 1;
  }
  return { counts, units };
}

/** Numbers written with digits ("16", "$2.50", "3/4" counts as two). */
function countNumerals(s: string): number {
  let n = 0;
  let inNum = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = c >= 48 && c <= 57;
    if (d && !inNum) n++;
    // "1,000" and "2.5" are single numbers.
    inNum = d || (inNum && (c === 44 || c === 46) && i + 1 < s.length && s.charCodeAt(i + 1) >= 48 && s.charCodeAt(i + 1) <= 57);
  }
  return n;
}

/** Distinct capitalised words that are not sentence-initial: a proxy for named entities. */
function countEntities(s: string): number {
  const seen = new Set<string>();
  const re = /(?<![.!?]\s|^|\n)\b[A-Z][a-z]{2,}\b/g;
  for (const m of s.matchAll(re)) {
    seen.add(m[0]);
    if (seen.size >= 8) break;
  }
  return seen.size;
}

/** Feature values behind a complexity score (exported for tests and the eval report). */
export interface ComplexityFeatures {
  words: number;
  quantities: number;
  operations: number;
  sequence: number;
  units: number;
  constraints: number;
  reasoning: number;
  domain: number;
  entities: number;
  questions: number;
  codeBlock: boolean;
  bullets: number;
  estimatedSteps: number;
}

/** Max characters scanned by the lexical counters (cost cap; long texts are already "long"). */
const SCAN_CHARS = 1000;

/** Extracts the complexity features of the request text. */
export function complexityFeatures(text: string, st: TextStats): ComplexityFeatures {
  const s = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
  const lower = s.toLowerCase();
  const { counts, units: unitSet } = countCues(lower);
  const c = (f: Family): number => counts[FAMILY_NAMES.indexOf(f)] ?? 0;
  const quantities = countNumerals(s) + c('numberWords');
  const operations = c('operations');
  const sequence = c('sequence');
  const units = unitSet.size;
  const entities = countEntities(s);
  // Each given quantity is (roughly) used once; each operation cue implies an operation;
  // distinct units imply conversions; sentences beyond the question add facts to chain.
  const estimatedSteps =
    Math.max(0, quantities - 1) + 0.6 * operations + 0.3 * sequence + 0.5 * Math.max(0, units - 1) + 0.3 * Math.max(0, st.sentences - 2);
  return {
    words: st.words,
    quantities,
    operations,
    sequence,
    units,
    constraints: c('constraints'),
    reasoning: c('reasoning'),
    domain: c('domain'),
    entities,
    questions: st.questionMarks,
    codeBlock: st.fences > 0,
    bullets: st.bulletLines,
    estimatedSteps,
  };
}

/**
 * Linear model of solution depth: log2(1 + steps) from text statistics. Fitted by
 * `npm run train` (ridge regression) on complexity/math_steps.jsonl, our own
 * hand-written word problems with their step counts, and stored in the model file.
 */
export interface DepthModel {
  features: readonly string[];
  weights: readonly number[];
}

/** Names of the depth features, in vector order. */
export const DEPTH_FEATURES: readonly string[] = ['bias', 'log2_words', 'log2_quantities', 'log2_operations', 'log2_sentences'];

/** Used when a model file carries no fitted depth model (older files, tests). */
export const DEFAULT_DEPTH_MODEL: DepthModel = { features: DEPTH_FEATURES, weights: [-2.6, 0.75, 0.45, 0.1, 0.1] };

/** Depth feature vector (DEPTH_FEATURES order). */
export function depthVector(f: ComplexityFeatures, sentences: number): number[] {
  return [1, Math.log2(1 + f.words), Math.log2(1 + f.quantities), Math.log2(1 + f.operations), Math.log2(1 + sentences)];
}

/** Estimated number of solution steps (>= 0). */
export function estimateSteps(f: ComplexityFeatures, sentences: number, model: DepthModel = DEFAULT_DEPTH_MODEL): number {
  const x = depthVector(f, sentences);
  let z = 0;
  for (let i = 0; i < x.length; i++) z += (x[i] ?? 0) * (model.weights[i] ?? 0);
  return Math.max(0, Math.pow(2, z) - 1);
}

/** Squashes the log-odds into [0,1]. */
function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Complexity score in [0,1] from the text features and the intent distribution.
 *
 * Intent enters as an expectation over the classifier's probabilities (not the
 * argmax): a word problem that is 55% math / 40% reasoning should not jump in
 * difficulty when the argmax flips. Quantitative terms count fully for math and
 * reasoning and at 30% for other intents (a writing request with numeric
 * constraints is harder too).
 *
 * @param probs intent probabilities in INTENTS order (or a one-hot for a known intent)
 */
export function complexityScore(
  f: ComplexityFeatures,
  probs: ArrayLike<number>,
  depth: DepthModel = DEFAULT_DEPTH_MODEL,
  sentences = 1,
): number {
  let prior = 0;
  let quantitative = 0;
  for (let i = 0; i < INTENTS.length; i++) {
    const p = probs[i] ?? 0;
    const intent = INTENTS[i] ?? 'other';
    prior += p * INTENT_PRIOR[intent];
    quantitative += p * (intent === 'math' || intent === 'reasoning' ? 1 : 0.3);
  }
  // The text itself also says whether a problem is quantitative: several numbers plus
  // operations is a calculation whatever the intent argmax says.
  quantitative = Math.max(quantitative, Math.min(1, (f.quantities + f.operations) / 8));
  let z = -0.6 + prior;
  // Diminishing returns on length: log scale, centred at ~30 words.
  z += 0.35 * Math.log2((1 + f.words) / 30);
  // Each estimated solution step beyond the third adds risk for a weak model (errors compound).
  if (f.quantities > 0) z += quantitative * 0.45 * Math.max(-3, Math.min(4, estimateSteps(f, sentences, depth) - 3));
  // Lexical cues are for open-ended prompts. In a word problem the same words ("if",
  // "each", "how many ... would") are ordinary narration and their effect is already
  // in the step estimate, so they count less the more quantitative the request is.
  const cueWeight = 1 - 0.8 * (f.quantities >= 2 ? quantitative : 0);
  z += cueWeight * 0.08 * Math.min(f.constraints, 8);
  z += cueWeight * 0.35 * Math.min(f.reasoning, 4);
  z += cueWeight * 0.3 * Math.min(f.domain, 5);
  z += cueWeight * 0.2 * Math.min(Math.max(0, f.questions - 1), 3);
  if (f.codeBlock) z += 0.3;
  z += 0.08 * Math.min(f.bullets, 10);
  return sigmoid(z);
}

/** One-hot intent distribution (for scoring with a known intent). */
export function oneHot(intent: Intent): Float64Array {
  const v = new Float64Array(INTENTS.length);
  v[INTENTS.indexOf(intent)] = 1;
  return v;
}

/** Band thresholds (low < LOW_MAX <= medium < HIGH_MIN <= high). */
export const BAND_LOW_MAX = 0.35;
export const BAND_HIGH_MIN = 0.65;

/** Maps a complexity score to its band. */
export function complexityBand(score: number): ComplexityBand {
  if (score < BAND_LOW_MAX) return 'low';
  if (score < BAND_HIGH_MIN) return 'medium';
  return 'high';
}
