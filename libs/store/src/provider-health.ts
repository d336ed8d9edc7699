import type { Redis } from 'ioredis';
import type { Store } from './index.js';

/** Health key of one provider deployment (a model at a provider): `<provider>/<model>`. */
export function healthTarget(provider: string, model: string): string {
  return `${provider}/${model}`;
}

/** A deployment's live health, as the worker pools report it; shared by every replica through Redis. */
export interface TargetHealth {
  readonly target: string;
  /** Exponentially weighted share of calls that failed through the provider's fault, 0..1. */
  readonly errorRate: number;
  /** Exponentially weighted latency of successful calls in ms; 0 while unknown. */
  readonly latencyMs: number;
  /** Calls recorded since the entry was created (it expires after a quiet TTL). */
  readonly samples: number;
  /** Epoch ms until which a worker holds the deployment's circuit open; 0 when closed. */
  readonly circuitOpenUntilMs: number;
  /** Epoch ms until which the provider throttled us (429, Retry-After); 0 when none. */
  readonly cooldownUntilMs: number;
  /** Share of the shared rate limit left (0..1), when the pool has a limit and reported it. */
  readonly headroom: number | undefined;
  /** Why the circuit or cooldown was set last; empty when never. */
  readonly reason: string;
  readonly updatedAtMs: number;
}

/** Whether a target may take traffic now: false while its circuit is open or a cooldown runs. Unknown targets are available. */
export function isAvailable(h: TargetHealth | undefined, nowMs: number): boolean {
  return h === undefined || (h.circuitOpenUntilMs <= nowMs && h.cooldownUntilMs <= nowMs);
}

/**
 * Error codes that say the provider (not the request) failed, and so count against a
 * deployment's error rate. A bad request, a prompt over the context window, a content
 * policy refusal, a passed deadline or a cancellation say nothing about its health, and a
 * 429 is reported as a cooldown instead.
 */
const PROVIDER_FAULTS: ReadonlySet<string> = new Set(['unavailable', 'server_error', 'timeout', 'network', 'auth', 'not_found', 'invalid_response']);

/** Whether a failed call with this error code counts against the deployment's health. */
export function countsAgainstHealth(errorCode: string | undefined): boolean {
  return errorCode !== undefined && PROVIDER_FAULTS.has(errorCode);
}

/** One call's outcome, as {@link ProviderHealth.record} takes it. */
export interface CallOutcome {
  ok: boolean;
  latencyMs: number;
  /** The ProviderError code of a failed call. */
  errorCode?: string;
}

/**
 * Provider and model health shared by the worker pools (writers) and the router (reader).
 * An abstract class rather than an interface so that it is also the dependency-injection
 * token. Every method is one Redis round trip.
 */
export abstract class ProviderHealth {
  /** Updates the target's error-rate and latency EWMAs with one call's outcome. Failures that are not the provider's fault are ignored. */
  abstract record(target: string, outcome: CallOutcome): Promise<void>;
  /** A worker's breaker opened: the target takes no traffic until `untilMs` (then one probe decides). */
  abstract openCircuit(target: string, untilMs: number, reason: string): Promise<void>;
  /** A worker's breaker closed again. */
  abstract closeCircuit(target: string): Promise<void>;
  /** The provider throttled us: no traffic until `untilMs` (from Retry-After, or the pool's default). */
  abstract cooldown(target: string, untilMs: number, reason: string): Promise<void>;
  /** The share of the target's shared rate limit left, 0..1. */
  abstract setHeadroom(target: string, fraction: number): Promise<void>;
  abstract get(target: string): Promise<TargetHealth | undefined>;
  /** Every target reported within the TTL. */
  abstract snapshot(): Promise<ReadonlyMap<string, TargetHealth>>;
}

/** Options of the health repositories. */
export interface ProviderHealthOptions {
  /** EWMA weight of the newest call, 0..1. Default 0.1 (about the last 20 calls matter). */
  alpha?: number;
  /** A target nobody reported on for this long is forgotten. Default 600 s. */
  ttlSeconds?: number;
  /** Clock (tests). */
  now?: () => number;
}

/** Key layout (the store adds its own prefix). */
export const HealthKeys = Object.freeze({
  target: (target: string) => `health:t:${target}`,
  /** Sorted set of targets scored by their last update (ms). */
  index: 'health:index',
});

const FIELDS = ['err', 'lat', 'n', 'open', 'cool', 'head', 'reason', 'upd'] as const;

