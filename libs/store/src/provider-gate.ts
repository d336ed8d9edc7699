import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Store } from './index.js';

/**
 * One shared limit a provider call counts against: requests and tokens per window
 * (RPM/TPM with a 60 s window) and calls in flight, across every replica of every pool
 * that names the same scope. `name` is e.g. `provider`, `model:gpt-4o`, `tenant:acme`.
 * A limit of 0 (or absent) is no limit.
 */
export interface GateScope {
  readonly name: string;
  readonly rpm?: number | undefined;
  readonly tpm?: number | undefined;
  readonly maxInFlight?: number | undefined;
}

/** How a deployment's shared circuit breaker opens and recovers. */
export interface BreakerPolicy {
  /** Opens after this many provider faults in a row. */
  readonly consecutiveFailures: number;
  /** …or when this share of calls in the window failed (0..1)… */
  readonly failureRatio: number;
  /** …once the window holds at least this many calls. */
  readonly minCalls: number;
  /** The error-ratio window (sliding over two buckets). */
  readonly windowMs: number;
  /** How long it stays open the first time; doubles each time a probe fails, up to `maxOpenMs`. */
  readonly openMs: number;
  readonly maxOpenMs: number;
  /** A half-open probe holds the probe slot this long at most (its worker may die). */
  readonly probeMs: number;
}

/** Defaults: 5 faults in a row, or half of ≥ 20 calls in 10 s; open 5 s, doubling up to 20 s (recovery is seen within 20 s even after a long outage). */
export const DEFAULT_BREAKER: BreakerPolicy = Object.freeze({ consecutiveFailures: 5, failureRatio: 0.5, minCalls: 20, windowMs: 10_000, openMs: 5_000, maxOpenMs: 20_000, probeMs: 30_000 });

/** An admitted call: hand it back to {@link ProviderGate.settle} exactly once. */
export interface GateLease {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly scopes: readonly GateScope[];
  /** This call is the half-open probe: its outcome closes or re-opens the breaker. */
  readonly probe: boolean;
}

/** Why a call may not go out now. */
export type GateDenial =
  /** The deployment's breaker is open (or another replica's probe is out). */
  | 'circuit_open'
  /** The provider throttled us (429 / Retry-After): every replica waits. */
  | 'cooldown'
  /** A shared RPM or TPM limit is used up for now. */
  | 'rate_limited'
  /** The shared in-flight limit is reached. */
  | 'saturated'
  /** The call alone needs more tokens than a TPM limit allows: it can never go out. */
  | 'too_large';

/** What {@link ProviderGate.admit} decided. */
export type Admission =
  | { readonly admitted: true; readonly lease: GateLease; readonly headroom: number | undefined }
  | { readonly admitted: false; readonly reason: GateDenial; readonly scope: string; readonly retryAtMs: number };

/** How a call ended, for the breaker: `fault` is the provider's failure, `neutral` says nothing about its health. */
export type CallVerdict = 'ok' | 'fault' | 'neutral';

/** What {@link ProviderGate.settle} changed. */
export interface Settlement {
  /** The breaker moved: `opened` (until `openUntilMs`) or `closed`. */
  readonly transition: 'opened' | 'closed' | undefined;
  readonly openUntilMs: number;
  /** The deployment's shared cooldown end (epoch ms; 0 or past when none). */
  readonly cooldownUntilMs: number;
}

/** A breaker's shared state (tests, metrics). */
export interface BreakerState {
  readonly state: 'closed' | 'open' | 'half_open';
  readonly openUntilMs: number;
  readonly consecutiveFailures: number;
}

/**
 * Admission control for provider calls, shared by every replica through Redis: the
 * deployment's circuit breaker (opened by consecutive faults or an error ratio, one
 * half-open probe at a time, closed by the probe's success), the provider's cooldown after
 * a 429, and RPM / TPM / in-flight limits per scope. Each of {@link admit} and
 * {@link settle} is one atomic round trip (Lua, with Redis's clock, so replicas with
 * skewed clocks still share one window). Nothing is cached in a replica: a breaker a
 * sibling opened or a cooldown it set applies to the next call everywhere.
 *
 * Counters cannot leak: a request counts in the RPM/TPM window for 60 s from when it
 * was sent and then leaves it (whether it finished, timed out or its worker died); an
 * in-flight slot is a lease that {@link settle} releases and that expires by itself after
 * `leaseMs`; a probe slot expires after the policy's `probeMs`.
 */
