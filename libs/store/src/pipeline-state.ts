import type { Redis } from 'ioredis';
import type { Store } from './index.js';

/** What {@link PipelineState.beginAccept} found for a request id. */
export type AcceptState =
  /** Never seen: publish it. */
  | 'new'
  /** Seen, but an earlier attempt may have failed before publishing: publish again (downstream drops copies). */
  | 'retry'
  /** Already on Kafka: do not publish again. */
  | 'duplicate';

/** What the worker needs to know before calling a provider for a work item. */
export interface WorkState {
  /** The result of this work item was published already (a redelivery): do not call the provider again. */
  done: boolean;
  /** The caller cancelled the request, or the plan cancelled this work item (`PlanState.cancelWork`): do not start the call. */
  cancelled: boolean;
}

/**
 * Result of {@link PipelineState.claimFinal}:
 * - `acquired`: this instance now owns the request's final response; publish it, then {@link PipelineState.recordFinal}.
 * - `mine`: this instance claimed it before (a retry after a failure); it knows whether it published.
 * - `done`: the final response was published and recorded; drop this copy.
 * - `taken`: another instance claimed it and has not recorded it yet. `coords` is the message it
 *   claimed for and `since` when; `alive` tells whether that instance still runs (its liveness key
 *   exists). An alive owner is finishing (wait); a dead one may or may not have published.
 */
export type FinalClaim =
  | { status: 'acquired' }
  | { status: 'mine'; coords: string }
  | { status: 'done' }
  | { status: 'taken'; owner: string; coords: string; since: number; alive: boolean };

/**
 * The exactly-once protocol of the pipeline, in one place. Each method is one Redis
 * round trip. Implemented over Redis by {@link RedisPipelineState} and in memory by
 * {@link InMemoryPipelineState} (unit tests of the services). An abstract class rather
 * than an interface so that it is also the dependency-injection token.
 */
export abstract class PipelineState {
  /** This process's instance id (owner of the claims it makes). */
  abstract readonly instanceId: string;
  /** Ingress: records that `requestId` is being accepted (`pending`), returning what was there. */
  abstract beginAccept(requestId: string, ttlSeconds: number): Promise<AcceptState>;
  /** Ingress: the request is on Kafka; a resubmission is a duplicate from now on. */
  abstract markAccepted(requestId: string, ttlSeconds: number): Promise<void>;
  /** Ingress: whether the request id was accepted (and is still remembered). */
  abstract wasAccepted(requestId: string): Promise<boolean>;
  /** Ingress: the caller gave up (cancelled its call); stages that have not spent money yet skip it. */
  abstract markCancelled(requestId: string, ttlSeconds: number): Promise<void>;
  /** Worker: whether the work item is done and whether its request was cancelled. */
  abstract workState(workId: string, requestId: string): Promise<WorkState>;
  /** Worker: the work item's result is on Kafka; a redelivery must not call the provider again. */
  abstract markWorkDone(workId: string, ttlSeconds: number): Promise<void>;
  /** Aggregator: whether the request's final response was claimed (being published) or recorded. */
  abstract hasFinal(requestId: string): Promise<boolean>;
  /** Aggregator: claims the right to publish the request's one final response for message `coords`. */
  abstract claimFinal(requestId: string, coords: string, ttlSeconds: number): Promise<FinalClaim>;
  /**
   * Aggregator: takes over the claim of a dead instance (`fromOwner`), if it still holds it.
   * @returns false when the claim changed meanwhile (someone else took over or finished).
   */
  abstract takeOverFinal(requestId: string, fromOwner: string, coords: string, ttlSeconds: number): Promise<boolean>;
  /** Aggregator: stores the encoded final response and marks the claim done, atomically. */
  abstract recordFinal(requestId: string, response: Uint8Array, ttlSeconds: number): Promise<void>;
  /** The stored encoded final response, or null while in flight (or expired). */
  abstract storedResponse(requestId: string): Promise<Buffer | null>;
  /** Refreshes this instance's liveness key; call at least every `ttlMs / 3`. */
  abstract heartbeat(ttlMs: number): Promise<void>;
  /** Removes this instance's liveness key (graceful stop: its claims are all done by then). */
  abstract retire(): Promise<void>;
}

/** Key layout (the store adds its own prefix). */
export const PipelineKeys = Object.freeze({
  accepted: (requestId: string) => `accepted:${requestId}`,
  cancelled: (requestId: string) => `cancelled:${requestId}`,
  work: (workId: string) => `work:${workId}`,
  final: (requestId: string) => `final:${requestId}`,
  response: (requestId: string) => `response:${requestId}`,
  instance: (instanceId: string) => `instance:${instanceId}`,
});

const PENDING = 'pending';
const PUBLISHED = 'published';
const DONE = 'done';

/** `claimed|<owner>|<coords>|<since ms>`; owners and coords never contain `|` (checked). */
function claimValue(owner: string, coords: string, now: number): string {
  return `claimed|${owner}|${coords}|${now}`;
}

