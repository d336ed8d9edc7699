import { ConfigError, bool, commonConfig, commonEnv, int, parseEnv, z, type CommonConfig } from '@yardmaster/config';
import { isValidPoolName } from '@yardmaster/contracts';
import { PROVIDER_APIS, loadKeys, type ProviderApi } from '@yardmaster/providers';
import { DEFAULT_BREAKER, RATE_WINDOW_MS, type BreakerPolicy } from '@yardmaster/store';

const limits = z.record(z.string().min(1), z.object({ rpm: z.number().int().min(0).optional(), tpm: z.number().int().min(0).optional(), maxInFlight: z.number().int().min(0).optional() }).strict());

const schema = z.object({
  ...commonEnv,
  WORKER_POOL: z.string().refine(isValidPoolName, 'pool name: lowercase letters, digits and dashes'),
  PROVIDER_API: z.enum(PROVIDER_APIS as [ProviderApi, ...ProviderApi[]]).default('openai-chat'),
  PROVIDER_BASE_URL: z.url().optional(),
  PROVIDER_API_KEY: z.string().optional(),
  PROVIDER_API_KEYS: z.string().optional(),
  PROVIDER_API_KEY_FILE: z.string().optional(),
  PROVIDER_STREAM: bool().default(true),
  WORKER_CONCURRENCY: int(1, 10000).default(64),
  PROVIDER_TIMEOUT_MS: int(100, 600000).default(60000),
  PROVIDER_FIRST_BYTE_TIMEOUT_MS: int(50, 600000).default(15000),
  PROVIDER_MAX_ATTEMPTS: int(1, 10).default(3),
  PROVIDER_RETRY_BASE_MS: int(1, 60000).default(200),
  PROVIDER_RETRY_MAX_MS: int(1, 600000).default(5000),
  PROVIDER_FALLBACK_SHARE: z.coerce.number().gt(0).max(1).default(0.5),
  PROVIDER_MAX_WAIT_MS: int(0, 600000).default(2000),
  PROVIDER_COOLDOWN_MS: int(0, 3600000).default(1000),
  PROVIDER_DEFAULT_MAX_TOKENS: int(1, 1000000).default(1024),
  PROVIDER_RESERVE_OUTPUT_TOKENS: int(0, 1000000).default(256),
  PROVIDER_IMAGE_SIZE: z.string().regex(/^\d+x\d+$|^auto$/, 'e.g. 1024x1024').optional(),
  PROVIDER_TOOL_NAME: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a tool name such as weather').optional(),
  PROVIDER_TOOL_PATH: z.string().startsWith('/', 'a path template starting with /, e.g. /tools/weather?location={location}').optional(),
  PROVIDER_TOOL_METHOD: z.enum(['GET', 'POST']).default('GET'),
  PROVIDER_TOOL_HEADERS: z.string().optional(),
  PROVIDER_TOOL_TIMEOUT_MS: int(50, 600000).default(5000),
  PROVIDER_TOOL_NOT_FOUND: z.enum(['error', 'answer']).default('error'),
  RATE_LIMIT_RPM: int(0, 100_000_000).default(0),
  RATE_LIMIT_TPM: int(0, 1_000_000_000_000).default(0),
  RATE_LIMIT_MAX_IN_FLIGHT: int(0, 1_000_000).default(0),
  RATE_LIMIT_MODELS: z.string().optional(),
  RATE_LIMIT_TENANT_RPM: int(0, 100_000_000).default(0),
  RATE_LIMIT_TENANT_TPM: int(0, 1_000_000_000_000).default(0),
  RATE_LIMIT_WINDOW_MS: int(100, 3_600_000).default(RATE_WINDOW_MS),
  BREAKER_FAILURES: int(1, 1000).default(DEFAULT_BREAKER.consecutiveFailures),
  BREAKER_FAILURE_RATIO: z.coerce.number().gt(0).max(1).default(DEFAULT_BREAKER.failureRatio),
  BREAKER_MIN_CALLS: int(1, 100000).default(DEFAULT_BREAKER.minCalls),
  BREAKER_WINDOW_MS: int(100, 3_600_000).default(DEFAULT_BREAKER.windowMs),
  BREAKER_OPEN_MS: int(10, 3_600_000).default(DEFAULT_BREAKER.openMs),
  BREAKER_MAX_OPEN_MS: int(10, 3_600_000).default(DEFAULT_BREAKER.maxOpenMs),
  CANCEL_POLL_MS: int(20, 60000).default(250),
  WORKER_DEDUPE_TTL_S: int(1, 7 * 24 * 3600).default(3600),
  STREAM_FLUSH_MS: int(0, 1000).default(10),
  STREAM_FLUSH_CHARS: int(1, 65536).default(32),
});

