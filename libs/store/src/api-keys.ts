import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Store } from './index.js';

/** Every API key starts with this, so scanners (and people) recognise one. */
export const API_KEY_PREFIX = 'ym-';

/** `ym-` then 43 base64url characters (32 random bytes). */
const API_KEY_PATTERN = /^ym-[A-Za-z0-9_-]{43}$/;

/** Tenant ids: what `tenant_id` may hold on the wire. */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Tiers are plain labels for now; these are the ones the CLI offers. */
export const API_KEY_TIERS = ['free', 'standard', 'enterprise'] as const;

/** Optional per-key limits; an absent (or 0) limit is no limit. */
export interface ApiKeyLimits {
  /** Requests admitted per minute (a smooth rate with a burst of one minute's worth). */
  readonly requestsPerMinute?: number;
  /** Tokens (input + output, as the providers report them) per minute. */
  readonly tokensPerMinute?: number;
  /** USD the key may spend per UTC day. */
  readonly dailyBudgetUsd?: number;
  /** USD the key may spend per UTC calendar month. */
  readonly monthlyBudgetUsd?: number;
}

/** What is stored for an API key: everything but the secret, which is kept only as its SHA-256. */
export interface ApiKeyRecord {
  /** Non-secret id used to list and revoke it (`key_` + 16 hex). */
  readonly id: string;
  /** Non-secret display form: the prefix and the first 4 characters of the secret (`ym-AbCd…`). */
  readonly hint: string;
  readonly tenantId: string;
  /** `free`, `standard`, `enterprise` (a label for now). */
  readonly tier: string;
  readonly limits: ApiKeyLimits;
  readonly revoked: boolean;
  readonly createdAtMs: number;
  /** Set once revoked. */
  readonly revokedAtMs?: number;
  /** Optional human label. */
  readonly name?: string;
}

/** Input of {@link ApiKeys.create}. */
export interface NewApiKey {
  readonly tenantId: string;
  readonly tier?: string;
  readonly limits?: ApiKeyLimits;
  readonly name?: string;
}

/** Thrown for invalid input to the API-key repository (a bad tenant id, a negative limit). */
export class ApiKeyInputError extends Error {
  readonly code = 'invalid_api_key_input';
  constructor(message: string) {
    super(message);
    this.name = 'ApiKeyInputError';
  }
}

/** SHA-256 (hex) of an API key's secret: the only form in which it is stored. */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new random API key secret (`ym-` + 32 random bytes, base64url). */
export function generateApiKeySecret(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** Whether `text` has the shape of an API key (it may still be unknown or revoked). */
export function looksLikeApiKey(text: string): boolean {
  return API_KEY_PATTERN.test(text);
}

/** The display hint of a secret: never more than the prefix and 4 characters. */
export function apiKeyHint(secret: string): string {
  return `${secret.slice(0, API_KEY_PREFIX.length + 4)}…`;
}

function checkLimit(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < 0) throw new ApiKeyInputError(`${name} must be a number >= 0 (got ${value})`);
}

/** Validates {@link NewApiKey}; returns the normalised input. @throws ApiKeyInputError */
export function checkNewApiKey(input: NewApiKey): Required<Pick<NewApiKey, 'tenantId' | 'tier' | 'limits'>> & { name?: string } {
  if (!TENANT_ID_PATTERN.test(input.tenantId)) throw new ApiKeyInputError(`tenant must be 1-64 characters of letters, digits, ".", "_" or "-" (got "${input.tenantId}")`);
  const tier = input.tier ?? 'standard';
  if (!/^[a-z0-9_-]{1,32}$/.test(tier)) throw new ApiKeyInputError(`tier must be 1-32 characters of a-z, 0-9, "_" or "-" (got "${tier}")`);
  const limits = input.limits ?? {};
  checkLimit('requests per minute', limits.requestsPerMinute);
  checkLimit('tokens per minute', limits.tokensPerMinute);
  checkLimit('daily budget', limits.dailyBudgetUsd);
  checkLimit('monthly budget', limits.monthlyBudgetUsd);
  if (limits.requestsPerMinute !== undefined && !Number.isInteger(limits.requestsPerMinute)) throw new ApiKeyInputError('requests per minute must be a whole number');
  if (limits.tokensPerMinute !== undefined && !Number.isInteger(limits.tokensPerMinute)) throw new ApiKeyInputError('tokens per minute must be a whole number');
  if (input.name !== undefined && input.name.length > 128) throw new ApiKeyInputError('name must be at most 128 characters');
  return { tenantId: input.tenantId, tier, limits, ...(input.name ? { name: input.name } : {}) };
}

