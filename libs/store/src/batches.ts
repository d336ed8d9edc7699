import type { Store } from './index.js';

/** OpenAI's batch statuses. */
export type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

/** Statuses a batch never leaves. */
export const FINAL_BATCH_STATUSES: ReadonlySet<BatchStatus> = new Set(['failed', 'completed', 'expired', 'cancelled']);

/** An uploaded file's metadata (its bytes live in a file store). */
export interface FileRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly bytes: number;
  readonly createdAt: number;
  readonly filename: string;
  /** `batch` (uploaded), `batch_output` (written by a batch). */
  readonly purpose: string;
  /** Input lines (batch files). */
  readonly lines?: number;
}

/** What a batch is created with (never changes). */
export interface BatchSpec {
  readonly id: string;
  readonly tenantId: string;
  readonly inputFileId: string;
  readonly endpoint: string;
  readonly completionWindow: string;
  readonly metadata: Record<string, string> | null;
  /** Epoch seconds. */
  readonly createdAt: number;
  /** Epoch seconds. */
  readonly expiresAt: number;
  readonly total: number;
}

/** Spend of a batch's lines answered by one model, and of the same lines at the most expensive model. */
export interface ModelSpend {
  readonly requests: number;
  readonly costUsd: number;
  readonly mostExpensiveCostUsd: number;
}

/** A batch as stored: its spec, its status with the time of each transition, counts and spend. */
export interface BatchRecord extends BatchSpec {
  readonly status: BatchStatus;
  /** Epoch seconds of each status reached (`in_progress_at`, `completed_at`…). */
  readonly times: Readonly<Record<string, number>>;
  readonly outputFileId: string | null;
  readonly errorFileId: string | null;
  /** Lines handed to the pipeline. */
  readonly dispatched: number;
  readonly completed: number;
  readonly failed: number;
  readonly spend: Readonly<Record<string, ModelSpend>>;
  readonly errors: readonly { code: string; message: string; line: number | null }[];
  /**
   * Why the batch stopped sending lines before the end (its owner's budget was spent): the
   * HTTP status and OpenAI error body every line not yet sent is answered with. Undefined
   * while it runs normally.
   */
  readonly halted?: BatchHalt;
}

/** What lines a halted batch never sent are answered with (a refusal as chat completions would give it). */
export interface BatchHalt {
  readonly statusCode: number;
  readonly body: { readonly error: { readonly message: string; readonly type: string; readonly param: string | null; readonly code: string | null } };
}

/** A line's outcome: its output (or error) line, whether it succeeded, and its spend. */
export interface LineResult {
  readonly customId: string;
  readonly line: string;
  readonly ok: boolean;
  readonly model: string;
  readonly costUsd: number;
  readonly mostExpensiveCostUsd: number;
}

/** Redis key layout of batches and files. */
export const BatchKeys = Object.freeze({
  file: (id: string) => `file:${id}`,
  batch: (id: string) => `batch:${id}`,
  results: (id: string) => `batch:${id}:results`,
  lease: (id: string) => `batch:${id}:lease`,
  byTenant: (tenantId: string) => `batches:tenant:${tenantId}`,
  /** A tenant's files (all purposes, or one), ordered by creation. */
  filesByTenant: (tenantId: string, purpose?: string) => (purpose === undefined ? `files:tenant:${tenantId}` : `files:tenant:${tenantId}:purpose:${purpose}`),
  open: (tenantId: string) => `batches:open:${tenantId}`,
  active: 'batches:active',
  seq: 'batches:seq',
});

// KEYS: file, filesByTenant, filesByTenantPurpose, seq. ARGV: file JSON, id.
// Saving again (a batch finalised twice writes its output file twice) keeps the file's place.
const SAVE_FILE = `
redis.call('SET', KEYS[1], ARGV[1])
if not redis.call('ZSCORE', KEYS[2], ARGV[2]) then
  local n = redis.call('INCR', KEYS[4])
  redis.call('ZADD', KEYS[2], n, ARGV[2])
  redis.call('ZADD', KEYS[3], n, ARGV[2])
end
return 1`;

