import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { shapeOutput } from './completion.js';
import { keyFingerprint, type FaultBook, type Outcome } from './faults.js';
import type { SimStats } from './stats.js';

/** A completion provider-sim made up for a request. */
export interface SimAnswer {
  id: string;
  model: string;
  text: string;
  promptTokens: number;
  completionTokens: number;
  finishReason: 'stop' | 'length';
  /** Tool calls instead of text (OpenAI protocol). */
  toolCalls?: { id: string; name: string; arguments: string }[];
}

/** One server-sent event: `data` is sent as JSON unless it is a string. */
export interface SimEvent {
  event?: string;
  data: unknown;
}

/** How one wire protocol renders answers, streams and failures. */
export interface Protocol {
  /** The failure in the protocol's own error format (Gemini's safety block is a 200). */
  failure(outcome: Exclude<Outcome, { kind: 'ok' } | { kind: 'hang' }>, answer: SimAnswer): { status: number; body: unknown; headers?: Record<string, string> };
  whole(answer: SimAnswer): unknown;
  /** The stream of an answer whose text arrives in `pieces`, each event with the text it carries. */
  events(answer: SimAnswer, pieces: string[]): SimEvent[];
  /** For a failure answered with 200 (a refusal), the stream that says so. Default: the failure's body as one event. */
  refusalEvents?(answer: SimAnswer): SimEvent[];
}

/** Splits text into stream pieces of a word each (with its leading space). */
export function pieces(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [text];
}

/** The key a request carries: `Authorization: Bearer`, `x-api-key` (Anthropic), `x-goog-api-key` or `?key=` (Gemini). */
export function requestKey(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  const header = req.headers['x-api-key'] ?? req.headers['x-goog-api-key'];
  if (typeof header === 'string' && header) return header;
  const key = new URL(req.url ?? '/', 'http://sim').searchParams.get('key');
  return key ?? undefined;
}

/**
 * Answers one request as the fault profile of its model says: counts it, waits the drawn
 * latency, then answers whole or as a stream, fails in the protocol's format, or hangs
 * until the caller gives up. Never logs a key.
 */
export async function serve(args: {
  faults: FaultBook;
  stats: SimStats;
  protocol: Protocol;
  answer: SimAnswer;
  stream: boolean;
  req: IncomingMessage;
  res: ServerResponse;
  latencyOverrideMs?: number | undefined;
  /** The request's text, for a model whose `output` profile answers from a table. */
  prompt?: string;
  /** Status of a whole answer when no fault applies (a tool's 404 for an unknown record); default 200. */
  status?: number;
}): Promise<void> {
  const { faults, stats, protocol, res } = args;
  const shaped = shapeOutput(faults.profile(args.answer.model).output, { text: args.answer.text, tokens: args.answer.completionTokens, finishReason: args.answer.finishReason }, args.prompt ?? '');
  const answer: SimAnswer = { ...args.answer, text: shaped.text, completionTokens: shaped.tokens, finishReason: shaped.finishReason };
  const key = requestKey(args.req);
  stats.received(answer.model, key ? keyFingerprint(key) : undefined);
  const outcome = faults.decide(answer.model, key, answer.promptTokens, args.latencyOverrideMs);
  const gone = new AbortController();
  // Only a caller that leaves before the answer is complete is gone (an abort makes a DOMException).
  res.on('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  if (outcome.kind === 'hang') {
    stats.answered(answer.model, 'hang');
    // Accepted and never answered, until the caller closes the connection (10 minutes at most).
    await sleep(600_000, undefined, { signal: gone.signal }).catch(() => undefined);
    if (!res.writableEnded && !res.destroyed) res.destroy();
    return;
  }
  if (outcome.kind !== 'ok') {
    const { status, body, headers } = protocol.failure(outcome, answer);
    stats.answered(answer.model, status);
    if (status === 200 && args.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const e of protocol.refusalEvents?.(answer) ?? [{ data: body }]) res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${JSON.stringify(e.data)}\n\n`);
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...(headers ?? {}) });
    res.end(JSON.stringify(body));
    return;
  }
  stats.tokens(answer.model, answer.promptTokens, answer.completionTokens);
  try {
    if (outcome.latencyMs > 0) await sleep(outcome.latencyMs, undefined, { signal: gone.signal });
    if (!args.stream) {
      if (outcome.perTokenMs > 0) await sleep(outcome.perTokenMs * answer.completionTokens, undefined, { signal: gone.signal });
      const status = args.status ?? 200;
      stats.answered(answer.model, status);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(protocol.whole(answer)));
      return;
    }
    const parts = pieces(answer.text);
    const events = protocol.events(answer, parts);
    const perPiece = (outcome.perTokenMs * answer.completionTokens) / Math.max(1, parts.length);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    for (const e of events) {
      if (gone.signal.aborted) return;
      res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`);
      if (perPiece > 0) await sleep(perPiece, undefined, { signal: gone.signal });
    }
    stats.answered(answer.model, 200);
    res.end();
  } catch {
    // The caller went away while we waited: nothing to answer.
    if (!res.writableEnded) res.destroy();
  }
}
