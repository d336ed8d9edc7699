/**
 * Feature extraction for the intent model: hashed word unigrams and bigrams,
 * character 3/4-grams, "instruction position" features (first and last words,
 * where the imperative usually is) and structural features (code fences, math
 * notation, digit ratio, a provided text block, question form, length buckets ...).
 *
 * Everything is hashed into a 2^HASH_BITS space (the "hashing trick"), so the
 * model is a dense [feature][class] weight table and extraction never allocates
 * per-feature strings: words are hashed straight from the char codes.
 *
 * Work is capped on long inputs: the instruction of a long prompt is almost always
 * at its start or its end, so only the first HEAD_CHARS and last TAIL_CHARS are
 * read for n-grams; the middle (the document being operated on) contributes only
 * structural statistics.
 */

/** log2 of the hashed feature space. */
import { CONCEPTS, findConcepts } from './concepts';
import { LEXICON_SUBJECTS, countSubjectTerms } from './subjects';

export const HASH_BITS = 18;
/** Size of the hashed feature space. */
export const DIM = 1 << HASH_BITS;
const MASK = DIM - 1;

/** Characters read from the start of a text for lexical features. */
export const HEAD_CHARS = 1200;
/** Characters read from the end of a text for lexical features. */
export const TAIL_CHARS = 400;
/** Characters read for character n-grams (they are the most numerous features). */
const CHAR_NGRAM_HEAD = 500;
const CHAR_NGRAM_TAIL = 200;

/** Growable sparse vector: parallel index/value arrays, duplicates allowed (they add up). */
export class FeatureBuffer {
  idx: Int32Array;
  val: Float32Array;
  n = 0;
  constructor(capacity = 4096) {
    this.idx = new Int32Array(capacity);
    this.val = new Float32Array(capacity);
  }
  /** Empties the buffer without freeing memory (hot path reuses one buffer). */
  reset(): void {
    this.n = 0;
  }
  push(index: number, value: number): void {
    if (this.n === this.idx.length) this.grow();
    this.idx[this.n] = index;
    this.val[this.n] = value;
    this.n++;
  }
  /** Multiplies values in [from, to) by k (per-group normalisation). */
  scale(from: number, to: number, k: number): void {
    const v = this.val;
    for (let i = from; i < to; i++) v[i] = (v[i] ?? 0) * k;
  }
  /** Appends another buffer's entries scaled by k (conversation context blending). */
  addScaled(other: FeatureBuffer, k: number): void {
    for (let i = 0; i < other.n; i++) this.push(other.idx[i] ?? 0, (other.val[i] ?? 0) * k);
  }
  /** Compact copy (training keeps one per example). */
  toSparse(): { idx: Int32Array; val: Float32Array } {
    return { idx: this.idx.slice(0, this.n), val: this.val.slice(0, this.n) };
  }
  private grow(): void {
    const idx = new Int32Array(this.idx.length * 2);
    idx.set(this.idx);
    const val = new Float32Array(this.val.length * 2);
    val.set(this.val);
    this.idx = idx;
    this.val = val;
  }
}

/**
 * Collects one feature family, merging repeated indices, then emits it with
 * sublinear term frequency (1 + ln tf) and unit L2 norm. Why: a word repeated 300
 * times in a pasted log should not weigh 300x (or even sqrt(300)x) more than a
 * word that occurs once, and every family should have the same scale regardless of
 * text length. The dense accumulator is reset through the touched list, so the
 * cost is proportional to the family size, not to DIM.
 */
export class FamilyAccumulator {
  /**
   * Open-addressing table (index -> count) sized to the family, not to DIM: a family of
   * a 2,000-token prompt touches a few thousand slots, and a dense DIM-sized array would
   * scatter those writes over 1 MB that competes with the weight tables for the cache.
   * Values are float32, as in the weight arithmetic's inputs.
   */
  private keys = new Int32Array(4096).fill(-1);
  private counts = new Float32Array(4096);
  /** Slot of each distinct index, in first-seen order (the emitted order). */
  private touched = new Int32Array(2048);
  private n = 0;

  add(index: number): void {
    let mask = this.keys.length - 1;
    let slot = Math.imul(index, 0x9e3779b1) & mask;
    for (;;) {
      const k = this.keys[slot] as number;
      if (k === index) {
        this.counts[slot] = (this.counts[slot] as number) + 1;
        return;
      }
      if (k === -1) break;
      slot = (slot + 1) & mask;
    }
    // A new index: keep the load factor at most 1/2.
    if ((this.n + 1) * 2 > this.keys.length) {
      this.rehash();
      mask = this.keys.length - 1;
      slot = Math.imul(index, 0x9e3779b1) & mask;
      while (this.keys[slot] !== -1) slot = (slot + 1) & mask;
    }
    if (this.n === this.touched.length) {
      const t = new Int32Array(this.n * 2);
      t.set(this.touched);
      this.touched = t;
    }
    this.keys[slot] = index;
    this.counts[slot] = 1;
    this.touched[this.n++] = slot;
  }

  private rehash(): void {
    const keys = this.keys;
    const counts = this.counts;
    const size = keys.length * 2;
    const mask = size - 1;
    this.keys = new Int32Array(size).fill(-1);
    this.counts = new Float32Array(size);
    for (let i = 0; i < this.n; i++) {
      const old = this.touched[i] as number;
      const index = keys[old] as number;
      let slot = Math.imul(index, 0x9e3779b1) & mask;
      while (this.keys[slot] !== -1) slot = (slot + 1) & mask;
      this.keys[slot] = index;
      this.counts[slot] = counts[old] as number;
      this.touched[i] = slot;
    }
  }

  /** Emits the family into `out` with L2 norm `scale`, and resets. */
  flush(out: FeatureBuffer, scale: number): void {
    const counts = this.counts;
    const keys = this.keys;
    let ss = 0;
    for (let i = 0; i < this.n; i++) {
      const t = this.touched[i] as number;
      const v = 1 + Math.log(counts[t] as number);
      counts[t] = v;
      ss += v * v;
    }
    const k = ss > 0 ? scale / Math.sqrt(ss) : 0;
    for (let i = 0; i < this.n; i++) {
      const t = this.touched[i] as number;
      out.push(keys[t] as number, (counts[t] as number) * k);
      keys[t] = -1;
    }
    this.n = 0;
  }
}

/** One shared accumulator: extraction is synchronous and never re-entrant. */
const family = new FamilyAccumulator();

/**
 * L2 norm of each lexical family relative to the structural features (which are
 * 0/1). Chosen by 5-fold cross-validation on the training corpus (never on the
 * evaluation sets): lexical evidence needs more weight than the handful of
 * structural flags, char n-grams most (they carry morphology across languages).
 */
const FAMILY_SCALE = {
  words: 1.4, bigrams: 1.2, first: 2, last: 1, chars: 3, operandWords: 0.5, operandChars: 0.4, concepts: 1.6, request: 1.6, subjects: 1.2,
} as const;

