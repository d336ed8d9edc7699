import type { Redis } from 'ioredis';
import { ApiKeyKeys, apiKeyFromFields, fieldsFromFlat, type ApiKeyRecord } from './api-keys.js';
import type { Store } from './index.js';

/** The limits the door enforces per key. */
export type DoorLimit = 'requests_per_minute' | 'tokens_per_minute' | 'daily_budget_usd' | 'monthly_budget_usd';

/** A rate limit's state after a decision, for `x-ratelimit-*` headers. */
export interface RateState {
  readonly limit: number;
  readonly remaining: number;
  /** Milliseconds until the limit is back to its full allowance. */
  readonly resetMs: number;
}

/** What the door asks for one request. */
export interface AdmitInput {
  /** SHA-256 of the presented API key; omitted when authentication is disabled (then `tenantId` is the caller). */
  readonly keyHash?: string;
  /** The caller's tenant when there is no key (authentication disabled). */
  readonly tenantId?: string;
  readonly requestId: string;
  /**
   * A digest of the request body when the caller names the request id (an idempotency key):
   * a later request with the same id and a different digest is refused (`mismatch`).
   */
  readonly fingerprint?: string;
  /** How long the request id stays owned by the tenant (as long as it is remembered for idempotency). */
  readonly ttlSeconds: number;
  /** The time used for the budget periods (UTC day and month); default now. */
  readonly nowMs?: number;
}

/** The door's decision on one request. */
export type Admission =
  /**
   * Let in. `fresh` is false when the tenant used this request id before (a retry): a retry costs
   * nothing against the limits and gets the first request's answer.
   */
  | { readonly outcome: 'admitted'; readonly tenantId: string; readonly key?: ApiKeyRecord; readonly fresh: boolean; readonly requests?: RateState; readonly tokens?: RateState }
  /** No key has this hash. */
  | { readonly outcome: 'unknown_key' }
  | { readonly outcome: 'revoked_key'; readonly key: ApiKeyRecord }
  /** The request id belongs to another tenant. */
  | { readonly outcome: 'conflict'; readonly tenantId: string }
  /** The tenant used this request id before for a different request (another fingerprint). */
  | { readonly outcome: 'mismatch'; readonly tenantId: string }
  /** Over a limit: `limit` says which, `value` its size, `retryAfterMs` when to come back. */
  | {
      readonly outcome: 'limited';
      readonly tenantId: string;
      /** The caller's key (none when authentication is disabled and a tenant limit refused). */
      readonly key?: ApiKeyRecord;
      /** Whose limit: the key's own or its tenant's (shared by all of the tenant's keys). */
      readonly scope: 'key' | 'tenant';
      readonly limit: DoorLimit;
      readonly value: number;
      /** What was used of it (requests or tokens in the window, USD spent in the period). */
      readonly used: number;
      readonly retryAfterMs: number;
      readonly requests?: RateState;
      readonly tokens?: RateState;
    };

/** Usage of one finished request, charged to the key that sent it. */
export interface UsageInput {
  readonly requestId: string;
  /**
   * The batch the request is a line of: when the request has no owner record (batch lines are
   * never admitted one by one), it is charged to the batch's owner record, which the door wrote
   * when the batch was created.
   */
  readonly batchId?: string;
  readonly tokens: number;
  readonly costUsd: number;
  /** The time used for the budget periods; default now. */
  readonly nowMs?: number;
}

/** Whether the owner of a request id (a batch, say) still has budget in the current UTC day and month. */
export type BudgetCheck =
  /** No owner record (unknown, expired, or not from the door): nothing to check against. */
  | { readonly outcome: 'unknown' }
  | { readonly outcome: 'within'; readonly tenantId: string; readonly keyId?: string }
  /** A daily or monthly budget is spent: `limit` says which, `value` its size, `used` the spend. */
  | {
      readonly outcome: 'spent';
      readonly tenantId: string;
      readonly keyId?: string;
      readonly scope: 'key' | 'tenant';
      readonly limit: 'daily_budget_usd' | 'monthly_budget_usd';
      readonly value: number;
      readonly used: number;
      /** Milliseconds until the budget's period ends. */
      readonly retryAfterMs: number;
    };

