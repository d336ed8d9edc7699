import { resolve } from 'node:path';
import { int, list, parseEnv, z } from '@yardmaster/config';

/** Limits of one tenant's batch work. */
export interface BatchLimits {
  /** Lines per input file. */
  readonly maxFileLines: number;
  /** Bytes per uploaded file. */
  readonly maxFileBytes: number;
  /** Batches not yet completed, failed, expired or cancelled, per tenant (0: no limit). */
  readonly maxOpenBatches: number;
}

const WINDOW = /^([1-9][0-9]{0,6})(s|m|h)$/;

/** Milliseconds of a completion window such as `24h`, `30m`, `5s`; undefined when malformed. */
export function windowMs(window: string): number | undefined {
  const m = WINDOW.exec(window);
  if (!m) return undefined;
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
}

const limitsSchema = z.object({ maxFileLines: int(1).optional(), maxFileBytes: int(1).optional(), maxOpenBatches: int(0).optional() }).strict();

const schema = z.object({
  /** Where uploaded and batch output files live (a shared volume when ingress has replicas). */
  FILE_STORE_DIR: z.string().default(resolve('data', 'files')),
  BATCH_MAX_FILE_LINES: int(1, 10_000_000).default(50_000),
  BATCH_MAX_FILE_BYTES: int(1, 2 ** 40).default(200 * 1024 * 1024),
  BATCH_MAX_OPEN_PER_TENANT: int(0, 1_000_000).default(20),
  /** Per-tenant overrides, JSON: {"acme": {"maxFileLines": 1000, "maxFileBytes": 1048576, "maxOpenBatches": 2}}. */
  BATCH_TENANT_LIMITS: z
    .string()
    .default('{}')
    .transform((s, ctx) => {
      try {
        return z.record(z.string(), limitsSchema).parse(JSON.parse(s));
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `a JSON object of tenant → {maxFileLines, maxFileBytes, maxOpenBatches}: ${err instanceof Error ? err.message : String(err)}` });
        return z.NEVER;
      }
    }),
  /** Batch lines in the pipeline at once across the deployment (the batch lane's width) while no interactive traffic flows. */
  BATCH_LINES_IN_FLIGHT: int(1, 100_000).default(64),
  /** The lane's width while interactive requests flow (interactive first); 0 pauses batches then. */
  BATCH_LINES_IN_FLIGHT_BUSY: int(0, 100_000).default(8),
  /** How long after the last interactive response the lane stays narrow. */
  BATCH_INTERACTIVE_QUIET_MS: int(0, 600_000).default(1000),
  /** Accepted `completion_window` values (OpenAI accepts only 24h; shorter ones are for tests). */
  BATCH_COMPLETION_WINDOWS: list().default(['24h']),
  /** How often the batch feeder looks at its batches. */
  BATCH_TICK_MS: int(10, 60_000).default(100),
  /** How often it looks when no batch is open (a batch created on this replica starts at once). */
  BATCH_IDLE_TICK_MS: int(10, 60_000).default(1000),
  /** How long a replica's claim on feeding a batch lasts without renewal (another replica takes over after it). */
  BATCH_LEASE_MS: int(500, 600_000).default(5000),
});

/** Batch API configuration: file store, limits, the lane's width, completion windows. */
export class BatchConfig {
  constructor(
    readonly fileStoreDir: string,
    readonly defaults: BatchLimits,
    readonly tenantLimits: Readonly<Record<string, Partial<BatchLimits>>>,
    readonly linesInFlight: number,
    readonly completionWindows: readonly string[],
    readonly tickMs: number,
    readonly leaseMs: number,
    /** The lane's width while interactive traffic flows, and how long it stays narrow after it. */
    readonly busy: { linesInFlight: number; quietMs: number } = { linesInFlight: 8, quietMs: 1000 },
    /** How often the feeder looks when no batch is open. */
    readonly idleTickMs: number = Math.max(tickMs, 1000),
  ) {
    for (const w of completionWindows) if (windowMs(w) === undefined) throw new Error(`BATCH_COMPLETION_WINDOWS: "${w}" is not a duration like 24h, 30m or 10s`);
  }

  /** A tenant's limits: its overrides over the defaults. */
  limits(tenantId: string): BatchLimits {
    return { ...this.defaults, ...(this.tenantLimits[tenantId] ?? {}) };
  }

  /** @throws ConfigError listing every invalid variable. */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): BatchConfig {
    const e = parseEnv(schema, env);
    return new BatchConfig(
      e.FILE_STORE_DIR,
      { maxFileLines: e.BATCH_MAX_FILE_LINES, maxFileBytes: e.BATCH_MAX_FILE_BYTES, maxOpenBatches: e.BATCH_MAX_OPEN_PER_TENANT },
      e.BATCH_TENANT_LIMITS,
      e.BATCH_LINES_IN_FLIGHT,
      e.BATCH_COMPLETION_WINDOWS,
      e.BATCH_TICK_MS,
      e.BATCH_LEASE_MS,
      { linesInFlight: Math.min(e.BATCH_LINES_IN_FLIGHT_BUSY, e.BATCH_LINES_IN_FLIGHT), quietMs: e.BATCH_INTERACTIVE_QUIET_MS },
      Math.max(e.BATCH_TICK_MS, e.BATCH_IDLE_TICK_MS),
    );
  }
}