export abstract class ProviderGate {
  /**
   * Asks to send one call to `provider`/`model` counting `tokens` (the reservation: prompt
   * estimate plus the output budget) against every scope.
   * @param leaseMs how long the in-flight slot is held at most (the attempt's timeout plus a margin).
   */
  abstract admit(args: { provider: string; model: string; scopes: readonly GateScope[]; tokens: number; leaseMs: number }): Promise<Admission>;
  /**
   * Ends an admitted call: releases its in-flight slots, replaces its token reservation by
   * `actualTokens` (when the provider reported usage), records the verdict in the breaker
   * and, after a 429, extends the deployment's cooldown to `cooldownUntilMs` (a later
   * cooldown never shortens a longer one).
   */
  abstract settle(lease: GateLease, outcome: { verdict: CallVerdict; actualTokens?: number | undefined; cooldownUntilMs?: number | undefined }): Promise<Settlement>;
  /** The breaker's shared state. */
  abstract breaker(provider: string, model: string): Promise<BreakerState>;
}

/** Key layout (the store adds its prefix). One hash tag per provider keeps a pool's keys in one Redis Cluster slot. */
export const GateKeys = Object.freeze({
  breaker: (provider: string, model: string) => `gate:{${provider}}:cb:${model}`,
  cooldown: (provider: string, model: string) => `gate:{${provider}}:cool:${model}`,
  log: (provider: string, scope: string) => `gate:{${provider}}:rl:${scope}:log`,
  tokens: (provider: string, scope: string) => `gate:{${provider}}:rl:${scope}:tok`,
  running: (provider: string, scope: string) => `gate:{${provider}}:rl:${scope}:run`,
});

/** Width of the RPM/TPM window. */
export const RATE_WINDOW_MS = 60_000;

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

// Drops what left the window (requests older than the window, expired in-flight leases).
const PRUNE = `
local function prune(log, tok, run, now, window)
  local old = redis.call('ZRANGEBYSCORE', log, '-inf', now - window)
  if #old > 0 then
    local freed = 0
    for _, m in ipairs(old) do freed = freed + tonumber(redis.call('HGET', tok, m) or '0') end
    redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window)
    redis.call('HDEL', tok, unpack(old))
    redis.call('HINCRBY', tok, '_sum', -freed)
  end
  redis.call('ZREMRANGEBYSCORE', run, '-inf', now)
end
`;

// KEYS: breaker, cooldown, then (log, tokens, running) per scope.
// ARGV: lease id, tokens, lease ms, window ms, probe ms, then (rpm, tpm, max in flight) per scope.
// Returns {'ok', probe(0/1), headroom per mille (-1 unknown)} or {denial, scope index, retry at ms}.
const ADMIT = `${NOW}${PRUNE}
local id, tokens, leaseMs, window, probeMs = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local cool = tonumber(redis.call('GET', KEYS[2]) or '0')
if cool > now then return {'cooldown', 0, cool} end
local cb = redis.call('HMGET', KEYS[1], 'state', 'until', 'probe')
local state, openUntil, probeUntil = cb[1] or 'closed', tonumber(cb[2] or '0'), tonumber(cb[3] or '0')
local probe = 0
if state == 'open' then
  if now < openUntil then return {'circuit_open', 0, openUntil} end
  state = 'half'
  redis.call('HSET', KEYS[1], 'state', 'half')
end
if state == 'half' then
  if probeUntil > now then return {'circuit_open', 0, probeUntil} end
  probe = 1
end
local nscopes = (#KEYS - 2) / 3
local headroom = -1
for i = 0, nscopes - 1 do
  local log, tok, run = KEYS[3 + i * 3], KEYS[4 + i * 3], KEYS[5 + i * 3]
  local rpm, tpm, maxrun = tonumber(ARGV[6 + i * 3]), tonumber(ARGV[7 + i * 3]), tonumber(ARGV[8 + i * 3])
  prune(log, tok, run, now, window)
  local denial, retry = nil, 0
  if maxrun > 0 then
    local n = redis.call('ZCARD', run)
    if n >= maxrun then
      denial = 'saturated'
      retry = tonumber(redis.call('ZRANGE', run, 0, 0, 'WITHSCORES')[2])
    end
  end
  if not denial and rpm > 0 then
    local n = redis.call('ZCARD', log)
    if n >= rpm then
      denial = 'rate_limited'
      retry = tonumber(redis.call('ZRANGE', log, n - rpm, n - rpm, 'WITHSCORES')[2]) + window
    else
      local h = (rpm - n - 1) / rpm
      if headroom < 0 or h < headroom then headroom = h end
    end
  end
  if not denial and tpm > 0 then
    if tokens > tpm then return {'too_large', i, 0} end
    local sum = tonumber(redis.call('HGET', tok, '_sum') or '0')
    if sum + tokens > tpm then
      denial = 'rate_limited'
      local need = sum + tokens - tpm
      local entries = redis.call('ZRANGE', log, 0, -1, 'WITHSCORES')
      retry = now + window
      for j = 1, #entries, 2 do
        need = need - tonumber(redis.call('HGET', tok, entries[j]) or '0')
        if need <= 0 then retry = tonumber(entries[j + 1]) + window break end
      end
    else
      local h = (tpm - sum - tokens) / tpm
      if headroom < 0 or h < headroom then headroom = h end
    end
  end
  if denial then return {denial, i, retry} end
end
for i = 0, nscopes - 1 do
  local log, tok, run = KEYS[3 + i * 3], KEYS[4 + i * 3], KEYS[5 + i * 3]
  redis.call('ZADD', log, now, id)
  redis.call('HSET', tok, id, tokens)
  redis.call('HINCRBY', tok, '_sum', tokens)
  redis.call('PEXPIRE', log, window + leaseMs)
  redis.call('PEXPIRE', tok, window + leaseMs)
  if tonumber(ARGV[8 + i * 3]) > 0 then
    redis.call('ZADD', run, now + leaseMs, id)
    redis.call('PEXPIRE', run, window + leaseMs)
  end
end
if probe == 1 then redis.call('HSET', KEYS[1], 'probe', now + probeMs) end
return {'ok', probe, headroom < 0 and -1 or math.floor(headroom * 1000)}
`;