/** A key's spend in the current UTC day and month. */
export interface Spend {
  readonly dayUsd: number;
  readonly monthUsd: number;
}

/**
 * The door's shared state: API-key authentication, the tenant that owns each request id,
 * rate limits and budgets per key, all in Redis so every ingress replica enforces the same
 * limits. {@link Admission.admit} is one Lua round trip per request; {@link recordUsage} one
 * per finished request (and idempotent: a response seen twice is charged once).
 */
export abstract class AdmissionControl {
  /** Authenticates, checks ownership of the request id, checks and takes the rate limits. */
  abstract admit(input: AdmitInput): Promise<Admission>;
  /**
   * Charges a finished request's tokens and cost to the key that sent it (found from the request
   * id's owner record). Charged once per request id, however often it is called.
   * @returns whether this call charged it.
   */
  abstract recordUsage(input: UsageInput): Promise<boolean>;
  /**
   * Checks the daily and monthly budgets (the key's and its tenant's) of the caller that owns a
   * request id, without taking anything: how a running batch learns that its owner's budget is
   * spent. One round trip.
   */
  abstract budget(requestId: string, nowMs?: number): Promise<BudgetCheck>;
  /** The tenant that owns each request id (undefined when unknown, expired, or not from the door). */
  abstract owners(requestIds: readonly string[]): Promise<(string | undefined)[]>;
  /** A key's spend in the current UTC day and month. */
  abstract spend(keyId: string, nowMs?: number): Promise<Spend>;
  /** A tenant's spend (all its keys) in the current UTC day and month. */
  abstract tenantSpend(tenantId: string, nowMs?: number): Promise<Spend>;
}

/** Key layout (the store adds its own prefix). */
export const AdmissionKeys = Object.freeze({
  /** `<tenant>|<key id>|<fingerprint>` of a request id. */
  owner: (requestId: string) => `owner:${requestId}`,
  /** Set once a request's usage was charged. */
  charged: (requestId: string) => `charged:${requestId}`,
  /** GCRA theoretical arrival time (epoch ms) of a key's requests. */
  requests: (keyId: string) => `rl:req:${keyId}`,
  /** GCRA theoretical arrival time (epoch ms) of a key's tokens. */
  tokens: (keyId: string) => `rl:tok:${keyId}`,
  /** Micro-USD spent by a key (or a tenant, scope `tenant:<id>`) in a UTC day (`YYYYMMDD`) or month (`YYYYMM`). */
  spendDay: (keyId: string, day: string) => `spend:${keyId}:d:${day}`,
  spendMonth: (keyId: string, month: string) => `spend:${keyId}:m:${month}`,
});

