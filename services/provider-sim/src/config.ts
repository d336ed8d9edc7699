import { commonConfig, commonEnv, int, parseEnv, z, type CommonConfig } from '@yardmaster/config';

const schema = z.object({
  ...commonEnv,
  HTTP_PORT: int(0, 65535).default(8090),
  /** Base latency of every completion. */
  SIM_LATENCY_MS: int(0, 600000).default(0),
  /** Extra latency per output token (simulates generation speed). */
  SIM_LATENCY_PER_TOKEN_MS: z.coerce.number().min(0).max(1000).default(0),
  /** Uniform random jitter added to the latency. */
  SIM_JITTER_MS: int(0, 600000).default(0),
  /** Largest request body accepted. */
  SIM_MAX_BODY: z.string().regex(/^\d+(kb|mb)$/, 'e.g. 20mb').default('20mb'),
});

/** provider-sim's validated configuration. */
export class SimConfig {
  constructor(
    readonly common: CommonConfig,
    readonly latencyMs: number,
    readonly latencyPerTokenMs: number,
    readonly jitterMs: number,
    readonly maxBody: string,
  ) {}

  /** @throws ConfigError listing every invalid variable. */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): SimConfig {
    const e = parseEnv(schema, env);
    return new SimConfig(commonConfig(e, 'provider-sim'), e.SIM_LATENCY_MS, e.SIM_LATENCY_PER_TOKEN_MS, e.SIM_JITTER_MS, e.SIM_MAX_BODY);
  }
}
