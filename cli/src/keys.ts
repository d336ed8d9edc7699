import { redactUrl } from '@yardmaster/config';
import { ApiKeyInputError, RedisAdmissionControl, RedisApiKeys, Store, type ApiKeyLimits, type ApiKeyRecord, type Spend } from '@yardmaster/store';

/** Where the key commands find Redis: the same variables the services read. */
export interface KeysConnection {
  redisUrl: string;
  keyPrefix: string;
}

/** How long a command keeps trying to reach Redis (the services keep trying for 30 s). */
export const CLI_REDIS_CONNECT_MS = 5_000;

/** `REDIS_URL` / `REDIS_KEY_PREFIX`, with the services' defaults. */
export function keysConnection(env: NodeJS.ProcessEnv = process.env): KeysConnection {
  return { redisUrl: env['REDIS_URL'] || 'redis://127.0.0.1:6379', keyPrefix: env['REDIS_KEY_PREFIX'] ?? 'ym:' };
}

/** A number option: undefined when absent. @throws ApiKeyInputError when it is not a number. */
function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new ApiKeyInputError(`${name} must be a number (got "${value}")`);
  return n;
}

async function withKeys<T>(conn: KeysConnection, fn: (keys: RedisApiKeys, store: Store) => Promise<T>): Promise<T> {
  // A person is waiting: a Redis that is down fails the command after a few seconds, not thirty.
  const store = await Store.connect({ url: conn.redisUrl, keyPrefix: conn.keyPrefix, connectTimeoutMs: CLI_REDIS_CONNECT_MS });
  try {
    return await fn(new RedisApiKeys(store), store);
  } finally {
    await store.close();
  }
}

/** A key as the CLI prints it (never the secret, which is not stored). */
export function describeKey(k: ApiKeyRecord, spend?: Spend): Record<string, unknown> {
  return {
    id: k.id,
    key: k.hint,
    tenant: k.tenantId,
    tier: k.tier,
    ...(k.name ? { name: k.name } : {}),
    limits: k.limits,
    ...(spend ? { spent_today_usd: spend.dayUsd, spent_this_month_usd: spend.monthUsd } : {}),
    revoked: k.revoked,
    created: new Date(k.createdAtMs).toISOString(),
    ...(k.revokedAtMs !== undefined ? { revoked_at: new Date(k.revokedAtMs).toISOString() } : {}),
  };
}