// ---------------------------------------------------------------------------
// Hashing

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over a string's UTF-16 code units, seeded by namespace. */
export function hashString(s: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** Final avalanche (murmur3 fmix32) so that low bits are well mixed before masking. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function combine(a: number, b: number): number {
  return (Math.imul(a ^ 0x9e3779b9, 0x01000193) ^ b) >>> 0;
}

/** Index of a named feature (used for structural features and the bias). */
export function namedIndex(name: string): number {
  return fmix(hashString(name, NS.named)) & MASK;
}

// Namespace seeds, one per feature family, so "w:foo" and "f:foo" do not collide by design.
const NS = {
  word: 0x1001,
  bigram: 0x2002,
  char3: 0x3003,
  char4: 0x4004,
  first: 0x5005,
  last: 0x6006,
  named: 0x7007,
  firstPos: 0x8008,
  operand: 0x9009,
  opChar3: 0xa00a,
  opChar4: 0xb00b,
  concept: 0xc00c,
  firstLong: 0xd00d,
  request: 0xe00e,
  requestBigram: 0xf00f,
  subject: 0x10010,
  requestConcept: 0x11011,
} as const;

/** Bias feature index (always on, value 1). */
export const BIAS_INDEX = namedIndex('__bias__');

// ---------------------------------------------------------------------------
// Tokenisation

/**
 * Whether Arabic and Devanagari punctuation separates words (`FeatureConfig.roles`); set
 * for the duration of one extraction (extraction is synchronous and never re-entrant).
 */
let scriptPunctuation = false;

/** Arabic comma, semicolon, question mark and full stop; Devanagari danda and double danda. */
function isScriptPunctuation(c: number): boolean {
  return c === 0x060c || c === 0x061b || c === 0x061f || c === 0x06d4 || c === 0x0964 || c === 0x0965;
}

/** Code-unit classes: 0 = separator, 1 = word char, 2 = CJK char (each is its own token). */
function charClass(c: number): number {
  if (c < 128) {
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return 1;
    if (c >= 65 && c <= 90) return 1;
    return c === 39 ? 3 : 0; // apostrophe: inside words only
  }
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf)) return 2;
  if (c <= 0xbf || c === 0xd7 || c === 0xf7) return 0; // Latin-1 punctuation, × ÷
  if (c >= 0x2000 && c <= 0x2bff) return 0; // general punctuation, arrows, math symbols
  if (c >= 0x3000 && c <= 0x303f) return 0; // CJK punctuation
  if (c >= 0xff00 && c <= 0xff0f) return 0; // fullwidth punctuation
  if (c >= 0xff1a && c <= 0xff20) return 0;
  if (c >= 0xd800 && c <= 0xdfff) return 0; // surrogates (emoji)
  if (scriptPunctuation && isScriptPunctuation(c)) return 0;
  return 1;
}

/** charClass of the ASCII characters, for the hot loops (a table read instead of a branch chain). */
const ASCII_CLASS: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = charClass(c);
  return t;
})();

/** Word-hash sequence of a text: hashes plus a sentence-start flag for each word. */
interface WordSeq {
  hashes: Uint32Array;
  starts: Uint8Array; // 1 if the word begins a sentence / line
  n: number;
}

const WORD_CAP = 512;
const seqA: WordSeq = { hashes: new Uint32Array(WORD_CAP), starts: new Uint8Array(WORD_CAP), n: 0 };
const seqB: WordSeq = { hashes: new Uint32Array(WORD_CAP), starts: new Uint8Array(WORD_CAP), n: 0 };

/**
 * Splits lower-cased text into word hashes (FNV-1a computed on the fly). Numbers
 * are collapsed to a shape token (so "17" and "42" share a feature) because their
 * values carry no intent signal, only their presence does.
 */
function tokenize(s: string, out: WordSeq, cap: number): void {
  out.n = 0;
  let h = 0;
  let len = 0;
  let digits = 0;
  let sentenceStart = true;
  const flush = (): void => {
    if (len > 0 && out.n < cap) {
      const hv = digits === len ? (len <= 2 ? 0x11 : len <= 4 ? 0x12 : 0x13) : h >>> 0;
      out.hashes[out.n] = hv;
      out.starts[out.n] = sentenceStart ? 1 : 0;
      out.n++;
      sentenceStart = false;
    }
    len = 0;
    digits = 0;
    h = FNV_OFFSET;
  };
  h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const k = c < 128 ? (ASCII_CLASS[c] as number) : charClass(c);
    if (k === 1 || (k === 3 && len > 0)) {
      h ^= c;
      h = Math.imul(h, FNV_PRIME);
      len++;
      if (c >= 48 && c <= 57) digits++;
    } else if (k === 2) {
      flush();
      h ^= c;
      h = Math.imul(h, FNV_PRIME);
      len = 1;
      flush();
    } else {
      flush();
      // Sentence boundaries: . ! ? newline, colon, and their CJK forms.
      if (c === 46 || c === 33 || c === 63 || c === 10 || c === 58 || c === 0x3002 || c === 0xff1f || c === 0xff01) {
        sentenceStart = true;
      } else if (scriptPunctuation && (c === 0x061f || c === 0x06d4 || c === 0x0964 || c === 0x0965)) {
        sentenceStart = true;
      }
    }
    if (out.n >= cap) return;
  }
  flush();
}

// ---------------------------------------------------------------------------
// Structural features

function bucket(x: number, edges: readonly number[]): number {
  let b = 0;
  while (b < edges.length && x > (edges[b] ?? 0)) b++;
  return b;
}

const LEN_EDGES = [2, 4, 8, 16, 32, 64, 128, 256, 512];
const NAMED_CACHE = new Map<string, number>();
function named(name: string): number {
  let v = NAMED_CACHE.get(name);
  if (v === undefined) {
    v = namedIndex(name);
    NAMED_CACHE.set(name, v);
  }
  return v;
}

/** Text statistics gathered in one pass; also reused by the complexity scorer. */
export interface TextStats {
  chars: number;
  words: number;
  lines: number;
  nonEmptyLines: number;
  digits: number;
  letters: number;
  upper: number;
  codeSymbols: number;
  mathSymbols: number;
  questionMarks: number;
  fences: number;
  backticks: number;
  quotes: number;
  colonNewline: boolean;
  bulletLines: number;
  indentedLines: number;
  endsWithQuestion: boolean;
  hasUrl: boolean;
  nonLatin: number;
  sentences: number;
  /** Non-empty lines that look like source code (see looksLikeCodeLine). */
  codeLines: number;
}

/**
 * A line "looks like code" if it starts with a common keyword of mainstream
 * languages, or ends the way statements and blocks end (";", "{", "}", ":" after a
 * signature), or is a typical call/assignment/comment. Prose rarely does any of this,
 * so the share of such lines separates pasted code from pasted text in any language.
 */
