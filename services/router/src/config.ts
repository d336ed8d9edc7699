import { resolve } from 'node:path';
import { commonConfig, commonEnv, int, parseEnv, z, type CommonConfig } from '@yardmaster/config';

const schema = z.object({
  ...commonEnv,
  ROUTER_CATALOG_PATH: z.string().default(resolve(__dirname, '..', 'catalog.yaml')),
  ROUTER_CONCURRENCY: int(1, 4096).default(256),
  ROUTER_MAX_ATTEMPTS: int(1, 20).default(3),
});

/** The router's validated configuration. */
export class RouterConfig {
  constructor(
    readonly common: CommonConfig,
    readonly catalogPath: string,
    readonly concurrency: number,
    readonly maxAttempts: number,
  ) {}

  /** @throws ConfigError listing every invalid variable. */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): RouterConfig {
    const e = parseEnv(schema, env);
    return new RouterConfig(commonConfig(e, 'router'), e.ROUTER_CATALOG_PATH, e.ROUTER_CONCURRENCY, e.ROUTER_MAX_ATTEMPTS);
  }
}
