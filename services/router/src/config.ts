import { resolve } from 'node:path';
import { bool, commonConfig, commonEnv, int, parseEnv, z, type CommonConfig } from '@yardmaster/config';

const schema = z.object({
  ...commonEnv,
  ROUTER_CATALOG_PATH: z.string().default(resolve(__dirname, '..', 'catalog.yaml')),
  ROUTER_CONCURRENCY: int(1, 4096).default(256),
  ROUTER_MAX_ATTEMPTS: int(1, 20).default(3),
  /** How often the catalog file is re-read (besides file-system events): ConfigMap symlink swaps. */
  ROUTER_CATALOG_POLL_MS: int(100, 600000).default(2000),
  /** How often the provider-health cache is refreshed from Redis, in the background. */
  ROUTER_HEALTH_REFRESH_MS: int(50, 60000).default(500),
  /** Publish every decision to llm.decisions.v1 (the audit trail). */
  ROUTER_PUBLISH_DECISIONS: bool().default(true),
  /** Conversations whose model this replica remembers locally (in front of Redis). */
  ROUTER_AFFINITY_CACHE_SIZE: int(0, 10_000_000).default(100_000),
  /** How long a locally remembered conversation is trusted before Redis is asked again. */
  ROUTER_AFFINITY_LOCAL_TTL_MS: int(0, 86_400_000).default(60_000),
});

/** The router's validated configuration. */
export class RouterConfig {
  constructor(
    readonly common: CommonConfig,
    readonly catalogPath: string,
    readonly concurrency: number,
    readonly maxAttempts: number,
    readonly catalogPollMs: number,
    readonly healthRefreshMs: number,
    readonly publishDecisions: boolean,
    readonly affinityCacheSize: number,
    readonly affinityLocalTtlMs: number,
  ) {}

  /** @throws ConfigError listing every invalid variable. */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): RouterConfig {
    const e = parseEnv(schema, env);
    return new RouterConfig(
      commonConfig(e, 'router'),
      e.ROUTER_CATALOG_PATH,
      e.ROUTER_CONCURRENCY,
      e.ROUTER_MAX_ATTEMPTS,
      e.ROUTER_CATALOG_POLL_MS,
      e.ROUTER_HEALTH_REFRESH_MS,
      e.ROUTER_PUBLISH_DECISIONS,
      e.ROUTER_AFFINITY_CACHE_SIZE,
      e.ROUTER_AFFINITY_LOCAL_TTL_MS,
    );
  }
}
