import { z } from 'zod';
import { describeConfigValue } from './redact';

export { z };
export { REDACTED, describeConfigValue, isSecretName, redactUrl, redactUrlsIn, scrubSecrets, splitUrlCredentials } from './redact';

/** Thrown by {@link parseEnv} with every invalid variable listed. */
export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates environment variables against a zod object schema whose keys are the
 * variable names, and returns the parsed (coerced, defaulted) values.
 * Empty strings count as unset, so `FOO=` falls back to the default.
 * A rejected value is echoed to help the operator, except what may be a secret: a
 * secret-named variable (`*_KEY`, `*_TOKEN`…) is described by its length and URL
 * credentials are redacted, because the error goes to the logs.
 * @throws ConfigError listing every bad variable with what it should be.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value.trim();
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(root)';
    const key = issue.path[0];
    const value = typeof key === 'string' ? input[key] : undefined;
    const given = typeof key === 'string' && value !== undefined ? ` (got ${describeConfigValue(key, value)})` : '';
    return `${name}: ${issue.message}${given}`;
  });
  throw new ConfigError(problems);
}

/** A positive integer given as a string, e.g. a port or a count. */
export const int = (min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

/** A boolean given as true/false/1/0/yes/no. */
export const bool = () =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A comma-separated list of non-empty strings. */
export const list = () =>
  z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0))
    .pipe(z.array(z.string()).min(1, 'expected a comma-separated list'));

/** Variables every Yardmaster service understands (Kafka, Redis, telemetry, HTTP health port). */
export const commonEnv = {
  KAFKA_BROKERS: list().default(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: z.string().optional(),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only')
    .default(''),
  KAFKA_SESSION_TIMEOUT_MS: int(6000, 300000).default(30000),
  /** Extra time a publish waits for others to share its produce request. 0 (default) still batches
   *  every publish issued in the same event-loop turn; more trades latency for fewer requests. */
  KAFKA_LINGER_MS: int(0, 1000).default(0),
  /** Compression of produced batches: lz4 (default) or none. */
  KAFKA_COMPRESSION: z.enum(['lz4', 'none']).default('lz4'),
  /** How long an idle fetch waits at the broker; new messages end it at once (not added latency). */
  KAFKA_FETCH_MAX_WAIT_MS: int(10, 10000).default(1000),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'expected redis://host:port').default('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z.string().default('ym:'),
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none']).default('none'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  HTTP_PORT: int(0, 65535).default(8080),
  HTTP_HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  SHUTDOWN_TIMEOUT_MS: int(100, 600000).default(15000),
  /**
   * How far V8 may grow the old generation past its live size at each full GC, in percent
   * (V8's --heap-growing-percent, applied at start-up so that it works where the command line
   * is fixed, as in a container). Lower keeps RSS under load closer to the live heap for some
   * more CPU; 0 (default) leaves V8's own adaptive growth.
   */
  HEAP_GROWING_PERCENT: int(0, 1000).default(0),
};

/** The nested form of {@link commonEnv}. */
export interface CommonConfig {
  kafka: { brokers: string[]; clientId: string; topicPrefix: string; sessionTimeoutMs: number; lingerMs: number; compression: 'lz4' | 'none'; fetchMaxWaitMs: number };
  redis: { url: string; keyPrefix: string };
  telemetry: { exporter: 'otlp' | 'console' | 'none'; endpoint: string | undefined };
  http: { port: number; host: string };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  shutdownTimeoutMs: number;
  /** V8's --heap-growing-percent for this process; 0 = V8's default. */
  heapGrowingPercent: number;
}

/** Builds the nested common section from parsed variables. */
export function commonConfig(env: z.infer<z.ZodObject<typeof commonEnv>>, serviceName: string): CommonConfig {
  return {
    kafka: {
      brokers: env.KAFKA_BROKERS,
      clientId: env.KAFKA_CLIENT_ID ?? `yardmaster-${serviceName}`,
      topicPrefix: env.KAFKA_TOPIC_PREFIX,
      sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
      lingerMs: env.KAFKA_LINGER_MS,
      compression: env.KAFKA_COMPRESSION,
      fetchMaxWaitMs: env.KAFKA_FETCH_MAX_WAIT_MS,
    },
    redis: { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX },
    telemetry: { exporter: env.OTEL_TRACES_EXPORTER, endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT },
    http: { port: env.HTTP_PORT, host: env.HTTP_HOST },
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    heapGrowingPercent: env.HEAP_GROWING_PERCENT,
  };
}
