import type { CatalogModels } from '../openai/catalog.js';
import { translateChatRequest } from '../openai/chat-request.js';
import { OpenAiError } from '../openai/errors.js';

/** A problem with one line (1-based), as OpenAI's batch `errors.data` lists them. */
export interface LineProblem {
  readonly line: number;
  readonly code: string;
  readonly message: string;
  readonly param: string | null;
}

/** The endpoints a batch line may call. */
export const BATCH_ENDPOINTS: readonly string[] = ['/v1/chat/completions'];

/** Splits JSONL on `\n` only (U+2028 inside strings is text), ignoring a final empty line and `\r`. */
export function jsonlLines(text: string): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Parses and validates a batch input file: every line a JSON object with a `custom_id` unique in
 * the file, `method` POST, `url` /v1/chat/completions and a body that is a valid chat completions
 * request (the same validation as `POST /v1/chat/completions`). Returns the lines and every problem.
 */
export function parseBatchFile(text: string, catalog: CatalogModels, limits: { maxMessages: number }): { valid: string[]; problems: LineProblem[] } {
  const valid: string[] = [];
  const problems: LineProblem[] = [];
  const seen = new Map<string, number>();
  jsonlLines(text).forEach((raw, i) => {
    const n = i + 1;
    const problem = (code: string, message: string, param: string | null = null): void => {
      problems.push({ line: n, code, message: `Line ${n}: ${message}`, param });
    };
    if (raw.trim() === '') return problem('empty_line', 'the line is empty; every line must be one request.');
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch (err) {
      return problem('invalid_json_line', `not valid JSON (${err instanceof Error ? err.message : String(err)}).`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return problem('invalid_request', 'must be a JSON object with custom_id, method, url and body.');
    const o = v as Record<string, unknown>;
    const customId = o['custom_id'];
    if (typeof customId !== 'string' || customId === '' || customId.length > 512) return problem('missing_custom_id', "'custom_id' must be a non-empty string of at most 512 characters.", 'custom_id');
    const first = seen.get(customId);
    if (first !== undefined) return problem('duplicate_custom_id', `custom_id '${customId}' is also on line ${first}; custom_id must be unique in the file.`, 'custom_id');
    seen.set(customId, n);
    if (o['method'] !== 'POST') return problem('invalid_method', `'method' must be "POST" (got ${JSON.stringify(o['method'] ?? null)}).`, 'method');
    if (typeof o['url'] !== 'string' || !BATCH_ENDPOINTS.includes(o['url'])) return problem('invalid_url', `'url' must be one of ${BATCH_ENDPOINTS.join(', ')} (got ${JSON.stringify(o['url'] ?? null)}).`, 'url');
    const body = o['body'];
    try {
      const t = translateChatRequest(body, {}, catalog, limits);
      if (t.stream) throw OpenAiError.invalid('stream', "'stream' cannot be true in a batch.");
    } catch (err) {
      if (err instanceof OpenAiError) return problem(err.code ?? 'invalid_body', `invalid body: ${err.message}`, err.param ? `body.${err.param}` : 'body');
      throw err;
    }
    valid.push(customId);
  });
  return { valid, problems };
}