// KEYS: batch, byTenant, open, active, seq. ARGV: spec JSON, id, openLimit.
// A tenant's list is ordered by a deployment-wide sequence (creation order, even within a second).
const CREATE = `
if tonumber(ARGV[3]) > 0 and redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], 'spec', ARGV[1], 'status', 'validating', 'dispatched', 0, 'completed', 0, 'failed', 0)
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[5]), ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[2])
return 1`;

// KEYS: batch. ARGV: to, time field, now, from...
const TRANSITION = `
local s = redis.call('HGET', KEYS[1], 'status')
if not s then return nil end
for i = 4, #ARGV do
  if s == ARGV[i] then
    redis.call('HSET', KEYS[1], 'status', ARGV[1], ARGV[2], ARGV[3])
    return ARGV[1]
  end
end
return s`;

// KEYS: batch, results. ARGV: custom_id, line, ok, model, cost, mostExpensive.
const RECORD = `
local s = redis.call('HGET', KEYS[1], 'status')
if not s then return -1 end
if s == 'finalizing' or s == 'completed' or s == 'expired' or s == 'cancelled' or s == 'failed' then return -2 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 0 end
if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[1], 'completed', 1) else redis.call('HINCRBY', KEYS[1], 'failed', 1) end
if ARGV[4] ~= '' then
  redis.call('HINCRBY', KEYS[1], 'n:' .. ARGV[4], 1)
  redis.call('HINCRBYFLOAT', KEYS[1], 'c:' .. ARGV[4], ARGV[5])
  redis.call('HINCRBYFLOAT', KEYS[1], 'x:' .. ARGV[4], ARGV[6])
end
return 1`;

// KEYS: batch. ARGV: from, to. Moves the dispatch cursor if it is still at from.
const ADVANCE = `
local d = tonumber(redis.call('HGET', KEYS[1], 'dispatched') or '0')
if d ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'dispatched', ARGV[2])
return 1`;

// KEYS: batch. ARGV: halt JSON. Only a batch in progress halts, and only once.
const HALT = `
if redis.call('HGET', KEYS[1], 'status') ~= 'in_progress' then return 0 end
return redis.call('HSETNX', KEYS[1], 'halted', ARGV[1])`;