// KEYS: breaker, cooldown, then (log, tokens, running) per scope.
// ARGV: lease id, actual tokens (-1 keep), verdict, probe (0/1), cooldown until (0 none),
//       consecutive, ratio per mille, min calls, window ms, open ms, max open ms.
// Returns {transition ('none'|'opened'|'closed'), open until, cooldown until}.
const SETTLE = `${NOW}
local id, actual, verdict, probe, coolUntil = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4] == '1', tonumber(ARGV[5])
local consecutive, ratio, minCalls, bwindow, openMs, maxOpen = tonumber(ARGV[6]), tonumber(ARGV[7]) / 1000, tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])
for i = 3, #KEYS, 3 do
  redis.call('ZREM', KEYS[i + 2], id)
  if actual >= 0 then
    local old = redis.call('HGET', KEYS[i + 1], id)
    if old then
      redis.call('HSET', KEYS[i + 1], id, actual)
      redis.call('HINCRBY', KEYS[i + 1], '_sum', actual - tonumber(old))
    end
  end
end
local cool = tonumber(redis.call('GET', KEYS[2]) or '0')
if coolUntil > cool and coolUntil > now then
  redis.call('SET', KEYS[2], coolUntil, 'PX', coolUntil - now)
  cool = coolUntil
end
local f = redis.call('HMGET', KEYS[1], 'state', 'until', 'fails', 'wstart', 'wok', 'wfail', 'pok', 'pfail', 'opens', 'probe')
local state, openUntil = f[1] or 'closed', tonumber(f[2] or '0')
local fails, wstart, wok, wfail = tonumber(f[3] or '0'), tonumber(f[4] or '0'), tonumber(f[5] or '0'), tonumber(f[6] or '0')
local pok, pfail, opens = tonumber(f[7] or '0'), tonumber(f[8] or '0'), tonumber(f[9] or '0')
local bucket = now - (now % bwindow)
if bucket ~= wstart then
  if bucket - wstart == bwindow then pok, pfail = wok, wfail else pok, pfail = 0, 0 end
  wok, wfail, wstart = 0, 0, bucket
end
local transition = 'none'
if verdict == 'ok' then
  fails = 0
  wok = wok + 1
  if state == 'half' and probe then
    state, openUntil, opens = 'closed', 0, 0
    wok, wfail, pok, pfail = 1, 0, 0, 0
    transition = 'closed'
  end
elseif verdict == 'fault' then
  fails = fails + 1
  wfail = wfail + 1
  local reopen = false
  if state == 'half' and probe then
    reopen = true
  elseif state == 'closed' then
    -- the previous bucket counts for the part of it still inside the sliding window
    local weight = 1 - (now - wstart) / bwindow
    local total = wok + wfail + (pok + pfail) * weight
    local failed = wfail + pfail * weight
    reopen = fails >= consecutive or (total >= minCalls and failed / total >= ratio)
  end
  if reopen then
    openUntil = now + math.min(maxOpen, openMs * (2 ^ opens))
    opens = opens + 1
    state = 'open'
    transition = 'opened'
  end
end
local probeField = f[10] or '0'
if probe then probeField = '0' end
redis.call('HSET', KEYS[1], 'state', state, 'until', openUntil, 'fails', fails, 'wstart', wstart, 'wok', wok, 'wfail', wfail, 'pok', pok, 'pfail', pfail, 'opens', opens, 'probe', probeField)
redis.call('PEXPIRE', KEYS[1], math.max(bwindow * 2, maxOpen * 2, 600000))
return {transition, openUntil, cool}
`;