const CODE_LINE_PARTS: ReadonlyArray<{ re: string; at: 'start' | 'end' }> = [
  {
    re: String.raw`^\s*(?:def |class |import |from \S+ import |return\b|if .*:$|for .*:$|while .*:$|elif |else:|try:|except\b|public |private |protected |static |function\b|const |let |var |#include|package |using |fn |func |impl |struct |SELECT |INSERT |UPDATE |DELETE |CREATE |@\w+|\/\/|#!|<\/?[a-z][\w-]*[ >])`,
    at: 'start',
  },
  { re: String.raw`[;{}]\s*$`, at: 'end' },
  { re: String.raw`^\s*[}\])]`, at: 'start' },
  { re: String.raw`\)\s*(?:->\s*[\w[\], ]+)?:\s*$`, at: 'end' },
  { re: String.raw`^\s*\w+(?:\.\w+)*\s*(?:[-+*/]?=|==|=>)\s*\S`, at: 'start' },
  { re: String.raw`^\s*>>>`, at: 'start' },
  { re: String.raw`^\s*\w+\([^)]*\)\s*;?\s*$`, at: 'start' },
];
const CODE_LINE = new RegExp(CODE_LINE_PARTS.map((p) => p.re).join('|'));
/**
 * The alternatives of CODE_LINE anchored at the line start. The others need the line to
 * end, before trailing white space, in ';', '{', '}' or ':'; for any other line this
 * pattern says what CODE_LINE says, and the engine tries it at one position instead of
 * scanning the line for an ending.
 */
const CODE_LINE_START = new RegExp(CODE_LINE_PARTS.filter((p) => p.at === 'start').map((p) => p.re).join('|'));

/** The white space of \s and String.prototype.trim. */
function isSpaceCode(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** CODE_LINE.test(l) for a line that is not white space only; `last` is its last other character. */
function codeLine(l: string, last: number): boolean {
  return last === 59 || last === 123 || last === 125 || last === 58 ? CODE_LINE.test(l) : CODE_LINE_START.test(l);
}

/** Counts code-looking lines (first 60 lines). */
function countCodeLines(s: string): number {
  let n = 0;
  let start = 0;
  for (let line = 0; line < 60 && start <= s.length; line++) {
    let end = s.indexOf('\n', start);
    if (end < 0) end = s.length;
    const l = s.slice(start, Math.min(end, start + 300));
    let k = l.length - 1;
    while (k >= 0 && isSpaceCode(l.charCodeAt(k))) k--;
    if (k >= 0 && codeLine(l, l.charCodeAt(k))) n++;
    start = end + 1;
  }
  return n;
}

/**
 * The first `end` characters of s as a flat string: character loops read a sliced or
 * concatenated string through an indirection per character (and code that sees several
 * string shapes is optimised less well), so the hot loops get flat strings.
 */
function flatSlice(s: string, end: number): string {
  const h = end >> 1;
  return [s.slice(0, h), s.slice(h, end)].join('');
}

/** Texts longer than this are measured on a head + tail sample and the counts scaled. */
const STATS_FULL_CHARS = 4000;
const STATS_HEAD = 3000;
const STATS_TAIL = 1000;

/**
 * One pass over the text computing the statistics above. Very long texts are
 * measured on their first 3,000 and last 1,000 characters with counts scaled to the
 * full length: the features only use buckets and ratios of these counts, which a
 * 4,000-character sample estimates well, and it caps the cost per request.
 */
export function textStats(s: string): TextStats {
  if (s.length <= STATS_FULL_CHARS) return textStatsExact(s);
  // Joined (not concatenated with +): a flat string, read without an indirection per character.
  const st = textStatsExact([s.slice(0, STATS_HEAD), '\n', s.slice(s.length - STATS_TAIL)].join(''));
  const k = s.length / (STATS_HEAD + STATS_TAIL + 1);
  const scale = (x: number): number => Math.round(x * k);
  st.chars = s.length;
  st.words = scale(st.words);
  st.lines = scale(st.lines);
  st.nonEmptyLines = scale(st.nonEmptyLines);
  st.digits = scale(st.digits);
  st.letters = scale(st.letters);
  st.upper = scale(st.upper);
  st.codeSymbols = scale(st.codeSymbols);
  st.mathSymbols = scale(st.mathSymbols);
  st.questionMarks = scale(st.questionMarks);
  st.quotes = scale(st.quotes);
  st.bulletLines = scale(st.bulletLines);
  st.indentedLines = scale(st.indentedLines);
  st.nonLatin = scale(st.nonLatin);
  st.sentences = scale(st.sentences);
  st.codeLines = scale(st.codeLines);
  return st;
}

/** Flags of an ASCII character for {@link textStatsExact} (see TS_FLAGS). */
const TS_TEXT = 1; // not a space, tab or carriage return
const TS_WORD = 2; // letter or digit
const TS_DIGIT = 4;
const TS_UPPER = 8;
const TS_CODE = 16; // { } ; = < > [ ] | & _
const TS_MATH = 32; // + * / ^ %
const TS_OTHER = 64; // ? . ! ` " : (handled by the switch)

/**
 * What each ASCII character contributes to the counts, so the hot loop adds flags
 * instead of branching per character class (a mispredicted branch per character
 * was most of the cost on long prompts).
 */
const TS_FLAGS: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    let f = c === 32 || c === 9 || c === 13 ? 0 : TS_TEXT;
    if (c >= 48 && c <= 57) f |= TS_WORD | TS_DIGIT;
    else if (c >= 65 && c <= 90) f |= TS_WORD | TS_UPPER;
    else if (c >= 97 && c <= 122) f |= TS_WORD;
    else if ('{};=<>[]|&_'.includes(String.fromCharCode(c))) f |= TS_CODE;
    else if ('+*/^%'.includes(String.fromCharCode(c))) f |= TS_MATH;
    else if ('?.!`":'.includes(String.fromCharCode(c))) f |= TS_OTHER;
    t[c] = f;
  }
  return t;
})();

