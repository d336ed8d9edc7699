import { createHash } from 'node:crypto';
import { z } from '@yardmaster/config';

/** Latency of an answer (before its first byte). */
const latencySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), ms: z.number().min(0).max(600_000) }),
  z.object({ kind: z.literal('uniform'), minMs: z.number().min(0), maxMs: z.number().min(0).max(600_000) }),
  /** Log-normal with this median and 99th percentile: most calls quick, a few very slow. */
  z.object({ kind: z.literal('longtail'), medianMs: z.number().min(0.1), p99Ms: z.number().min(0.1).max(600_000) }),
]);

const rate = z.number().min(0).max(1);

/**
 * What a model answers instead of its made-up text (tests of multi-model plans): a
 * refusal, nothing, a cut-off answer (finish reason `length`), broken JSON, a fixed text,
 * or a text from a table whose keys are matched (case-insensitively) against the prompt,
 * first match in order, else `default` (else the made-up text).
 */
export const outputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('refusal') }).strict(),
  z.object({ kind: z.literal('empty') }).strict(),
  z.object({ kind: z.literal('truncated') }).strict(),
  z.object({ kind: z.literal('invalid_json') }).strict(),
  z.object({ kind: z.literal('fixed'), text: z.string().max(100_000) }).strict(),
  z.object({ kind: z.literal('table'), answers: z.record(z.string().min(1), z.string().max(100_000)), default: z.string().max(100_000).optional() }).strict(),
]);

export type OutputSpec = z.infer<typeof outputSchema>;

/**
 * How provider-sim misbehaves for one model (or `*`, every model without its own).
 * Rates are probabilities per request, drawn in this order: down, hang, 429, 5xx,
 * context-length, content-policy; what remains answers normally after `latency`.
 */
export const faultProfileSchema = z
  .object({
    latency: latencySchema.optional(),
    /** Extra milliseconds per output token (streams spread them between chunks). */
    perTokenMs: z.number().min(0).max(1000).optional(),
    /** Every request fails with 503 (an outage). */
    down: z.boolean().optional(),
    /** Share of requests that are accepted and never answered. */
    hang: rate.optional(),
    /** Share of requests answered 429 with Retry-After. */
    rateLimit: z.object({ rate, retryAfterS: z.number().min(0).max(3600).default(1) }).optional(),
    /** Share of requests answered with each status, e.g. {"500": 0.1, "503": 0.2}. */
    errors: z.partialRecord(z.enum(['500', '502', '503', '504', '529']), rate).optional(),
    /** Share of requests refused as too long (400, context length). */
    contextLength: rate.optional(),
    /** Share of requests refused on policy (400 content policy / a safety block). */
    contentPolicy: rate.optional(),
    /** Prompts longer than this many tokens are refused as too long. */
    contextWindow: z.number().int().min(1).optional(),
    /** Requests with these keys (by {@link keyFingerprint}) always get 429 with Retry-After. */
    throttledKeys: z.array(z.string()).optional(),
    throttledRetryAfterS: z.number().min(0).max(3600).optional(),
    /** What the model answers (see {@link outputSchema}); absent: the deterministic made-up text. */
    output: outputSchema.optional(),
  })
  .strict();

export type FaultProfile = z.infer<typeof faultProfileSchema>;

/** Profiles by model; `*` applies to every model without its own. */
export const faultBookSchema = z.record(z.string().min(1), faultProfileSchema);

/** What provider-sim does with one request. */
export type Outcome =
  | { kind: 'ok'; latencyMs: number; perTokenMs: number }
  | { kind: 'error'; status: number }
  | { kind: 'rate_limited'; retryAfterS: number }
  | { kind: 'hang' }
  | { kind: 'context_length'; limit: number }
  | { kind: 'content_policy' }
  | { kind: 'unauthorized' };

/** The first 8 hex digits of a key's SHA-256: how provider-sim names keys (never the key). */
export function keyFingerprint(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function drawLatency(l: FaultProfile['latency']): number {
  if (!l) return 0;
  switch (l.kind) {
    case 'fixed':
      return l.ms;
    case 'uniform':
      return l.minMs + Math.random() * Math.max(0, l.maxMs - l.minMs);
    case 'longtail': {
      // Box-Muller normal draw; sigma so that the 99th percentile lands on p99Ms.
      const n = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
      const sigma = Math.log(Math.max(l.p99Ms, l.medianMs) / l.medianMs) / 2.326;
      return Math.min(600_000, l.medianMs * Math.exp(sigma * n));
    }
  }
}

/**
 * The fault profiles in force (set at start from SIM_FAULTS / --faults, changed at
 * runtime through the admin endpoint), and the draw for each request.
 */
export class FaultBook {
  private profiles: Record<string, FaultProfile>;

  constructor(
    initial: Record<string, FaultProfile>,
    /** Base latency when no profile sets one (SIM_LATENCY_MS, SIM_JITTER_MS, SIM_LATENCY_PER_TOKEN_MS). */
    private readonly base: { latencyMs: number; jitterMs: number; perTokenMs: number },
    /** Keys that may call (SIM_API_KEYS); empty: any or none. */
    private readonly apiKeys: ReadonlySet<string> = new Set(),
  ) {
    this.profiles = { ...initial };
  }

  all(): Record<string, FaultProfile> {
    return { ...this.profiles };
  }

  /** Replaces every profile. */
  replace(profiles: Record<string, FaultProfile>): void {
    this.profiles = { ...profiles };
  }

  /** Sets (or, with `undefined`, removes) one model's profile. */
  set(model: string, profile: FaultProfile | undefined): void {
    if (profile) this.profiles[model] = profile;
    else delete this.profiles[model];
  }

  profile(model: string): FaultProfile {
    return this.profiles[model] ?? this.profiles['*'] ?? {};
  }

  /**
   * Draws what happens to one request.
   * @param latencyOverrideMs the `x-sim-latency-ms` header, when a caller sent one.
   */
  decide(model: string, apiKey: string | undefined, promptTokens: number, latencyOverrideMs?: number): Outcome {
    if (this.apiKeys.size > 0 && (!apiKey || !this.apiKeys.has(apiKey))) return { kind: 'unauthorized' };
    const p = this.profile(model);
    if (p.down) return { kind: 'error', status: 503 };
    if (apiKey && p.throttledKeys?.includes(keyFingerprint(apiKey))) return { kind: 'rate_limited', retryAfterS: p.throttledRetryAfterS ?? 1 };
    const r = Math.random();
    let edge = 0;
    const hit = (share: number | undefined) => {
      edge += share ?? 0;
      return r < edge;
    };
    if (hit(p.hang)) return { kind: 'hang' };
    if (hit(p.rateLimit?.rate)) return { kind: 'rate_limited', retryAfterS: p.rateLimit?.retryAfterS ?? 1 };
    for (const [status, share] of Object.entries(p.errors ?? {})) if (hit(share)) return { kind: 'error', status: Number(status) };
    if (hit(p.contextLength) || (p.contextWindow !== undefined && promptTokens > p.contextWindow)) return { kind: 'context_length', limit: p.contextWindow ?? 8192 };
    if (hit(p.contentPolicy)) return { kind: 'content_policy' };
    const latencyMs =
      latencyOverrideMs ?? (p.latency ? drawLatency(p.latency) : this.base.latencyMs + (this.base.jitterMs > 0 ? Math.random() * this.base.jitterMs : 0));
    return { kind: 'ok', latencyMs, perTokenMs: p.perTokenMs ?? this.base.perTokenMs };
  }
}