// KEYS: lease. ARGV: owner, ttl ms.
const LEASE = `
local o = redis.call('GET', KEYS[1])
if o == false or o == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

function num(v: string | undefined): number {
  return v === undefined ? 0 : Number(v);
}

/**
 * Batches and files in Redis, one round trip per operation. Progress is durable here: the
 * dispatch cursor, one result per custom_id (`HSETNX`, so a response seen twice counts once)
 * and the counts and spend updated in the same script. Any ingress replica can carry a batch
 * on from this state after another one dies (a lease says which replica feeds it).
 */
export class RedisBatches {
  constructor(private readonly store: Store) {}

  private get redis() {
    return this.store.connection();
  }

  private k(key: string): string {
    return this.store.key(key);
  }

  /** Stores a file's metadata and lists it under its tenant (and purpose), in creation order. */
  async saveFile(file: FileRecord): Promise<void> {
    await this.store.run(() =>
      this.redis.eval(
        SAVE_FILE,
        4,
        this.k(BatchKeys.file(file.id)),
        this.k(BatchKeys.filesByTenant(file.tenantId)),
        this.k(BatchKeys.filesByTenant(file.tenantId, file.purpose)),
        this.k(BatchKeys.seq),
        JSON.stringify(file),
        file.id,
      ),
    );
  }

  /**
   * A tenant's files (of one purpose, when given), newest first (`desc`) or oldest first (`asc`),
   * after the file `after` (exclusive; an unknown `after` gives an empty page). Two round trips.
   */
  async listFiles(tenantId: string, options: { purpose?: string; after?: string; limit: number; order: 'asc' | 'desc' }): Promise<{ files: FileRecord[]; hasMore: boolean }> {
    const key = this.k(BatchKeys.filesByTenant(tenantId, options.purpose));
    const desc = options.order === 'desc';
    let start = 0;
    if (options.after) {
      const rank = await this.store.run(() => (desc ? this.redis.zrevrank(key, options.after!) : this.redis.zrank(key, options.after!)));
      if (rank === null) return { files: [], hasMore: false };
      start = rank + 1;
    }
    const ids = await this.store.run(() => (desc ? this.redis.zrevrange(key, start, start + options.limit) : this.redis.zrange(key, String(start), String(start + options.limit))));
    const page = ids.slice(0, options.limit);
    if (page.length === 0) return { files: [], hasMore: false };
    const raw = await this.store.run(() => this.redis.mget(page.map((id) => this.k(BatchKeys.file(id)))));
    const files = raw.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as FileRecord);
    return { files, hasMore: ids.length > options.limit };
  }

  async file(id: string): Promise<FileRecord | undefined> {
    const raw = await this.store.run(() => this.redis.get(this.k(BatchKeys.file(id))));
    return raw ? (JSON.parse(raw) as FileRecord) : undefined;
  }

  /** Forgets a file's metadata and takes it off its tenant's lists. */
  async deleteFile(file: FileRecord): Promise<void> {
    await this.store.run(() =>
      this.redis
        .multi()
        .del(this.k(BatchKeys.file(file.id)))
        .zrem(this.k(BatchKeys.filesByTenant(file.tenantId)), file.id)
        .zrem(this.k(BatchKeys.filesByTenant(file.tenantId, file.purpose)), file.id)
        .exec(),
    );
  }

  /** Stores a new batch (status `validating`) unless the tenant has `openLimit` open batches (0: no limit). */
  async create(spec: BatchSpec, openLimit: number): Promise<boolean> {
    const r = await this.store.run(() =>
      this.redis.eval(
        CREATE,
        5,
        this.k(BatchKeys.batch(spec.id)),
        this.k(BatchKeys.byTenant(spec.tenantId)),
        this.k(BatchKeys.open(spec.tenantId)),
        this.k(BatchKeys.active),
        this.k(BatchKeys.seq),
        JSON.stringify(spec),
        spec.id,
        openLimit,
      ),
    );
    return r === 1;
  }

  async get(id: string): Promise<BatchRecord | undefined> {
    const h = await this.store.run(() => this.redis.hgetall(this.k(BatchKeys.batch(id))));
    if (!h['spec']) return undefined;
    const spec = JSON.parse(h['spec']) as BatchSpec;
    const times: Record<string, number> = {};
    const spend: Record<string, ModelSpend> = {};
    for (const [f, v] of Object.entries(h)) {
      if (f.endsWith('_at')) times[f] = Number(v);
      else if (f.startsWith('n:')) {
        const m = f.slice(2);
        spend[m] = { requests: Number(v), costUsd: num(h[`c:${m}`]), mostExpensiveCostUsd: num(h[`x:${m}`]) };
      }
    }
    return {
      ...spec,
      status: h['status'] as BatchStatus,
      times,
      outputFileId: h['output_file_id'] || null,
      errorFileId: h['error_file_id'] || null,
      dispatched: num(h['dispatched']),
      completed: num(h['completed']),
      failed: num(h['failed']),
      spend,
      errors: h['errors'] ? (JSON.parse(h['errors']) as BatchRecord['errors']) : [],
      ...(h['halted'] ? { halted: JSON.parse(h['halted']) as BatchHalt } : {}),
    };
  }

  /** A tenant's batches, newest (last created) first, after the batch `after` (exclusive). */
  async list(tenantId: string, after: string | undefined, limit: number): Promise<{ ids: string[]; hasMore: boolean }> {
    const key = this.k(BatchKeys.byTenant(tenantId));
    let start = 0;
    if (after) {
      const rank = await this.store.run(() => this.redis.zrevrank(key, after));
      if (rank === null) return { ids: [], hasMore: false };
      start = rank + 1;
    }
    const ids = await this.store.run(() => this.redis.zrevrange(key, start, start + limit));
    return { ids: ids.slice(0, limit), hasMore: ids.length > limit };
  }

  /**
   * Moves a batch to `to` if its status is one of `from`, stamping `<to>_at` (or `timeField`).
   * @returns the status after the call (undefined for an unknown batch).
   */
  async transition(id: string, from: readonly BatchStatus[], to: BatchStatus, nowS: number, timeField = `${to}_at`): Promise<BatchStatus | undefined> {
    const r = await this.store.run(() => this.redis.eval(TRANSITION, 1, this.k(BatchKeys.batch(id)), to, timeField, nowS, ...from));
    return (r ?? undefined) as BatchStatus | undefined;
  }

  /** Sets the final status, its files and errors, and closes the batch (no longer open or active). */
  async finish(spec: BatchSpec, status: BatchStatus, nowS: number, files: { outputFileId?: string; errorFileId?: string; errors?: BatchRecord['errors']; completed?: number; failed?: number }): Promise<void> {
    const fields: (string | number)[] = ['status', status, `${status}_at`, nowS];
    if (files.completed !== undefined) fields.push('completed', files.completed);
    if (files.failed !== undefined) fields.push('failed', files.failed);
    if (files.outputFileId) fields.push('output_file_id', files.outputFileId);
    if (files.errorFileId) fields.push('error_file_id', files.errorFileId);
    if (files.errors) fields.push('errors', JSON.stringify(files.errors));
    await this.store.run(() =>
      this.redis
        .multi()
        .hset(this.k(BatchKeys.batch(spec.id)), ...fields)
        .srem(this.k(BatchKeys.open(spec.tenantId)), spec.id)
        .srem(this.k(BatchKeys.active), spec.id)
        .del(this.k(BatchKeys.lease(spec.id)))
        .exec(),
    );
  }

  /**
   * Moves the dispatch cursor from `from` to `to` once lines `from..to-1` are on the bus (so a
   * crash before this call republishes them under the same request ids, which the accept
   * markers and the stages deduplicate). False when another replica moved it meanwhile.
   */
  async advance(id: string, from: number, to: number): Promise<boolean> {
    return (await this.store.run(() => this.redis.eval(ADVANCE, 1, this.k(BatchKeys.batch(id)), from, to))) === 1;
  }

  /**
   * Stops a batch in progress from sending more lines (its cursor stays where it is): the lines
   * in flight finish, and the rest are answered with `halt` when the batch is finalised.
   * @returns false when the batch was not in progress or had halted already.
   */
  async halt(id: string, halt: BatchHalt): Promise<boolean> {
    return (await this.store.run(() => this.redis.eval(HALT, 1, this.k(BatchKeys.batch(id)), JSON.stringify(halt)))) === 1;
  }

  /**
   * Records a line's result once per custom_id, with the counts and spend.
   * @returns `recorded`, `duplicate` (seen before), `closed` (the batch is finalizing or final: too late) or `unknown_batch`.
   */
  async record(batchId: string, r: LineResult): Promise<'recorded' | 'duplicate' | 'closed' | 'unknown_batch'> {
    const out = await this.store.run(() =>
      this.redis.eval(RECORD, 2, this.k(BatchKeys.batch(batchId)), this.k(BatchKeys.results(batchId)), r.customId, r.line, r.ok ? '1' : '0', r.model, r.costUsd, r.mostExpensiveCostUsd),
    );
    return out === 1 ? 'recorded' : out === 0 ? 'duplicate' : out === -2 ? 'closed' : 'unknown_batch';
  }

  /** The recorded result lines of these custom_ids (null where none yet), in one round trip. */
  async resultsOf(batchId: string, customIds: readonly string[]): Promise<(string | null)[]> {
    if (customIds.length === 0) return [];
    return this.store.run(() => this.redis.hmget(this.k(BatchKeys.results(batchId)), ...customIds));
  }

  /** Drops the per-line results once the output files are written. */
  async dropResults(batchId: string): Promise<void> {
    await this.store.run(() => this.redis.unlink(this.k(BatchKeys.results(batchId))));
  }

  /** Batches not yet in a final status. */
  async active(): Promise<string[]> {
    return this.store.run(() => this.redis.smembers(this.k(BatchKeys.active)));
  }

  /** Takes or renews the right to feed a batch for `ttlMs`; false while another replica holds it. */
  async lease(batchId: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.store.run(() => this.redis.eval(LEASE, 1, this.k(BatchKeys.lease(batchId)), owner, ttlMs))) === 1;
  }

  /** The batch ids currently open for a tenant. */
  async openCount(tenantId: string): Promise<number> {
    return this.store.run(() => this.redis.scard(this.k(BatchKeys.open(tenantId))));
  }
}
