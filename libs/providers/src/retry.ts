import { ProviderError } from './errors.js';

/** Options for {@link callWithRetries}. */
export interface RetryOptions {
  maxAttempts: number;
  /** First backoff; doubles per attempt with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt timeout. */
  attemptTimeoutMs: number;
  /** Absolute time (epoch ms) after which no attempt starts and running ones abort. */
  deadlineMs: number;
}

/**
 * Calls `fn` until it succeeds, fails with a non-retriable error, runs out of attempts
 * or reaches the deadline. Honours Retry-After. Resolves with the value and the number
 * of attempts; rejects with the last ProviderError (with an `attempts` property), or
 * with `deadline_exceeded` when the deadline passed before or during an attempt.
 */
export async function callWithRetries<T>(fn: (signal: AbortSignal) => Promise<T>, options: RetryOptions): Promise<{ value: T; attempts: number }> {
  let last: ProviderError | undefined;
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const left = options.deadlineMs - Date.now();
    if (left <= 0) throw new ProviderError('deadline_exceeded', `deadline passed after ${attempt - 1} attempt(s)${last ? `; last error: ${last.message}` : ''}`);
    const cutByDeadline = left <= options.attemptTimeoutMs;
    const signal = AbortSignal.timeout(Math.max(1, Math.min(options.attemptTimeoutMs, left)));
    try {
      return { value: await fn(signal), attempts: attempt };
    } catch (err) {
      last = ProviderError.from(err);
      // The signal was capped at the deadline and fired: the request ran out of time, which
      // is not the provider timing out (callers map deadline_exceeded to its own status).
      if (cutByDeadline && signal.aborted) {
        throw Object.assign(new ProviderError('deadline_exceeded', `deadline passed during attempt ${attempt}: ${last.message}`, undefined, undefined, { cause: last }), { attempts: attempt });
      }
      if (!last.retriable || attempt === options.maxAttempts) throw Object.assign(last, { attempts: attempt });
      const wait = backoffDelay(attempt, options.baseDelayMs, options.maxDelayMs, last.retryAfterMs);
      if (Date.now() + wait >= options.deadlineMs) throw Object.assign(last, { attempts: attempt });
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  throw last ?? new ProviderError('network', 'no attempt made');
}

/**
 * The wait before attempt `attempt + 1`: exponential backoff with full jitter (uniform in
 * [0, min(max, base·2^(attempt-1))], so retrying replicas spread out instead of hitting a
 * recovering provider together), and never less than the provider's Retry-After.
 */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, retryAfterMs?: number): number {
  const backoff = Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(backoff, retryAfterMs ?? 0);
}