function fromFields(target: string, values: readonly (string | null | undefined)[]): TargetHealth | undefined {
  const [err, lat, n, open, cool, head, reason, upd] = values;
  if (upd === null || upd === undefined) return undefined;
  return {
    target,
    errorRate: Number(err ?? 0),
    latencyMs: Number(lat ?? 0),
    samples: Number(n ?? 0),
    circuitOpenUntilMs: Number(open ?? 0),
    cooldownUntilMs: Number(cool ?? 0),
    headroom: head === null || head === undefined || head === '' ? undefined : Number(head),
    reason: reason ?? '',
    updatedAtMs: Number(upd),
  };
}

// KEYS[1] = target hash, KEYS[2] = index; ARGV = target, alpha, now ms, ttl s, then one
// (failed (0/1/-1 ignore), latency ms) pair per call, oldest first.
const RECORD = `
local v = redis.call('HMGET', KEYS[1], 'err', 'lat', 'n')
local alpha = tonumber(ARGV[2])
local err = tonumber(v[1])
local lat = tonumber(v[2]) or 0
local n = tonumber(v[3]) or 0
for i = 5, #ARGV, 2 do
  local failed = tonumber(ARGV[i])
  local latency = tonumber(ARGV[i + 1])
  n = n + 1
  if failed >= 0 then
    if err == nil then err = failed else err = err + alpha * (failed - err) end
  else
    err = err or 0
  end
  if failed == 0 then
    if lat == 0 then lat = latency else lat = lat + alpha * (latency - lat) end
  end
end
redis.call('HSET', KEYS[1], 'err', tostring(err), 'lat', tostring(lat), 'n', n, 'upd', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return n
`;

// KEYS[1] = index; ARGV = key prefix of target hashes, oldest update kept (ms).
// Returns {target, err, lat, n, open, cool, head, reason, upd, target, ...}.
const SNAPSHOT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
local targets = redis.call('ZRANGE', KEYS[1], 0, -1)
local out = {}
for _, t in ipairs(targets) do
  local v = redis.call('HMGET', ARGV[1] .. t, 'err', 'lat', 'n', 'open', 'cool', 'head', 'reason', 'upd')
  if v[8] then
    table.insert(out, t)
    for i = 1, 8 do table.insert(out, v[i] or '') end
  end
