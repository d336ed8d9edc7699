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
  /** Output tokens of the scored answer, when known (the router learns the model's answer length, so its cost, per cell). */
  outputTokens?: number;
}

/** Summed scores and their number for one level and model. */
export interface EvidenceSums {
  level: string;
  model: string;
  sum: number;
  n: number;
  /** Summed output tokens of the answers that reported them, and their number. */
  tokens?: number;
  tokensN?: number;
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

// KEYS[1] = evidence hash, KEYS[2] = seen marker; ARGV = ttl, score, model, output tokens (-1 = unknown), level...
const RECORD = `
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then return 0 end
local tokens = tonumber(ARGV[4])
for i = 5, #ARGV do
  local base = ARGV[i] .. '${SEP}' .. ARGV[3] .. '${SEP}'
  redis.call('HINCRBYFLOAT', KEYS[1], base .. 'sum', ARGV[2])
  redis.call('HINCRBY', KEYS[1], base .. 'n', 1)
  if tokens >= 0 then
    redis.call('HINCRBY', KEYS[1], base .. 'tokens', tokens)
    redis.call('HINCRBY', KEYS[1], base .. 'tn', 1)
  end
end
return 1
`;

/** Hash field suffixes and the row property each one holds. */
const FIELDS = { sum: 'sum', n: 'n', tokens: 'tokens', tn: 'tokensN' } as const;

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
    const tokens = e.outputTokens !== undefined && Number.isFinite(e.outputTokens) && e.outputTokens >= 0 ? Math.round(e.outputTokens) : -1;
    const added = await this.store.run(() =>
      this.redis.ymFeedbackRecord(this.store.key(FeedbackKeys.evidence), this.store.key(FeedbackKeys.seen(e.requestId)), dedupeTtlSeconds, score, e.model, tokens, ...e.levels),
    );
    return added === 1;
  }

  async snapshot(): Promise<EvidenceSums[]> {
    const all = await this.store.run(() => this.redis.hgetall(this.store.key(FeedbackKeys.evidence)));
    const rows = new Map<string, EvidenceSums>();
    for (const [field, value] of Object.entries(all)) {
      const [level, model, kind] = field.split(SEP);
      if (!level || !model || !kind || !Object.hasOwn(FIELDS, kind)) continue;
      const k = `${level}${SEP}${model}`;
      const row = rows.get(k) ?? { level, model, sum: 0, n: 0, tokens: 0, tokensN: 0 };
      row[FIELDS[kind as keyof typeof FIELDS]] = Number(value);
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
        const base = `${r.level}${SEP}${r.model}${SEP}`;
        m.hincrbyfloat(key, `${base}sum`, r.sum).hincrby(key, `${base}n`, r.n);
        if (r.tokensN) m.hincrby(key, `${base}tokens`, Math.round(r.tokens ?? 0)).hincrby(key, `${base}tn`, r.tokensN);
      }
      return m.exec();
    });
  }
}
