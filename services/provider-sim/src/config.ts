import { ConfigError, commonConfig, commonEnv, int, parseEnv, z, type CommonConfig } from '@yardmaster/config';
import { faultBookSchema, type FaultProfile } from './sim/faults.js';

const schema = z.object({
  ...commonEnv,
  HTTP_PORT: int(0, 65535).default(8090),
  /** Base latency of every completion (when no fault profile sets one). */
  SIM_LATENCY_MS: int(0, 600000).default(0),
  /** Extra latency per output token (simulates generation speed). */
  SIM_LATENCY_PER_TOKEN_MS: z.coerce.number().min(0).max(1000).default(0),
  /** Uniform random jitter added to the latency. */
  SIM_JITTER_MS: int(0, 600000).default(0),
  /** Largest request body accepted. */
  SIM_MAX_BODY: z.string().regex(/^\d+(kb|mb)$/, 'e.g. 20mb').default('20mb'),
  /** Fault profiles by model (`*` for every model), as JSON; see README. */
  SIM_FAULTS: z.string().optional(),
  /** Keys that may call; when set, anything else gets 401. Comma-separated. */
  SIM_API_KEYS: z.string().optional(),
  /** Width of the request-counting windows of /admin/stats. */
  SIM_STATS_WINDOW_MS: int(100, 3_600_000).default(60_000),
});

/** provider-sim's validated configuration. */
export class SimConfig {
  constructor(
    readonly common: CommonConfig,
    readonly latencyMs: number,
    readonly latencyPerTokenMs: number,
    readonly jitterMs: number,
    readonly maxBody: string,
    readonly faults: Record<string, FaultProfile>,
    readonly apiKeys: ReadonlySet<string>,
    readonly statsWindowMs: number,
  ) {}

  /**
   * Reads the environment; `--faults '<json>'` (or `--faults=<json>`) on the command line
   * replaces SIM_FAULTS.
   * @throws ConfigError listing every invalid variable.
   */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env, argv: readonly string[] = process.argv.slice(2)): SimConfig {
    const i = argv.findIndex((a) => a === '--faults' || a.startsWith('--faults='));
    const flag = i < 0 ? undefined : argv[i]!.startsWith('--faults=') ? argv[i]!.slice('--faults='.length) : argv[i + 1];
    const e = parseEnv(schema, { ...env, ...(flag !== undefined ? { SIM_FAULTS: flag } : {}) });
    let faults: Record<string, FaultProfile> = {};
    if (e.SIM_FAULTS) {
      let json: unknown;
      try {
        json = JSON.parse(e.SIM_FAULTS);
      } catch {
        throw new ConfigError([`SIM_FAULTS: not JSON (expected {"<model>|*": {profile}})`]);
      }
      const r = faultBookSchema.safeParse(json);
      if (!r.success) throw new ConfigError(r.error.issues.map((x) => `SIM_FAULTS.${x.path.map(String).join('.')}: ${x.message}`));
      faults = r.data;
    }
    const keys = new Set((e.SIM_API_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean));
    return new SimConfig(commonConfig(e, 'provider-sim'), e.SIM_LATENCY_MS, e.SIM_LATENCY_PER_TOKEN_MS, e.SIM_JITTER_MS, e.SIM_MAX_BODY, faults, keys, e.SIM_STATS_WINDOW_MS);
  }
}