/**
 * API keys → tenants. Secrets are never stored: a key is found by the SHA-256 of the
 * secret the caller presents. An abstract class so it is also the dependency-injection
 * token; {@link RedisApiKeys} is the implementation, {@link InMemoryApiKeys} the test twin.
 */
export abstract class ApiKeys {
  /**
   * Creates a key for a tenant. The secret is returned once and never again.
   * @throws ApiKeyInputError for a bad tenant id, tier or limit; StoreError when Redis fails.
   */
  abstract create(input: NewApiKey): Promise<{ secret: string; key: ApiKeyRecord }>;
  /**
   * Stores a key with a secret the caller already holds (the development key that `npm start`
   * keeps across restarts). Returns the existing record when the secret is already stored.
   */
  abstract ensure(secret: string, input: NewApiKey): Promise<ApiKeyRecord>;
  /** The key a presented secret belongs to (revoked ones included), or undefined. One round trip. */
  abstract authenticate(secret: string): Promise<ApiKeyRecord | undefined>;
  /** A key by its id. */
  abstract get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Every key (of one tenant when given), oldest first. */
  abstract list(filter?: { tenantId?: string }): Promise<ApiKeyRecord[]>;
  /** Revokes a key; answers the updated record, or undefined when there is no such key. */
  abstract revoke(id: string): Promise<ApiKeyRecord | undefined>;
  /**
   * Sets a tenant's own limits, shared by all of its keys (a request must pass its key's and its
   * tenant's). An absent or 0 limit is none. @throws ApiKeyInputError
   */
  abstract setTenantLimits(tenantId: string, limits: ApiKeyLimits): Promise<ApiKeyLimits>;
  /** A tenant's own limits (empty when none were set). */
  abstract tenantLimits(tenantId: string): Promise<ApiKeyLimits>;
}

/** Key layout (the store adds its own prefix). */
export const ApiKeyKeys = Object.freeze({
  /** HASH of the key's fields, by the SHA-256 of its secret. */
  byHash: (hash: string) => `apikey:${hash}`,
  /** The SHA-256 of a key's secret, by its id. */
  byId: (id: string) => `apikey-id:${id}`,
  /** SET of every key id. */
  all: () => 'apikeys',
  /** HASH of a tenant's own limits (`rpm`, `tpm`, `budget_day`, `budget_month`). */
  tenant: (tenantId: string) => `tenant:${tenantId}`,
});

function limitFields(l: ApiKeyLimits): Fields {
  return {
    rpm: String(l.requestsPerMinute ?? 0),
    tpm: String(l.tokensPerMinute ?? 0),
    budget_day: String(l.dailyBudgetUsd ?? 0),
    budget_month: String(l.monthlyBudgetUsd ?? 0),
  };
}

function checkTenantLimits(tenantId: string, limits: ApiKeyLimits): ApiKeyLimits {
  return checkNewApiKey({ tenantId, limits }).limits;
}

/** The HASH fields of a key, as stored (numbers as strings, empty for unset). */
type Fields = Record<string, string>;

function toFields(key: ApiKeyRecord): Fields {
  return {
    id: key.id,
    hint: key.hint,
    tenant: key.tenantId,
    tier: key.tier,
    ...limitFields(key.limits),
    revoked: key.revoked ? '1' : '0',
    created: String(key.createdAtMs),
    // Optional fields are absent rather than empty, so HSETNX can set revoked_at once.
    ...(key.revokedAtMs !== undefined ? { revoked_at: String(key.revokedAtMs) } : {}),
    ...(key.name ? { name: key.name } : {}),
  };
}

const positive = (v: string | undefined): number | undefined => {
  const n = Number(v);
  return v && Number.isFinite(n) && n > 0 ? n : undefined;
};

/**
 * Parses a key's stored HASH (also what the door's Lua script returns).
 * @returns undefined when the fields are not a key (empty or damaged).
 */
function limitsFromFields(f: Fields): ApiKeyLimits {
  const limits: { -readonly [K in keyof ApiKeyLimits]: ApiKeyLimits[K] } = {};
  const rpm = positive(f['rpm']);
  const tpm = positive(f['tpm']);
  const day = positive(f['budget_day']);
  const month = positive(f['budget_month']);
  if (rpm !== undefined) limits.requestsPerMinute = rpm;
  if (tpm !== undefined) limits.tokensPerMinute = tpm;
  if (day !== undefined) limits.dailyBudgetUsd = day;
  if (month !== undefined) limits.monthlyBudgetUsd = month;
  return limits;
}

