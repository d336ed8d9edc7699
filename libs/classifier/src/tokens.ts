/**
 * Input token counting for the o200k_base BPE (GPT-4o / GPT-4.1 / o-series family).
 *
 * Messages are estimated from their character classes (ASCII word starts and continuations, digits,
 * spaces, punctuation, accented Latin, Cyrillic/Greek, other alphabets, Han, kana...),
 * each with the average number of tokens per character fitted on our corpus by
 * `npm run train -w libs/classifier` (model/token-rates.json). BPE costs ~50 ns per character, so exact
 * counts of 2,000-token prompts would take a large share of the classifier's latency
 * budget; the class model costs a few ns per character and stays within a few percent
 * on mixed text (prose, code, tables, several scripts), where sampling a few regions
 * and extrapolating by characters was off by 6% on average and 18% at p95.
 *
 * Exact counting of short messages (up to a number of characters the caller chooses,
 * EXACT_CHAR_CAP is the usual choice) is opt-in: the BPE tables cost a classifier
 * process 60-70 MB of memory (the 4.6 MB module that holds the 200,000 ranks is
 * parsed, then indexed into a Map) and a quarter of a short prompt's classification
 * time after idle. The estimate is off by 1 token at the median and 6 at p90 on
 * prompts of up to 1,000 characters (6.7% mean relative error on 28,878 corpus
 * prompts), and what a provider bills is its own count, so the router's context
 * checks and cost estimates do not need more. The tokenizer is loaded on the first
 * exact count, so a process that never asks for one never pays for it.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as O200kModule from 'gpt-tokenizer/encoding/o200k_base';
import type { ChatTurn } from './types';

type O200k = typeof O200kModule;
let o200kModule: O200k | undefined;

/** The o200k_base tokenizer, required on first use. */
function o200k(): O200k {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  o200kModule ??= require('gpt-tokenizer/encoding/o200k_base') as O200k;
  return o200kModule;
}

/** Whether the o200k tokenizer has been loaded in this process (an exact count was asked for). */
export function exactTokenizerLoaded(): boolean {
  return o200kModule !== undefined;
}

/**
 * Count user text as text: a message that contains "<|endoftext|>" or another
 * special-token string is ordinary characters to a provider's API, and by default
 * gpt-tokenizer throws on it (a request could crash its own classification).
 */
export const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** The usual limit of exact counting when it is on: messages up to this many characters. */
export const EXACT_CHAR_CAP = 1_000;
/** Per-message overhead of the chat format (role + delimiters), as in OpenAI's accounting. */
export const TOKENS_PER_MESSAGE = 3;
/** Tokens that prime the assistant's reply. */
export const REPLY_PRIMING_TOKENS = 3;

/** Number of character classes of {@link charClassCounts}. */
export const CHAR_CLASSES = 16;

/** Format tag of model/token-rates.json. */
export const TOKEN_RATES_FORMAT = 'yardmaster-token-rates/1';

/** Contents of model/token-rates.json. */
export interface TokenRatesFile {
  format: string;
  /** Tokens per character of each class, in the order of {@link charClassCounts}. */
  tokensPerChar: number[];
  /** Number of corpus texts the rates were fitted on. */
  fittedOn: number;
}

/** Path of the committed token rates (package root/model), from src/ or dist/ alike. */
export function tokenRatesPath(): string {
  return path.resolve(__dirname, '..', 'model', 'token-rates.json');
}

function loadTokenRates(): readonly number[] {
  const file = JSON.parse(readFileSync(tokenRatesPath(), 'utf8')) as TokenRatesFile;
  if (file.format !== TOKEN_RATES_FORMAT || file.tokensPerChar.length !== CHAR_CLASSES || file.tokensPerChar.some((x) => !Number.isFinite(x))) {
    throw new Error(`invalid token rates in ${tokenRatesPath()}`);
  }
  return file.tokensPerChar;
}

/**
 * Tokens per character of each class (o200k_base), fitted by least squares on every
 * other corpus text by `npm run train -w libs/classifier`, in the order of
 * {@link charClassCounts}.
 */
export const TOKENS_PER_CLASS: readonly number[] = loadTokenRates();

/**
 * Counts the characters of text[start, end) by class: 0 ASCII letter inside a word,
 * 1 ASCII letter starting a word, 2 digit, 3 space, 4 tab/newline, 5 other ASCII,
 * 6 accented Latin, 7 Greek/Cyrillic, 8 other alphabets (Armenian to Tibetan:
 * Hebrew, Arabic, Devanagari, Thai...), 9 Han, 10 kana, 11 anything else (Hangul,
 * symbols, emoji halves), 12 ASCII punctuation right after punctuation ("---", "});"),
 * 13 a space right after a space (indentation), 14 a digit right after a digit,
 * 15 a newline right after a newline: runs merge into fewer tokens.
 */
