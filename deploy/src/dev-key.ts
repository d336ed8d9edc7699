import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RedisApiKeys, Store, looksLikeApiKey, type ApiKeyRecord, type NewApiKey } from '@yardmaster/store';
import { resolveCacheDir } from './paths';

/** The tenant of the development key `npm start` prints (and of requests that name none). */
export const DEV_TENANT = 'default';

/** Where `npm start` keeps its development key between runs (git-ignored, mode 0600). */
export function devKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(resolveCacheDir(env), 'dev-api-key');
}

/** Reads the development key `npm start` saved, if there is one (for `yardmaster infer` and `bench`). */
export function readDevKey(file = devKeyPath()): string | undefined {
  if (!existsSync(file)) return undefined;
  const secret = readFileSync(file, 'utf8').trim();
  return looksLikeApiKey(secret) ? secret : undefined;
}

/**
 * Stores an API key in the Redis the services use: `secret` when given (kept when it is
 * already there and not revoked), else a new one. Returns the secret and its record.
 */
export async function provisionApiKey(opts: { redisUrl: string; redisKeyPrefix: string; secret?: string; key?: NewApiKey }): Promise<{ secret: string; key: ApiKeyRecord }> {
  const store = await Store.connect({ url: opts.redisUrl, keyPrefix: opts.redisKeyPrefix });
  try {
    const keys = new RedisApiKeys(store);
    const input: NewApiKey = opts.key ?? { tenantId: DEV_TENANT, name: 'development key' };
    if (opts.secret) {
      const key = await keys.ensure(opts.secret, input);
      if (!key.revoked) return { secret: opts.secret, key };
    }
    return await keys.create(input);
  } finally {
    await store.close();
  }
}

/**
 * The development key of `npm start`: the one saved in {@link devKeyPath} when Redis still
 * holds it unrevoked (or can take it again: a fresh Redis), else a new one, saved for next time.
 */
export async function ensureDevKey(opts: { redisUrl: string; redisKeyPrefix: string; file?: string }): Promise<{ secret: string; key: ApiKeyRecord; file: string }> {
  const file = opts.file ?? devKeyPath();
  const saved = readDevKey(file);
  const { secret, key } = await provisionApiKey({
    redisUrl: opts.redisUrl,
    redisKeyPrefix: opts.redisKeyPrefix,
    ...(saved ? { secret: saved } : {}),
    key: { tenantId: DEV_TENANT, name: 'development key (npm start)' },
  });
  if (secret !== saved) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { secret, key, file };
}
