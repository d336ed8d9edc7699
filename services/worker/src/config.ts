import { commonConfig, commonEnv, int, parseEnv, z, type CommonConfig } from '@yardmaster/config';
import { isValidPoolName } from '@yardmaster/contracts';

const schema = z.object({
  ...commonEnv,
  WORKER_POOL: z.string().refine(isValidPoolName, 'pool name: lowercase letters, digits and dashes'),
  PROVIDER_BASE_URL: z.url(),
  PROVIDER_API_KEY: z.string().optional(),
  WORKER_CONCURRENCY: int(1, 10000).default(64),
  PROVIDER_TIMEOUT_MS: int(100, 600000).default(60000),
  PROVIDER_MAX_ATTEMPTS: int(1, 10).default(3),
  PROVIDER_RETRY_BASE_MS: int(1, 60000).default(200),
  WORKER_DEDUPE_TTL_S: int(1, 7 * 24 * 3600).default(3600),
});

/** A worker pool's validated configuration. */
export class WorkerConfig {
  constructor(
    readonly common: CommonConfig,
    readonly pool: string,
    readonly provider: { baseUrl: string; apiKey: string | undefined; timeoutMs: number; maxAttempts: number; retryBaseMs: number },
    readonly concurrency: number,
    readonly dedupeTtlSeconds: number,
  ) {}

  /** @throws ConfigError listing every invalid variable. */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): WorkerConfig {
    const e = parseEnv(schema, env);
    return new WorkerConfig(
      commonConfig(e, `worker-${e.WORKER_POOL}`),
      e.WORKER_POOL,
      { baseUrl: e.PROVIDER_BASE_URL, apiKey: e.PROVIDER_API_KEY, timeoutMs: e.PROVIDER_TIMEOUT_MS, maxAttempts: e.PROVIDER_MAX_ATTEMPTS, retryBaseMs: e.PROVIDER_RETRY_BASE_MS },
      e.WORKER_CONCURRENCY,
      e.WORKER_DEDUPE_TTL_S,
    );
  }
}
