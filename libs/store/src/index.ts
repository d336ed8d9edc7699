import { redactUrl, redactUrlsIn } from '@yardmaster/config';
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
   * Connects and checks the server answers PING.
   * @throws StoreError(connection_failed)
   */
  static async connect(options: StoreOptions): Promise<Store> {
    const redis = new Redis(options.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 3,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      enableAutoPipelining: true,
    });
    // Without a listener ioredis prints unhandled 'error' events; failures surface through commands.
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      redis.disconnect();
      throw new StoreError('connection_failed', `cannot connect to Redis at ${redactUrl(options.url)}: ${redactUrlsIn(String(err))}`, { cause: err });
    }
    return new Store(redis, options.keyPrefix ?? '');
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