function textStatsExact(s: string): TextStats {
  const st: TextStats = {
    chars: s.length, words: 0, lines: 1, nonEmptyLines: 0, digits: 0, letters: 0, upper: 0, codeSymbols: 0,
    mathSymbols: 0, questionMarks: 0, fences: 0, backticks: 0, quotes: 0, colonNewline: false, bulletLines: 0,
    indentedLines: 0, endsWithQuestion: false, hasUrl: false, nonLatin: 0, sentences: 0, codeLines: 0,
  };
  // Counters live in locals (0/1 ints where they are flags) and are stored at the end.
  let words = 0, lines = 1, nonEmptyLines = 0, digits = 0, letters = 0, upper = 0, codeSymbols = 0, mathSymbols = 0;
  let questionMarks = 0, fences = 0, backticks = 0, quotes = 0, bulletLines = 0, indentedLines = 0, nonLatin = 0, sentences = 0;
  let colonNewline = false;
  let hasUrl = false;
  let inWord = 0;
  let lineStart = true;
  let lineHasText = 0;
  let lastNonSpace = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) {
      lines++;
      nonEmptyLines += lineHasText;
      if (lastNonSpace === 58) colonNewline = true;
      lineStart = true;
      lineHasText = 0;
      inWord = 0;
      continue;
    }
    if (lineStart) {
      if (c === 32 || c === 9) {
        // Indentation of two or more spaces/tabs at line start is typical of code and lists.
        if (s.charCodeAt(i + 1) === 32 || c === 9) indentedLines++;
        lineStart = false;
        continue;
      }
      if ((c === 45 || c === 42 || c === 0x2022) && s.charCodeAt(i + 1) === 32) bulletLines++;
      else if (c >= 48 && c <= 57 && (s.charCodeAt(i + 1) === 46 || s.charCodeAt(i + 1) === 41)) bulletLines++;
      lineStart = false;
    }
    if (c < 128) {
      const f = TS_FLAGS[c] as number;
      // Branch-free: the last non-space character and the counts.
      const text = f & TS_TEXT;
      const keep = text - 1; // 0 for text, -1 for a space
      lastNonSpace = (c & ~keep) | (lastNonSpace & keep);
      lineHasText |= text;
      const w = (f >> 1) & 1;
      words += w & (inWord ^ 1);
      inWord = w;
      const d = (f >> 2) & 1;
      digits += d;
      letters += w & (d ^ 1);
      upper += (f >> 3) & 1;
      codeSymbols += (f >> 4) & 1;
      mathSymbols += (f >> 5) & 1;
      if ((f & TS_OTHER) === 0) continue;
      switch (c) {
        case 63:
          questionMarks++;
          sentences++;
          break;
        case 46: case 33:
          if (i + 1 >= n || s.charCodeAt(i + 1) === 32 || s.charCodeAt(i + 1) === 10) sentences++;
          break;
        case 96:
          backticks++;
          if (s.charCodeAt(i + 1) === 96 && s.charCodeAt(i + 2) === 96) {
            fences++;
            i += 2;
          }
          break;
        case 34:
          quotes++;
          break;
        case 58:
          if (s.charCodeAt(i + 1) === 47 && s.charCodeAt(i + 2) === 47) hasUrl = true;
          break;
      }
      continue;
    }
    lineHasText = 1;
    lastNonSpace = c;
    const k = charClass(c);
    if (k === 1 || k === 2) {
      if (inWord === 0) words++;
      inWord = k === 1 ? 1 : 0;
      letters++;
      if (c >= 0x250) nonLatin++;
      continue;
    }
    inWord = 0;
    switch (c) {
      case 0xff1f:
        questionMarks++;
        sentences++;
        break;
      case 0x3002:
        if (i + 1 >= n || s.charCodeAt(i + 1) === 32 || s.charCodeAt(i + 1) === 10) sentences++;
        break;
      case 0x201c: case 0x201d: case 0xab: case 0xbb: case 0x300c: case 0x300d:
        quotes++;
        break;
      default:
        if (c >= 0x2200 && c <= 0x22ff) mathSymbols++; // ∑ √ ∫ ≤ ...
    }
  }
  st.words = words;
  st.lines = lines;
  st.nonEmptyLines = nonEmptyLines;
  st.digits = digits;
  st.letters = letters;
  st.upper = upper;
  st.codeSymbols = codeSymbols;
  st.mathSymbols = mathSymbols;
  st.questionMarks = questionMarks;
  st.fences = fences;
  st.backticks = backticks;
  st.quotes = quotes;
  st.colonNewline = colonNewline;
  st.bulletLines = bulletLines;
  st.indentedLines = indentedLines;
  st.hasUrl = hasUrl;
  st.nonLatin = nonLatin;
  st.sentences = sentences;
  if (lineHasText) st.nonEmptyLines++;
  if (st.nonEmptyLines > 1 || st.codeSymbols > 0) st.codeLines = countCodeLines(s);
  st.endsWithQuestion = lastNonSpace === 63 || lastNonSpace === 0xff1f;
  if (st.sentences === 0 && st.words > 0) st.sentences = 1;
  return st;
}

