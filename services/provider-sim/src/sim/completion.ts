import { createHash } from 'node:crypto';
import { countTokens, decode, encode } from 'gpt-tokenizer';
import type { OutputSpec } from './faults.js';

const WORDS = (
  'the a of to and in is it that for on with as this was by be are from at or an have not can will which their more one ' +
  'model answer request system data value result first time example step process number case point part system each ' +
  'because however therefore also then when where while about into over after before under between through during ' +
  'simple clear useful important different general specific possible likely common natural simulated deterministic'
).split(' ');

/** A message as OpenAI clients send it (content as a string or an array of parts). */
export interface WireMessage {
  role: string;
  content: string | { type: string; text?: string }[] | null;
}

/** Plain text of a message's content. */
export function contentText(content: WireMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((p) => (p.type === 'text' ? (p.text ?? '') : '')).join('\n');
}

/** Special-token strings in a prompt ("<|endoftext|>") are plain text to a provider. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Prompt tokens as OpenAI counts them for chat: content tokens plus a few per message. */
export function promptTokens(messages: WireMessage[]): number {
  let n = 3;
  for (const m of messages) n += 4 + countTokens(contentText(m.content), PLAIN_TEXT);
  return n;
}

/**
 * Deterministic completion text derived from the prompt: the same messages always
 * give the same text, different prompts give different lengths and words.
 */
export function completionFor(model: string, messages: WireMessage[], maxTokens: number | undefined): { text: string; tokens: number; finishReason: 'stop' | 'length' } {
  const digest = createHash('sha256').update(model).update('\0').update(JSON.stringify(messages.map((m) => [m.role, contentText(m.content)]))).digest();
  let state = digest.readUInt32LE(0) || 1;
  const next = () => {
    // xorshift32: cheap and deterministic.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  const wanted = 12 + (digest[4]! % 60);
  const words: string[] = [`[${model}]`];
  for (let i = 0; i < wanted; i++) words.push(WORDS[Math.floor(next() * WORDS.length)]!);
  let text = `${words.join(' ')}.`;
  let tokens = countTokens(text);
  let finishReason: 'stop' | 'length' = 'stop';
  if (maxTokens !== undefined && tokens > maxTokens) {
    while (words.length > 1 && countTokens(words.join(' ')) > maxTokens) words.pop();
    text = words.join(' ');
    tokens = countTokens(text);
    if (tokens > maxTokens) {
      // The model tag alone is longer than a tiny max_tokens: cut at a token boundary, as a
      // real provider does, so completion_tokens never exceeds max_tokens.
      const kept = encode(text).slice(0, maxTokens);
      text = decode(kept);
      tokens = kept.length;
    }
    finishReason = 'length';
  }
  return { text, tokens, finishReason };
}

/** The refusal provider-sim answers with `output: {kind: refusal}`. */
export const SIM_REFUSAL = "I'm sorry, but I can't help with that request.";

/**
 * The answer a model's `output` profile asks for, in place of the made-up `text`
 * (`prompt` is the request's text, for table look-ups). Returns the text, its token count
 * and the finish reason.
 */
export function shapeOutput(spec: OutputSpec | undefined, made: { text: string; tokens: number; finishReason: 'stop' | 'length' }, prompt: string): { text: string; tokens: number; finishReason: 'stop' | 'length' } {
  if (!spec) return made;
  const of = (text: string, finishReason: 'stop' | 'length' = 'stop') => ({ text, tokens: countTokens(text, PLAIN_TEXT), finishReason });
  switch (spec.kind) {
    case 'refusal':
      return of(SIM_REFUSAL);
    case 'empty':
      return of('');
    case 'truncated': {
      const words = made.text.split(' ');
      return of(words.slice(0, Math.max(1, Math.floor(words.length / 2))).join(' '), 'length');
    }
    case 'invalid_json':
      return of('{"answer": "unterminated');
    case 'fixed':
      return of(spec.text);
    case 'table': {
      const lower = prompt.toLowerCase();
      for (const [key, text] of Object.entries(spec.answers)) if (lower.includes(key.toLowerCase())) return of(text);
      return spec.default !== undefined ? of(spec.default) : made;
    }
  }
}
