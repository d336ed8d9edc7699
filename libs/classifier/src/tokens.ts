/**
 * Input token counting with the o200k_base BPE (GPT-4o / GPT-4.1 / o-series family).
 *
 * Exact for normal prompts. For very large messages we encode a prefix of
 * EXACT_CHAR_CAP characters and extrapolate by the measured tokens-per-character
 * ratio of that prefix: BPE cost is linear but not free (~0.1-0.3 µs/char), and
 * the router only needs a size estimate for megabyte-scale inputs, not the exact count.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
import o200k = require('gpt-tokenizer/encoding/o200k_base');
import type { ChatTurn } from './types';

/** Characters encoded exactly per message; beyond this the count is estimated from samples. */
export const EXACT_CHAR_CAP = 1_600;
/** Size of each of the three samples (start, middle, end) used above the cap. */
const SAMPLE_CHARS = 320;
/** Per-message overhead of the chat format (role + delimiters), as in OpenAI's accounting. */
export const TOKENS_PER_MESSAGE = 3;
/** Tokens that prime the assistant's reply. */
export const REPLY_PRIMING_TOKENS = 3;

/** Cuts [start, start+len) at whitespace boundaries so samples hold whole words. */
function sampleAt(text: string, start: number, len: number): string {
  let a = start;
  if (a > 0) {
    const sp = text.indexOf(' ', a);
    if (sp >= 0 && sp < a + 100) a = sp + 1;
  }
  let b = Math.min(text.length, a + len);
  if (b < text.length) {
    const sp = text.lastIndexOf(' ', b);
    if (sp > a + len / 2) b = sp;
  }
  return text.slice(a, b);
}

/**
 * Token count of one string: exact up to EXACT_CHAR_CAP characters; above, three
 * samples (start, middle, end) are encoded and the tokens-per-character ratio is
 * applied to the full length. BPE costs ~50 ns per character, so exact counts of
 * 2,000-token prompts would eat half of the classifier's latency budget; sampling
 * three regions keeps the estimate within a few percent on mixed text (prose,
 * code, tables) at a fixed cost.
 */
export function countTextTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length <= EXACT_CHAR_CAP) return o200k.countTokens(text);
  const samples = [
    sampleAt(text, 0, SAMPLE_CHARS),
    sampleAt(text, Math.floor(text.length / 2 - SAMPLE_CHARS / 2), SAMPLE_CHARS),
    sampleAt(text, text.length - SAMPLE_CHARS, SAMPLE_CHARS),
  ];
  let tokens = 0;
  let chars = 0;
  for (const s of samples) {
    tokens += o200k.countTokens(s);
    chars += s.length;
  }
  return Math.round((tokens * text.length) / Math.max(1, chars));
}

/** Exact token count regardless of length (for measuring the estimate; slower). */
export function countTextTokensExact(text: string): number {
  return text.length === 0 ? 0 : o200k.countTokens(text);
}

/** Token count of a conversation in chat format (content + per-message overhead). */
export function countConversationTokens(messages: readonly ChatTurn[]): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const m of messages) total += TOKENS_PER_MESSAGE + countTextTokens(m.content);
  return total;
}
