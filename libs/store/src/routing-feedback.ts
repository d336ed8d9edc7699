import type { Redis } from 'ioredis';
import type { Store } from './index.js';

/** One feedback score to learn from: the levels of its request's cell (coarse to fine), the model that answered, the score. */
export interface FeedbackEvidence {
  requestId: string;
  /** e.g. `math`, `math|high`, `math|high|mathematics`. */
  levels: readonly string[];
  model: string;
  /** In [0, 1]. */
  score: number;
}

/** Summed scores and their number for one level and model. */
export interface EvidenceSums {
  level: string;
  model: string;
  sum: number;
  n: number;
}

/**
 * The evidence the router learns model quality from, shared by every router replica:
 * summed feedback scores and counts per (cell level, model), in one Redis hash. Each
 * request's feedback counts once (a redelivered or repeated message is dropped) in one
 * round trip. The hash can be rebuilt from `llm.feedback.v1` by replaying it.
 */
export abstract class RoutingFeedback {
  /** Adds one request's score at every level of its cell. @returns false when this request's feedback was counted already. */
  abstract record(evidence: FeedbackEvidence, dedupeTtlSeconds: number): Promise<boolean>;
  /** Every (level, model) sum. */
  abstract snapshot(): Promise<EvidenceSums[]>;
  /** Adds pre-summed evidence (offline bootstrap: `yardmaster router fit`). */
  abstract addSums(rows: readonly EvidenceSums[]): Promise<void>;
}

export const FeedbackKeys = Object.freeze({
  evidence: 'learn:evidence',
  seen: (requestId: string) => `learn:seen:${requestId}`,
});

const SEP = '\u001f';

// KEYS[1] = evidence hash, KEYS[2] = seen marker; ARGV = ttl, score, model, level...
const RECORD = `
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then return 0 end
for i = 4, #ARGV do
  local base = ARGV[i] .. '${SEP}' .. ARGV[3] .. '${SEP}'
  redis.call('HINCRBYFLOAT', KEYS[1], base .. 'sum', ARGV[2])
  redis.call('HINCRBY', KEYS[1], base .. 'n', 1)
end
return 1
`;

type ScriptRedis = Redis & { ymFeedbackRecord(evidence: string, seen: string, ...args: (string | number)[]): Promise<number> };

function check(what: string, value: string): void {
  if (value.includes(SEP)) throw new Error(`${what} must not contain U+001F`);
}

/** {@link RoutingFeedback} in Redis. */
export class RedisRoutingFeedback extends RoutingFeedback {
  private readonly redis: ScriptRedis;

  constructor(private readonly store: Store) {
    super();
    const redis = store.connection() as ScriptRedis;
    if (typeof redis.ymFeedbackRecord !== 'function') redis.defineCommand('ymFeedbackRecord', { numberOfKeys: 2, lua: RECORD });
    this.redis = redis;
  }

  async record(e: FeedbackEvidence, dedupeTtlSeconds: number): Promise<boolean> {
    check('model', e.model);
    for (const l of e.levels) check('level', l);
    const score = Math.min(1, Math.max(0, e.score));
    const added = await this.store.run(() =>
      this.redis.ymFeedbackRecord(this.store.key(FeedbackKeys.evidence), this.store.key(FeedbackKeys.seen(e.requestId)), dedupeTtlSeconds, score, e.model, ...e.levels),
    );
    return added === 1;
  }

  async snapshot(): Promise<EvidenceSums[]> {
    const all = await this.store.run(() => this.redis.hgetall(this.store.key(FeedbackKeys.evidence)));
    const rows = new Map<string, EvidenceSums>();
    for (const [field, value] of Object.entries(all)) {
      const [level, model, kind] = field.split(SEP);
      if (!level || !model || (kind !== 'sum' && kind !== 'n')) continue;
      const k = `${level}${SEP}${model}`;
      const row = rows.get(k) ?? { level, model, sum: 0, n: 0 };
      row[kind] = Number(value);
      rows.set(k, row);
    }
    return [...rows.values()];
  }

  async addSums(rows: readonly EvidenceSums[]): Promise<void> {
    if (rows.length === 0) return;
    const key = this.store.key(FeedbackKeys.evidence);
    await this.store.run(() => {
      const m = this.redis.multi();
      for (const r of rows) {
        check('model', r.model);
        check('level', r.level);
        m.hincrbyfloat(key, `${r.level}${SEP}${r.model}${SEP}sum`, r.sum).hincrby(key, `${r.level}${SEP}${r.model}${SEP}n`, r.n);
      }
      return m.exec();
    });
  }
}
