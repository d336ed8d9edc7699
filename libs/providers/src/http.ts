import type { Readable } from 'node:stream';
import { context, propagation } from '@opentelemetry/api';
import { scrubSecrets } from '@yardmaster/config';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { request as httpRequest } from 'undici';
import { ProviderError } from './errors.js';

/** One JSON POST to a provider. */
export interface JsonPost {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal;
  /** See {@link CallOptions.firstByteTimeoutMs}. */
  firstByteTimeoutMs?: number | undefined;
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(header: string | string[] | undefined): number | undefined {
  if (Array.isArray(header)) header = header[0];
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * The abort plumbing of one call: the caller's signal plus a stall timer (no first byte,
 * or no event for too long) that aborts with a `timeout` ProviderError.
 */
class CallControl {
  readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private waitingFor = '';
  private stalled: ProviderError | undefined;
  private readonly onAbort = () => this.controller.abort(this.caller.reason);

  constructor(
    private readonly caller: AbortSignal,
    private readonly stallMs: number | undefined,
  ) {
    if (caller.aborted) this.controller.abort(caller.reason);
    else caller.addEventListener('abort', this.onAbort, { once: true });
    this.arm('no response from the provider');
  }

  /** (Re)starts the stall timer; `what` names the wait in the timeout's message. */
  arm(what: string): void {
    if (this.stallMs === undefined || this.stallMs <= 0 || this.stalled) return;
    this.waitingFor = what;
    // Once per chunk of a stream: one timer rescheduled, not a new one each time.
    if (this.timer) {
      this.timer.refresh();
      return;
    }
    this.timer = setTimeout(() => {
      this.stalled = new ProviderError('timeout', `${this.waitingFor} within ${this.stallMs} ms`);
      this.controller.abort(this.stalled);
    }, this.stallMs);
  }

  disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** What a failure means: the stall timer, the caller's abort reason, or the error itself. */
  explain(err: unknown): ProviderError {
    if (this.stalled) return this.stalled;
    if (this.caller.aborted && !(err instanceof ProviderError)) return ProviderError.from(this.caller.reason ?? err);
    return ProviderError.from(err);
  }

