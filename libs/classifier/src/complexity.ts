/**
 * Complexity: how likely it is that a strong model is needed to answer well, in [0,1].
 *
 * A logistic score over general, interpretable features. Nothing is fitted to any
 * evaluation set. Two parts:
 *
 * - Word problems (several quantities, quantitative intent): a difficulty model
 *   fitted by `npm run train` on complexity/*.jsonl - our own hand-written
 *   grade-school word problems, each annotated with the number of arithmetic steps a
 *   correct solution needs and the reasoning traps it contains (see
 *   src/train/complexity-fit.ts). It predicts log2(1 + steps) plus one unit per
 *   semantic trap (a relation such as "5 more than twice", a fraction of a remainder,
 *   a percentage of a percentage, an inverse question, an age shift, an average, a
 *   distractor): each step is another chance for a weak model to slip (errors
 *   compound), and each trap is a place where the text must be translated into the
 *   right operation rather than the obvious one. The prediction enters the log-odds
 *   through a clamped linear map, so the score is monotone in it.
 * - Everything else: a hand-specified logistic model. Intent prior (reasoning, math
 *   and code fail more often on small models than chat or rewrites), length,
 *   constraints ("at least", "must", "without"), reasoning and domain vocabulary,
 *   several questions, code blocks and bullet lists.
 *
 * The two are blended by how much the request looks like a word problem, so there is
 * no jump at a threshold.
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
 * long prompts. A word may belong to several families.
 */
