/**
 * The catalog v2 schema (zod). Unknown keys are errors (a typo must not silently change
 * routing), and every price and quality prior names its source with a date or says it
 * is an example.
 */
import { isValidPoolName } from '@yardmaster/contracts';
import { z } from '@yardmaster/config';
import {
  API_KINDS,
  BAND_NAMES,
  CAPABILITIES,
  CASCADE_CHECKS,
  INJECTION_ACTIONS,
  INTENT_NAMES,
  MODEL_KINDS,
  MODEL_TIERS,
  PII_NAMES,
  PII_POLICIES,
  PLAN_NAMES,
  STRATEGY_NAMES,
} from './vocabulary.js';

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/, 'use letters, digits and . _ : / @ -');
const unit = z.number().min(0).max(1);
const price = z.number().nonnegative();
const positiveInt = z.number().int().positive();

/** A source label: a reference with a date (YYYY-MM or YYYY-MM-DD), or the word "example". */
export const sourced = z
  .string()
  .min(1)
  .refine((s) => /\b\d{4}-\d{2}(?:-\d{2})?\b/.test(s) || /\bexample\b/i.test(s), 'name a source with a date (YYYY-MM[-DD]) or say "example"');

const intents = z.enum(INTENT_NAMES);
const strategies = z.enum(STRATEGY_NAMES);
const plans = z.enum(PLAN_NAMES);

const credentials = z
  .strictObject({
    /** Name of the environment variable the pool's worker reads the key from. */
    env: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable NAME (the key itself never goes in the catalog)')
      .optional(),
    /** Secret reference, `<secret>/<key>` (Kubernetes) or a file path. */
    secret: z
      .string()
      .regex(/^[A-Za-z0-9/._-]+$/, 'a secret reference such as yardmaster-provider-keys/openai-api-key')
      .optional(),
  })
  .refine((c) => c.env !== undefined || c.secret !== undefined, 'give env and/or secret');

/** `{name}` placeholders of an HTTP tool's path template. */
export const TEMPLATE_PLACEHOLDER = /\{([^{}]*)\}/g;
const ARGUMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every `{…}` placeholder of a template, and the ones that are not argument names. */
function placeholders(template: string): { names: string[]; bad: string[] } {
  const names: string[] = [];
  const bad: string[] = [];
  for (const m of template.matchAll(TEMPLATE_PLACEHOLDER)) (ARGUMENT_NAME.test(m[1]!) ? names : bad).push(m[1]!);
  return { names, bad };
}

/** An HTTP tool: what the `http-tool` provider's endpoint answers and how to call it. */
const httpTool = z
  .strictObject({
    /** The tool it serves: a classifier tool suggestion's name (`weather`, `currency`, …). */
    tool: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a tool name: lowercase letters, digits, _ and -'),
    method: z.enum(['GET', 'POST']).default('GET'),
    /**
     * Path and query appended to the provider's base URL; `{name}` is replaced by the
     * suggestion's argument `name`, URL-encoded (`/weather?q={location}&when={when}`).
     */
    path: z.string().startsWith('/', 'a path starting with /'),
    /**
     * Request headers. A value may contain `{credential}`: the pool's key (from the
     * provider's `credentials`), never written to the catalog or to logs.
     */
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name'), z.string()).default({}),
    /** Whole-call timeout of one attempt, ms. */
    timeout_ms: z.number().int().min(50).max(60000).default(5000),
    /**
     * What the endpoint's 404 means: `error` (an outage: a model answers instead) or
     * `answer` (a record lookup's "no such id", given to the caller as the tool's answer).
     */
    not_found: z.enum(['error', 'answer']).default('error'),
  })
  .superRefine((t, ctx) => {
    const { bad } = placeholders(t.path);
    for (const b of bad) ctx.addIssue({ code: 'custom', path: ['path'], message: `placeholder {${b}} is not an argument name (letters, digits, _)` });
    if (/[{}]/.test(t.path.replace(TEMPLATE_PLACEHOLDER, ''))) ctx.addIssue({ code: 'custom', path: ['path'], message: 'unbalanced { or }' });
    for (const [h, v] of Object.entries(t.headers)) {
      for (const m of v.matchAll(TEMPLATE_PLACEHOLDER)) {
        if (m[1] !== 'credential') ctx.addIssue({ code: 'custom', path: ['headers', h], message: `only {credential} may be used in a header, not {${m[1]}}` });
      }
      if (/^(?:bearer |basic )?[A-Za-z0-9_-]{24,}$/i.test(v)) ctx.addIssue({ code: 'custom', path: ['headers', h], message: 'looks like a literal secret: reference the key with {credential} and the provider\'s credentials' });
    }
  });

