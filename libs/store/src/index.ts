import { redactUrl, redactUrlsIn } from '@yardmaster/config';
import { backOff } from 'exponential-backoff';
import { Redis } from 'ioredis';
import { recordRedisError } from './metrics.js';

/** Stable codes for {@link StoreError}. */
export type StoreErrorCode = 'connection_failed' | 'command_failed';

/** The one error type of the store. Redis failures are retriable: the caller's message is retried. */
export class StoreError extends Error {
  readonly retriable = true;
  /** A dependency failure, not a bad message: consumers wait for Redis instead of dead-lettering. */
  readonly infrastructure = true;
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }

  static from(err: unknown): StoreError {
    if (err instanceof StoreError) return err;
    return new StoreError('command_failed', `redis: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Options for {@link Store.connect}. */
export interface StoreOptions {
  url: string;
  /** Prepended to every key, e.g. `ym:`. */
  keyPrefix?: string;
  /** Give up a command after this long. Default 2000 ms. */
  commandTimeoutMs?: number;
  /**
   * How long {@link Store.connect} keeps trying before it gives up: the server may still
   * be starting, and a process busy starting up (a model loading on a crowded machine)
   * may read a PING's answer only after its timeout fired. Default 30000 ms; 0 tries once.
   * A refused password is not retried.
   */
  connectTimeoutMs?: number;
}

/** Pause after the first failed connection attempt; doubles up to CONNECT_MAX_PAUSE_MS. */
const CONNECT_FIRST_PAUSE_MS = 100;
const CONNECT_MAX_PAUSE_MS = 2000;

/** A reply that retrying cannot change: a wrong or missing password. */
function isAuthFailure(err: unknown): boolean {
  return err instanceof Error && /^(?:WRONGPASS|NOAUTH|ERR (?:AUTH|invalid password|Client sent AUTH))/.test(err.message);
}

/**
 * The Redis connection (ioredis behind one small class). The state itself lives in
 * typed repositories over it ({@link RedisPipelineState}); every method throws {@link StoreError}.
 */
export class Store {
  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /**
   * Connects and checks the server answers PING, trying again with a growing pause (a
   * fresh connection each time) for up to `connectTimeoutMs`.
   * @throws StoreError(connection_failed)
   */
  static async connect(options: StoreOptions): Promise<Store> {
    const deadline = Date.now() + Math.max(0, options.connectTimeoutMs ?? 30_000);
    let attempts = 0;
    const attempt = async (): Promise<Redis> => {
      attempts++;
      const redis = new Redis(options.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 3,
        commandTimeout: options.commandTimeoutMs ?? 2000,
        enableAutoPipelining: true,
      });
      // Without a listener ioredis prints unhandled 'error' events; failures surface through
      // commands, except why a connection closed (refused, a wrong password), which only the
      // event says.
      let closedBy: unknown;
      const noteWhy = (err: unknown): void => void (closedBy ??= err);
      redis.on('error', noteWhy);
      try {
        await redis.connect();
        await redis.ping();
        // Connected: later errors surface through commands (and nothing holds on to them).
        redis.off('error', noteWhy).on('error', () => {});
        return redis;
      } catch (err) {
        redis.disconnect();
        throw closedBy ?? err;
      }
    };
    try {
      const redis = await backOff(attempt, {
        numOfAttempts: Number.MAX_SAFE_INTEGER,
        startingDelay: CONNECT_FIRST_PAUSE_MS,
        maxDelay: CONNECT_MAX_PAUSE_MS,
        // The next pause would end after the deadline: stop here.
        retry: (err: unknown, next: number) => !isAuthFailure(err) && Date.now() + Math.min(CONNECT_MAX_PAUSE_MS, CONNECT_FIRST_PAUSE_MS * 2 ** (next - 1)) < deadline,
      });
      return new Store(redis, options.keyPrefix ?? '');
    } catch (err) {
      throw new StoreError('connection_failed', `cannot connect to Redis at ${redactUrl(options.url)} (${attempts} attempt${attempts === 1 ? '' : 's'}): ${redactUrlsIn(String(err))}`, { cause: err });
    }
  }

  /** The key with this store's prefix (for repositories in this library). */
  key(key: string): string {
    return this.prefix + key;
  }

  /** The ioredis connection, for repositories in this library only (domain code never sees the driver). */
  connection(): Redis {
    return this.redis;
  }

  /** Runs Redis commands, normalising failures to {@link StoreError}. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      recordRedisError(err);
      throw StoreError.from(err);
    }
  }

  /** Round-trip check used by readiness probes. */
  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch (err) {
      recordRedisError(err);
      return false;
    }
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}

export * from './pipeline-state.js';
export * from './provider-health.js';
export * from './conversation-affinity.js';
export * from './provider-gate.js';
export * from './cancellations.js';
export * from './api-keys.js';
export * from './admission.js';
export * from './routing-feedback.js';
export * from './chunk-streams.js';
export * from './batches.js';
export * from './plan-state.js';