type GateRedis = Redis & {
  ymGateAdmit(numKeys: number, ...args: (string | number)[]): Promise<[string, number, number]>;
  ymGateSettle(numKeys: number, ...args: (string | number)[]): Promise<[string, number, number]>;
};

/** {@link ProviderGate} over Redis: one Lua script per admission and one per settlement. */
export class RedisProviderGate extends ProviderGate {
  private readonly redis: GateRedis;

  constructor(
    private readonly store: Store,
    private readonly policy: BreakerPolicy = DEFAULT_BREAKER,
    /** The RPM/TPM window; shorter only in tests. */
    private readonly windowMs = RATE_WINDOW_MS,
  ) {
    super();
    const redis = store.connection() as GateRedis;
    if (typeof redis.ymGateAdmit !== 'function') {
      redis.defineCommand('ymGateAdmit', { lua: ADMIT });
      redis.defineCommand('ymGateSettle', { lua: SETTLE });
    }
    this.redis = redis;
  }

  private keys(provider: string, model: string, scopes: readonly GateScope[]): string[] {
    const k = (key: string) => this.store.key(key);
    return [
      k(GateKeys.breaker(provider, model)),
      k(GateKeys.cooldown(provider, model)),
      ...scopes.flatMap((s) => [k(GateKeys.log(provider, s.name)), k(GateKeys.tokens(provider, s.name)), k(GateKeys.running(provider, s.name))]),
    ];
  }

  async admit(args: { provider: string; model: string; scopes: readonly GateScope[]; tokens: number; leaseMs: number }): Promise<Admission> {
    const id = randomUUID();
    const keys = this.keys(args.provider, args.model, args.scopes);
    const argv = [id, Math.max(0, Math.ceil(args.tokens)), Math.max(1, Math.ceil(args.leaseMs)), this.windowMs, this.policy.probeMs, ...args.scopes.flatMap((s) => [s.rpm ?? 0, s.tpm ?? 0, s.maxInFlight ?? 0])];
    const [status, a, b] = await this.store.run(() => this.redis.ymGateAdmit(keys.length, ...keys, ...argv));
    if (status === 'ok') {
      return { admitted: true, lease: { id, provider: args.provider, model: args.model, scopes: args.scopes, probe: a === 1 }, headroom: b < 0 ? undefined : b / 1000 };
    }
    const scope = status === 'cooldown' || status === 'circuit_open' ? `${args.provider}/${args.model}` : (args.scopes[a]?.name ?? '');
    return { admitted: false, reason: status as GateDenial, scope, retryAtMs: b };
  }

  async settle(lease: GateLease, outcome: { verdict: CallVerdict; actualTokens?: number | undefined; cooldownUntilMs?: number | undefined }): Promise<Settlement> {
    const keys = this.keys(lease.provider, lease.model, lease.scopes);
    const p = this.policy;
    const argv = [
      lease.id,
      outcome.actualTokens === undefined ? -1 : Math.max(0, Math.round(outcome.actualTokens)),
      outcome.verdict,
      lease.probe ? 1 : 0,
      Math.round(outcome.cooldownUntilMs ?? 0),
      p.consecutiveFailures,
      Math.round(p.failureRatio * 1000),
      p.minCalls,
      p.windowMs,
      p.openMs,
      p.maxOpenMs,
    ];
    const [transition, openUntil, cooldown] = await this.store.run(() => this.redis.ymGateSettle(keys.length, ...keys, ...argv));
    return { transition: transition === 'none' ? undefined : (transition as 'opened' | 'closed'), openUntilMs: Number(openUntil), cooldownUntilMs: Number(cooldown) };
  }

  async breaker(provider: string, model: string): Promise<BreakerState> {
    const [state, until, fails] = await this.store.run(() => this.redis.hmget(this.store.key(GateKeys.breaker(provider, model)), 'state', 'until', 'fails'));
    return { state: state === 'open' ? 'open' : state === 'half' ? 'half_open' : 'closed', openUntilMs: Number(until ?? 0), consecutiveFailures: Number(fails ?? 0) };
  }
}
