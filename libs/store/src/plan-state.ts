import type { Redis } from 'ioredis';
import type { Store } from './index.js';
import { PipelineKeys } from './pipeline-state.js';

/** One recorded part of a plan: the encoded result of one call, in the order parts arrived. */
export interface PlanPart {
  /** The call's work id (deterministic per plan slot and attempt). */
  readonly workId: string;
  /** Arrival order (1-based): the first write of a work id fixes it, a redelivery keeps it. */
  readonly seq: number;
  /** The encoded part, as the caller recorded it. */
  readonly data: Buffer;
}

/**
 * The join state of multi-model plans (issue 12): for each request, the parts received so
 * far, each recorded once (first write wins, so a redelivered or duplicated result never
 * changes what was decided) with its arrival order. The aggregator computes the next action
 * of a plan from this state alone, so any instance, after any crash or redelivery, decides
 * the same thing. Also the per-work cancel markers the workers watch (a hedge's loser).
 * An abstract class rather than an interface so that it is also the DI token.
 */
export abstract class PlanState {
  /**
   * Records `data` as the part `workId` of `requestId` unless that work id already has a part,
   * and returns every part recorded so far, in arrival order (one round trip).
   */
  abstract recordPart(requestId: string, workId: string, data: Uint8Array, ttlSeconds: number): Promise<PlanPart[]>;
  /** Every part recorded for `requestId`, in arrival order. */
  abstract parts(requestId: string): Promise<PlanPart[]>;
  /** Marks work items cancelled: a worker skips them, or aborts them in flight. */
  abstract cancelWork(workIds: readonly string[], ttlSeconds: number): Promise<void>;
}

/** The cancel marker of one work item (read through `CancelledRequests` like a request's). */
export function workCancelId(workId: string): string {
  return `w/${workId}`;
}

/** Key layout (the store adds its own prefix). */
export const PlanKeys = Object.freeze({
  parts: (requestId: string) => `plan:${requestId}`,
});

const SEQ_FIELD = '#seq';

// KEYS[1] = plan hash; ARGV = work id, data, ttl seconds.
// Each part is stored as `<seq>|<data>` under its work id; `#seq` counts arrivals.
const RECORD_PART = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  local seq = redis.call('HINCRBY', KEYS[1], '${SEQ_FIELD}', 1)
  redis.call('HSET', KEYS[1], ARGV[1], seq .. '|' .. ARGV[2])
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return redis.call('HGETALL', KEYS[1])
`;

type ScriptRedis = Redis & {
  ymRecordPartBuffer(key: string, workId: string, data: Buffer, ttl: number): Promise<Buffer[]>;
};

function decodeParts(flat: readonly Buffer[]): PlanPart[] {
  const parts: PlanPart[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const field = flat[i]!.toString('utf8');
    if (field === SEQ_FIELD) continue;
    const value = flat[i + 1]!;
    const bar = value.indexOf(0x7c);
    parts.push({ workId: field, seq: Number(value.subarray(0, bar).toString('utf8')), data: value.subarray(bar + 1) });
  }
  return parts.sort((a, b) => a.seq - b.seq);
}

/** {@link PlanState} over Redis: a hash per request written by one Lua script (record and read atomically). */
export class RedisPlanState extends PlanState {
  private readonly redis: ScriptRedis;

  constructor(private readonly store: Store) {
    super();
    const redis = store.connection() as ScriptRedis;
    if (typeof redis.ymRecordPartBuffer !== 'function') redis.defineCommand('ymRecordPart', { numberOfKeys: 1, lua: RECORD_PART });
    this.redis = redis;
  }

  async recordPart(requestId: string, workId: string, data: Uint8Array, ttlSeconds: number): Promise<PlanPart[]> {
    const flat = await this.store.run(() =>
      this.redis.ymRecordPartBuffer(this.store.key(PlanKeys.parts(requestId)), workId, Buffer.from(data.buffer, data.byteOffset, data.byteLength), ttlSeconds),
    );
    return decodeParts(flat);
  }

  async parts(requestId: string): Promise<PlanPart[]> {
    const flat = await this.store.run(async () => {
      const map = await this.redis.hgetallBuffer(this.store.key(PlanKeys.parts(requestId)));
      return Object.entries(map).flatMap(([k, v]) => [Buffer.from(k), v]);
    });
    return decodeParts(flat);
  }

  async cancelWork(workIds: readonly string[], ttlSeconds: number): Promise<void> {
    if (workIds.length === 0) return;
    await this.store.run(async () => {
      const multi = this.redis.multi();
      for (const id of workIds) multi.set(this.store.key(PipelineKeys.cancelled(workCancelId(id))), '1', 'EX', ttlSeconds);
      const results = await multi.exec();
      const failed = results?.find(([err]) => err);
      if (failed?.[0]) throw failed[0];
    });
  }
}

/** An in-memory {@link PlanState} with the same semantics (no TTLs), for unit tests. */
export class InMemoryPlanState extends PlanState {
  private readonly plans = new Map<string, PlanPart[]>();
  readonly cancelled = new Set<string>();

  recordPart(requestId: string, workId: string, data: Uint8Array): Promise<PlanPart[]> {
    let parts = this.plans.get(requestId);
    if (!parts) this.plans.set(requestId, (parts = []));
    if (!parts.some((p) => p.workId === workId)) parts.push({ workId, seq: parts.length + 1, data: Buffer.from(data) });
    return Promise.resolve([...parts]);
  }

  parts(requestId: string): Promise<PlanPart[]> {
    return Promise.resolve([...(this.plans.get(requestId) ?? [])]);
  }

  cancelWork(workIds: readonly string[]): Promise<void> {
    for (const id of workIds) this.cancelled.add(id);
    return Promise.resolve();
  }
}