  close(): void {
    clearTimeout(this.timer);
    this.caller.removeEventListener('abort', this.onAbort);
  }
}

function headersWithTrace(headers: Record<string, string>): Record<string, string> {
  // W3C trace context, so a self-hosted server with OpenTelemetry joins the request's trace.
  const out: Record<string, string> = { 'content-type': 'application/json', ...headers };
  propagation.inject(context.active(), out);
  return out;
}

/**
 * POSTs JSON and returns the parsed JSON answer of a 2xx response.
 * undici's request() rather than fetch(): the same HTTP/1.1 client with keep-alive,
 * without the WHATWG Request/Response/stream objects that cost fetch() a sixth of the
 * worker's CPU under load.
 * @throws ProviderError: HTTP errors mapped by status and body, stalls and aborts as
 *   timeout (or the abort reason when it is a ProviderError), socket errors as network,
 *   a body that is not JSON as invalid_response.
 */
export async function postJson(call: JsonPost): Promise<{ status: number; json: unknown; firstByteMs: number }> {
  const control = new CallControl(call.signal, call.firstByteTimeoutMs);
  const started = performance.now();
  let status: number;
  let text: string;
  let firstByteMs: number;
  try {
    const res = await httpRequest(call.url, { method: 'POST', headers: headersWithTrace(call.headers), body: JSON.stringify(call.body), signal: control.controller.signal });
    firstByteMs = performance.now() - started;
    control.disarm();
    status = res.statusCode;
    text = await res.body.text();
    if (status < 200 || status >= 300) throw ProviderError.fromStatus(status, text, retryAfterMs(res.headers['retry-after']));
  } catch (err) {
    throw control.explain(err);
  } finally {
    control.close();
  }
  try {
    return { status, json: JSON.parse(text) as unknown, firstByteMs };
  } catch {
    throw new ProviderError('invalid_response', `provider sent invalid JSON: ${text.slice(0, 200)}`, status);
  }
}

/** One plain HTTP call whose answer is read as text (an HTTP tool). */
export interface TextCall {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** A JSON body (POST only). */
  body?: unknown;
  signal: AbortSignal;
  /** Fail with `timeout` when the whole answer has not arrived within this long. */
  timeoutMs: number;
  /** Longest answer read; longer is `invalid_response`. */
  maxBytes: number;
  /** Non-2xx statuses returned as answers rather than thrown (an HTTP tool's 404 for an unknown record). */
  answerStatuses?: readonly number[];
}

/**
 * Sends one request with undici and returns a 2xx answer's text and content type.
 * @throws ProviderError: HTTP errors mapped by status and body (5xx server_error, 4xx
 *   bad_request/auth/not_found…), no whole answer within `timeoutMs` as timeout, aborts
 *   as their reason, socket errors as network, an answer over `maxBytes` as invalid_response.
 */
export async function requestText(call: TextCall): Promise<{ status: number; text: string; contentType: string; firstByteMs: number }> {
  // The stall timer of CallControl, armed once and never re-armed: a deadline for the whole call.
  const control = new CallControl(call.signal, call.timeoutMs);
  const started = performance.now();
  try {
    const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9, */*;q=0.5', ...call.headers };
    propagation.inject(context.active(), headers);
    const res = await httpRequest(call.url, {
      method: call.method,
      headers: call.method === 'POST' ? { 'content-type': 'application/json', ...headers } : headers,
      ...(call.method === 'POST' ? { body: JSON.stringify(call.body ?? {}) } : {}),
      signal: control.controller.signal,
    });
    const firstByteMs = performance.now() - started;
    const status = res.statusCode;
    const declared = Number(res.headers['content-length'] ?? 0);
    if (declared > call.maxBytes) {
      res.body.destroy();
      throw new ProviderError('invalid_response', `the answer is ${declared} bytes, over the ${call.maxBytes}-byte limit`, status);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > call.maxBytes) {
        res.body.destroy();
        throw new ProviderError('invalid_response', `the answer is over the ${call.maxBytes}-byte limit`, status);
      }
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if ((status < 200 || status >= 300) && !call.answerStatuses?.includes(status)) throw ProviderError.fromStatus(status, text, retryAfterMs(res.headers['retry-after']));
    return { status, text, contentType: String(res.headers['content-type'] ?? ''), firstByteMs };
  } catch (err) {
    throw control.explain(err);
  } finally {
    control.close();
  }
}

/**
 * POSTs JSON and reads the answer as server-sent events (eventsource-parser), handing
 * each event to `onEvent` until the stream ends or `onEvent` returns `'stop'`. The stall
 * timer covers the first event and every gap between events.
 * @throws ProviderError as {@link postJson}; an error `onEvent` throws ends the stream and is rethrown.
 */
export async function postEventStream(call: JsonPost, onEvent: (event: EventSourceMessage) => void | 'stop'): Promise<{ status: number; firstByteMs: number }> {
  const control = new CallControl(call.signal, call.firstByteTimeoutMs);
  const started = performance.now();
  let firstByteMs = -1;
  try {
    const res = await httpRequest(call.url, {
      method: 'POST',
      headers: { accept: 'text/event-stream', ...headersWithTrace(call.headers) },
      body: JSON.stringify(call.body),
      signal: control.controller.signal,
    });
    const status = res.statusCode;
    if (status < 200 || status >= 300) {
      control.disarm();
      throw ProviderError.fromStatus(status, await res.body.text(), retryAfterMs(res.headers['retry-after']));
    }
    const type = String(res.headers['content-type'] ?? '');
    if (!type.includes('text/event-stream')) {
      // A server that ignored the stream flag and answered whole: not an event stream.
      const text = await res.body.text();
      throw new ProviderError('invalid_response', `provider did not stream (content-type ${type || 'none'}): ${text.slice(0, 200)}`, status);
    }
    control.arm('no event from the provider');
    let stop = false;
    let failure: unknown;
    const parser = createParser({
      onEvent: (event) => {
        if (stop) return;
        if (firstByteMs < 0) firstByteMs = performance.now() - started;
        try {
          if (onEvent(event) === 'stop') stop = true;
        } catch (err) {
          failure = err;
          stop = true;
        }
      },
    });
    res.body.setEncoding('utf8');
    // Not destroyed when the loop stops early: Node would make an AbortError (a stack trace
    // per call) to destroy it; `leaveBody` lets the rest go instead.
    for await (const chunk of res.body.iterator({ destroyOnReturn: false }) as AsyncIterable<string>) {
      control.arm('the provider stream stalled: no data');
      parser.feed(chunk);
      if (stop) break;
    }
    if (stop) leaveBody(res.body);
    if (failure !== undefined) throw ProviderError.from(failure);
    return { status, firstByteMs: Math.max(0, firstByteMs) };
  } catch (err) {
    throw control.explain(err);
  } finally {
    control.close();
  }
}

/** Why a body that was left unread was dropped (one instance: no stack trace per call). */
const BODY_LEFT = new ProviderError('network', 'the rest of the answer was not read');

/** How long the rest of a stream that was stopped early (normally only its end) may take to arrive. */
const BODY_LEFT_MS = 1000;

/**
 * A stream read up to its last event ([DONE], message_stop): discards what is left, which
 * is normally just the end of the body (so the connection is kept for the next call), and
 * drops the connection if the server goes on sending after a second.
 */
function leaveBody(body: Readable): void {
  if (body.readableEnded || body.destroyed) return;
  body.on('error', () => undefined);
  const timer = setTimeout(() => body.destroy(BODY_LEFT), BODY_LEFT_MS);
  timer.unref();
  body.once('close', () => clearTimeout(timer));
  body.resume();
}

/** Parses one event's JSON data. @throws ProviderError(invalid_response) */
export function eventJson<T>(event: EventSourceMessage): T {
  try {
    return JSON.parse(event.data) as T;
  } catch {
    throw new ProviderError('invalid_response', `provider sent an event that is not JSON: ${event.data.slice(0, 200)}`);
  }
}

/**
 * Runs an adapter call and rewrites the error it throws so that no secret (API keys,
 * auth headers, URL credentials) appears in its message: some gateways quote the
 * rejected key back in full.
 */
export async function withoutSecrets<T>(secrets: readonly (string | undefined)[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = ProviderError.from(err);
    throw e.withMessage(scrubSecrets(e.message, secrets));
  }
}