end
return out
`;

type ScriptRedis = Redis & {
  ymHealthRecord(target: string, index: string, ...args: (string | number)[]): Promise<number>;
  ymHealthSnapshot(index: string, prefix: string, oldest: number): Promise<string[]>;
};

/** {@link ProviderHealth} in Redis: one hash per target plus an index, shared by every replica. */
export class RedisProviderHealth extends ProviderHealth {
  private readonly redis: ScriptRedis;
  private readonly alpha: number;
  private readonly ttlSeconds: number;
  private readonly now: () => number;
  /** Targets whose write is out, and the outcomes queued behind it. */
  private readonly writing = new Set<string>();
  private readonly queued = new Map<string, { samples: number[]; done: Promise<void>; resolve: () => void; reject: (err: unknown) => void }>();

  constructor(
    private readonly store: Store,
    options: ProviderHealthOptions = {},
  ) {
    super();
    this.alpha = options.alpha ?? 0.1;
    this.ttlSeconds = options.ttlSeconds ?? 600;
    this.now = options.now ?? Date.now;
    const redis = store.connection() as ScriptRedis;
    if (typeof redis.ymHealthRecord !== 'function') {
      redis.defineCommand('ymHealthRecord', { numberOfKeys: 2, lua: RECORD });
      redis.defineCommand('ymHealthSnapshot', { numberOfKeys: 1, lua: SNAPSHOT });
    }
    this.redis = redis;
  }

  /**
   * One round trip per target at a time: outcomes reported while a target's write is out
   * are queued and sent together in the next one (applied in order), so a busy pool writes
   * health once per Redis round trip instead of once per call.
   */
  record(target: string, outcome: CallOutcome): Promise<void> {
    const failed = outcome.ok ? 0 : countsAgainstHealth(outcome.errorCode) ? 1 : -1;
    const sample = [failed, Math.max(0, outcome.latencyMs)];
    if (!this.writing.has(target)) return this.write(target, sample);
    let next = this.queued.get(target);
    if (!next) {
      let settle!: { resolve: () => void; reject: (err: unknown) => void };
      const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      next = { samples: [], done, ...settle };
      this.queued.set(target, next);
    }
    next.samples.push(...sample);
    return next.done;
  }

  private async write(target: string, samples: number[]): Promise<void> {
    this.writing.add(target);
    try {
      await this.store.run(() => this.redis.ymHealthRecord(this.store.key(HealthKeys.target(target)), this.store.key(HealthKeys.index), target, this.alpha, this.now(), this.ttlSeconds, ...samples));
    } finally {
      this.writing.delete(target);
      const next = this.queued.get(target);
      if (next) {
        this.queued.delete(target);
        this.write(target, next.samples).then(next.resolve, next.reject);
      }
    }
  }

  openCircuit(target: string, untilMs: number, reason: string): Promise<void> {
    return this.set(target, { open: untilMs, reason });
  }

  closeCircuit(target: string): Promise<void> {
    return this.set(target, { open: 0 });
  }

  cooldown(target: string, untilMs: number, reason: string): Promise<void> {
    return this.set(target, { cool: untilMs, reason });
  }

  setHeadroom(target: string, fraction: number): Promise<void> {
    return this.set(target, { head: Math.min(1, Math.max(0, fraction)) });
  }

  private async set(target: string, fields: Partial<Record<(typeof FIELDS)[number], string | number>>): Promise<void> {
    const key = this.store.key(HealthKeys.target(target));
    const now = this.now();
    await this.store.run(() =>
      this.redis
        .multi()
        .hset(key, { ...fields, upd: now })
        .expire(key, this.ttlSeconds)
        .zadd(this.store.key(HealthKeys.index), now, target)
        .exec(),
    );
  }

  async get(target: string): Promise<TargetHealth | undefined> {
    const values = await this.store.run(() => this.redis.hmget(this.store.key(HealthKeys.target(target)), ...FIELDS));
    return fromFields(target, values);
  }

  async snapshot(): Promise<ReadonlyMap<string, TargetHealth>> {
    const flat = await this.store.run(() => this.redis.ymHealthSnapshot(this.store.key(HealthKeys.index), this.store.key(HealthKeys.target('')), this.now() - this.ttlSeconds * 1000));
    const out = new Map<string, TargetHealth>();
    for (let i = 0; i + 8 < flat.length; i += 9) {
      const target = flat[i]!;
      const h = fromFields(target, flat.slice(i + 1, i + 9).map((v) => (v === '' ? null : v)));
      if (h) out.set(target, h);
    }
    return out;
  }
}

/** {@link ProviderHealth} in one process's memory (unit tests, single-process tools). */
export class InMemoryProviderHealth extends ProviderHealth {
  private readonly targets = new Map<string, TargetHealth>();
  private readonly alpha: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: ProviderHealthOptions = {}) {
    super();
    this.alpha = options.alpha ?? 0.1;
    this.ttlMs = (options.ttlSeconds ?? 600) * 1000;
    this.now = options.now ?? Date.now;
  }

  private current(target: string): TargetHealth | undefined {
    const h = this.targets.get(target);
    if (h && h.updatedAtMs < this.now() - this.ttlMs) {
      this.targets.delete(target);
      return undefined;
    }
    return h;
  }

  private update(target: string, change: Partial<TargetHealth>): Promise<void> {
    const base: TargetHealth = this.current(target) ?? { target, errorRate: 0, latencyMs: 0, samples: 0, circuitOpenUntilMs: 0, cooldownUntilMs: 0, headroom: undefined, reason: '', updatedAtMs: 0 };
    this.targets.set(target, { ...base, ...change, updatedAtMs: this.now() });
    return Promise.resolve();
  }

  record(target: string, outcome: CallOutcome): Promise<void> {
    const h = this.current(target);
    const failed = outcome.ok ? 0 : countsAgainstHealth(outcome.errorCode) ? 1 : -1;
    const errorRate = failed < 0 ? (h?.errorRate ?? 0) : h === undefined || h.samples === 0 ? failed : h.errorRate + this.alpha * (failed - h.errorRate);
    const latencyMs = failed !== 0 ? (h?.latencyMs ?? 0) : !h?.latencyMs ? outcome.latencyMs : h.latencyMs + this.alpha * (outcome.latencyMs - h.latencyMs);
    return this.update(target, { errorRate, latencyMs, samples: (h?.samples ?? 0) + 1 });
  }

  openCircuit(target: string, untilMs: number, reason: string): Promise<void> {
    return this.update(target, { circuitOpenUntilMs: untilMs, reason });
  }

  closeCircuit(target: string): Promise<void> {
    return this.update(target, { circuitOpenUntilMs: 0 });
  }

  cooldown(target: string, untilMs: number, reason: string): Promise<void> {
    return this.update(target, { cooldownUntilMs: untilMs, reason });
  }

  setHeadroom(target: string, fraction: number): Promise<void> {
    return this.update(target, { headroom: Math.min(1, Math.max(0, fraction)) });
  }

  get(target: string): Promise<TargetHealth | undefined> {
    return Promise.resolve(this.current(target));
  }

  snapshot(): Promise<ReadonlyMap<string, TargetHealth>> {
    for (const t of [...this.targets.keys()]) this.current(t);
    return Promise.resolve(new Map(this.targets));
  }
}
