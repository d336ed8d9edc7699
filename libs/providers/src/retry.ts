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
 * of attempts; rejects with the last ProviderError (its `attempts` in the message).
 */
export async function callWithRetries<T>(fn: (signal: AbortSignal) => Promise<T>, options: RetryOptions): Promise<{ value: T; attempts: number }> {
  let last: ProviderError | undefined;
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const left = options.deadlineMs - Date.now();
    if (left <= 0) throw new ProviderError('deadline_exceeded', `deadline passed after ${attempt - 1} attempt(s)${last ? `; last error: ${last.message}` : ''}`);
    const signal = AbortSignal.timeout(Math.max(1, Math.min(options.attemptTimeoutMs, left)));
    try {
      return { value: await fn(signal), attempts: attempt };
    } catch (err) {
      last = ProviderError.from(err);
      if (!last.retriable || attempt === options.maxAttempts) throw Object.assign(last, { attempts: attempt });
      const backoff = Math.random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      const wait = Math.max(backoff, last.retryAfterMs ?? 0);
      if (Date.now() + wait >= options.deadlineMs) throw Object.assign(last, { attempts: attempt });
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  throw last ?? new ProviderError('network', 'no attempt made');
}
