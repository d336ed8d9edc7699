import { commonConfig, commonEnv, int, parseEnv, z, type CommonConfig } from '@switchyard/config';

const schema = z.object({
  ...commonEnv,
  CLASSIFIER_CONCURRENCY: int(1, 4096).default(256),
  CLASSIFIER_MAX_ATTEMPTS: int(1, 20).default(3),
  /** How long a "request already classified" marker lives (dedupes republished requests). */
  CLASSIFIER_DEDUPE_TTL_S: int(1, 7 * 24 * 3600).default(3600),
});

/** The classifier service's validated configuration. */
export class ClassifierConfig {
  constructor(
    readonly common: CommonConfig,
    readonly concurrency: number,
    readonly maxAttempts: number,
    readonly dedupeTtlSeconds: number,
  ) {}

  /** @throws ConfigError listing every invalid variable. */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ClassifierConfig {
    const e = parseEnv(schema, env);
    return new ClassifierConfig(commonConfig(e, 'classifier'), e.CLASSIFIER_CONCURRENCY, e.CLASSIFIER_MAX_ATTEMPTS, e.CLASSIFIER_DEDUPE_TTL_S);
  }
}
