import { commonConfig, commonEnv, int, parseEnv, z, type CommonConfig } from '@yardmaster/config';

const schema = z.object({
  ...commonEnv,
  AGGREGATOR_CONCURRENCY: int(1, 4096).default(256),
  AGGREGATOR_MAX_ATTEMPTS: int(1, 20).default(5),
  /** How long final responses stay readable through GetResponse, and duplicates are recognised. */
  RESPONSE_TTL_S: int(60, 30 * 24 * 3600).default(24 * 3600),
  /** How long a multi-model plan's join state (its parts) and cancel markers stay in Redis. */
  PLAN_STATE_TTL_S: int(60, 7 * 24 * 3600).default(3600),
});

/** The aggregator's validated configuration. */
export class AggregatorConfig {
  constructor(
    readonly common: CommonConfig,
    readonly concurrency: number,
    readonly maxAttempts: number,
    readonly responseTtlSeconds: number,
    /** How long a plan's join state and cancel markers stay in Redis (longer than any request's deadline). */
    readonly planTtlSeconds = 3600,
  ) {}

  /** @throws ConfigError listing every invalid variable. */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): AggregatorConfig {
    const e = parseEnv(schema, env);
    return new AggregatorConfig(commonConfig(e, 'aggregator'), e.AGGREGATOR_CONCURRENCY, e.AGGREGATOR_MAX_ATTEMPTS, e.RESPONSE_TTL_S, e.PLAN_STATE_TTL_S);
  }
}