/** Adds the structural features for one text. Returns how many were pushed. */
function pushStructural(st: TextStats, s: string, out: FeatureBuffer): void {
  const add = (name: string, v = 1): void => out.push(named(name), v);
  add(`len:${bucket(st.words, LEN_EDGES)}`);
  add(`lines:${bucket(st.nonEmptyLines, [1, 2, 4, 8, 16])}`);
  add(`sent:${bucket(st.sentences, [1, 2, 3, 5, 8])}`);
  const chars = Math.max(1, st.chars);
  add(`digitratio:${bucket(st.digits / chars, [0, 0.02, 0.05, 0.1, 0.2, 0.4])}`);
  add(`codesym:${bucket(st.codeSymbols / chars, [0, 0.01, 0.03, 0.06, 0.1])}`);
  add(`mathsym:${bucket(st.mathSymbols, [0, 1, 3, 6])}`);
  if (st.fences > 0) add('fence');
  if (st.codeLines > 0) {
    const share = st.codeLines / Math.max(1, st.nonEmptyLines);
    add(`codelines:${bucket(share, [0.15, 0.35, 0.6])}`);
    if (st.codeLines >= 3) add('codelines3');
  }
  if (st.backticks >= 2 && st.fences === 0) add('inlinecode');
  if (st.indentedLines >= 2) add('indented');
  if (st.questionMarks > 0) add(`qmarks:${bucket(st.questionMarks, [1, 2, 4])}`);
  if (st.endsWithQuestion) add('endsq');
  if (st.colonNewline) add('colon_nl');
  if (st.quotes >= 2) add(`quotes:${bucket(st.quotes, [2, 4, 8])}`);
  if (st.bulletLines > 0) add(`bullets:${bucket(st.bulletLines, [1, 3, 6])}`);
  if (st.hasUrl) add('url');
  if (st.nonLatin > st.letters * 0.5) add('nonlatin');
  // A provided text block: an instruction plus a body of text to operate on.
  const block =
    st.fences > 0 ||
    (st.colonNewline && st.words > 25) ||
    (st.quotes >= 2 && st.words > 30) ||
    (st.nonEmptyLines >= 3 && st.words > 60);
  if (block) add('block');
  if (st.words > 0 && st.upper / Math.max(1, st.letters) > 0.5 && st.letters > 10) add('shouting');
  // Arithmetic between numbers ("12 * 7", "3/4", "2^5") and equations with a variable.
  if (st.digits > 0 && st.mathSymbols > 0 && /\d\s*[-+*/^×÷=]\s*\(?\s*\d/.test(s.length > 800 ? s.slice(0, 800) : s)) add('arith');
  if (/(?:^|[^a-z])[a-z]\s*(?:\^|=|²)|\\(?:frac|sqrt|int|sum|begin)|\$[^$\n]{1,80}\$/.test(s.length > 800 ? s.slice(0, 800) : s)) add('algebra');
}

// ---------------------------------------------------------------------------
// Public extraction

/** Options that change what is extracted (stored in the model file so training and serving agree). */
export interface FeatureConfig {
  hashBits: number;
  charNgrams: boolean;
  /** Cross-lingual task concepts (src/concepts.ts); absent in older model files. */
  concepts?: boolean;
  /** Concepts also from the end of a long instruction; absent in older model files. */
  tailConcepts?: boolean;
  /**
   * The request sentence of a long instruction (its last sentences, where a
   * context-first prompt states its task) as its own word / bigram / concept family,
   * and the first words of a long instruction in a namespace of their own (they
   * usually open the background, not the task); absent in older model files.
   */
  request?: boolean;
  /** Subject vocabulary counts (src/subjects.ts); absent in older model files. */
  subjectTerms?: boolean;
  /**
   * Role set-ups recognised in all corpus languages, also where the role marker ends the
   * sentence ("…として答えてください", "…인 척하고", "…की भूमिका में"); Chinese and Japanese
   * characters count as half a word in the length rules of `splitInstruction`; Arabic and
   * Devanagari punctuation (، ؛ ؟ ۔ । ॥) separates words and ends sentences. Absent in
   * older model files.
   */
  roles?: boolean;
}

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = {
  hashBits: HASH_BITS,
  charNgrams: true,
  concepts: true,
  tailConcepts: true,
  request: true,
  subjectTerms: true,
  roles: true,
};

/** An instruction longer than this many words has a separate request sentence. */
const REQUEST_MIN_WORDS = 25;
/** Words of the request: the last sentences until this many words are collected. */
const REQUEST_WORDS = 12;
/** Characters of the end of a long instruction searched for the request. */
const REQUEST_CHARS = 360;

const SUBJECT_INDEX: readonly number[] = LEXICON_SUBJECTS.map((s) => fmix(hashString(s, NS.subject)) & MASK);
const subjectCounts = new Float64Array(LEXICON_SUBJECTS.length);

/** Characters of the instruction searched for task concepts. */
const CONCEPT_CHARS = 300;
const conceptScratch: number[] = [];
const CONCEPT_INDEX: readonly number[] = CONCEPTS.map((c) => fmix(hashString(c, NS.concept)) & MASK);

/**
 * Lexical view of a long text: head + tail (the instruction lives there).
 */
function lexicalView(s: string, head: number, tail: number): string {
  if (s.length <= head + tail) return s;
  // Joined, so the character loops that read it get a flat string (see flatSlice).
  return [s.slice(0, head), '\n', s.slice(s.length - tail)].join('');
}

/** Adds char 3- and 4-grams of the lower-cased text (spaces collapsed) to the family accumulator. */
function pushCharNgrams(s: string, seed3: number, seed4: number, head: number, tail: number): void {
  const view = lexicalView(s, head, tail);
  // Rolling window of the last 4 normalised code units; separators become one space.
  let c1 = 32;
  let c2 = 32;
  let c3 = 32;
  let prevSpace = true;
  for (let i = 0; i <= view.length; i++) {
    let c = i < view.length ? view.charCodeAt(i) : 32;
    const k = c < 128 ? (ASCII_CLASS[c] as number) : charClass(c);
    if (k === 0 || k === 3) {
      if (prevSpace) continue;
      c = 32;
      prevSpace = true;
    } else {
      if (c >= 48 && c <= 57) c = 48; // digits share one shape
      prevSpace = false;
    }
    // Trigram (c2, c3, c) and 4-gram (c1, c2, c3, c).
    let h3 = (FNV_OFFSET ^ seed3) >>> 0;
    h3 = Math.imul(h3 ^ c2, FNV_PRIME);
    h3 = Math.imul(h3 ^ c3, FNV_PRIME);
    h3 = Math.imul(h3 ^ c, FNV_PRIME);
    family.add(fmix(h3) & MASK);
    let h4 = (FNV_OFFSET ^ seed4) >>> 0;
    h4 = Math.imul(h4 ^ c1, FNV_PRIME);
    h4 = Math.imul(h4 ^ c2, FNV_PRIME);
    h4 = Math.imul(h4 ^ c3, FNV_PRIME);
    h4 = Math.imul(h4 ^ c, FNV_PRIME);
    family.add(fmix(h4) & MASK);
    c1 = c2;
    c2 = c3;
    c3 = c;
  }
}

/** The instruction of a prompt and the material it operates on (may be empty). */
export interface Segments {
  instruction: string;
  operand: string;
  /**
   * Set when the instruction is a short head plus a short last paragraph (either may be
   * the request): the head, whose words then also join the request family.
   */
  head?: string;
}

/** Longest operand / instruction we read, in characters (cost cap). */
const OPERAND_CHARS = 400;

function wordCount(s: string, limit: number, cjkHalf = false): number {
  let n = 0;
  let cjk = 0;
  let inWord = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      // ASCII: a letter or digit (class 1) starts a word after anything else; by table.
      const w = ASCII_WORD[c] as number;
      n += w & (inWord ^ 1);
      inWord = w;
      if (n > limit) return n;
      continue;
    }
    const k = charClass(c);
    if (k === 1 || k === 2) {
      // Chinese and Japanese words are about two characters long.
      if (k === 2) {
        cjk++;
        if (!cjkHalf || cjk % 2 === 1) n++;
      } else if (inWord === 0) n++;
      inWord = k === 1 ? 1 : 0;
      if (n > limit) return n;
    } else inWord = 0;
  }
  return n;
}

/** 1 for the ASCII characters of charClass 1 (letters and digits). */
const ASCII_WORD: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = charClass(c) === 1 ? 1 : 0;
  return t;
})();

