/**
 * Public types of the Yardmaster request classifier.
 *
 * Kept in one dependency-free module so that services can import the shapes
 * without pulling in the tokenizer or the language detector.
 */
import type { PrivacyHint } from './egress';

/** The intent taxonomy from DESIGN.md, in a fixed order (the model's class order). */
export type Intent =
  | 'code'
  | 'math'
  | 'reasoning'
  | 'creative_writing'
  | 'writing'
  | 'summarization'
  | 'translation'
  | 'extraction'
  | 'classification'
  | 'rewrite'
  | 'open_qa'
  | 'brainstorming'
  | 'chat'
  | 'image_generation'
  | 'other';

/**
 * All intents in class-index order. The trained model stores its classes by name,
 * so changing this order does not silently corrupt predictions.
 */
export const INTENTS: readonly Intent[] = Object.freeze([
  'code',
  'math',
  'reasoning',
  'creative_writing',
  'writing',
  'summarization',
  'translation',
  'extraction',
  'classification',
  'rewrite',
  'open_qa',
  'brainstorming',
  'chat',
  'image_generation',
  'other',
] as const);

/** Type guard for intent labels coming from JSON (corpus rows, second-stage answers). */
export function isIntent(value: unknown): value is Intent {
  return typeof value === 'string' && (INTENTS as readonly string[]).includes(value);
}

/**
 * Subject areas (in the spirit of vLLM Semantic Router's domains), in the subject
 * model's class order. `other` covers everyday topics (travel, cooking, sport,
 * relationships, entertainment, the assistant itself ...).
 */
export type Subject =
  | 'law'
  | 'medicine'
  | 'biology'
  | 'chemistry'
  | 'physics'
  | 'mathematics'
  | 'computer_science'
  | 'engineering'
  | 'economics'
  | 'business'
  | 'history'
  | 'philosophy'
  | 'psychology'
  | 'other';

/** All subjects in class-index order. */
export const SUBJECTS: readonly Subject[] = Object.freeze([
  'law',
  'medicine',
  'biology',
  'chemistry',
  'physics',
  'mathematics',
  'computer_science',
  'engineering',
  'economics',
  'business',
  'history',
  'philosophy',
  'psychology',
  'other',
] as const);

/** Type guard for subject labels coming from JSON (corpus rows). */
export function isSubject(value: unknown): value is Subject {
  return typeof value === 'string' && (SUBJECTS as readonly string[]).includes(value);
}

/**
 * The kind of work a request demands of a model:
 * - `recall`: knowing or looking up (facts, definitions, short answers, labelling or
 *   pulling items out of given text, small talk);
 * - `reasoning`: several dependent steps of analysis, logic, diagnosis, debugging,
 *   planning or proof;
 * - `computation`: numeric or symbolic calculation;
 * - `generation`: producing a long text or program (essays, stories, reports, code,
 *   translations and rewrites of long text).
 */
export type Demand = 'recall' | 'reasoning' | 'computation' | 'generation';

/** All demands in class-index order. */
export const DEMANDS: readonly Demand[] = Object.freeze(['recall', 'reasoning', 'computation', 'generation'] as const);

/** Type guard for demand labels coming from JSON (corpus rows). */
export function isDemand(value: unknown): value is Demand {
  return typeof value === 'string' && (DEMANDS as readonly string[]).includes(value);
}

/** Complexity bands derived from the [0,1] complexity score. */
export type ComplexityBand = 'low' | 'medium' | 'high';

/** Kinds of personal data the PII detector reports. */
export type PiiKind = 'email' | 'phone' | 'payment_card' | 'iban' | 'national_id' | 'ip_address';

/** One conversation turn; `images` counts image content parts in the turn. */
export interface ChatTurn {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Number of image parts attached to this turn (0/undefined = none). */
  images?: number;
}

/** What the classifier reads: the conversation so far, oldest first. */
export interface ClassifierInput {
  messages: ChatTurn[];
  /**
   * Where the caller allows the request to be processed (default `any`). Only the
   * second stage reads it: a `self_hosted_only` conversation is never sent to an
   * external second-stage endpoint.
   */
  privacy?: PrivacyHint;
}

/** A deterministic tool that answers the request exactly. */
export interface ToolSuggestion {
  /** `calculator` (arithmetic, units, dates: evaluated here) or an HTTP tool the catalog may declare (`weather`, `currency`, `order_lookup`, `customer_lookup`). */
  name: 'calculator' | 'weather' | 'currency' | 'order_lookup' | 'customer_lookup';
  /** Calculator: the normalised expression that was evaluated. HTTP tools: the canonical JSON of `arguments`. */
  expression: string;
  /** The calculator's exact result as a string; empty for HTTP tools (their pool calls the service). */
  result: string;
  /** HTTP tools: the arguments extracted from the request (`location`, `when`; `from`, `to`, `amount`; `order_id`; `customer_id`). */
  arguments?: Readonly<Record<string, string>>;
}

/** Everything the classifier says about one request. */
export interface ClassificationResult {
  intent: Intent;
  intentConfidence: number;
  runnerUp: Intent;
  runnerUpConfidence: number;
  /** How likely a strong model is needed, in [0,1]. */
  complexity: number;
  band: ComplexityBand;
  /** Subject area of the request (the subject model's argmax) and its probability. */
  subject: Subject;
  subjectConfidence: number;
  /** The kind of work the request demands (the demand model's argmax) and its probability. */
  demand: Demand;
  demandConfidence: number;
  /** ISO 639-1 code of the (last user turn's) language, 'und' if unknown. */
  language: string;
  /** Token count of the whole conversation (o200k_base; extrapolated above a cap). */
  inputTokens: number;
  imageInput: boolean;
  imageOutput: boolean;
  pii: PiiKind[];
  injection: boolean;
  tool: ToolSuggestion | null;
  /** Classifier + model version, e.g. `clf-1.0.0+model.3f2a9c1b`. */
  version: string;
  /** Wall time spent in classify(), microseconds. */
  durationUs: number;
}
