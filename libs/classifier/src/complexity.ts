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
import type { ComplexityBand, Intent } from './types';

/** Prior log-odds per intent (typical strong-vs-weak gap of each task family). */
const INTENT_PRIOR: Readonly<Record<Intent, number>> = {
  code: 0.5,
  math: 0.4,
  reasoning: 0.8,
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

const NUMBER_WORDS =
  /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|dozen|half|twice|double|triple|quadruple|third|quarter|fourth|fifth)\b/g;
/** Operations a solver must perform beyond reading off a number. */
const OPERATION_CUES =
  /%|\bpercent\w*|\bper\b|\beach\b|\bevery\b|\bratio\b|\brate\b|\baverage\b|\bfraction\b|\btimes\b|\btwice\b|\bhalf\b|\bthird\b|\bquarter\b|\bdouble\b|\btriple\b|\bmore than\b|\bless than\b|\bfewer\b|\bas many\b|\bas much\b|\bremaining\b|\bthe rest\b|\bleft\b|\bdiscount\w*|\binterest\b|\bprofit\b|\btax\b|\bincrease\w*|\bdecrease\w*|\bsplit\b|\bshare\w*|\bdivid\w*|\bcombined\b|\baltogether\b|\bin total\b|\btotal\b|\bdifference\b|\bolder\b|\byounger\b|\bfaster\b|\bslower\b|\blonger\b|\bshorter\b|\bprofit\b|\bloss\b|\bspeed\b|\bmph\b|\bhourly\b|\bweekly\b|\bmonthly\b|\byearly\b|\bannual\w*/g;
const SEQUENCE_CUES = /\b(?:then|after|afterwards|before|later|next|finally|until|while|during|first|second|instead|again|each time|per day|a day|a week|a month|a year)\b/g;
const UNIT_WORDS =
  /\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|cents?|dollars?|euros?|pounds?|miles?|km|kilometers?|meters?|feet|foot|inches?|gallons?|liters?|litres?|kg|grams?|ounces?|pages?|cups?)\b/g;
const CONSTRAINT_CUES =
  /\b(?:must|should|at least|at most|no more than|no less than|exactly|without|only|unless|if|such that|subject to|constraints?|requirements?|ensure|make sure|cannot|can't|don't|do not|never|always|both|either|neither|except)\b/g;
const REASONING_CUES =
  /\b(?:why|prove|proof|derive|justify|analy[sz]e|analysis|compare|contrast|evaluate|assess|trade-?offs?|pros and cons|step by step|reason|implications?|critique|design|architect\w*|optimi[sz]e|debug|refactor|strategy|plan|hypothes\w*|what would happen|counterfactual|estimate|how many .* (?:are there|would))\b/g;
const DOMAIN_TERMS =
  /\b(?:algorithm|complexity|theorem|lemma|integral|derivative|eigen\w*|matrix|probability|bayes\w*|regression|statistic\w*|distributed|concurren\w*|kubernetes|compiler|kernel|quantum|thermodynamic\w*|relativity|molecul\w*|enzyme|genom\w*|legal|lawsuit|liability|statute|diagnos\w*|clinical|pharmac\w*|tax(?:es|ation)?|amorti[sz]\w*|derivatives?|portfolio|cryptograph\w*|asymptotic|recurrence|polynomial|topolog\w*|differential|stochastic|optimization|gradient|neural|transformer|database|latency|consensus|byzantine)\b/g;

function count(re: RegExp, s: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(s) !== null) n++;
  return n;
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
const SCAN_CHARS = 4000;

/** Extracts the complexity features of the request text. */
export function complexityFeatures(text: string, st: TextStats): ComplexityFeatures {
  const s = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
  const lower = s.toLowerCase();
  const quantities = countNumerals(s) + count(NUMBER_WORDS, lower);
  const operations = count(OPERATION_CUES, lower);
  const sequence = count(SEQUENCE_CUES, lower);
  const units = new Set((lower.match(UNIT_WORDS) ?? []).map((u) => u.replace(/s$/, ''))).size;
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
    constraints: count(CONSTRAINT_CUES, lower),
    reasoning: count(REASONING_CUES, lower),
    domain: count(DOMAIN_TERMS, lower),
    entities,
    questions: st.questionMarks,
    codeBlock: st.fences > 0,
    bullets: st.bulletLines,
    estimatedSteps,
  };
}

/** Squashes the log-odds into [0,1]. */
function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Complexity score in [0,1] from features and the predicted intent. Quantitative
 * terms are used for every intent (a "writing" request with many numeric constraints
 * is harder too), but weigh most for math/reasoning where they measure solution depth.
 */
export function complexityScore(f: ComplexityFeatures, intent: Intent, intentConfidence = 1): number {
  const quantitative = intent === 'math' || intent === 'reasoning' ? 1 : 0.35;
  let z = -0.6 + INTENT_PRIOR[intent] * Math.min(1, 0.5 + intentConfidence);
  // Diminishing returns on length: log scale, centred at ~30 words.
  z += 0.45 * Math.log2((1 + f.words) / 30);
  z += quantitative * 0.55 * Math.log2(1 + f.estimatedSteps);
  z += 0.15 * Math.min(f.constraints, 8);
  z += 0.35 * Math.min(f.reasoning, 4);
  z += 0.3 * Math.min(f.domain, 5);
  z += quantitative * 0.12 * Math.min(f.entities, 5);
  z += 0.2 * Math.min(Math.max(0, f.questions - 1), 3);
  if (f.codeBlock) z += 0.3;
  z += 0.08 * Math.min(f.bullets, 10);
  return sigmoid(z);
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
