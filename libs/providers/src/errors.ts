/** Stable codes for {@link ProviderError}. */
export type ProviderErrorCode =
  | 'rate_limited'
  | 'unavailable'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'bad_request'
  | 'auth'
  | 'not_found'
  | 'invalid_response'
  | 'deadline_exceeded';

const RETRIABLE: ReadonlySet<ProviderErrorCode> = new Set(['rate_limited', 'unavailable', 'server_error', 'timeout', 'network']);

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

  /** Maps an HTTP status to a code. */
  static fromStatus(status: number, body: string, retryAfterMs?: number): ProviderError {
    const detail = body.length > 300 ? `${body.slice(0, 300)}…` : body;
    const code: ProviderErrorCode =
      status === 429 ? 'rate_limited'
      : status === 401 || status === 403 ? 'auth'
      : status === 404 ? 'not_found'
      : status === 408 ? 'timeout'
      : status === 502 || status === 503 || status === 504 ? 'unavailable'
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
}