function parseClaim(value: string): { owner: string; coords: string; since: number } | null {
  const parts = value.split('|');
  if (parts.length !== 4 || parts[0] !== 'claimed') return null;
  return { owner: parts[1]!, coords: parts[2]!, since: Number(parts[3]) };
}

function checkToken(what: string, value: string): void {
  if (value.includes('|')) throw new Error(`${what} must not contain "|": ${value}`);
}

// KEYS[1] = final key, KEYS[2] = liveness-key prefix (the owner id is appended);
// ARGV = claim value, ttl seconds, own instance id.
// Returns {'acquired'} | {'done'} | {'claimed', value, ownerAlive}.
const CLAIM_FINAL = `
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return {'acquired'}
end
if v == 'done' then return {'done'} end
local owner = string.match(v, '^claimed|([^|]*)|')
local alive = 0
if owner then alive = redis.call('EXISTS', KEYS[2] .. owner) end
return {'claimed', v, alive}
`;

// KEYS[1] = final key; ARGV = owner expected to hold the claim, new claim value, ttl seconds.
const TAKE_OVER = `
local v = redis.call('GET', KEYS[1])
if v and string.match(v, '^claimed|([^|]*)|') == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
`;

type ScriptRedis = Redis & {
  ymClaimFinal(finalKey: string, instancePrefix: string, value: string, ttl: number): Promise<[string, string?, number?]>;
  ymTakeOver(key: string, fromOwner: string, value: string, ttl: number): Promise<number>;
};

/** {@link PipelineState} over Redis (one round trip per method: `SET … NX GET`, `MGET`, `MULTI`, Lua). */
export class RedisPipelineState extends PipelineState {
  private readonly redis: ScriptRedis;

  constructor(
    private readonly store: Store,
    readonly instanceId: string,
  ) {
    super();
    checkToken('instance id', instanceId);
    const redis = store.connection() as ScriptRedis;
    if (typeof redis.ymClaimFinal !== 'function') {
      redis.defineCommand('ymClaimFinal', { numberOfKeys: 2, lua: CLAIM_FINAL });
      redis.defineCommand('ymTakeOver', { numberOfKeys: 1, lua: TAKE_OVER });
    }
    this.redis = redis;
  }

  private k(key: string): string {
    return this.store.key(key);
  }

  async beginAccept(requestId: string, ttlSeconds: number): Promise<AcceptState> {
    // SET NX GET (Redis 7): sets `pending` only when absent and returns what was there.
    const previous = await this.store.run(() => this.redis.set(this.k(PipelineKeys.accepted(requestId)), PENDING, 'EX', ttlSeconds, 'NX', 'GET'));
    if (previous === null) return 'new';
    return previous === PUBLISHED ? 'duplicate' : 'retry';
  }

  async markAccepted(requestId: string, ttlSeconds: number): Promise<void> {
    await this.store.run(() => this.redis.set(this.k(PipelineKeys.accepted(requestId)), PUBLISHED, 'EX', ttlSeconds));
  }

  async wasAccepted(requestId: string): Promise<boolean> {
    return (await this.store.run(() => this.redis.exists(this.k(PipelineKeys.accepted(requestId))))) === 1;
  }

  async markCancelled(requestId: string, ttlSeconds: number): Promise<void> {
    await this.store.run(() => this.redis.set(this.k(PipelineKeys.cancelled(requestId)), '1', 'EX', ttlSeconds));
  }

  async workState(workId: string, requestId: string): Promise<WorkState> {
    const [done, cancelled, workCancelled] = await this.store.run(() =>
      this.redis.mget(this.k(PipelineKeys.work(workId)), this.k(PipelineKeys.cancelled(requestId)), this.k(PipelineKeys.cancelled(`w/${workId}`))),
    );
    const set = (v: string | null | undefined) => v !== null && v !== undefined;
    return { done: set(done), cancelled: set(cancelled) || set(workCancelled) };
  }

  async markWorkDone(workId: string, ttlSeconds: number): Promise<void> {
    await this.store.run(() => this.redis.set(this.k(PipelineKeys.work(workId)), DONE, 'EX', ttlSeconds));
  }

  async hasFinal(requestId: string): Promise<boolean> {
    return (await this.store.run(() => this.redis.exists(this.k(PipelineKeys.final(requestId))))) === 1;
  }

  async claimFinal(requestId: string, coords: string, ttlSeconds: number): Promise<FinalClaim> {
    checkToken('message coordinates', coords);
    const [status, value, alive] = await this.store.run(() =>
      this.redis.ymClaimFinal(this.k(PipelineKeys.final(requestId)), this.k(PipelineKeys.instance('')), claimValue(this.instanceId, coords, Date.now()), ttlSeconds),
    );
    if (status === 'acquired') return { status: 'acquired' };
    if (status === 'done') return { status: 'done' };
    const claim = parseClaim(value ?? '');
    // An unreadable claim (written by another version) is treated as an owner that is gone.
    if (!claim) return { status: 'taken', owner: '', coords: '', since: 0, alive: false };
    if (claim.owner === this.instanceId) return { status: 'mine', coords: claim.coords };
    return { status: 'taken', owner: claim.owner, coords: claim.coords, since: claim.since, alive: alive === 1 };
  }