export function charClassCounts(text: string, start: number, end: number, out: Float64Array): void {
  const k = classScratch;
  k.fill(0);
  // The class of an ASCII character depends on it and on the state the previous
  // character left (ASCII_CLASS); a table lookup per character instead of a chain of
  // data-dependent branches, which mispredicted on most characters of long prompts.
  let state = ST_OTHER;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      const cls = ASCII_CLASS[(state << 7) | c] as number;
      k[cls] = (k[cls] as number) + 1;
      state = ASCII_STATE[c] as number;
    } else if (c < 0x250 || (c >= 0x1e00 && c < 0x1f00)) {
      k[6] = (k[6] as number) + 1;
      state = ST_IN_WORD;
    } else {
      state = ST_OTHER;
      let cls = 11;
      if (c >= 0x370 && c < 0x530) cls = 7;
      else if (c >= 0x530 && c < 0x1000) cls = 8;
      else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) cls = 9;
      else if (c >= 0x3040 && c <= 0x30ff) cls = 10;
      k[cls] = (k[cls] as number) + 1;
    }
  }
  for (let j = 0; j < CHAR_CLASSES; j++) out[j] = k[j] as number;
}

const classScratch = new Int32Array(CHAR_CLASSES);

/**
 * What the previous character says about the next one in {@link charClassCounts}:
 * other (start, tab, control, non-ASCII outside words), inside a word (ASCII or
 * accented letter), digit, space, newline ('\n' or '\r'), ASCII punctuation.
 */
const ST_OTHER = 0;
const ST_IN_WORD = 1;
const ST_DIGIT = 2;
const ST_SPACE = 3;
const ST_NEWLINE = 4;
const ST_PUNCT = 5;

/** State after each ASCII character. */
const ASCII_STATE: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) t[c] = ST_IN_WORD;
    else if (c >= 48 && c <= 57) t[c] = ST_DIGIT;
    else if (c === 32) t[c] = ST_SPACE;
    else if (c === 10 || c === 13) t[c] = ST_NEWLINE;
    else if (c > 32) t[c] = ST_PUNCT;
    else t[c] = ST_OTHER;
  }
  return t;
})();

/** Class of an ASCII character (low 7 bits) after a character in a state (high bits). */
const ASCII_CLASS: Uint8Array = (() => {
  const t = new Uint8Array(8 << 7);
  for (let state = 0; state < 8; state++) {
    for (let c = 0; c < 128; c++) {
      let k: number;
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) k = state === ST_IN_WORD ? 0 : 1;
      else if (c >= 48 && c <= 57) k = state === ST_DIGIT ? 14 : 2;
      else if (c === 32) k = state === ST_SPACE ? 13 : 3;
      else if (c === 10 || c === 9 || c === 13) k = state === ST_NEWLINE ? 15 : 4;
      else k = state === ST_PUNCT ? 12 : 5;
      t[(state << 7) | c] = k;
    }
  }
  return t;
})();

const counts = new Float64Array(CHAR_CLASSES);

/** Estimated tokens of text[start, end) from its character classes. */
export function estimateTokens(text: string, start = 0, end = text.length): number {
  charClassCounts(text, start, end, counts);
  let t = 0;
  for (let k = 0; k < CHAR_CLASSES; k++) t += (counts[k] ?? 0) * (TOKENS_PER_CLASS[k] ?? 0);
  return t;
}

/**
 * Token count of one string: exact up to `exactChars` characters (default 0: never),
 * the class estimate above otherwise. (Counting an exact head of long texts as well was measured: it
 * improves the mean error only from 2.1% to 1.8%, and the BPE tables it touches
 * evict the rest of the classifier's working set from the CPU caches.)
 */
export function countTextTokens(text: string, exactChars = 0): number {
  if (text.length === 0) return 0;
  if (text.length <= exactChars) return o200k().countTokens(text, PLAIN_TEXT);
  // Any non-empty text is at least one token, however short the estimate.
  return Math.max(1, Math.round(estimateTokens(text, 0, text.length)));
}

/** Exact token count regardless of length (for measuring the estimate; slower). */
export function countTextTokensExact(text: string): number {
  return text.length === 0 ? 0 : o200k().countTokens(text, PLAIN_TEXT);
}

/**
 * Token count of a conversation in chat format (content + per-message overhead), each
 * message counted by {@link countTextTokens} with the same `exactChars`.
 */
export function countConversationTokens(messages: readonly ChatTurn[], exactChars = 0): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const m of messages) total += TOKENS_PER_MESSAGE + countTextTokens(m.content, exactChars);
  return total;
}