const provider = z.strictObject({
  name,
  /** Worker pool; work goes to llm.work.<pool>.v1. */
  pool: z.string().refine(isValidPoolName, 'pool must be lowercase letters, digits and dashes'),
  api: z.enum(API_KINDS),
  /** The provider's endpoint (the pool's worker may override it with PROVIDER_BASE_URL). */
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  credentials: credentials.optional(),
  /** Runs on our own infrastructure: data never leaves it. */
  self_hosted: z.boolean().default(false),
  region: z.string().min(1).default('global'),
  /** For api `http-tool`: the tool it serves and its request template. */
  http_tool: httpTool.optional(),
});

const latency = z.strictObject({
  /** Time to the first token (or the whole answer of a tool), ms. */
  first_token_ms: positiveInt,
  /** Output tokens per second once generating. */
  tokens_per_s: z.number().positive(),
  source: sourced,
});

const quality = z.strictObject({
  /** Expected task quality (0..1) at medium complexity for intents not listed. */
  default: unit,
  /** Per-intent expected quality at medium complexity. */
  intents: z.partialRecord(intents, unit).default({}),
  /** How much quality falls per unit of complexity above 0.5 (rises below). */
  complexity_slope: z.number().min(0).max(2).default(0.2),
  source: sourced,
});

const model = z.strictObject({
  name,
  provider: name,
  kind: z.enum(MODEL_KINDS).default('chat'),
  tier: z.enum(MODEL_TIERS),
  input_price_per_mtok: price,
  output_price_per_mtok: price,
  /** Image models: USD per generated image (added to the token prices). */
  price_per_image: price.default(0),
  price_source: sourced,
  context_window: positiveInt,
  max_output_tokens: positiveInt,
  capabilities: z.array(z.enum(CAPABILITIES)).default([]),
  /** Latency prior; a neutral example when absent. */
  latency: latency.default({ first_token_ms: 800, tokens_per_s: 80, source: 'example (catalog default)' }),
  /** Quality prior; a neutral example when absent. */
  quality: quality.default({ default: 0.7, intents: {}, complexity_slope: 0.2, source: 'example (catalog default)' }),
  /** ISO 639-1 codes it serves well; empty = every language. */
  languages: z.array(z.string().regex(/^[a-z]{2,3}$/, 'an ISO 639-1 code')).default([]),
});

const weights = z.strictObject({
  /** Quality points a candidate gives up for each 10x of expected cost over the cheapest eligible one. */
  cost_per_decade: z.number().min(0).default(0.05),
  /** Quality points per second of expected latency. */
  latency_per_s: z.number().min(0).default(0.005),
  /** Quality points per unit of live error rate (0..1). */
  error_rate: z.number().min(0).default(0.5),
  /** Quality points when the shared rate limit is exhausted (scaled below 20% headroom). */
  saturation: z.number().min(0).default(0.2),
});

const reference = z.strictObject({
  /** The model whose quality and spend this tier routes against ("no worse than, no dearer than"). */
  model: name,
  /** Standard deviations of the learned quality difference another model must clear to take a request from the reference. */
  margin_sd: z.number().min(0).max(10).default(1),
  /** Quality points per multiple of the reference's expected cost for the request (the price of spend). */
  cost_weight: z.number().min(0).default(0.05),
});

