import { bool, commonConfig, commonEnv, int, parseEnv, z, type CommonConfig } from '@yardmaster/config';

const schema = z.object({
  ...commonEnv,
  CLASSIFIER_CONCURRENCY: int(1, 4096).default(256),
  CLASSIFIER_MAX_ATTEMPTS: int(1, 20).default(3),
  /** Load mathjs at start-up instead of on the first arithmetic request (no one-off latency spike). */
  CLASSIFIER_PRELOAD_CALCULATOR: bool().default(true),
  /** Optional second stage: an OpenAI-compatible endpoint asked to pick the intent when confidence is low. */
  CLASSIFIER_SECOND_STAGE_URL: z.url().optional(),
  CLASSIFIER_SECOND_STAGE_MODEL: z.string().min(1).default('gpt-4o-mini'),
  CLASSIFIER_SECOND_STAGE_API_KEY: z.string().optional(),
  CLASSIFIER_SECOND_STAGE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  CLASSIFIER_SECOND_STAGE_TIMEOUT_MS: int(10, 60000).default(1500),
});

/** Settings of the optional second stage (off when `baseUrl` is unset). */
export interface SecondStageConfig {
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  threshold: number;
  timeoutMs: number;
}

/** The classifier service's validated configuration. */
export class ClassifierConfig {
  constructor(
    readonly common: CommonConfig,
    readonly concurrency: number,
    readonly maxAttempts: number,
    readonly preloadCalculator: boolean,
    readonly secondStage: SecondStageConfig | undefined,
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
        }
      : undefined;
    return new ClassifierConfig(
      commonConfig(e, 'classifier'),
      e.CLASSIFIER_CONCURRENCY,
      e.CLASSIFIER_MAX_ATTEMPTS,
      e.CLASSIFIER_PRELOAD_CALCULATOR,
      secondStage,
    );
  }
}
