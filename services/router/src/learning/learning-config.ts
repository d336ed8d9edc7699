import { int, parseEnv, z } from '@yardmaster/config';

const schema = z.object({
  /** Learn model quality from llm.feedback.v1 and route with it. */
  ROUTER_LEARNING: z.enum(['on', 'off']).default('on'),
  /** How often the learned evidence is re-read from Redis, in the background. */
  ROUTER_LEARN_REFRESH_MS: int(100, 3_600_000).default(5000),
  /** How many scores the catalog prior is worth at each level of a cell (more = learns more slowly, less noise). */
  ROUTER_LEARN_PRIOR_STRENGTH: int(1, 100_000).default(64),
  /** Largest share of each tenant's requests routed by Thompson sampling (exploration), in percent. 0 disables exploring. */
  ROUTER_EXPLORE_PERCENT: z.coerce.number().min(0).max(50).default(2),
  /** How long a request's feedback is remembered so that a second score for it is ignored. */
  ROUTER_FEEDBACK_DEDUPE_TTL_S: int(60, 90 * 86_400).default(30 * 86_400),
});

/** How the router learns from feedback. */
export class LearningConfig {
  constructor(
    readonly enabled: boolean,
    readonly refreshMs: number,
    readonly priorStrength: number,
    /** 0..0.5 */
    readonly exploreShare: number,
    readonly dedupeTtlSeconds: number,
  ) {}

  /** @throws ConfigError listing every invalid variable. */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): LearningConfig {
    const e = parseEnv(schema, env);
    return new LearningConfig(e.ROUTER_LEARNING === 'on', e.ROUTER_LEARN_REFRESH_MS, e.ROUTER_LEARN_PRIOR_STRENGTH, e.ROUTER_EXPLORE_PERCENT / 100, e.ROUTER_FEEDBACK_DEDUPE_TTL_S);
  }
}