const QUOTED = /["“«„]([^"”»“\n]{40,2000})["”»“]/;

/**
 * A head that sets up a role ("You are an experienced consultant.", "Act as my
 * assistant.", "Du bist ...", "你现在扮演 ...") frames the request but is not it.
 */
const ROLE_HEAD =
  /^\s*(?:you are|you're|act as|pretend (?:to be|you(?:'re| are))|roleplay as|role-play as|imagine you(?:'re| are)|eres|act[uú]a como|tu es|joue le r[oô]le|du bist|spiel(?:e)? (?:für|den|die)|sei |fai finta|voc[eê] [eé]|finja|ты |представь, что ты|je bent|speel |أنت |تقمّص|تقمص|आप एक|你是|你现在|请扮演|扮演|あなたは|당신은|지금부터 당신은)/iu;

/**
 * Role set-ups in every corpus language (`FeatureConfig.roles`): at the start of the head
 * ("Play the part of…", "Haz de…", "Fais comme si…", "Tu so, als…", "Faz de conta…",
 * "Fingi di…", "Сыграй…", "Doe alsof…", "假装…", "تخيّل أنك…", "मान लो…"), or where the
 * language puts the role marker at the end ("…として答えてください", "…になったつもりで",
 * "…인 척하고", "…처럼 대답해 줘", "…की भूमिका में").
 */
const ROLE_START =
  /^\s*(?:you are|you're|act as|act like|pretend|role-?play|imagine (?:that )?you(?:'re| are)|play (?:the (?:role|part) of|a |an )|behave (?:like|as)|take (?:on )?the role|stay in character|from now on,? you|you will (?:be|act|play)|(?:speak|answer|respond|talk) (?:to me )?(?:like|as) |eres |act[uú]a como|haz de |hazte pasar|finge|imagina que eres|ponte en (?:el papel|la piel)|interpreta (?:a|el|la|un|una) |comp[oó]rtate como|(?:habla|responde) como|tu es |vous [eê]tes |joue (?:le r[oô]le|un|une)|fais comme si|fais semblant|mets-toi (?:dans la peau|à la place)|imagine que tu es|incarne|comporte-toi|(?:parle|r[eé]ponds|agis) comme|du bist|sie sind (?:ein|eine)|spiel(?:e)? (?:für|den|die|eine?n?) |tu so,? als|stell dir vor,? du bist|versetz dich|[üu]bernimm die rolle|verhalte dich|(?:sprich|antworte) (?:wie|als) |[eé]s (?:o|a|um|uma) |voc[eê] [eé]|faz de conta|faz (?:de|o papel)|imagina que [eé]s|(?:age|atua|comporta-te) como|(?:fala|responde) como|sei |fingi|fai (?:finta|la parte)|immagina di essere|comportati|interpreta (?:il|la|un|una) |(?:parla|rispondi) come|ты |вы (?:—|-|опытный|опытная|мой|моя)|представь(?:те)?,? что (?:ты|вы)|вообрази,? что ты|сыграй|будь мо(?:им|ей)|веди себя|выступи в роли|действуй как|притворись|(?:говори|отвечай) как|je bent|jij bent|doe alsof|speel (?:een|de)|stel je voor dat je|gedraag je|neem de rol|(?:praat|antwoord) als|你是|你现在|请扮演|扮演|假装|假设你是|请你扮演|请以|从现在起|现在开始你|أنت |انت |تقمّص|تقمص|تخيّل أنك|تخيل أنك|تصرّف ك|تصرف ك|العب دور|مثّل دور|تحدّث ك|تحدث ك|आप एक|तुम एक|मान लो|मान लीजिए|कल्पना करो कि तुम|あなたは|당신은|지금부터 (?:너는|당신은)|너는 이제부터|넌 이제부터)/iu;
const ROLE_ANYWHERE =
  /として(?:振る舞|ふるま|話|答|返事)|になったつもりで|のふりをして|になりきって|役を演じ|の役(?:で|として)|その(?:役|口調)で|인 척(?:하고|해)|인 것처럼|역할(?:을|로|이야)|처럼 (?:말해|대답해|이야기해|굴어)|की भूमिका|की तरह (?:बात|जवाब)|बनकर (?:बात|जवाब)|بدور |في دور /u;

/** A short head that only sets up a role. */
function isRoleHead(head: string, config: FeatureConfig): boolean {
  // The word count stops at 41 words, so a long head costs no regex scan.
  if (config.roles === true) return wordCount(head, 40, true) <= 40 && (ROLE_START.test(head) || ROLE_ANYWHERE.test(head));
  return ROLE_HEAD.test(head) && wordCount(head, 40) <= 40;
}

/**
 * Splits a prompt into its instruction and its operand (the text, code or data it
 * is about). Why: in "Summarize the following article:\n\n<800 words>" the task is
 * in 4 words and the 800 words are about anything; mixing them drowns the task.
 * Rules, in order:
 * - fenced code blocks are operand;
 * - at the first blank line or "colon + newline": a head that introduces what follows
 *   (ends with a colon, or at most 25 words) is the instruction and the rest the
 *   operand; a head of background (more words, no colon) or a long head (> 60 words)
 *   followed by a short last paragraph (<= 40 words) means the instruction comes last
 *   (`config.request`; older models keep the 60-word rule for every head);
 * - otherwise a long quoted span ("...", “...”, «...») is operand.
 */
export function splitInstruction(text: string, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): Segments {
  if (text.length < 40) return { instruction: text, operand: '' };
  if (text.includes('```')) {
    let instruction = '';
    let operand = '';
    const parts = text.split('```');
    parts.forEach((p, i) => {
      if (i % 2 === 1) operand += p + '\n';
      else instruction += p + '\n';
    });
    return { instruction: instruction.trim(), operand };
  }
  const sep = /\n[ \t]*\n|:[ \t]*\n/.exec(text);
  const words = (t: string, limit: number): number => wordCount(t, limit, config.roles === true);
  if (sep && config.request === true && isRoleHead(text.slice(0, sep.index), config)) {
    // A role set-up first: the request is in what follows; the set-up joins the material.
    const rest = text.slice(sep.index + sep[0].length);
    if (rest.trim().length > 0) {
      const inner = splitInstruction(rest, config);
      return { instruction: inner.instruction, operand: text.slice(0, sep.index) + '\n' + inner.operand };
    }
  }
  if (sep) {
    const head = text.slice(0, sep.index + (sep[0].startsWith(':') ? 1 : 0));
    const rest = text.slice(sep.index + sep[0].length);
    // A head that is itself code ("from typing import List", "#include <stdio.h>") is
    // not an instruction: the message is code, so it is not split.
    if (rest.trim().length > 0 && !CODE_LINE.test(head.trim().split('\n')[0] ?? '')) {
      const headWords = words(head, 60);
      // A head that introduces what follows ("Summarize this:", a short request) is the
      // instruction. A paragraph of background ("I'm a nurse on a cardiac ward ...")
      // followed, after a blank line, by a short last paragraph is a context-first
      // request: the last paragraph is the instruction, the background its material.
      if (headWords <= 60 && config.request === true && headWords > 25 && !sep[0].startsWith(':') && !/:\s*$/.test(head)) {
        const lastSep = text.lastIndexOf('\n\n');
        const tail = lastSep >= sep.index ? text.slice(lastSep + 2) : '';
        if (tail.trim().length > 0 && words(tail, 40) <= 40 && !CODE_LINE.test(tail.trim().split('\n')[0] ?? '')) {
          return { instruction: tail, operand: text.slice(0, lastSep) };
        }
      }
      // A short head and a short last paragraph, neither introduced by a colon: which of
      // them is the request depends on the language's word lengths (a background sentence
      // in Arabic, Korean or Russian has fewer words than in English) and on the order
      // (task first or last), so both are the instruction and what lies between them the
      // material; the request family reads the last paragraph.
      if (config.roles === true && headWords <= 25 && !sep[0].startsWith(':') && !/:\s*$/.test(head)) {
        const lastSep = text.lastIndexOf('\n\n');
        const tail = lastSep >= sep.index ? text.slice(lastSep + 2) : '';
        if (tail.trim().length > 0 && words(tail, 40) <= 40 && !CODE_LINE.test(tail.trim().split('\n')[0] ?? '')) {
          const middle = lastSep > sep.index ? text.slice(sep.index + sep[0].length, lastSep) : '';
          return { instruction: head + '\n\n' + tail, operand: middle, head };
        }
      }
      if (headWords <= 60) return { instruction: head, operand: rest };
      const lastSep = text.lastIndexOf('\n\n');
      if (lastSep >= sep.index) {
        const tail = text.slice(lastSep + 2);
        if (tail.trim().length > 0 && words(tail, 40) <= 40) return { instruction: tail, operand: text.slice(0, lastSep) };
      }
    }
  }
  const q = QUOTED.exec(text.length > 4000 ? text.slice(0, 4000) : text);
  if (q && (q[1]?.length ?? 0) > 40) {
    const instruction = text.slice(0, q.index) + ' "" ' + text.slice(q.index + q[0].length);
    if (instruction.trim().length > 3) return { instruction, operand: q[1] ?? '' };
  }
  return { instruction: text, operand: '' };
}