const tier = z.strictObject({
  description: z.string().optional(),
  strategy: strategies.default('balanced'),
  /** Models this tier may use; empty = all. */
  allowed_models: z.array(name).default([]),
  /** Expected quality the cost, latency and balanced strategies must clear. */
  quality_floor: unit.default(0),
  /** Expected cost ceiling per request (USD); the quality strategy maximises under it. */
  max_cost_usd: z.number().positive().optional(),
  /** private: PII stays on self-hosted models; allow: any model; refuse: requests with PII are refused. */
  pii_policy: z.enum(PII_POLICIES).default('private'),
  /** Prompts flagged as injection: route normally, route to `model`, or refuse. */
  injection: z
    .strictObject({ action: z.enum(INJECTION_ACTIONS).default('route'), model: name.optional() })
    .refine((i) => i.action !== 'model' || i.model !== undefined, 'action "model" needs a model')
    .default({ action: 'route' }),
  weights: weights.default(weights.parse({})),
  /**
   * Balanced routing against a reference model: the reference answers unless what the
   * router learned from feedback says another model answers better (by `margin_sd`
   * standard deviations) or as well for less, with spend priced at `cost_weight` per
   * multiple of the reference's expected cost. Replaces `weights.cost_per_decade`.
   */
  reference: reference.optional(),
  /** Default plan of this tier (a caller hint or a rule may choose another). */
  plan: plans.default('single'),
  /** Fallback targets per decision. */
  max_fallbacks: z.number().int().min(0).max(8).default(3),
  /** Provider regions this tier may use; empty = any. */
  regions: z.array(z.string().min(1)).default([]),
});

const alias = z.strictObject({
  description: z.string().optional(),
  strategy: strategies.optional(),
  quality_floor: unit.optional(),
  /** Only these models. */
  models: z.array(name).optional(),
  plan: plans.optional(),
  /** `self_hosted_only` keeps the request on our own infrastructure. */
  privacy: z.enum(['self_hosted_only']).optional(),
});

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const rule = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Every condition must hold; a list matches any of its values. No conditions = always. */
  when: z
    .strictObject({
      intent: z.array(intents).min(1).optional(),
      band: z.array(z.enum(BAND_NAMES)).min(1).optional(),
      complexity_min: unit.optional(),
      complexity_max: unit.optional(),
      language: z.array(z.string().min(1)).min(1).optional(),
      tenant: z.array(z.string().min(1)).min(1).optional(),
      tier: z.array(z.string().min(1)).min(1).optional(),
      alias: z.array(z.string().min(1)).min(1).optional(),
      metadata: z.record(z.string().min(1), stringOrList).optional(),
      /** true: any PII; a list: any of these kinds; false: none. */
      pii: z.union([z.boolean(), z.array(z.enum(PII_NAMES)).min(1)]).optional(),
      /** true: any tool suggestion; a name: that tool; false: none. */
      tool: z.union([z.boolean(), z.string().min(1)]).optional(),
      image_input: z.boolean().optional(),
      image_output: z.boolean().optional(),
      injection: z.boolean().optional(),
      tokens_min: z.number().int().nonnegative().optional(),
      tokens_max: z.number().int().nonnegative().optional(),
    })
    .default({}),
  then: z
    .strictObject({
      /** Force this model (constraints still apply: compliance is never overridden). */
      model: name.optional(),
      /** Only models of this pool. */
      pool: z.string().min(1).optional(),
      /** Only these models. */
      models: z.array(name).min(1).optional(),
      plan: plans.optional(),
      strategy: strategies.optional(),
      quality_floor: unit.optional(),
      /** Refuse the request with this reason. */
      deny: z.string().min(1).optional(),
    })
    .refine((t) => Object.values(t).some((v) => v !== undefined), 'a rule needs at least one action'),
});

const CHAIN_TOOL_INSTRUCTION = "Answer the user's question in one short sentence using the previous step's result exactly as given (it is computed exactly; do not recompute or round it).";

