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

/** Characters encoded exactly per message; beyond this the count is extrapolated. */
export const EXACT_CHAR_CAP = 12_000;
/** Per-message overhead of the chat format (role + delimiters), as in OpenAI's accounting. */
export const TOKENS_PER_MESSAGE = 3;
/** Tokens that prime the assistant's reply. */
export const REPLY_PRIMING_TOKENS = 3;

/** Token count of one string (exact up to EXACT_CHAR_CAP characters, extrapolated above). */
export function countTextTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length <= EXACT_CHAR_CAP) return o200k.countTokens(text);
  // Cut at whitespace so the prefix ends on a token boundary.
  let cut = text.lastIndexOf(' ', EXACT_CHAR_CAP);
  if (cut < EXACT_CHAR_CAP / 2) cut = EXACT_CHAR_CAP;
  const prefix = text.slice(0, cut);
  const n = o200k.countTokens(prefix);
  return Math.round((n * text.length) / prefix.length);
}

/** Token count of a conversation in chat format (content + per-message overhead). */
export function countConversationTokens(messages: readonly ChatTurn[]): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const m of messages) total += TOKENS_PER_MESSAGE + countTextTokens(m.content);
  return total;
}