const FAMILIES = {
  numberWords: [
    'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen',
    'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty',
    'ninety', 'hundred', 'thousand', 'million', 'dozen', 'dozens', 'half', 'twice', 'thrice', 'double', 'triple', 'quadruple',
    'third', 'thirds', 'quarter', 'quarters', 'fourth', 'fifth', 'fifths', 'sixth', 'eighth', 'tenth',
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
  // ---- word-problem structure (inputs of the fitted difficulty model)
  /** Quantities defined relative to other quantities. */
  relational: [
    // (comparatives followed by "than" within a few words are counted in countCues)
    'times as', 'times more', 'times the', 'times that', 'times what', 'as many', 'as much',
    'as old', 'as long', 'as tall', 'as far', 'as fast', 'as often', 'twice', 'thrice', 'double', 'doubles', 'triple',
    'triples', 'quadruple', 'half as', 'half that', 'half of what', 'the same as', 'the same number',
  ],
  fractions: [
    'half', 'halves', 'third', 'thirds', 'quarter', 'quarters', 'fourth', 'fourths', 'fifth', 'fifths', 'sixth', 'sixths',
    'seventh', 'sevenths', 'eighth', 'eighths', 'ninth', 'ninths', 'tenth', 'tenths', 'fraction',
  ],
  percents: ['%', 'percent*'],
  /** References to what is left of an earlier quantity. */
  remainder: [
    'remaining', 'remainder', 'rest', 'left', 'leftover', 'leftovers', 'remains', 'remained', 'others', 'what is left',
    'what was left', 'what remains',
  ],
  rates: [
    'each', 'per', 'every', 'apiece', 'an hour', 'a minute', 'a day', 'a week', 'a month', 'a year', 'a mile', 'a pound',
    'a gallon', 'a piece', 'a dozen', 'hourly', 'daily', 'weekly', 'monthly', 'yearly',
  ],
  aggregates: ['total', 'altogether', 'combined', 'together', 'in all', 'sum', 'overall'],
  averages: ['average', 'averages', 'averaged', 'mean'],
  /** The question asks for a starting or original value (work backwards). */
  inverse: [
    'originally', 'initially', 'at first', 'at the start', 'start with', 'started with', 'began with', 'begin with',
    'original', 'to start with', 'in the beginning', 'beforehand', 'how many of each', 'how much of each',
  ],
  age: ['years old', 'year old', 'ago', 'age', 'ages', 'older', 'younger', 'born'],
  conditional: ['if', 'would', 'instead', 'suppose', 'assuming', 'otherwise'],
  /** Questions that ask for a quantity. */
  quantityQuestions: [
    'how many', 'how much', 'how long', 'how far', 'how old', 'how fast', 'how tall', 'how heavy', 'how often',
    'what percent', 'what percentage', 'what fraction', 'what time', 'what is the total', 'what was the total',
  ],
} as const;

type Family = keyof typeof FAMILIES;
const FAMILY_NAMES = Object.keys(FAMILIES) as Family[];
const F = Object.fromEntries(FAMILY_NAMES.map((n, i) => [n, i])) as Record<Family, number>;

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

/** Comparatives that relate one quantity to another when a "than" follows. */
const COMPARATIVES: ReadonlySet<string> = new Set([
  'more', 'less', 'fewer', 'older', 'younger', 'taller', 'shorter', 'longer', 'heavier', 'lighter', 'faster', 'slower',
  'cheaper', 'bigger', 'smaller', 'larger', 'higher', 'lower', 'greater', 'farther', 'further', 'earlier', 'later',
]);

/** Everything the cue counter looks up for one word (one Map lookup per word instead of three). */
interface CueWord {
  single: number[] | undefined;
  phrases: Array<{ rest: string[]; family: number }> | undefined;
  comparative: boolean;
}

const CUE_WORDS: ReadonlyMap<string, CueWord> = (() => {
  const m = new Map<string, CueWord>();
  const entry = (w: string): CueWord => {
    let e = m.get(w);
    if (!e) {
      e = { single: undefined, phrases: undefined, comparative: false };
      m.set(w, e);
    }
    return e;
  };
  for (const [w, fams] of LEXICON.single) entry(w).single = fams;
  for (const [w, list] of LEXICON.phrases) entry(w).phrases = list;
  for (const w of COMPARATIVES) entry(w).comparative = true;
  return m;
})();

/**
 * A filter in front of CUE_WORDS: one bit per (length, first, second and last
 * character) hash of every cue word. A word whose bit is clear is not a cue, and most
 * words of a prompt are not, so they skip the Map lookup (which hashes the whole,
 * freshly matched string).
 */
const CUE_FILTER = new Uint8Array(4096);
function cueFilterKey(w: string): number {
  const n = w.length;
  return (Math.imul(n, 0x9e3779b1) ^ Math.imul(w.charCodeAt(0), 0x85ebca77) ^ Math.imul(w.charCodeAt(n > 1 ? 1 : 0), 0xc2b2ae3d) ^ Math.imul(w.charCodeAt(n - 1), 0x27d4eb2f)) >>> 20;
}
for (const w of CUE_WORDS.keys()) CUE_FILTER[cueFilterKey(w)] = 1;

/**
 * The prefix cues by the code of their first character (each list in LEXICON.prefixes
 * order): a word is compared only with the prefixes that start like it.
 */
const PREFIXES_BY_FIRST: ReadonlyArray<ReadonlyArray<[string, number]>> = (() => {
  const t: Array<Array<[string, number]>> = Array.from({ length: 128 }, () => []);
  for (const p of LEXICON.prefixes) {
    const c = p[0].charCodeAt(0);
    if (c >= 128 || p[0].length === 0) throw new Error(`complexity prefix cue '${p[0]}' must start with an ASCII character`);
    t[c]?.push(p);
  }
  return t;
})();

/** Words, '%', and sentence ends ('.', '!' or '?' before a space or the end), which stop phrases. */
const WORD_RE = /[a-z0-9]+(?:['-][a-z]+)*|%|[.!?](?=\s|$)/g;

function isDigits(w: string | undefined): boolean {
  if (!w) return false;
  const c = w.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/**
 * Counts per cue family (FAMILY_NAMES order), the distinct unit words, and the
 * aggregate cues ("together", "in total", "sum") of statements: a total that is given
 * rather than asked for means the problem has to be worked backwards.
 */
function countCues(lower: string): { counts: number[]; units: Set<string>; givenTotals: number } {
  const counts = FAMILY_NAMES.map(() => 0);
  const units = new Set<string>();
  const words = lower.match(WORD_RE) ?? [];
  let givenTotals = 0;
  let sentenceAggregates = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w === '.' || w === '!' || w === '?') {
      if (w !== '?') givenTotals += sentenceAggregates;
      sentenceAggregates = 0;
      continue;
    }
    const aggregatesBefore = counts[F.aggregates] ?? 0;
    const cue = CUE_FILTER[cueFilterKey(w)] === 1 ? CUE_WORDS.get(w) : undefined;
    const fams = cue?.single;
    let matched = false;
    if (fams) {
      for (let j = 0; j < fams.length; j++) {
        const f = fams[j] as number;
        counts[f] = (counts[f] ?? 0) + 1;
        if (f === F.units) units.add(w.endsWith('s') ? w.slice(0, -1) : w);
      }
      matched = true;
    }
    const phrases = cue?.phrases;
    if (phrases) {
      for (let j = 0; j < phrases.length; j++) {
        const ph = phrases[j] as { rest: string[]; family: number };
        let ok = true;
        for (let k = 0; k < ph.rest.length && ok; k++) ok = words[i + 1 + k] === ph.rest[k];
        if (ok) counts[ph.family] = (counts[ph.family] ?? 0) + 1;
      }
    }
    // "5 more apples than", "3 years older than": a comparative whose "than" follows
    // within four words relates two quantities.
    if (cue?.comparative === true) {
      for (let k = 1; k <= 4; k++) {
        const next = words[i + k];
        if (next === 'than') {
          counts[F.relational] = (counts[F.relational] ?? 0) + 1;
          break;
        }
        if (next === undefined || next === '.' || next === '!' || next === '?') break;
      }
    }
    // "in 5 years" / "5 years from now": a shift in time, as in age problems.
    if ((w === 'in' && isDigits(words[i + 1]) && words[i + 2]?.startsWith('year')) || (w === 'from' && words[i + 1] === 'now')) {
      counts[F.age] = (counts[F.age] ?? 0) + 1;
    }
    if (!matched && w.length > 4) {
      // Indexed, without destructuring: this runs for most words of a long prompt, and
      // for-of destructuring allocated an iterator per prefix (two thirds of everything
      // classify() allocated).
      const prefixes = PREFIXES_BY_FIRST[w.charCodeAt(0)] ?? [];
      for (let j = 0; j < prefixes.length; j++) {
        const entry = prefixes[j] as [string, number];
        if (w.startsWith(entry[0])) {
          counts[entry[1]] = (counts[entry[1]] ?? 0) + 1;
          break;
        }
      }
    }
    sentenceAggregates += (counts[F.aggregates] ?? 0) - aggregatesBefore;
  }
  // "how many X are there / would ..." is an estimation question (Fermi-style).
  if (lower.includes('how many') && /how many [^.?!\n]{0,80}?(?:are there|would)/.test(lower)) {
    counts[F.reasoning] = (counts[F.reasoning] ?? 0) + 1;
  }
  return { counts, units, givenTotals };
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * One character pass: numbers written with digits ("16", "$2.50", "1,000" count once,
 * "3/4" twice), digit fractions ("3/4"), clock times ("9:40") and currency signs.
 */
function scanNumerals(s: string): { numerals: number; slashFractions: number; clock: number; money: number } {
  let numerals = 0;
  let slashFractions = 0;
  let clock = 0;
  let money = 0;
  let inNum = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = isDigitCode(c);
    if (d && !inNum) numerals++;
    if (c === 36 || c === 0x20ac || c === 0xa3) money++;
    else if (c === 47 && i > 0 && isDigitCode(s.charCodeAt(i - 1)) && isDigitCode(s.charCodeAt(i + 1))) slashFractions++;
    else if (c === 58 && i > 0 && isDigitCode(s.charCodeAt(i - 1)) && isDigitCode(s.charCodeAt(i + 1)) && isDigitCode(s.charCodeAt(i + 2))) clock++;
    // "1,000" and "2.5" are single numbers.
    inNum = d || (inNum && (c === 44 || c === 46) && i + 1 < s.length && isDigitCode(s.charCodeAt(i + 1)));
  }
  return { numerals, slashFractions, clock, money };
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
  /** Numbers written with digits plus number words ("twice", "a dozen", "half"). */
  quantities: number;
  operations: number;
  sequence: number;
  /** Distinct unit words. */
  units: number;
  constraints: number;
  reasoning: number;
  domain: number;
  entities: number;
  questions: number;
  codeBlock: boolean;
  bullets: number;
  /** Relational phrases ("more than", "twice", "as many as", "half as"). */
  relational: number;
  /** Fraction words and digit fractions ("a third", "3/4"). */
  fractions: number;
  percents: number;
  /** References to a remainder ("the rest", "remaining", "what was left"). */
  remainder: number;
  /** Per-unit cues ("each", "per", "every", "an hour"). */
  rates: number;
  aggregates: number;
  /** Aggregate cues in statements ("together they weigh 50 pounds"): a given total. */
  givenTotals: number;
  averages: number;
  inverse: number;
  age: number;
  conditional: number;
  /** Questions asking for a quantity ("how many", "how much", "what percentage"). */
  quantityQuestions: number;
  /** Currency signs. */
  money: number;
  /** Clock times ("9:40"). */
  clock: number;
  /** Effective solution steps of a word problem from the default difficulty model (see estimateSteps). */
  estimatedSteps: number;
}

/** Max characters scanned by the lexical counters (cost cap; long texts are already "long"). */
const SCAN_CHARS = 1000;

/** Extracts the complexity features of the request text. */
export function complexityFeatures(text: string, st: TextStats): ComplexityFeatures {
  const s = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
  const lower = s.toLowerCase();
  const { counts, units: unitSet, givenTotals } = countCues(lower);
  const c = (f: Family): number => counts[F[f]] ?? 0;
  const num = scanNumerals(s);
  const f: ComplexityFeatures = {
    words: st.words,
    quantities: num.numerals + c('numberWords'),
    operations: c('operations'),
    sequence: c('sequence'),
    units: unitSet.size,
    constraints: c('constraints'),
    reasoning: c('reasoning'),
    domain: c('domain'),
    entities: countEntities(s),
    questions: st.questionMarks,
    codeBlock: st.fences > 0,
    bullets: st.bulletLines,
    relational: c('relational'),
    fractions: c('fractions') + num.slashFractions,
    percents: c('percents'),
    remainder: c('remainder'),
    rates: c('rates'),
    aggregates: c('aggregates'),
    givenTotals,
    averages: c('averages'),
    inverse: c('inverse'),
    age: c('age'),
    conditional: c('conditional'),
    quantityQuestions: c('quantityQuestions'),
    money: num.money,
    clock: num.clock,
    estimatedSteps: 0,
  };
  f.estimatedSteps = estimateSteps(f, st.sentences);
  return f;
}

/**
 * Linear model of word-problem difficulty from text statistics:
 * log2(1 + steps) + (semantic traps), see src/train/complexity-fit.ts. Fitted by
 * `npm run train` (ridge regression) on complexity/*.jsonl and stored in the model file.
 */
export interface DepthModel {
  features: readonly string[];
  weights: readonly number[];
  /** What the model predicts (informational). */
  target?: string;
}

/** Names of the difficulty features, in vector order (all but the bias are log2(1 + count)). */
export const DEPTH_FEATURES: readonly string[] = [
  'bias', 'log2_words', 'log2_quantities', 'log2_sentences', 'log2_entities', 'log2_relational', 'log2_fractions',
  'log2_percents', 'log2_remainder', 'log2_rates', 'log2_aggregates', 'log2_averages', 'log2_inverse', 'log2_age',
  'log2_sequence', 'log2_conditional', 'log2_money', 'log2_units', 'log2_given_totals',
];

/**
 * Used when a model file carries no (or an older) difficulty model: the fit of
 * `npm run train` on complexity/*.jsonl, copied here (complexity.spec checks it
 * stays close to a fresh fit).
 */
export const DEFAULT_DEPTH_MODEL: DepthModel = {
  features: DEPTH_FEATURES,
  weights: [
    -0.917631, 0.443752, 0.49267, -0.047129, 0.013208, 0.553072, 0.327202, 0.433827, 0.272118, -0.036957, 0.043455, 0.64078,
    0.542283, 0.631265, 0.046218, 0.050333, -0.014342, -0.067428, 0.597811,
  ],
  target: 'log2(1+steps) + 1.0 * min(3, semantic traps)',
};

const L2 = (x: number): number => Math.log2(1 + x);

/** Difficulty feature vector (DEPTH_FEATURES order). */
export function depthVector(f: ComplexityFeatures, sentences: number): number[] {
  return [
    1, L2(f.words), L2(f.quantities), L2(sentences), L2(f.entities), L2(f.relational), L2(f.fractions),
    L2(f.percents), L2(f.remainder), L2(f.rates), L2(f.aggregates), L2(f.averages), L2(f.inverse), L2(f.age), L2(f.sequence),
    L2(f.conditional), L2(f.money), L2(f.units + f.clock), L2(f.givenTotals),
  ];
}

const checkedModels = new WeakMap<DepthModel, boolean>();

/** The model if its feature layout is the current one, else the default (older model files). */
function usable(model: DepthModel): DepthModel {
  let ok = checkedModels.get(model);
  if (ok === undefined) {
    ok =
      model.weights.length === DEPTH_FEATURES.length &&
      model.features.length === DEPTH_FEATURES.length &&
      model.features.every((n, i) => n === DEPTH_FEATURES[i]);
    checkedModels.set(model, ok);
  }
  return ok ? model : DEFAULT_DEPTH_MODEL;
}

/**
 * Predicted difficulty of a word problem: log2(1 + steps) with each semantic trap
 * adding one (about 1 for a one-step problem, 3 for seven plain steps or three steps
 * with one trap).
 */
export function predictDifficulty(f: ComplexityFeatures, sentences: number, model: DepthModel = DEFAULT_DEPTH_MODEL): number {
  const m = usable(model);
  const x = depthVector(f, sentences);
  let z = 0;
  for (let i = 0; i < x.length; i++) z += (x[i] ?? 0) * (m.weights[i] ?? 0);
  return z;
}

/** Effective number of solution steps (>= 0): the difficulty mapped back to a step count. */
export function estimateSteps(f: ComplexityFeatures, sentences: number, model: DepthModel = DEFAULT_DEPTH_MODEL): number {
  return Math.max(0, Math.pow(2, predictDifficulty(f, sentences, model)) - 1);
}

/**
 * How the subject and the kind of demand move the log-odds of a request that is not a
 * word problem: one weight per subject and per demand, applied to the subject and
 * demand models' probabilities. Fitted by `npm run train` (src/train/knowledge-fit.ts)
 * on our own annotated multiple-choice knowledge questions (complexity/knowledge/),
 * with the rest of the score as a fixed offset, so it only adds what subject and
 * demand say beyond length, intent and cue words.
 */
export interface KnowledgeModel {
  subjects: readonly string[];
  demands: readonly string[];
  subjectWeights: readonly number[];
  demandWeights: readonly number[];
}

/** The subject and demand view of a request that complexity reads. */
export interface TopicSignals {
  /** Subject probabilities in `knowledge.subjects` order. */
  subject: ArrayLike<number>;
  /** Demand probabilities in `knowledge.demands` order. */
  demand: ArrayLike<number>;
  knowledge: KnowledgeModel;
}

/** Intents of questions answered from knowledge, the requests the knowledge term applies to. */
const KNOWLEDGE_INTENTS: ReadonlySet<Intent> = new Set<Intent>(['open_qa', 'reasoning', 'math', 'classification']);

/**
 * How much a request is a knowledge question: the intent probability mass of
 * open_qa, reasoning, math and classification. Open-ended writing, chat and the like
 * keep the general model; their difficulty is not the subject's.
 */
export function knowledgeWeight(probs: ArrayLike<number>): number {
  let q = 0;
  for (let i = 0; i < INTENTS.length; i++) if (KNOWLEDGE_INTENTS.has(INTENTS[i] ?? 'other')) q += probs[i] ?? 0;
  return q;
}

/** Option lines of a multiple-choice question ("A. ...", "(b) ...", "C) ..."). */
const OPTION_LINE = /^[ \t]*(?:\(?[A-Ha-h][.)]|\([A-Ha-h]\))[ \t]+\S/gm;
/** OPTION_LINE at a given line start (sticky; the caller finds the line starts). */
const OPTION_AT = new RegExp(OPTION_LINE.source.slice(1), 'y');

/**
 * Whether a text is a multiple-choice question: at least three option lines. The
 * knowledge term is fitted on such questions and applies only to them; on open-ended
 * requests it would be an extrapolation.
 */
export function isMultipleChoice(text: string): boolean {
  const s = text.length > 3000 ? text.slice(0, 3000) : text;
  let n = 0;
  if (s.includes('\r') || s.includes('\u2028') || s.includes('\u2029')) {
    OPTION_LINE.lastIndex = 0;
    while (OPTION_LINE.exec(s) !== null) if (++n >= 3) return true;
    return false;
  }
  // Lines end only at '\n': try the pattern at each line start instead of letting the
  // engine test '^' at every character (same matches, a fraction of the cost).
  for (let p = 0; p < s.length; ) {
    OPTION_AT.lastIndex = p;
    if (OPTION_AT.test(s) && ++n >= 3) return true;
    const nl = s.indexOf('\n', p);
    if (nl < 0) break;
    p = nl + 1;
  }
  return false;
}

/** The knowledge term (log-odds) of a request. */
export function knowledgeTerm(t: TopicSignals): number {
  let z = 0;
  const k = t.knowledge;
  for (let i = 0; i < k.subjectWeights.length; i++) z += (t.subject[i] ?? 0) * (k.subjectWeights[i] ?? 0);
  for (let i = 0; i < k.demandWeights.length; i++) z += (t.demand[i] ?? 0) * (k.demandWeights[i] ?? 0);
  return z;
}

/** Squashes the log-odds into [0,1]. */
function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * Word-problem difficulty -> log-odds: 0 at difficulty 2.5 (about 4-5 plain steps or
 * two steps with a trap), +-1.2 per unit, clamped so that no single term decides alone.
 */
const WP_CENTER = 2.5;
const WP_SLOPE = 1.2;
const WP_MIN = -3;
const WP_MAX = 3;

/**
 * Complexity score in [0,1] from the text features and the intent distribution.
 *
 * Intent enters as an expectation over the classifier's probabilities (not the
 * argmax): a word problem that is 55% math / 40% reasoning should not jump in
 * difficulty when the argmax flips. A request is a word problem to the degree that it
 * is quantitative - the math + reasoning mass, or what the text itself says: several
 * numbers and operations and a question asking for a quantity ("how many ...") are a
 * calculation whatever the intent argmax says - and has at least three quantities.
 * For word problems the fitted difficulty replaces the length term and the intent
 * prior is the math prior; other requests keep the general model.
 *
 * @param probs intent probabilities in INTENTS order (or a one-hot for a known intent)
 */
export function complexityScore(
  f: ComplexityFeatures,
  probs: ArrayLike<number>,
  depth: DepthModel = DEFAULT_DEPTH_MODEL,
  sentences = 1,
  topic?: TopicSignals,
): number {
  return sigmoid(complexityLogit(f, probs, depth, sentences, topic));
}

/** The log-odds behind {@link complexityScore} (the knowledge fit uses it as an offset). */
export function complexityLogit(
  f: ComplexityFeatures,
  probs: ArrayLike<number>,
  depth: DepthModel = DEFAULT_DEPTH_MODEL,
  sentences = 1,
  topic?: TopicSignals,
): number {
  let prior = 0;
  let quantitative = 0;
  for (let i = 0; i < INTENTS.length; i++) {
    const p = probs[i] ?? 0;
    const intent = INTENTS[i] ?? 'other';
    prior += p * INTENT_PRIOR[intent];
    if (intent === 'math' || intent === 'reasoning') quantitative += p;
  }
  if (f.quantityQuestions > 0) quantitative = Math.max(quantitative, Math.min(1, (f.quantities + f.operations) / 8));
  const wp = f.codeBlock ? 0 : quantitative * clamp((f.quantities - 1) / 2, 0, 1);

  let z = -0.6 + (1 - wp) * prior + wp * INTENT_PRIOR.math;
  // General requests: diminishing returns on length (log scale, centred at ~30 words).
  z += (1 - wp) * 0.35 * Math.log2((1 + f.words) / 30);
  // Word problems: the fitted difficulty (steps and traps; length is one of its inputs).
  if (wp > 0) z += wp * clamp(WP_SLOPE * (predictDifficulty(f, sentences, depth) - WP_CENTER), WP_MIN, WP_MAX);
  // Lexical cues are for open-ended prompts. In a word problem the same words ("if",
  // "each", "how many ... would") are ordinary narration and their effect is already
  // in the difficulty estimate, so they count less the more it is a word problem.
  const cueWeight = 1 - 0.8 * wp;
  z += cueWeight * 0.08 * Math.min(f.constraints, 8);
  z += cueWeight * 0.35 * Math.min(f.reasoning, 4);
  z += cueWeight * 0.3 * Math.min(f.domain, 5);
  z += cueWeight * 0.2 * Math.min(Math.max(0, f.questions - 1), 3);
  if (f.codeBlock) z += 0.3;
  z += 0.08 * Math.min(f.bullets, 10);
  // What the subject and the kind of demand add (word problems have their own model).
  if (topic) z += (1 - wp) * knowledgeWeight(probs) * knowledgeTerm(topic);
  return z;
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