  async takeOverFinal(requestId: string, fromOwner: string, coords: string, ttlSeconds: number): Promise<boolean> {
    checkToken('message coordinates', coords);
    const key = this.k(PipelineKeys.final(requestId));
    return (await this.store.run(() => this.redis.ymTakeOver(key, fromOwner, claimValue(this.instanceId, coords, Date.now()), ttlSeconds))) === 1;
  }

  async recordFinal(requestId: string, response: Uint8Array, ttlSeconds: number): Promise<void> {
    await this.store.run(async () => {
      const results = await this.redis
        .multi()
        .set(this.k(PipelineKeys.response(requestId)), Buffer.from(response.buffer, response.byteOffset, response.byteLength), 'EX', ttlSeconds)
        .set(this.k(PipelineKeys.final(requestId)), DONE, 'EX', ttlSeconds)
        .exec();
      const failed = results?.find(([err]) => err);
      if (failed?.[0]) throw failed[0];
    });
  }

  storedResponse(requestId: string): Promise<Buffer | null> {
    return this.store.run(() => this.redis.getBuffer(this.k(PipelineKeys.response(requestId))));
  }

  async heartbeat(ttlMs: number): Promise<void> {
    await this.store.run(() => this.redis.set(this.k(PipelineKeys.instance(this.instanceId)), String(Date.now()), 'PX', ttlMs));
  }

  async retire(): Promise<void> {
    await this.store.run(() => this.redis.del(this.k(PipelineKeys.instance(this.instanceId))));
  }
}

/** An in-memory {@link PipelineState} with the same semantics (no TTLs), for unit tests. */
export class InMemoryPipelineState extends PipelineState {
  readonly values = new Map<string, string>();
  readonly responses = new Map<string, Buffer>();
  readonly alive = new Set<string>();

  constructor(readonly instanceId = 'test-instance') {
    super();
  }

  beginAccept(requestId: string): Promise<AcceptState> {
    const key = PipelineKeys.accepted(requestId);
    const previous = this.values.get(key);
    if (previous === undefined) this.values.set(key, PENDING);
    return Promise.resolve(previous === undefined ? 'new' : previous === PUBLISHED ? 'duplicate' : 'retry');
  }

  markAccepted(requestId: string): Promise<void> {
    this.values.set(PipelineKeys.accepted(requestId), PUBLISHED);
    return Promise.resolve();
  }

  wasAccepted(requestId: string): Promise<boolean> {
    return Promise.resolve(this.values.has(PipelineKeys.accepted(requestId)));
  }

  markCancelled(requestId: string): Promise<void> {
    this.values.set(PipelineKeys.cancelled(requestId), '1');
    return Promise.resolve();
  }

  workState(workId: string, requestId: string): Promise<WorkState> {
    return Promise.resolve({
      done: this.values.has(PipelineKeys.work(workId)),
      cancelled: this.values.has(PipelineKeys.cancelled(requestId)) || this.values.has(PipelineKeys.cancelled(`w/${workId}`)),
    });
  }

  markWorkDone(workId: string): Promise<void> {
    this.values.set(PipelineKeys.work(workId), DONE);
    return Promise.resolve();
  }

  hasFinal(requestId: string): Promise<boolean> {
    return Promise.resolve(this.values.has(PipelineKeys.final(requestId)));
  }

  claimFinal(requestId: string, coords: string): Promise<FinalClaim> {
    const key = PipelineKeys.final(requestId);
    const v = this.values.get(key);
    if (v === undefined) {
      this.values.set(key, claimValue(this.instanceId, coords, Date.now()));
      return Promise.resolve({ status: 'acquired' });
    }
    if (v === DONE) return Promise.resolve({ status: 'done' });
    const claim = parseClaim(v)!;
    if (claim.owner === this.instanceId) return Promise.resolve({ status: 'mine', coords: claim.coords });
    return Promise.resolve({ status: 'taken', ...claim, alive: this.alive.has(claim.owner) });
  }

  takeOverFinal(requestId: string, fromOwner: string, coords: string): Promise<boolean> {
    const key = PipelineKeys.final(requestId);
    const claim = parseClaim(this.values.get(key) ?? '');
    if (!claim || claim.owner !== fromOwner) return Promise.resolve(false);
    this.values.set(key, claimValue(this.instanceId, coords, Date.now()));
    return Promise.resolve(true);
  }

  recordFinal(requestId: string, response: Uint8Array): Promise<void> {
    this.responses.set(requestId, Buffer.from(response));
    this.values.set(PipelineKeys.final(requestId), DONE);
    return Promise.resolve();
  }

  storedResponse(requestId: string): Promise<Buffer | null> {
    return Promise.resolve(this.responses.get(requestId) ?? null);
  }

  heartbeat(): Promise<void> {
    this.alive.add(this.instanceId);
    return Promise.resolve();
  }

  retire(): Promise<void> {
    this.alive.delete(this.instanceId);
    return Promise.resolve();
  }
}