/** Shared limits of a pool (0 = none), see the README's rate-limit section. */
export interface LimitConfig {
  /** Per provider (all models of the pool), across replicas. */
  readonly provider: { rpm: number; tpm: number; maxInFlight: number };
  /** Per model, by model name (`*` for every model without its own). */
  readonly models: Readonly<Record<string, { rpm?: number | undefined; tpm?: number | undefined; maxInFlight?: number | undefined }>>;
  /** Per tenant, the same for every tenant. */
  readonly tenant: { rpm: number; tpm: number };
  readonly windowMs: number;
}

/** How a pool calls its provider. */
export interface ProviderConfig {
  readonly api: ProviderApi;
  /** Absent only for the tool pool. */
  readonly baseUrl: string | undefined;
  /** Never logged; rotated on 429. */
  readonly apiKeys: readonly string[];
  readonly stream: boolean;
  readonly timeoutMs: number;
  readonly firstByteTimeoutMs: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Share of the time left before the deadline a target may use when a fallback follows it. */
  readonly fallbackShare: number;
  /** Longest wait for a rate-limit slot or cooldown when a fallback could take the work instead. */
  readonly maxWaitMs: number;
  /** Cooldown after a 429 without Retry-After. */
  readonly cooldownMs: number;
  readonly defaultMaxTokens: number;
  /** Output tokens reserved against TPM limits when a request sets no max_tokens. */
  readonly reserveOutputTokens: number;
  readonly imageSize: string | undefined;
  /** For `http-tool`: the tool, its path template, method, headers (`{credential}` = the key) and timeout. */
  readonly httpTool: HttpToolConfig | undefined;
}

/** An HTTP tool pool's request template (from the catalog provider's `http_tool`, passed by the launcher). */
export interface HttpToolConfig {
  readonly tool: string;
  readonly path: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** What the endpoint's 404 means (PROVIDER_TOOL_NOT_FOUND): a failure, or the answer (no such record). */
  readonly notFound: 'error' | 'answer';
}

const toolHeaders = z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string());

/** A worker pool's validated configuration. */
export class WorkerConfig {
  constructor(
    readonly common: CommonConfig,
    readonly pool: string,
    readonly provider: ProviderConfig,
    readonly limits: LimitConfig,
    readonly breaker: BreakerPolicy,
    readonly concurrency: number,
    readonly dedupeTtlSeconds: number,
    readonly cancelPollMs: number,
    /** How a streaming caller's deltas are coalesced before they go to the chunk stream. */
    readonly streamFlush: { flushMs: number; flushChars: number } = { flushMs: 10, flushChars: 32 },
  ) {}