export function apiKeyFromFields(f: Fields): ApiKeyRecord | undefined {
  if (!f['id'] || !f['tenant']) return undefined;
  const limits = limitsFromFields(f);
  return {
    id: f['id'],
    hint: f['hint'] ?? '',
    tenantId: f['tenant'],
    tier: f['tier'] || 'standard',
    limits,
    revoked: f['revoked'] === '1',
    createdAtMs: Number(f['created'] ?? 0),
    ...(f['revoked_at'] ? { revokedAtMs: Number(f['revoked_at']) } : {}),
    ...(f['name'] ? { name: f['name'] } : {}),
  };
}

/** A flat `[field, value, field, value…]` reply as an object. */
export function fieldsFromFlat(flat: readonly string[]): Fields {
  const f: Fields = {};
  for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
  return f;
}

function newRecord(secret: string, input: NewApiKey, nowMs: number): ApiKeyRecord {
  const checked = checkNewApiKey(input);
  return {
    id: `key_${randomBytes(8).toString('hex')}`,
    hint: apiKeyHint(secret),
    tenantId: checked.tenantId,
    tier: checked.tier,
    limits: checked.limits,
    revoked: false,
    createdAtMs: nowMs,
    ...(checked.name ? { name: checked.name } : {}),
  };
}

// KEYS[1] = by-hash key, KEYS[2] = by-id key, KEYS[3] = set of ids; ARGV = id, hash, then field/value pairs.
// Creates the key unless its hash is stored already; returns the stored fields either way.
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HGETALL', KEYS[1]) end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
return redis.call('HGETALL', KEYS[1])
`;

type KeyRedis = Redis & {
  ymCreateApiKey(byHash: string, byId: string, all: string, id: string, hash: string, ...fields: string[]): Promise<string[]>;
};

/** {@link ApiKeys} over Redis: a HASH per key (by the SHA-256 of its secret), an id index and a SET of ids. */
export class RedisApiKeys extends ApiKeys {
  private readonly redis: KeyRedis;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {
    super();
    const redis = store.connection() as KeyRedis;
    if (typeof redis.ymCreateApiKey !== 'function') redis.defineCommand('ymCreateApiKey', { numberOfKeys: 3, lua: CREATE });
    this.redis = redis;
  }

  private k(key: string): string {
    return this.store.key(key);
  }

  private async save(secret: string, record: ApiKeyRecord): Promise<ApiKeyRecord> {
    const hash = hashApiKey(secret);
    const fields = Object.entries(toFields(record)).flat();
    const stored = await this.store.run(() =>
      this.redis.ymCreateApiKey(this.k(ApiKeyKeys.byHash(hash)), this.k(ApiKeyKeys.byId(record.id)), this.k(ApiKeyKeys.all()), record.id, hash, ...fields),
    );
    const parsed = apiKeyFromFields(fieldsFromFlat(stored));
    if (!parsed) throw new Error('the stored API key could not be read back');
    return parsed;
  }

  async create(input: NewApiKey): Promise<{ secret: string; key: ApiKeyRecord }> {
    const secret = generateApiKeySecret();
    const key = await this.save(secret, newRecord(secret, input, this.now()));
    return { secret, key };
  }

  async ensure(secret: string, input: NewApiKey): Promise<ApiKeyRecord> {
    if (!looksLikeApiKey(secret)) throw new ApiKeyInputError(`an API key is "${API_KEY_PREFIX}" followed by 43 base64url characters`);
    return this.save(secret, newRecord(secret, input, this.now()));
  }

  async authenticate(secret: string): Promise<ApiKeyRecord | undefined> {
    if (!looksLikeApiKey(secret)) return undefined;
    const fields = await this.store.run(() => this.redis.hgetall(this.k(ApiKeyKeys.byHash(hashApiKey(secret)))));
    return apiKeyFromFields(fields);
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const hash = await this.store.run(() => this.redis.get(this.k(ApiKeyKeys.byId(id))));
    if (!hash) return undefined;
    return apiKeyFromFields(await this.store.run(() => this.redis.hgetall(this.k(ApiKeyKeys.byHash(hash)))));
  }

  async list(filter: { tenantId?: string } = {}): Promise<ApiKeyRecord[]> {
    const ids = await this.store.run(() => this.redis.smembers(this.k(ApiKeyKeys.all())));
    if (ids.length === 0) return [];
    const hashes = await this.store.run(() => this.redis.mget(ids.map((id) => this.k(ApiKeyKeys.byId(id)))));
    const records = await this.store.run(() => Promise.all(hashes.map((h) => (h ? this.redis.hgetall(this.k(ApiKeyKeys.byHash(h))) : Promise.resolve({})))));
    return records
      .map((f) => apiKeyFromFields(f))
      .filter((r): r is ApiKeyRecord => r !== undefined && (filter.tenantId === undefined || r.tenantId === filter.tenantId))
      .sort((a, b) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id));
  }

  async revoke(id: string): Promise<ApiKeyRecord | undefined> {
    const hash = await this.store.run(() => this.redis.get(this.k(ApiKeyKeys.byId(id))));
    if (!hash) return undefined;
    const key = this.k(ApiKeyKeys.byHash(hash));
    // One round trip; HSETNX keeps the first revocation time when a key is revoked twice.
    const fields = await this.store.run(async () => {
      const results = await this.redis.multi().hset(key, 'revoked', '1').hsetnx(key, 'revoked_at', String(this.now())).hgetall(key).exec();
      const failed = results?.find(([err]) => err);
      if (failed?.[0]) throw failed[0];
      return (results?.[2]?.[1] ?? {}) as Fields;
    });
    return apiKeyFromFields(fields);
  }

  async setTenantLimits(tenantId: string, limits: ApiKeyLimits): Promise<ApiKeyLimits> {
    const checked = checkTenantLimits(tenantId, limits);
    await this.store.run(() => this.redis.hset(this.k(ApiKeyKeys.tenant(tenantId)), limitFields(checked)));
    return limitsFromFields(limitFields(checked));
  }

  async tenantLimits(tenantId: string): Promise<ApiKeyLimits> {
    return limitsFromFields(await this.store.run(() => this.redis.hgetall(this.k(ApiKeyKeys.tenant(tenantId)))));
  }
}

/** An in-memory {@link ApiKeys} with the same behaviour, for unit tests of the services. */
export class InMemoryApiKeys extends ApiKeys {
  private readonly byHash = new Map<string, ApiKeyRecord>();
  private readonly tenants = new Map<string, ApiKeyLimits>();

  setTenantLimits(tenantId: string, limits: ApiKeyLimits): Promise<ApiKeyLimits> {
    try {
      const checked = limitsFromFields(limitFields(checkTenantLimits(tenantId, limits)));
      this.tenants.set(tenantId, checked);
      return Promise.resolve(checked);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  tenantLimits(tenantId: string): Promise<ApiKeyLimits> {
    return Promise.resolve(this.tenants.get(tenantId) ?? {});
  }

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  create(input: NewApiKey): Promise<{ secret: string; key: ApiKeyRecord }> {
    const secret = generateApiKeySecret();
    const key = newRecord(secret, input, this.now());
    this.byHash.set(hashApiKey(secret), key);
    return Promise.resolve({ secret, key });
  }

  ensure(secret: string, input: NewApiKey): Promise<ApiKeyRecord> {
    if (!looksLikeApiKey(secret)) return Promise.reject(new ApiKeyInputError(`an API key is "${API_KEY_PREFIX}" followed by 43 base64url characters`));
    const hash = hashApiKey(secret);
    let key = this.byHash.get(hash);
    if (!key) this.byHash.set(hash, (key = newRecord(secret, input, this.now())));
    return Promise.resolve(key);
  }

  authenticate(secret: string): Promise<ApiKeyRecord | undefined> {
    return Promise.resolve(this.byHash.get(hashApiKey(secret)));
  }

  get(id: string): Promise<ApiKeyRecord | undefined> {
    return Promise.resolve([...this.byHash.values()].find((k) => k.id === id));
  }

  list(filter: { tenantId?: string } = {}): Promise<ApiKeyRecord[]> {
    return Promise.resolve([...this.byHash.values()].filter((k) => filter.tenantId === undefined || k.tenantId === filter.tenantId));
  }

  revoke(id: string): Promise<ApiKeyRecord | undefined> {
    for (const [hash, k] of this.byHash) {
      if (k.id !== id) continue;
      const revoked = { ...k, revoked: true, revokedAtMs: k.revokedAtMs ?? this.now() };
      this.byHash.set(hash, revoked);
      return Promise.resolve(revoked);
    }
    return Promise.resolve(undefined);
  }
}