/**
 * Extracts the features of one message into `out` (appending). Each feature family
 * is L2-normalised on its own, with sublinear term frequency, so that a long text does not
 * drown the few instruction words, and so families have comparable scale.
 */
export function extractMessageFeatures(
  text: string,
  out: FeatureBuffer,
  config: FeatureConfig = DEFAULT_FEATURE_CONFIG,
  stats?: TextStats,
): void {
  scriptPunctuation = config.roles === true;
  const st = stats ?? textStats(text);
  const { instruction, operand, head } = splitInstruction(text, config);
  const lower = lexicalView(instruction, HEAD_CHARS, TAIL_CHARS).toLowerCase();
  const seq = seqA;
  tokenize(lower, seq, WORD_CAP);
  const n = seq.n;
  const longInstruction = config.request === true && n > REQUEST_MIN_WORDS;

  // Word unigrams.
  for (let i = 0; i < n; i++) family.add(fmix((seq.hashes[i] ?? 0) ^ NS.word) & MASK);
  family.flush(out, FAMILY_SCALE.words);

  // Word bigrams, with a start marker at every sentence start ("<s> translate").
  for (let i = 0; i < n; i++) {
    const cur = seq.hashes[i] ?? 0;
    const prev = seq.starts[i] === 1 ? 0x5eed : (seq.hashes[i - 1] ?? 0x5eed);
    family.add(fmix(combine(prev, cur) ^ NS.bigram) & MASK);
  }
  family.flush(out, FAMILY_SCALE.bigrams);

  // First words (position-tagged for the first three: the imperative verb / wh-word).
  const firstN = Math.min(n, 8);
  // The opening words of a long instruction usually start the background ("I'm a
  // nurse...", "We run a bakery..."), not the task: their own namespace lets the model
  // weigh them differently from the opening of a short request.
  // (A short head that may itself be the request keeps the short-request namespace.)
  const firstNs = longInstruction && head === undefined ? NS.firstLong : NS.first;
  for (let i = 0; i < firstN; i++) {
    const hw = seq.hashes[i] ?? 0;
    family.add(fmix(hw ^ firstNs) & MASK);
    if (i < 3) family.add(fmix(combine(i, hw) ^ (longInstruction && head === undefined ? NS.firstLong : NS.firstPos)) & MASK);
  }
  family.flush(out, FAMILY_SCALE.first);

  if (config.subjectTerms) {
    subjectCounts.fill(0);
    countSubjectTerms(seq.hashes, n, subjectCounts);
  }

  if (config.concepts) {
    conceptScratch.length = 0;
    findConcepts(lower.length > CONCEPT_CHARS ? lower.slice(0, CONCEPT_CHARS) : lower, conceptScratch);
    // A long instruction also states its task at the end ("<background>... so, can you
    // summarise it?"): the concepts of its last CONCEPT_CHARS join those of its head.
    if (config.tailConcepts && lower.length > CONCEPT_CHARS) {
      findConcepts(lower.slice(Math.max(CONCEPT_CHARS, lower.length - CONCEPT_CHARS)), conceptScratch);
    }
    for (const c of conceptScratch) family.add(CONCEPT_INDEX[c] ?? 0);
    family.flush(out, FAMILY_SCALE.concepts);
  }

  // Last words (instructions placed after a provided text: "... Summarize the above.").
  if (n > 12) {
    for (let i = Math.max(firstN, n - 8); i < n; i++) family.add(fmix((seq.hashes[i] ?? 0) ^ NS.last) & MASK);
    family.flush(out, FAMILY_SCALE.last);
  }

  if (longInstruction) pushRequest(lower, out, head === undefined ? undefined : head.toLowerCase());

  if (config.charNgrams) {
    pushCharNgrams(lower, NS.char3, NS.char4, CHAR_NGRAM_HEAD, CHAR_NGRAM_TAIL);
    family.flush(out, FAMILY_SCALE.chars);
  }

  // The operand: its own namespaces and a lower weight - what kind of material it is
  // (code, a foreign language, a list, prose) matters, its topic mostly does not.
  if (operand.length > 0) {
    const opLower = (operand.length > OPERAND_CHARS ? operand.slice(0, OPERAND_CHARS) : operand).toLowerCase();
    tokenize(opLower, seq, 96);
    for (let i = 0; i < seq.n; i++) family.add(fmix((seq.hashes[i] ?? 0) ^ NS.operand) & MASK);
    family.flush(out, FAMILY_SCALE.operandWords);
    if (config.charNgrams) {
      pushCharNgrams(opLower, NS.opChar3, NS.opChar4, 200, 0);
      family.flush(out, FAMILY_SCALE.operandChars);
    }
    out.push(named(`operand:${bucket(wordCount(operand, 501), [10, 40, 150, 500])}`), 1);
    // What kind of material: code, a list/table, or prose (and whether it is in another script).
    const ost = textStats(flatSlice(operand, Math.min(operand.length, 1000)));
    if (ost.codeLines > 0 && ost.codeLines >= ost.nonEmptyLines * 0.3) out.push(named('opkind:code'), 1);
    else if (ost.bulletLines >= 2 || ost.nonEmptyLines >= 3 * Math.max(1, ost.sentences)) out.push(named('opkind:list'), 1);
    else out.push(named('opkind:prose'), 1);
    if (ost.nonLatin > ost.letters * 0.5) out.push(named('opkind:nonlatin'), 1);
    out.push(named(`instr:${bucket(n, [3, 8, 16, 32])}`), 1);
    if (config.subjectTerms) countSubjectTerms(seq.hashes, seq.n, subjectCounts);
  }

  if (config.subjectTerms) {
    for (let i = 0; i < subjectCounts.length; i++) {
      const c = subjectCounts[i] ?? 0;
      // 1 + ln(count) per subject, through the accumulator's own sublinear scaling.
      for (let k = 0; k < Math.min(c, 8); k++) family.add(SUBJECT_INDEX[i] ?? 0);
    }
    family.flush(out, FAMILY_SCALE.subjects);
  }

  pushStructural(st, text, out);
}

