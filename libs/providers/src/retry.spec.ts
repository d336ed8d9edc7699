import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProviderError } from './errors.js';
import { callWithRetries, type RetryOptions } from './retry.js';
import { expectProviderError } from './test-helpers.js';

const options = (overrides: Partial<RetryOptions> = {}): RetryOptions => ({
  maxAttempts: 4,
  baseDelayMs: 1,
  maxDelayMs: 2,
  attemptTimeoutMs: 1000,
  deadlineMs: Date.now() + 5000,
  ...overrides,
});

/** A call that fails with `errors` in turn, then answers `value`; counts its calls. */
function scripted<T>(errors: unknown[], value: T) {
  const calls = { n: 0 };
  const fn = (_signal: AbortSignal): Promise<T> => {
    const err = errors[calls.n++];
    return err === undefined ? Promise.resolve(value) : Promise.reject(err);
  };
  return { fn, calls };
}

/** A call that only ends when its signal aborts, like a provider that never answers. */
const hangs = (signal: AbortSignal): Promise<never> =>
  new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));


describe('callWithRetries', () => {
  it('returns the first success with its attempt count', async () => {
    const { fn, calls } = scripted([], 'ok');
    assert.deepEqual(await callWithRetries(fn, options()), { value: 'ok', attempts: 1 });
    assert.equal(calls.n, 1);
  });

  it('retries retriable errors, then succeeds', async () => {
    const { fn, calls } = scripted([ProviderError.fromStatus(503, ''), new ProviderError('network', 'reset'), ProviderError.fromStatus(500, '')], 42);
    assert.deepEqual(await callWithRetries(fn, options()), { value: 42, attempts: 4 });
    assert.equal(calls.n, 4);
  });

  it('normalises what fn throws (a socket error is retried as network)', async () => {
    const socket = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    const { fn, calls } = scripted([socket], 'ok');
    assert.deepEqual(await callWithRetries(fn, options()), { value: 'ok', attempts: 2 });
    assert.equal(calls.n, 2);
  });

  it('stops at the first non-retriable error', async () => {
    const { fn, calls } = scripted([ProviderError.fromStatus(503, ''), ProviderError.fromStatus(400, 'bad'), ProviderError.fromStatus(503, '')], 'never');
    const err = await expectProviderError(callWithRetries(fn, options()));
    assert.equal(err.code, 'bad_request');
    assert.equal(err.attempts, 2);
    assert.equal(calls.n, 2);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const { fn, calls } = scripted([ProviderError.fromStatus(503, 'a'), ProviderError.fromStatus(503, 'b'), ProviderError.fromStatus(502, 'c'), ProviderError.fromStatus(503, 'd')], 'never');
    const err = await expectProviderError(callWithRetries(fn, options({ maxAttempts: 3 })));
    assert.equal(err.code, 'unavailable');
    assert.equal(err.status, 502);
    assert.equal(err.attempts, 3);
    assert.equal(calls.n, 3);
  });

  it('waits at least Retry-After before the next attempt', async () => {
    const { fn } = scripted([ProviderError.fromStatus(429, '', 150)], 'ok');
    const started = Date.now();
    assert.deepEqual(await callWithRetries(fn, options()), { value: 'ok', attempts: 2 });
    assert.ok(Date.now() - started >= 145, `retried after ${Date.now() - started} ms`);
  });

  it('does not wait past the deadline: a Retry-After beyond it ends the call at once', async () => {
    const { fn, calls } = scripted([ProviderError.fromStatus(429, '', 60_000)], 'ok');
    const started = Date.now();
    const err = await expectProviderError(callWithRetries(fn, options({ deadlineMs: Date.now() + 1000 })));
    assert.equal(err.code, 'rate_limited');
    assert.equal(err.attempts, 1);
    assert.equal(calls.n, 1);
    assert.ok(Date.now() - started < 500);
  });

  it('makes no attempt once the deadline has passed', async () => {
    const { fn, calls } = scripted([], 'ok');
    const err = await expectProviderError(callWithRetries(fn, options({ deadlineMs: Date.now() - 1 })));
    assert.equal(err.code, 'deadline_exceeded');
    assert.equal(err.retriable, false);
    assert.equal(calls.n, 0);
  });

  it('times out a slow attempt and retries it', async () => {
    let n = 0;
    const fn = (signal: AbortSignal) => (++n === 1 ? hangs(signal) : Promise.resolve('second'));
    assert.deepEqual(await callWithRetries(fn, options({ attemptTimeoutMs: 30 })), { value: 'second', attempts: 2 });
  });

  it('reports a timeout, not a deadline, when the attempt timeout fires first', async () => {
    const err = await expectProviderError(callWithRetries(hangs, options({ maxAttempts: 2, attemptTimeoutMs: 20 })));
    assert.equal(err.code, 'timeout');
    assert.equal(err.attempts, 2);
  });

  it('aborts a running attempt at the deadline with deadline_exceeded', async () => {
    let n = 0;
    const fn = (signal: AbortSignal) => {
      n++;
      return hangs(signal);
    };
    const started = Date.now();
    const err = await expectProviderError(callWithRetries(fn, options({ attemptTimeoutMs: 10_000, deadlineMs: Date.now() + 80 })));
    const elapsed = Date.now() - started;
    assert.equal(err.code, 'deadline_exceeded');
    assert.equal(err.retriable, false);
    assert.equal(err.attempts, 1);
    assert.ok(err.cause instanceof ProviderError && err.cause.code === 'timeout');
    assert.equal(n, 1);
    assert.ok(elapsed >= 70 && elapsed < 2000, `ended after ${elapsed} ms`);
  });
});
