import { redactUrl, redactUrlsIn } from '@yardmaster/config';
import { Redis } from 'ioredis';

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

/** Result of {@link Store.claim}. */
export type ClaimResult =
  | { status: 'acquired' }
  | { status: 'already_mine' }
  | { status: 'taken'; holder: string };

/**
 * Shared, short-lived state in Redis (ioredis behind one small class): idempotency
 * claims, stored responses, per-stage markers. Every method throws {@link StoreError}.
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

  private k(key: string): string {
    return this.prefix + key;
  }

  private async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw StoreError.from(err);
    }
  }

  /**
   * Claims `key` for `owner` unless someone else holds it: `acquired` when newly set,
   * `already_mine` when it already holds `owner` (a retry of the same work), `taken`
   * when it holds another value.
   */
  claim(key: string, owner: string, ttlSeconds: number): Promise<ClaimResult> {
    return this.run(async () => {
      const ok = await this.redis.set(this.k(key), owner, 'EX', ttlSeconds, 'NX');
      if (ok === 'OK') return { status: 'acquired' } as const;
      const holder = await this.redis.get(this.k(key));
      if (holder === null) {
        // Expired between the two commands: try once more.
        const again = await this.redis.set(this.k(key), owner, 'EX', ttlSeconds, 'NX');
        return again === 'OK' ? ({ status: 'acquired' } as const) : ({ status: 'taken', holder: '' } as const);
      }
      return holder === owner ? ({ status: 'already_mine' } as const) : ({ status: 'taken', holder } as const);
    });
  }

  /** Sets a value with a time to live. */
  set(key: string, value: string | Buffer, ttlSeconds: number): Promise<void> {
    return this.run(async () => {
      await this.redis.set(this.k(key), value, 'EX', ttlSeconds);
    });
  }

  /** Sets a value only if the key is absent; returns whether it was set. */
  setIfAbsent(key: string, value: string | Buffer, ttlSeconds: number): Promise<boolean> {
    return this.run(async () => (await this.redis.set(this.k(key), value, 'EX', ttlSeconds, 'NX')) === 'OK');
  }

  get(key: string): Promise<string | null> {
    return this.run(() => this.redis.get(this.k(key)));
  }

  getBuffer(key: string): Promise<Buffer | null> {
    return this.run(() => this.redis.getBuffer(this.k(key)));
  }

  exists(key: string): Promise<boolean> {
    return this.run(async () => (await this.redis.exists(this.k(key))) === 1);
  }

  del(key: string): Promise<void> {
    return this.run(async () => {
      await this.redis.del(this.k(key));
    });
  }

  /** Round-trip check used by readiness probes. */
  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
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
