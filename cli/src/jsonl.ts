import type { Readable } from 'node:stream';

/**
 * The lines of a JSON Lines stream, split on "\n" only (a trailing "\r" is left for the
 * caller to trim). U+2028 and U+2029 are valid inside JSON strings, and Node's readline
 * treats them as line breaks, which cuts such a record in two; this reader does not.
 * The last line is yielded even without a final newline.
 */
export async function* jsonLines(input: Readable | AsyncIterable<string | Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  for await (const chunk of input as AsyncIterable<string | Buffer>) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      yield pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
  }
  pending += decoder.decode();
  if (pending.length > 0) yield pending;
}
