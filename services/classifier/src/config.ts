import type { PiiPolicy } from '@yardmaster/classifier';
import { bool, commonConfig, commonEnv, int, parseEnv, redactUrl, z, type CommonConfig } from '@yardmaster/config';

const schema = z.object({
  ...commonEnv,
  CLASSIFIER_CONCURRENCY: int(1, 4096).default(256),
  CLASSIFIER_MAX_ATTEMPTS: int(1, 20).default(3),
  /** Load mathjs at start-up instead of on the first arithmetic request (no one-off latency spike). */
  CLASSIFIER_PRELOAD_CALCULATOR: bool().default(true),
  /** Count messages of up to this many characters exactly with the o200k BPE (1000 is the usual choice;
   *  costs 60-70 MB for the tokenizer). Default 0: every message's tokens are estimated. */
  CLASSIFIER_EXACT_TOKEN_CHARS: int(0, 100_000).default(0),
  /** Optional second stage: an OpenAI-compatible endpoint asked to pick the intent when confidence is low. */
  CLASSIFIER_SECOND_STAGE_URL: z.url().optional(),
  CLASSIFIER_SECOND_STAGE_MODEL: z.string().min(1).default('gpt-4o-mini'),
  CLASSIFIER_SECOND_STAGE_API_KEY: z.string().optional(),
  CLASSIFIER_SECOND_STAGE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  CLASSIFIER_SECOND_STAGE_TIMEOUT_MS: int(10, 60000).default(1500),
  /** Whether the second-stage endpoint runs on our own infrastructure. Default false: it is treated as
   *  external, so self-hosted-only requests (and, under the private PII policy, requests with PII) skip it. */
  CLASSIFIER_SECOND_STAGE_SELF_HOSTED: bool().default(false),
  /** `private` (default): a request in which the classifier found PII is never sent to an external
   *  endpoint; `allow`: PII alone does not keep a request back. */
  CLASSIFIER_PII_POLICY: z.enum(['private', 'allow']).default('private'),
});

/** Settings of the optional second stage (off when `baseUrl` is unset). */
export interface SecondStageConfig {
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  threshold: number;
  timeoutMs: number;
  /** The endpoint is on our own infrastructure, so every request may be sent to it. */
  selfHosted: boolean;
  piiPolicy: PiiPolicy;
}

/** The classifier service's validated configuration. */
export class ClassifierConfig {
  constructor(
    readonly common: CommonConfig,
    readonly concurrency: number,
    readonly maxAttempts: number,
    readonly preloadCalculator: boolean,
    readonly secondStage: SecondStageConfig | undefined,
    readonly exactTokenChars: number = 0,
  ) {}

  /** @throws ConfigError listing every invalid variable. */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ClassifierConfig {
    const e = parseEnv(schema, env);
    const secondStage = e.CLASSIFIER_SECOND_STAGE_URL
      ? {
          baseUrl: e.CLASSIFIER_SECOND_STAGE_URL,
          model: e.CLASSIFIER_SECOND_STAGE_MODEL,
          apiKey: e.CLASSIFIER_SECOND_STAGE_API_KEY,
          threshold: e.CLASSIFIER_SECOND_STAGE_THRESHOLD,
          timeoutMs: e.CLASSIFIER_SECOND_STAGE_TIMEOUT_MS,
          selfHosted: e.CLASSIFIER_SECOND_STAGE_SELF_HOSTED,
          piiPolicy: e.CLASSIFIER_PII_POLICY,
        }
      : undefined;
    return new ClassifierConfig(
      commonConfig(e, 'classifier'),
      e.CLASSIFIER_CONCURRENCY,
      e.CLASSIFIER_MAX_ATTEMPTS,
      e.CLASSIFIER_PRELOAD_CALCULATOR,
      secondStage,
      e.CLASSIFIER_EXACT_TOKEN_CHARS,
    );
  }
}

/** The second stage for the start-up log: its URL without credentials, and who may use it. */
export function describeSecondStage(s: SecondStageConfig): string {
  const egress = s.selfHosted ? 'self-hosted' : `external (no self-hosted-only requests${s.piiPolicy === 'private' ? ', no requests with PII' : ''})`;
  return `second stage ${s.model} at ${redactUrl(s.baseUrl)} below ${s.threshold}, ${egress}`;
}
