/**
 * Stable codes for {@link ProviderError}. The worker puts them on every failed
 * `ProviderResult` (`error.code`), so the aggregator and router can route on them:
 * - retriable (the provider's fault, another attempt or target may work):
 *   `unavailable`, `server_error`, `network`, `timeout`, `rate_limited`, `circuit_open`;
 * - the request's fault for this model, another target may take it:
 *   `context_length` (the prompt does not fit), `content_policy` (the model refused);
 * - ours: `auth`, `bad_request`, `not_found`, `invalid_response`, `tool_error`;
 * - the request ended: `deadline_exceeded`, `cancelled`.
 */
export type ProviderErrorCode =
  | 'rate_limited'
  | 'unavailable'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'circuit_open'
  | 'bad_request'
  | 'context_length'
  | 'content_policy'
  | 'auth'
  | 'not_found'
  | 'invalid_response'
  | 'tool_error'
  | 'deadline_exceeded'
  | 'cancelled';

const RETRIABLE: ReadonlySet<ProviderErrorCode> = new Set(['rate_limited', 'unavailable', 'server_error', 'timeout', 'network', 'circuit_open']);

/** Codes that say the provider itself is unhealthy (they count against its circuit breaker and error rate). */
export const PROVIDER_FAULTS: ReadonlySet<ProviderErrorCode> = new Set(['unavailable', 'server_error', 'timeout', 'network', 'invalid_response']);

// What providers say when a prompt is too long or a request was refused on policy.
// OpenAI: code context_length_exceeded / content_policy_violation / content_filter;
// Anthropic: "prompt is too long"; Gemini: "exceeds the maximum number of tokens",
// vLLM/TGI: "maximum context length", "Input validation error: `inputs` tokens + `max_new_tokens`".
const CONTEXT_LENGTH = /context_length_exceeded|maximum context length|context window|prompt is too long|exceeds the maximum number of tokens|input is too long|too many tokens|inputs` tokens \+ `max_new_tokens`/i;
const CONTENT_POLICY = /content_policy_violation|content_filter|content management policy|safety system|responsible ai|blocked by safety|SAFETY|PROHIBITED_CONTENT|refus/;

/** The one error type of provider adapters: a stable code, the HTTP status, and whether to retry. */
export class ProviderError extends Error {
  readonly retriable: boolean;
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly status?: number,
    /** From a Retry-After header, when the provider sent one. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProviderError';
    this.retriable = RETRIABLE.has(code);
  }

  /** Maps an HTTP status (and, for 400/403/413/422, what the body says) to a code. */
  static fromStatus(status: number, body: string, retryAfterMs?: number): ProviderError {
    const detail = body.length > 300 ? `${body.slice(0, 300)}…` : body;
    const refusal = status === 400 || status === 403 || status === 413 || status === 422;
    const code: ProviderErrorCode =
      status === 429 ? 'rate_limited'
      : refusal && CONTEXT_LENGTH.test(body) ? 'context_length'
      : refusal && CONTENT_POLICY.test(body) ? 'content_policy'
      : status === 413 ? 'context_length'
      : status === 401 || status === 403 ? 'auth'
      : status === 404 ? 'not_found'
      : status === 408 ? 'timeout'
      : status === 502 || status === 503 || status === 504 || status === 529 ? 'unavailable'
      : status >= 500 ? 'server_error'
      : 'bad_request';
    return new ProviderError(code, `provider answered HTTP ${status}: ${detail}`, status, retryAfterMs);
  }

  /** Normalises anything thrown by the HTTP client or the adapter (abort → timeout, socket errors → network). */
  static from(err: unknown): ProviderError {
    if (err instanceof ProviderError) return err;
    if (err instanceof Error) {
      if (err.name === 'TimeoutError' || err.name === 'AbortError') return new ProviderError('timeout', 'provider call timed out', undefined, undefined, { cause: err });
      // fetch() puts the socket error in `cause`; undici's request() throws it with its own `code`.
      const cause = (err as { cause?: { code?: string } }).cause;
      const sysCode = cause?.code ?? (err as { code?: unknown }).code?.toString() ?? '';
      if (sysCode === 'UND_ERR_ABORTED') return new ProviderError('timeout', 'provider call timed out', undefined, undefined, { cause: err });
      if (/^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EPIPE|ETIMEDOUT|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT|UND_ERR_CLOSED)$/.test(sysCode)) {
        return new ProviderError('network', `cannot reach provider: ${sysCode}`, undefined, undefined, { cause: err });
      }
      return new ProviderError('network', `provider call failed: ${err.message}`, undefined, undefined, { cause: err });
    }
    return new ProviderError('network', String(err));
  }

  /** A copy with another message (secrets scrubbed), keeping code, status, Retry-After and cause. */
  withMessage(message: string): ProviderError {
    if (message === this.message) return this;
    return new ProviderError(this.code, message, this.status, this.retryAfterMs, { cause: this.cause });
  }
}