  /** @throws ConfigError listing every invalid variable (never a key's value). */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): WorkerConfig {
    const e = parseEnv(schema, env);
    const problems: string[] = [];
    if (e.PROVIDER_API !== 'tool' && !e.PROVIDER_BASE_URL) problems.push(`PROVIDER_BASE_URL: required for PROVIDER_API=${e.PROVIDER_API}`);
    let httpTool: HttpToolConfig | undefined;
    if (e.PROVIDER_API === 'http-tool') {
      if (!e.PROVIDER_TOOL_NAME) problems.push('PROVIDER_TOOL_NAME: required for PROVIDER_API=http-tool (the tool it serves, e.g. weather)');
      if (!e.PROVIDER_TOOL_PATH) problems.push('PROVIDER_TOOL_PATH: required for PROVIDER_API=http-tool (e.g. /tools/weather?location={location}&when={when})');
      let headers: Record<string, string> = {};
      if (e.PROVIDER_TOOL_HEADERS) {
        let json: unknown;
        try {
          json = JSON.parse(e.PROVIDER_TOOL_HEADERS);
        } catch {
          json = undefined;
        }
        const r = toolHeaders.safeParse(json);
        if (r.success) headers = r.data;
        else problems.push('PROVIDER_TOOL_HEADERS: expected a JSON object of header names to strings, e.g. {"x-api-key": "{credential}"}');
      }
      if (e.PROVIDER_TOOL_NAME && e.PROVIDER_TOOL_PATH) httpTool = { tool: e.PROVIDER_TOOL_NAME, path: e.PROVIDER_TOOL_PATH, method: e.PROVIDER_TOOL_METHOD, headers, timeoutMs: e.PROVIDER_TOOL_TIMEOUT_MS, notFound: e.PROVIDER_TOOL_NOT_FOUND };
    }
    let keys: string[] = [];
    try {
      keys = loadKeys({ single: e.PROVIDER_API_KEY, list: e.PROVIDER_API_KEYS, file: e.PROVIDER_API_KEY_FILE });
    } catch (err) {
      problems.push(`PROVIDER_API_KEY_FILE: ${err instanceof Error ? err.message : String(err)}`);
    }
    let models: LimitConfig['models'] = {};
    if (e.RATE_LIMIT_MODELS) {
      let json: unknown;
      try {
        json = JSON.parse(e.RATE_LIMIT_MODELS);
      } catch {
        json = undefined;
      }
      const r = limits.safeParse(json);
      if (r.success) models = r.data;
      else problems.push('RATE_LIMIT_MODELS: expected JSON like {"gpt-4o": {"rpm": 500, "tpm": 30000}, "*": {"rpm": 100}}');
    }
    if (e.BREAKER_MAX_OPEN_MS < e.BREAKER_OPEN_MS) problems.push('BREAKER_MAX_OPEN_MS: must be at least BREAKER_OPEN_MS');
    if (problems.length > 0) throw new ConfigError(problems);
    return new WorkerConfig(
      commonConfig(e, `worker-${e.WORKER_POOL}`),
      e.WORKER_POOL,
      {
        api: e.PROVIDER_API,
        baseUrl: e.PROVIDER_BASE_URL,
        apiKeys: keys,
        stream: e.PROVIDER_STREAM,
        timeoutMs: e.PROVIDER_TIMEOUT_MS,
        firstByteTimeoutMs: Math.min(e.PROVIDER_FIRST_BYTE_TIMEOUT_MS, e.PROVIDER_TIMEOUT_MS),
        maxAttempts: e.PROVIDER_MAX_ATTEMPTS,
        retryBaseMs: e.PROVIDER_RETRY_BASE_MS,
        retryMaxMs: e.PROVIDER_RETRY_MAX_MS,
        fallbackShare: e.PROVIDER_FALLBACK_SHARE,
        maxWaitMs: e.PROVIDER_MAX_WAIT_MS,
        cooldownMs: e.PROVIDER_COOLDOWN_MS,
        defaultMaxTokens: e.PROVIDER_DEFAULT_MAX_TOKENS,
        reserveOutputTokens: e.PROVIDER_RESERVE_OUTPUT_TOKENS,
        imageSize: e.PROVIDER_IMAGE_SIZE,
        httpTool,
      },
      {
        provider: { rpm: e.RATE_LIMIT_RPM, tpm: e.RATE_LIMIT_TPM, maxInFlight: e.RATE_LIMIT_MAX_IN_FLIGHT },
        models,
        tenant: { rpm: e.RATE_LIMIT_TENANT_RPM, tpm: e.RATE_LIMIT_TENANT_TPM },
        windowMs: e.RATE_LIMIT_WINDOW_MS,
      },
      {
        consecutiveFailures: e.BREAKER_FAILURES,
        failureRatio: e.BREAKER_FAILURE_RATIO,
        minCalls: e.BREAKER_MIN_CALLS,
        windowMs: e.BREAKER_WINDOW_MS,
        openMs: e.BREAKER_OPEN_MS,
        maxOpenMs: e.BREAKER_MAX_OPEN_MS,
        probeMs: Math.max(e.PROVIDER_TIMEOUT_MS + 5000, DEFAULT_BREAKER.probeMs),
      },
      e.WORKER_CONCURRENCY,
      e.WORKER_DEDUPE_TTL_S,
      e.CANCEL_POLL_MS,
      { flushMs: e.STREAM_FLUSH_MS, flushChars: e.STREAM_FLUSH_CHARS },
    );
  }
}