/**
 * The request of a long instruction: the words of its last sentences (until
 * REQUEST_WORDS are collected, so that a closing "Thanks!" does not stand alone),
 * as unigrams, bigrams and task concepts in namespaces of their own. Why: a
 * context-first prompt ("I'm a nurse on a cardiac ward ... Can you write me a small
 * script that does this?") states its task in its last sentence; in the whole-text
 * families those few words are outnumbered by the background's.
 */
function pushRequest(lower: string, out: FeatureBuffer, head?: string): void {
  if (head !== undefined) {
    // The short head of a two-part instruction may be the request too: its words join.
    const h = head.length > REQUEST_CHARS ? head.slice(0, REQUEST_CHARS) : head;
    tokenize(h, seqB, WORD_CAP);
    for (let i = 0; i < seqB.n; i++) {
      const cur = seqB.hashes[i] ?? 0;
      family.add(fmix(cur ^ NS.request) & MASK);
      const prev = i === 0 ? 0x5eed : (seqB.hashes[i - 1] ?? 0x5eed);
      family.add(fmix(combine(prev, cur) ^ NS.requestBigram) & MASK);
    }
    conceptScratch.length = 0;
    findConcepts(h, conceptScratch);
    for (const c of conceptScratch) family.add(fmix((CONCEPT_INDEX[c] ?? 0) ^ NS.requestConcept) & MASK);
  }
  const tail = lower.length > REQUEST_CHARS ? lower.slice(lower.length - REQUEST_CHARS) : lower;
  const seq = seqB;
  tokenize(tail, seq, WORD_CAP);
  // Sentence starts from the end, until enough words are collected; the first token of
  // a cut tail is not a sentence start and is never used as one.
  let from = seq.n;
  for (let i = seq.n - 1; i > 0; i--) {
    if (seq.starts[i] === 1) {
      from = i;
      if (seq.n - i >= REQUEST_WORDS) break;
    }
  }
  if (from >= seq.n) from = Math.max(0, seq.n - REQUEST_WORDS);
  for (let i = from; i < seq.n; i++) {
    const cur = seq.hashes[i] ?? 0;
    family.add(fmix(cur ^ NS.request) & MASK);
    const prev = i === from ? 0x5eed : (seq.hashes[i - 1] ?? 0x5eed);
    family.add(fmix(combine(prev, cur) ^ NS.requestBigram) & MASK);
  }
  conceptScratch.length = 0;
  // Concepts of the request text (the characters from its first word on).
  findConcepts(requestText(tail, seq.n - from), conceptScratch);
  for (const c of conceptScratch) family.add(fmix((CONCEPT_INDEX[c] ?? 0) ^ NS.requestConcept) & MASK);
  family.flush(out, FAMILY_SCALE.request);
}

/** The end of `s` holding its last `words` words (approximately: by word boundaries from the end). */
function requestText(s: string, words: number): string {
  let n = 0;
  let inWord = false;
  for (let i = s.length - 1; i >= 0; i--) {
    const k = charClass(s.charCodeAt(i));
    if (k === 1 || k === 2) {
      if (!inWord || k === 2) n++;
      inWord = k === 1;
      if (n > words) return s.slice(i + 1);
    } else inWord = false;
  }
  return s;
}

/** Cues that a short message continues the previous request rather than starting a new one. */
const FOLLOW_UP_CUE =
  /^(?:and|now|also|then|ok(?:ay)?|great|thanks|but|what about|how about|same|again|more|another|shorter|longer|make it|do it|can you make|try|redo|y |et |und |e |ahora|maintenant|jetzt|и |а |还有|再)\b|\b(?:it|this|that|these|those|them|instead|again|shorter|longer|simpler|one more|another one|lo|la|le|es|das|ça|это|它|这个)\b/i;

/**
 * How much of the earlier conversation to blend into a message's features (0..1).
 * Short messages and messages with follow-up cues ("and in Greek?", "make it
 * shorter", "now in python") lean on context; long self-contained requests do not.
 */
export function contextWeight(lastText: string, stats: TextStats): number {
  const hasBlock = stats.fences > 0 || (stats.colonNewline && stats.words > 25);
  if (hasBlock) return 0.1;
  const cue = FOLLOW_UP_CUE.test(lastText.length > 200 ? lastText.slice(0, 200) : lastText);
  if (stats.words <= 6) return cue ? 0.7 : 0.5;
  if (stats.words <= 15) return cue ? 0.5 : 0.3;
  if (stats.words <= 40) return cue ? 0.25 : 0.1;
  return 0.05;
}

/** Max characters of an earlier turn read for context features. */
const CONTEXT_CHARS = 600;

/**
 * Features of a conversation: the last user turn, plus earlier turns blended in with
 * a decaying weight (user turns 1, 1/2, 1/4 ...; assistant turns at half the weight
 * of the user turn before them). The model is linear, so this equals blending the
 * per-turn logits - a short follow-up inherits the conversation's topic.
 */
export function extractConversationFeatures(
  turns: ReadonlyArray<{ role: string; content: string }>,
  out: FeatureBuffer,
  config: FeatureConfig = DEFAULT_FEATURE_CONFIG,
  scratch: FeatureBuffer = new FeatureBuffer(2048),
): { lastIndex: number; lastStats: TextStats; contextWeight: number } {
  let lastIndex = -1;
  for (let i = turns.length - 1; i >= 0; i--) {
    if (turns[i]?.role === 'user') {
      lastIndex = i;
      break;
    }
  }
  if (lastIndex < 0) {
    // No user turn (e.g. a system-only request): classify the last turn of any kind.
    lastIndex = turns.length - 1;
  }
  const lastText = turns[lastIndex]?.content ?? '';
  const lastStats = textStats(lastText);
  out.push(BIAS_INDEX, 1);
  extractMessageFeatures(lastText, out, config, lastStats);
  let cw = 0;
  if (lastIndex > 0) {
    cw = contextWeight(lastText, lastStats);
    let w = cw;
    let usedUser = 0;
    for (let i = lastIndex - 1; i >= 0 && usedUser < 3; i--) {
      const t = turns[i];
      if (!t || t.role === 'system' || t.role === 'tool') continue;
      const k = t.role === 'assistant' ? w * 0.4 : w;
      scratch.reset();
      const text = t.content.length > CONTEXT_CHARS ? t.content.slice(0, CONTEXT_CHARS) : t.content;
      extractMessageFeatures(text, scratch, config);
      out.addScaled(scratch, k);
      if (t.role === 'user') {
        usedUser++;
        w *= 0.5;
      }
    }
  }
  return { lastIndex, lastStats, contextWeight: cw };
}

/**
 * Subject-vocabulary counts of a text (LEXICON_SUBJECTS order), over the same
 * lower-cased head + tail view the features read. Used by training to give rows
 * without a subject label a weak one.
 */
export function subjectTermCounts(text: string): Float64Array {
  const counts = new Float64Array(LEXICON_SUBJECTS.length);
  tokenize(lexicalView(text, HEAD_CHARS, TAIL_CHARS).toLowerCase(), seqB, WORD_CAP);
  countSubjectTerms(seqB.hashes, seqB.n, counts);
  return counts;
}
