/**
 * The names the catalog uses for things the contracts define. Intents, complexity bands,
 * PII kinds, plans and strategies come from the protobuf enums (one definition, in
 * `proto/`); only the catalog's own vocabulary (API kinds, capabilities, error classes)
 * is declared here.
 */
import { ComplexityBand, Intent, PiiKind, PlanKind, Strategy, bandName, intentName, piiName } from '@yardmaster/contracts';

/** Values of a numeric protobuf enum, without the UNSPECIFIED (0) value. */
function enumValues<E extends number>(e: Record<string, string | number>): E[] {
  return Object.values(e).filter((v): v is E => typeof v === 'number' && v !== 0);
}

function tuple(names: string[]): [string, ...string[]] {
  if (names.length === 0) throw new Error('empty enum');
  return names as [string, ...string[]];
}

/** Taxonomy names of the intents (`code`, `open_qa`, …), from the `Intent` enum. */
export const INTENT_NAMES: readonly [string, ...string[]] = tuple(enumValues<Intent>(Intent).map(intentName));
/** `low`, `medium`, `high`, from the `ComplexityBand` enum. */
export const BAND_NAMES: readonly [string, ...string[]] = tuple(enumValues<ComplexityBand>(ComplexityBand).map(bandName));
/** `email`, `payment_card`, …, from the `PiiKind` enum. */
export const PII_NAMES: readonly [string, ...string[]] = tuple(enumValues<PiiKind>(PiiKind).map(piiName));

/** `single`, `cascade`, … (`PLAN_KIND_DRAFT_REVIEW` → `draft_review`), from the `PlanKind` enum. */
export const PLAN_NAMES: readonly [string, ...string[]] = tuple(
  Object.keys(PlanKind)
    .filter((k) => Number.isNaN(Number(k)) && k !== 'UNSPECIFIED')
    .map((k) => k.toLowerCase()),
);
/** `balanced`, `cost`, `quality`, `latency`, from the `Strategy` enum. */
export const STRATEGY_NAMES: readonly [string, ...string[]] = tuple(
  Object.keys(Strategy)
    .filter((k) => Number.isNaN(Number(k)) && k !== 'UNSPECIFIED')
    .map((k) => k.toLowerCase()),
);

/** The enum value of a plan name (`draft_review` → `PlanKind.DRAFT_REVIEW`). */
export function planFromName(name: string): PlanKind {
  const v = (PlanKind as unknown as Record<string, PlanKind | undefined>)[name.toUpperCase()];
  return v ?? PlanKind.UNSPECIFIED;
}

/** The name of a plan (`PlanKind.DRAFT_REVIEW` → `draft_review`). */
export function planName(plan: PlanKind): string {
  return (PlanKind[plan] ?? 'UNSPECIFIED').toLowerCase();
}

/** The enum value of a strategy name. */
export function strategyFromName(name: string): Strategy {
  const v = (Strategy as unknown as Record<string, Strategy | undefined>)[name.toUpperCase()];
  return v ?? Strategy.UNSPECIFIED;
}

/** The name of a strategy (`Strategy.COST` → `cost`). */
export function strategyName(strategy: Strategy): string {
  return (Strategy[strategy] ?? 'UNSPECIFIED').toLowerCase();
}

/**
 * Wire protocols of providers; each worker pool speaks exactly one (the launcher passes it
 * to the pool's worker as PROVIDER_API). `tool` is the in-process calculator; `http-tool` an
 * HTTP endpoint answering one tool (weather, currency, a lookup), see the provider's `http_tool`.
 */
export const API_KINDS = ['openai-chat', 'anthropic-messages', 'gemini', 'openai-images', 'tool', 'http-tool'] as const;
export type ApiKind = (typeof API_KINDS)[number];

/** What a model does: answer in text, generate images, or run a deterministic tool. */
export const MODEL_KINDS = ['chat', 'image', 'tool'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** The API kinds that serve each model kind. */
export const API_KINDS_OF: Readonly<Record<ModelKind, readonly ApiKind[]>> = {
  chat: ['openai-chat', 'anthropic-messages', 'gemini'],
  image: ['openai-images'],
  tool: ['tool', 'http-tool'],
};

/** Model capabilities a request may require. */
export const CAPABILITIES = ['vision', 'image_output', 'json', 'tools', 'streaming', 'long_context'] as const;
export type CapabilityName = (typeof CAPABILITIES)[number];

/** Informational size/role class of a model. */
export const MODEL_TIERS = ['small', 'mid', 'frontier', 'specialist', 'open', 'image', 'tool'] as const;

/**
 * Error classes of a failed attempt, as the worker pools report them (`ErrorInfo.code`),
 * grouped by what a fallback step should do about them.
 */
export const ErrorClasses = Object.freeze({
  /** The provider is down, slow or throttling: the next healthy target helps. */
  outage: ['unavailable', 'server_error', 'timeout', 'network', 'rate_limited', 'circuit_open', 'invalid_response', 'auth', 'not_found'] as readonly string[],
  /** The prompt did not fit: only a larger context window helps. */
  contextLength: ['context_length'] as readonly string[],
  /** The provider refused the content: another provider may not. */
  contentPolicy: ['content_policy'] as readonly string[],
  /** A deterministic tool failed (cannot parse, division by zero): a model answers instead. */
  tool: ['tool_error'] as readonly string[],
});

/** Checks a cascade step's output must pass before the cascade stops (else it escalates). */
export const CASCADE_CHECKS = ['non_empty', 'no_refusal', 'valid_json', 'finished'] as const;

/** Tenant policies for requests that contain personal data. */
export const PII_POLICIES = ['private', 'allow', 'refuse'] as const;
/** Tenant policies for prompts the classifier flags as injection attempts. */
export const INJECTION_ACTIONS = ['route', 'model', 'refuse'] as const;