const planSettings = z.strictObject({
  cascade: z
    .strictObject({
      checks: z.array(z.enum(CASCADE_CHECKS)).min(1).default(['non_empty', 'no_refusal']),
      /** Steps including the first (2 = cheap then strong). */
      max_steps: z.number().int().min(2).max(4).default(2),
      /** The first step is the cheapest candidate whose quality clears floor minus this margin. */
      first_step_margin: unit.default(0.15),
    })
    .default({ checks: ['non_empty', 'no_refusal'], max_steps: 2, first_step_margin: 0.15 }),
  hedge: z
    .strictObject({
      /** Fixed delay; when absent, the primary's expected latency times `latency_factor`. */
      delay_ms: positiveInt.optional(),
      latency_factor: z.number().positive().default(0.8),
      min_delay_ms: z.number().int().nonnegative().default(200),
    })
    .default({ latency_factor: 0.8, min_delay_ms: 200 }),
  vote: z.strictObject({ voters: z.number().int().min(2).max(7).default(3) }).default({ voters: 3 }),
  judge: z
    .strictObject({
      candidates: z.number().int().min(2).max(5).default(2),
      instruction: z.string().min(1).default('Compare the candidate answers to the request and return the best one, corrected if needed.'),
    })
    .default({ candidates: 2, instruction: 'Compare the candidate answers to the request and return the best one, corrected if needed.' }),
  draft_review: z
    .strictObject({
      instruction: z.string().min(1).default('Review the draft answer for errors and omissions and return an improved final answer.'),
    })
    .default({ instruction: 'Review the draft answer for errors and omissions and return an improved final answer.' }),
  chain: z
    .strictObject({
      steps: z
        .array(z.strictObject({ instruction: z.string().min(1) }))
        .min(2)
        .default([{ instruction: 'Work out the answer step by step.' }, { instruction: 'Rewrite the worked answer as a concise final answer.' }]),
      /** When the classifier found a tool expression: the instruction of the model step that phrases the tool's result. */
      tool_instruction: z.string().min(1).default(CHAIN_TOOL_INSTRUCTION),
    })
    .default({
      steps: [{ instruction: 'Work out the answer step by step.' }, { instruction: 'Rewrite the worked answer as a concise final answer.' }],
      tool_instruction: CHAIN_TOOL_INSTRUCTION,
    }),
});

const defaults = z.strictObject({
  /** Tier of tenants not listed under `tenants`. */
  tier: z.string().min(1).default('standard'),
  /** Expected output tokens when the caller sets no max_tokens. */
  output_tokens: positiveInt.default(400),
  output_tokens_by_intent: z.partialRecord(intents, positiveInt).default({}),
  /** Quality lost on a language the model does not list. */
  language_penalty: unit.default(0.1),
});

const affinity = z.strictObject({
  enabled: z.boolean().default(true),
  /** How long a conversation's model is remembered after its last turn. */
  ttl_seconds: positiveInt.default(1800),
  /** A new intent with at least this confidence is a real change of topic. */
  intent_change_confidence: unit.default(0.6),
});

/** The catalog file. */
export const catalogSchema = z.strictObject({
  version: z.string().min(1),
  defaults: defaults.default(defaults.parse({})),
  providers: z.array(provider).min(1),
  models: z.array(model).min(1),
  tiers: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, _ and -'), tier).refine((t) => Object.keys(t).length > 0, 'define at least one tier'),
  /** Tenant id -> tier. */
  tenants: z.record(z.string().min(1), z.string().min(1)).default({}),
  aliases: z.record(z.string().regex(/^[a-z0-9][a-z0-9:._-]*$/, 'lowercase letters, digits and : . _ -'), alias).default({}),
  rules: z.array(rule).default([]),
  plans: planSettings.default(planSettings.parse({})),
  affinity: affinity.default(affinity.parse({})),
});

export type CatalogData = z.infer<typeof catalogSchema>;
export type CatalogProvider = CatalogData['providers'][number];
export type CatalogHttpTool = NonNullable<CatalogProvider['http_tool']>;
export type CatalogModel = CatalogData['models'][number];
export type CatalogTier = CatalogData['tiers'][string];
export type CatalogAlias = CatalogData['aliases'][string];
export type CatalogRule = CatalogData['rules'][number];
export type TierWeights = z.infer<typeof weights>;
export type TierReference = z.infer<typeof reference>;