/** The budget periods of a time: UTC day and month stamps and the milliseconds until each ends. */
export function budgetPeriods(nowMs: number): { day: string; month: string; msToDayEnd: number; msToMonthEnd: number } {
  const d = new Date(nowMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const month = `${y}${String(m + 1).padStart(2, '0')}`;
  const day = `${month}${String(d.getUTCDate()).padStart(2, '0')}`;
  return { day, month, msToDayEnd: Date.UTC(y, m, d.getUTCDate() + 1) - nowMs, msToMonthEnd: Date.UTC(y, m + 1, 1) - nowMs };
}

const MICRO = 1_000_000;
/** A minute: the window of the per-minute limits (and their burst). */
const WINDOW_MS = 60_000;

// Shared by both scripts: the current time from Redis (every replica sees one clock).
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

// KEYS[1] = the key's HASH (by the hash of its secret; a dummy when ARGV[2] is '0'), KEYS[2] = owner key.
// ARGV: 1 store prefix, 2 '1' when a key is presented, 3 tenant when not, 4 fingerprint, 5 owner ttl s,
//       6 day stamp, 7 month stamp, 8 ms to day end, 9 ms to month end.
// Limits apply in two scopes, the key's (counters `<name>:<key id>`) and the tenant's (`<name>:tenant:<id>`,
// limits in the tenant's HASH); a request must pass both, and only then are the counters taken.
// Returns {outcome, fields, ...}; numbers travel as strings (Lua numbers would be truncated to integers).
const ADMIT = `
local prefix = ARGV[1]
local function hash(flat)
  local f = {}
  for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end
  return f
end
local function limits(f)
  return {tonumber(f['rpm'] or '0') or 0, tonumber(f['tpm'] or '0') or 0, tonumber(f['budget_day'] or '0') or 0, tonumber(f['budget_month'] or '0') or 0}
end
local fields = {}
local tenant = ARGV[3]
local keyId = ''
local kl = {0, 0, 0, 0}
if ARGV[2] == '1' then
  fields = redis.call('HGETALL', KEYS[1])
  if #fields == 0 then return {'unknown_key'} end
  local f = hash(fields)
  if f['revoked'] == '1' then return {'revoked_key', fields} end
  tenant = f['tenant']
  keyId = f['id']
  kl = limits(f)
end
local owner = redis.call('GET', KEYS[2])
if owner then
  local otenant = string.match(owner, '^([^|]*)|')
  local ofp = string.match(owner, '|([^|]*)$') or ''
  if otenant ~= tenant then return {'conflict', fields} end
  if ARGV[4] ~= '' and ofp ~= '' and ofp ~= ARGV[4] then return {'mismatch', fields} end
  return {'retry', fields}
end
local tl = limits(hash(redis.call('HGETALL', prefix .. 'tenant:' .. tenant)))
${NOW}
local window = ${WINDOW_MS}
-- Checks one scope's limits; returns a refusal, or nil with the request and token states and the new request TAT.
local function check(scope, label, l)
  local rstate = {'', '', ''}
  local tstate = {'', '', ''}
  local newTat = 0
  if l[1] > 0 then
    local T = window / l[1]
    local tat = tonumber(redis.call('GET', prefix .. 'rl:req:' .. scope) or '0') or 0
    if tat < now then tat = now end
    newTat = tat + T
    if newTat - now > window + 0.001 then
      return {'limited', fields, label, 'requests_per_minute', tostring(l[1]), tostring(math.floor((tat - now) / T + 0.5)), tostring(math.ceil(newTat - now - window)), tostring(l[1]), '0', tostring(math.ceil(tat - now)), '', '', ''}
    end
    rstate = {tostring(l[1]), tostring(math.floor((window - (newTat - now)) / T + 0.000001)), tostring(math.ceil(newTat - now))}
  end
  if l[2] > 0 then
    local Tt = window / l[2]
    local ttat = tonumber(redis.call('GET', prefix .. 'rl:tok:' .. scope) or '0') or 0
    if ttat < now then ttat = now end
    local remaining = math.floor((window - (ttat - now)) / Tt)
    if remaining < 0 then remaining = 0 end
    tstate = {tostring(l[2]), tostring(remaining), tostring(math.ceil(ttat - now))}
    if ttat - now >= window then
      return {'limited', fields, label, 'tokens_per_minute', tostring(l[2]), tostring(math.floor((ttat - now) / Tt + 0.5)), tostring(math.ceil(ttat - now - window + Tt)), rstate[1], rstate[2], rstate[3], tstate[1], tstate[2], tstate[3]}
    end
  end
  if l[3] > 0 then
    local spent = tonumber(redis.call('GET', prefix .. 'spend:' .. scope .. ':d:' .. ARGV[6]) or '0') or 0
    if spent >= l[3] * ${MICRO} then
      return {'limited', fields, label, 'daily_budget_usd', tostring(l[3]), tostring(spent / ${MICRO}), ARGV[8], rstate[1], rstate[2], rstate[3], tstate[1], tstate[2], tstate[3]}
    end
  end
  if l[4] > 0 then
    local spent = tonumber(redis.call('GET', prefix .. 'spend:' .. scope .. ':m:' .. ARGV[7]) or '0') or 0
    if spent >= l[4] * ${MICRO} then
      return {'limited', fields, label, 'monthly_budget_usd', tostring(l[4]), tostring(spent / ${MICRO}), ARGV[9], rstate[1], rstate[2], rstate[3], tstate[1], tstate[2], tstate[3]}
    end
  end
  return nil, rstate, tstate, newTat
end
local refusal, kr, kt, kTat = check(keyId, 'key', kl)
if refusal then return refusal end
local trefusal, tr, tt, tTat = check('tenant:' .. tenant, 'tenant', tl)
if trefusal then return trefusal end
redis.call('SET', KEYS[2], tenant .. '|' .. keyId .. '|' .. ARGV[4], 'EX', ARGV[5])
if kl[1] > 0 then redis.call('SET', prefix .. 'rl:req:' .. keyId, string.format('%.3f', kTat), 'PX', math.ceil(kTat - now)) end
if tl[1] > 0 then redis.call('SET', prefix .. 'rl:req:tenant:' .. tenant, string.format('%.3f', tTat), 'PX', math.ceil(tTat - now)) end
-- The headers show the key's limits where it has them, else the tenant's.
local rs = kr
if kl[1] == 0 then rs = tr end
local ts = kt
if kl[2] == 0 then ts = tt end
return {'admitted', fields, rs[1], rs[2], rs[3], ts[1], ts[2], ts[3]}
`;

// KEYS[1] = owner key, KEYS[2] = charged marker, KEYS[3] = the owner key of the request's batch
// (used when the request has no owner record; KEYS[1] again when there is no batch).
// ARGV: 1 store prefix, 2 tokens, 3 micro-USD, 4 day stamp, 5 month stamp, 6 marker ttl s.
// Charges the key and its tenant. Returns 1 when charged now, 0 otherwise.
const RECORD = `
local prefix = ARGV[1]
local owner = redis.call('GET', KEYS[1])
if not owner then owner = redis.call('GET', KEYS[3]) end
if not owner then return 0 end
local tenant, keyId = string.match(owner, '^([^|]*)|([^|]*)|')
if not tenant then return 0 end
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[6]) then return 0 end
local cost = tonumber(ARGV[3])
local tokens = tonumber(ARGV[2])
${NOW}
local function charge(scope, tpm)
  if cost > 0 then
    local d = prefix .. 'spend:' .. scope .. ':d:' .. ARGV[4]
    redis.call('INCRBY', d, cost)
    redis.call('EXPIRE', d, 2 * 86400)
    local m = prefix .. 'spend:' .. scope .. ':m:' .. ARGV[5]
    redis.call('INCRBY', m, cost)
    redis.call('EXPIRE', m, 35 * 86400)
  end
  if tokens > 0 and tpm > 0 then
    local tkey = prefix .. 'rl:tok:' .. scope
    local tat = tonumber(redis.call('GET', tkey) or '0') or 0
    if tat < now then tat = now end
    tat = tat + tokens * (${WINDOW_MS} / tpm)
    redis.call('SET', tkey, string.format('%.3f', tat), 'PX', math.ceil(tat - now))
  end
end
if keyId ~= '' then
  local hash = redis.call('GET', prefix .. '${ApiKeyKeys.byId('')}' .. keyId)
  local tpm = 0
  if hash then tpm = tonumber(redis.call('HGET', prefix .. '${ApiKeyKeys.byHash('')}' .. hash, 'tpm') or '0') or 0 end
  charge(keyId, tpm)
end
charge('tenant:' .. tenant, tonumber(redis.call('HGET', prefix .. 'tenant:' .. tenant, 'tpm') or '0') or 0)
return 1
`;

// KEYS[1] = owner key. ARGV: 1 store prefix, 2 day stamp, 3 month stamp, 4 ms to day end, 5 ms to month end.
// Reads the key's and the tenant's budgets and spend; takes nothing.
// Returns {'unknown'}, {'within', tenant, keyId} or {'spent', tenant, keyId, scope, limit, value, used, retry ms}.
const BUDGET = `
local prefix = ARGV[1]
local owner = redis.call('GET', KEYS[1])
if not owner then return {'unknown'} end
local tenant, keyId = string.match(owner, '^([^|]*)|([^|]*)|')
if not tenant then return {'unknown'} end
local function over(scope, label, limits)
  local day = tonumber(limits[1] or '0') or 0
  local month = tonumber(limits[2] or '0') or 0
  if day > 0 then
    local spent = tonumber(redis.call('GET', prefix .. 'spend:' .. scope .. ':d:' .. ARGV[2]) or '0') or 0
    if spent >= day * ${MICRO} then return {'spent', tenant, keyId, label, 'daily_budget_usd', tostring(day), tostring(spent / ${MICRO}), ARGV[4]} end
  end
  if month > 0 then
    local spent = tonumber(redis.call('GET', prefix .. 'spend:' .. scope .. ':m:' .. ARGV[3]) or '0') or 0
    if spent >= month * ${MICRO} then return {'spent', tenant, keyId, label, 'monthly_budget_usd', tostring(month), tostring(spent / ${MICRO}), ARGV[5]} end
  end
  return nil
end
if keyId ~= '' then
  local hash = redis.call('GET', prefix .. '${ApiKeyKeys.byId('')}' .. keyId)
  if hash then
    local r = over(keyId, 'key', redis.call('HMGET', prefix .. '${ApiKeyKeys.byHash('')}' .. hash, 'budget_day', 'budget_month'))
    if r then return r end
  end
end
local r = over('tenant:' .. tenant, 'tenant', redis.call('HMGET', prefix .. 'tenant:' .. tenant, 'budget_day', 'budget_month'))
if r then return r end
return {'within', tenant, keyId}
`;

type AdmitReply = string[] & { 1?: string[] };

type AdmissionRedis = Redis & {
  ymAdmit(keyHashKey: string, ownerKey: string, ...argv: string[]): Promise<AdmitReply>;
  ymRecordUsage(ownerKey: string, chargedKey: string, batchOwnerKey: string, ...argv: string[]): Promise<number>;
  ymBudget(ownerKey: string, ...argv: string[]): Promise<string[]>;
};

function rate(limit: string | undefined, remaining: string | undefined, reset: string | undefined): RateState | undefined {
  if (!limit) return undefined;
  return { limit: Number(limit), remaining: Math.max(0, Number(remaining)), resetMs: Math.max(0, Number(reset)) };
}

/** Parses the ADMIT script's reply. */
function parseAdmit(reply: unknown[]): Admission {
  const outcome = reply[0] as string;
  const fields = Array.isArray(reply[1]) ? fieldsFromFlat(reply[1] as string[]) : {};
  const key = apiKeyFromFields(fields);
  const s = (i: number) => (typeof reply[i] === 'string' ? (reply[i]) : undefined);
  switch (outcome) {
    case 'unknown_key':
      return { outcome };
    case 'revoked_key':
      return key ? { outcome, key } : { outcome: 'unknown_key' };
    case 'conflict':
      return { outcome, tenantId: key?.tenantId ?? '' };
    case 'mismatch':
      return { outcome, tenantId: key?.tenantId ?? '' };
    case 'retry':
      return { outcome: 'admitted', tenantId: key?.tenantId ?? '', ...(key ? { key } : {}), fresh: false };
    case 'limited': {
      const requests = rate(s(7), s(8), s(9));
      const tokens = rate(s(10), s(11), s(12));
      return {
        outcome,
        tenantId: key?.tenantId ?? '',
        ...(key ? { key } : {}),
        scope: s(2) === 'tenant' ? 'tenant' : 'key',
        limit: s(3) as DoorLimit,
        value: Number(s(4)),
        used: Number(s(5)),
        retryAfterMs: Math.max(1, Number(s(6))),
        ...(requests ? { requests } : {}),
        ...(tokens ? { tokens } : {}),
      };
    }
    default: {
      const requests = rate(s(2), s(3), s(4));
      const tokens = rate(s(5), s(6), s(7));
      return { outcome: 'admitted', tenantId: key?.tenantId ?? '', ...(key ? { key } : {}), fresh: true, ...(requests ? { requests } : {}), ...(tokens ? { tokens } : {}) };
    }
  }
}

/** {@link AdmissionControl} over Redis: one Lua script per admission and per usage record. */
export class RedisAdmissionControl extends AdmissionControl {
  private readonly redis: AdmissionRedis;

  constructor(private readonly store: Store) {
    super();
    const redis = store.connection() as AdmissionRedis;
    if (typeof redis.ymAdmit !== 'function') {
      redis.defineCommand('ymAdmit', { numberOfKeys: 2, lua: ADMIT });
      redis.defineCommand('ymRecordUsage', { numberOfKeys: 3, lua: RECORD });
      redis.defineCommand('ymBudget', { numberOfKeys: 1, lua: BUDGET });
    }
    this.redis = redis;
  }

  private k(key: string): string {
    return this.store.key(key);
  }

  async admit(input: AdmitInput): Promise<Admission> {
    if (input.fingerprint?.includes('|')) throw new Error('a fingerprint must not contain "|"');
    const p = budgetPeriods(input.nowMs ?? Date.now());
    const withKey = input.keyHash !== undefined;
    // The tenant of a keyless caller is part of the owner record, whose fields are split at `|`.
    const tenant = withKey ? '' : (input.tenantId ?? '').replaceAll('|', '');
    const reply = await this.store.run(() =>
      this.redis.ymAdmit(
        this.k(ApiKeyKeys.byHash(withKey ? input.keyHash : '-')),
        this.k(AdmissionKeys.owner(input.requestId)),
        this.store.key(''),
        withKey ? '1' : '0',
        tenant,
        input.fingerprint ?? '',
        String(input.ttlSeconds),
        p.day,
        p.month,
        String(p.msToDayEnd),
        String(p.msToMonthEnd),
      ),
    );
    const admission = parseAdmit(reply);
    // Without a key the script has no record to read the tenant from.
    if (!withKey && (admission.outcome === 'admitted' || admission.outcome === 'mismatch' || admission.outcome === 'conflict' || admission.outcome === 'limited')) return { ...admission, tenantId: tenant };
    return admission;
  }

  async recordUsage(input: UsageInput): Promise<boolean> {
    const p = budgetPeriods(input.nowMs ?? Date.now());
    const micro = Math.max(0, Math.round(input.costUsd * MICRO));
    const tokens = Math.max(0, Math.round(input.tokens));
    const charged = await this.store.run(() =>
      this.redis.ymRecordUsage(
        this.k(AdmissionKeys.owner(input.requestId)),
        this.k(AdmissionKeys.charged(input.requestId)),
        this.k(AdmissionKeys.owner(input.batchId ?? input.requestId)),
        this.store.key(''),
        String(tokens),
        String(micro),
        p.day,
        p.month,
        String(2 * 86400),
      ),
    );
    return charged === 1;
  }

  async budget(requestId: string, nowMs = Date.now()): Promise<BudgetCheck> {
    const p = budgetPeriods(nowMs);
    const r = await this.store.run(() => this.redis.ymBudget(this.k(AdmissionKeys.owner(requestId)), this.store.key(''), p.day, p.month, String(p.msToDayEnd), String(p.msToMonthEnd)));
    if (r[0] === 'unknown') return { outcome: 'unknown' };
    const who = { tenantId: r[1] ?? '', ...(r[2] ? { keyId: r[2] } : {}) };
    if (r[0] === 'within') return { outcome: 'within', ...who };
    return {
      outcome: 'spent',
      ...who,
      scope: r[3] === 'tenant' ? 'tenant' : 'key',
      limit: r[4] === 'monthly_budget_usd' ? 'monthly_budget_usd' : 'daily_budget_usd',
      value: Number(r[5]),
      used: Number(r[6]),
      retryAfterMs: Math.max(1, Number(r[7])),
    };
  }

  async owners(requestIds: readonly string[]): Promise<(string | undefined)[]> {
    if (requestIds.length === 0) return [];
    const values = await this.store.run(() => this.redis.mget(requestIds.map((id) => this.k(AdmissionKeys.owner(id)))));
    return values.map((v) => (v ? v.slice(0, v.indexOf('|')) : undefined));
  }

  async spend(keyId: string, nowMs = Date.now()): Promise<Spend> {
    const p = budgetPeriods(nowMs);
    const [day, month] = await this.store.run(() => this.redis.mget(this.k(AdmissionKeys.spendDay(keyId, p.day)), this.k(AdmissionKeys.spendMonth(keyId, p.month))));
    return { dayUsd: Number(day ?? 0) / MICRO, monthUsd: Number(month ?? 0) / MICRO };
  }

  tenantSpend(tenantId: string, nowMs = Date.now()): Promise<Spend> {
    // The tenant's counters use the scope `tenant:<id>` (key ids never contain ':').
    return this.spend(`tenant:${tenantId}`, nowMs);
  }
}

/**
 * An in-memory {@link AdmissionControl} for unit tests of the services: authentication
 * (through `lookup`), request-id ownership and fingerprints like the Redis one; it enforces
 * no rate limits or budgets (those are tested against Redis) and charges nothing.
 */
export class InMemoryAdmissionControl extends AdmissionControl {
  readonly ownerOf = new Map<string, { tenantId: string; fingerprint: string }>();

  constructor(private readonly lookup: (keyHash: string) => ApiKeyRecord | undefined = () => undefined) {
    super();
  }

  admit(input: AdmitInput): Promise<Admission> {
    let tenantId = input.tenantId ?? '';
    let key: ApiKeyRecord | undefined;
    if (input.keyHash !== undefined) {
      key = this.lookup(input.keyHash);
      if (!key) return Promise.resolve({ outcome: 'unknown_key' });
      if (key.revoked) return Promise.resolve({ outcome: 'revoked_key', key });
      tenantId = key.tenantId;
    }
    const owner = this.ownerOf.get(input.requestId);
    if (owner && owner.tenantId !== tenantId) return Promise.resolve({ outcome: 'conflict', tenantId });
    if (owner && input.fingerprint && owner.fingerprint && owner.fingerprint !== input.fingerprint) return Promise.resolve({ outcome: 'mismatch', tenantId });
    if (!owner) this.ownerOf.set(input.requestId, { tenantId, fingerprint: input.fingerprint ?? '' });
    return Promise.resolve({ outcome: 'admitted', tenantId, ...(key ? { key } : {}), fresh: !owner });
  }

  recordUsage(): Promise<boolean> {
    return Promise.resolve(false);
  }

  budget(requestId: string): Promise<BudgetCheck> {
    const owner = this.ownerOf.get(requestId);
    return Promise.resolve(owner ? { outcome: 'within', tenantId: owner.tenantId } : { outcome: 'unknown' });
  }

  owners(requestIds: readonly string[]): Promise<(string | undefined)[]> {
    return Promise.resolve(requestIds.map((id) => this.ownerOf.get(id)?.tenantId));
  }

  spend(): Promise<Spend> {
    return Promise.resolve({ dayUsd: 0, monthUsd: 0 });
  }

  tenantSpend(): Promise<Spend> {
    return Promise.resolve({ dayUsd: 0, monthUsd: 0 });
  }
}
