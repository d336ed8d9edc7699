/**
 * The wire protocol a provider speaks (the catalog's provider field `api`; the worker's
 * `PROVIDER_API`). `openai-chat` also covers vLLM, Ollama, TGI, llama.cpp's server,
 * OpenRouter, Together, Groq and other OpenAI-compatible servers through the base URL;
 * `tool` is a deterministic tool pool (the calculator) and calls no provider; `http-tool`
 * calls one HTTP tool endpoint (weather, currency…) with the classifier's arguments.
 */
export type ProviderApi = 'openai-chat' | 'anthropic-messages' | 'gemini' | 'openai-images' | 'tool' | 'http-tool';

/** Every {@link ProviderApi}, for validation. */
export const PROVIDER_APIS: readonly ProviderApi[] = ['openai-chat', 'anthropic-messages', 'gemini', 'openai-images', 'tool', 'http-tool'];

/** One part of a message: text, or an image by URL or inline bytes. */
export type GenerationPart = { type: 'text'; text: string } | { type: 'image'; url?: string; data?: Uint8Array; mimeType?: string };

/** A call of a tool by the model: its id (the tool message answering it names it), the function and its JSON arguments. */
export interface ToolCallSpec {
  id: string;
  name: string;
  /** The arguments as JSON text. */
  arguments: string;
}

/** A function the model may call. */
export interface ToolSpec {
  name: string;
  description?: string;
  /** The parameters' JSON schema (an object), or undefined for none. */
  parameters?: Record<string, unknown>;
  strict?: boolean;
}

/** How the model may use the tools: `function` calls `name`. */
export interface ToolChoiceSpec {
  mode: 'auto' | 'none' | 'required' | 'function';
  name?: string;
  /** At most one call per answer. */
  disableParallel?: boolean;
}

/** One message of a conversation, independent of any provider's wire format. */
export interface GenerationMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  parts: GenerationPart[];
  name?: string;
  /** An assistant message's tool calls. */
  toolCalls?: ToolCallSpec[];
  /** A tool message: the call it answers. */
  toolCallId?: string;
}

/** What the worker asks a provider (or tool) to do; each adapter translates it to its wire format. */
export interface GenerationRequest {
  model: string;
  messages: GenerationMessage[];
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  /** Ask for a JSON object. */
  json?: boolean;
  /** Ask for JSON that follows this schema (implies {@link json}). */
  jsonSchema?: { name: string; description?: string; schema: Record<string, unknown>; strict: boolean };
  /** Functions the model may call. */
  tools?: ToolSpec[];
  toolChoice?: ToolChoiceSpec;
  /** For the tool pool: the tool and its normalised input (from the classifier). */
  tool?: { name: string; expression: string };
}

/** An image a provider generated: inline bytes or a URL it hosts. */
export interface GeneratedImage {
  data?: Uint8Array;
  url?: string;
  mimeType: string;
  revisedPrompt?: string;
}

/** A normalised answer. */
export interface GenerationAnswer {
  output: string;
  finishReason: string;
  inputTokens: number;
  outputTokens: number;
  /** The model the provider says answered (the requested one when it does not say). */
  providerModel: string;
  images?: GeneratedImage[];
  /** Tools the model called (`finishReason` is then the provider's, e.g. `tool_calls` or `tool_use`). */
  toolCalls?: ToolCallSpec[];
  /** Whether the answer was read from a server-sent event stream. */
  streamed: boolean;
  /** Milliseconds from sending to the first byte of the answer (the first event of a stream). */
  firstByteMs: number;
}

/** Per-call options of {@link ProviderAdapter.generate}. */
export interface CallOptions {
  /** Aborts the call (attempt timeout, request deadline, cancellation). */
  signal: AbortSignal;
  /** The key for this call (several keys rotate); none: unauthenticated, or Basic auth from the base URL. */
  apiKey?: string | undefined;
  /** Ask for a server-sent event stream (where the API has one). */
  stream?: boolean;
  /**
   * Fail with `timeout` when no byte of the answer (for a stream: no event) arrives within
   * this long, and when a stream stalls this long between events. A hung provider costs
   * this, not the whole attempt timeout.
   */
  firstByteTimeoutMs?: number;
  /** Called with each text delta of a streamed answer. */
  onDelta?: (text: string) => void;
}

/**
 * One provider API behind one interface. Adapters throw {@link ProviderError} only,
 * with messages that never contain an API key.
 */
export interface ProviderAdapter {
  readonly api: ProviderApi;
  /** Whether this API can stream its answer. */
  readonly streams: boolean;
  generate(request: GenerationRequest, options: CallOptions): Promise<GenerationAnswer>;
}

/** Text of a message's parts (images left out). */
export function partsText(parts: readonly GenerationPart[], separator = '\n'): string {
  return parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join(separator);
}

/** An image part as a URL: its own, or a `data:` URI of its bytes. */
export function imageUrl(part: Extract<GenerationPart, { type: 'image' }>): string {
  return part.url || `data:${part.mimeType || 'image/png'};base64,${Buffer.from(part.data ?? new Uint8Array()).toString('base64')}`;
}