function limitsText(l: ApiKeyLimits): string {
  const parts = [
    l.requestsPerMinute ? `${l.requestsPerMinute} req/min` : '',
    l.tokensPerMinute ? `${l.tokensPerMinute} tok/min` : '',
    l.dailyBudgetUsd ? `$${l.dailyBudgetUsd}/day` : '',
    l.monthlyBudgetUsd ? `$${l.monthlyBudgetUsd}/month` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'none';
}

function fail(err: unknown, conn: KeysConnection): number {
  if (err instanceof ApiKeyInputError) {
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.stderr.write(`(Redis: ${redactUrl(conn.redisUrl)}, key prefix "${conn.keyPrefix}"; set REDIS_URL / REDIS_KEY_PREFIX to the system's)\n`);
  return 1;
}

/** `yardmaster keys create`: prints the new key's secret once (it is stored only hashed). */
export async function keysCreateCommand(
  opts: { tenant: string; tier?: string; name?: string; rpm?: string; tpm?: string; budgetUsd?: string; monthlyBudgetUsd?: string; json?: boolean },
  conn: KeysConnection = keysConnection(),
): Promise<number> {
  try {
    const limits: { -readonly [K in keyof ApiKeyLimits]: ApiKeyLimits[K] } = {};
    const rpm = numberOption('--rpm', opts.rpm);
    const tpm = numberOption('--tpm', opts.tpm);
    const day = numberOption('--budget-usd', opts.budgetUsd);
    const month = numberOption('--monthly-budget-usd', opts.monthlyBudgetUsd);
    if (rpm) limits.requestsPerMinute = rpm;
    if (tpm) limits.tokensPerMinute = tpm;
    if (day) limits.dailyBudgetUsd = day;
    if (month) limits.monthlyBudgetUsd = month;
    const { secret, key } = await withKeys(conn, (keys) =>
      keys.create({ tenantId: opts.tenant, ...(opts.tier ? { tier: opts.tier } : {}), ...(opts.name ? { name: opts.name } : {}), limits }),
    );
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ secret, ...describeKey(key) })}\n`);
    } else {
      process.stdout.write(`${secret}\n`);
      process.stderr.write(`created ${key.id} for tenant ${key.tenantId} (tier ${key.tier}; limits: ${limitsText(key.limits)}).\n`);
      process.stderr.write('The key is shown only now: it is stored hashed. Send it as "Authorization: Bearer <key>".\n');
    }
    return 0;
  } catch (err) {
    return fail(err, conn);
  }
}

/** `yardmaster keys list`: one line per key (or JSON lines) with its spend today and this month (UTC), never a secret. */
export async function keysListCommand(opts: { tenant?: string; json?: boolean }, conn: KeysConnection = keysConnection()): Promise<number> {
  try {
    const { list, spends } = await withKeys(conn, async (keys, store) => {
      const found = await keys.list(opts.tenant ? { tenantId: opts.tenant } : {});
      const door = new RedisAdmissionControl(store);
      return { list: found, spends: await Promise.all(found.map((k) => door.spend(k.id))) };
    });
    if (opts.json) {
      list.forEach((k, i) => process.stdout.write(`${JSON.stringify(describeKey(k, spends[i]))}\n`));
      return 0;
    }
    if (list.length === 0) {
      process.stdout.write(`no keys${opts.tenant ? ` for tenant ${opts.tenant}` : ''}\n`);
      return 0;
    }
    const usd = (x: number) => `$${x.toFixed(4)}`;
    const rows = list.map((k, i) => [k.id, k.hint, k.tenantId, k.tier, k.revoked ? 'revoked' : 'active', limitsText(k.limits), usd(spends[i]!.dayUsd), usd(spends[i]!.monthUsd), new Date(k.createdAtMs).toISOString()]);
    const header = ['ID', 'KEY', 'TENANT', 'TIER', 'STATE', 'LIMITS', 'TODAY', 'MONTH', 'CREATED'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [header, ...rows]) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
    return 0;
  } catch (err) {
    return fail(err, conn);
  }
}

/** `yardmaster keys revoke ID`: the key stops authenticating at once, on every ingress replica. */
export async function keysRevokeCommand(id: string, conn: KeysConnection = keysConnection()): Promise<number> {
  try {
    const key = await withKeys(conn, (keys) => keys.revoke(id));
    if (!key) {
      process.stderr.write(`no key ${id} (list them with \`yardmaster keys list\`)\n`);
      return 1;
    }
    process.stdout.write(`revoked ${key.id} (${key.hint}, tenant ${key.tenantId})\n`);
    return 0;
  } catch (err) {
    return fail(err, conn);
  }
}

/**
 * `yardmaster keys tenant --tenant T [--rpm N] [--tpm N] [--budget-usd X] [--monthly-budget-usd X]`:
 * a tenant's own limits, shared by all its keys. Options given are set (0 removes one), the
 * others kept; prints the limits and the tenant's spend today and this month.
 */
export async function keysTenantCommand(
  opts: { tenant: string; rpm?: string; tpm?: string; budgetUsd?: string; monthlyBudgetUsd?: string; json?: boolean },
  conn: KeysConnection = keysConnection(),
): Promise<number> {
  try {
    const given: { -readonly [K in keyof ApiKeyLimits]: ApiKeyLimits[K] } = {};
    const rpm = numberOption('--rpm', opts.rpm);
    const tpm = numberOption('--tpm', opts.tpm);
    const day = numberOption('--budget-usd', opts.budgetUsd);
    const month = numberOption('--monthly-budget-usd', opts.monthlyBudgetUsd);
    if (rpm !== undefined) given.requestsPerMinute = rpm;
    if (tpm !== undefined) given.tokensPerMinute = tpm;
    if (day !== undefined) given.dailyBudgetUsd = day;
    if (month !== undefined) given.monthlyBudgetUsd = month;
    const { limits, spend } = await withKeys(conn, async (keys, store) => {
      let current = await keys.tenantLimits(opts.tenant);
      if (Object.keys(given).length > 0) current = await keys.setTenantLimits(opts.tenant, { ...current, ...given });
      return { limits: current, spend: await new RedisAdmissionControl(store).tenantSpend(opts.tenant) };
    });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ tenant: opts.tenant, limits, spent_today_usd: spend.dayUsd, spent_this_month_usd: spend.monthUsd })}\n`);
    } else {
      process.stdout.write(`tenant ${opts.tenant}: limits ${limitsText(limits)}; spent $${spend.dayUsd.toFixed(4)} today, $${spend.monthUsd.toFixed(4)} this month (UTC)\n`);
    }
    return 0;
  } catch (err) {
    return fail(err, conn);
  }
}
