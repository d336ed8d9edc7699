import { ProviderError } from './errors.js';
import { eventJson, postEventStream, postJson, withoutSecrets } from './http.js';
import { partsText, type CallOptions, type GenerationAnswer, type GenerationRequest, type ProviderAdapter, type ToolCallSpec } from './types.js';

/** Options for {@link GeminiClient}. */
export interface GeminiClientOptions {
  /** e.g. https://generativelanguage.googleapis.com (a trailing `/v1beta` is accepted). */
  baseUrl: string;
  apiKey?: string | undefined;
  /** API version path segment. Default v1beta. */
  version?: string;
  headers?: Record<string, string>;
}

type GeminiPart =
  | { text: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { mimeType: string; fileUri: string } }
  | { functionCall: { name: string; args: unknown } }
  | { functionResponse: { name: string; response: Record<string, unknown> } };

/** The generateContent body Yardmaster sends. */
export interface GeminiBody {
  contents: { role: 'user' | 'model'; parts: GeminiPart[] }[];
  systemInstruction?: { parts: { text: string }[] };
  generationConfig?: {
    temperature?: number;
    topP?: number;
    maxOutputTokens?: number;
    stopSequences?: string[];
    seed?: number;
    responseMimeType?: string;
    responseJsonSchema?: Record<string, unknown>;
  };
  tools?: { functionDeclarations: { name: string; description?: string; parametersJsonSchema?: Record<string, unknown> }[] }[];
  toolConfig?: { functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] } };
}

interface WireResponse {
  candidates?: { content?: { parts?: { text?: string; thought?: boolean; functionCall?: { name?: string; args?: unknown } }[] }; finishReason?: string }[];
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number };
  modelVersion?: string;
  promptFeedback?: { blockReason?: string };
  error?: { code?: number; message?: string; status?: string };
}

const FINISH: Record<string, string> = { STOP: 'stop', MAX_TOKENS: 'length' };
const BLOCKED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']);

/** The generateContent body for a {@link GenerationRequest}: system messages become `systemInstruction`. */
export function geminiBody(request: GenerationRequest): GeminiBody {
  const system = request.messages.filter((m) => m.role === 'system').map((m) => ({ text: partsText(m.parts) }));
  // Gemini answers a function call by the function's name: the call ids map back to names.
  const callNames = new Map(request.messages.flatMap((m) => (m.toolCalls ?? []).map((c) => [c.id, c.name] as const)));
  const contents = request.messages
    .filter((m) => m.role !== 'system')
    .map((m) => {
      if (m.role === 'tool') {
        const name = callNames.get(m.toolCallId ?? '') ?? m.name ?? '';
        return { role: 'user' as const, parts: [{ functionResponse: { name, response: { content: partsText(m.parts) } } }] };
      }
      const parts = m.parts.flatMap((p): GeminiPart[] => {
        if (p.type === 'text') return p.text === '' && m.toolCalls?.length ? [] : [{ text: p.text }];
        if (p.url) return [{ fileData: { mimeType: p.mimeType || 'image/png', fileUri: p.url } }];
        return [{ inlineData: { mimeType: p.mimeType || 'image/png', data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') } }];
      });
      for (const c of m.toolCalls ?? []) parts.push({ functionCall: { name: c.name, args: parseArgs(c.arguments) } });
      return { role: m.role === 'assistant' ? ('model' as const) : ('user' as const), parts };
    });
  const choice = request.toolChoice;
  const tools = request.tools?.length
    ? {
        tools: [{ functionDeclarations: request.tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), ...(t.parameters ? { parametersJsonSchema: t.parameters } : {}) })) }],
        ...(choice
          ? {
              toolConfig: {
                functionCallingConfig: {
                  mode: choice.mode === 'none' ? ('NONE' as const) : choice.mode === 'auto' ? ('AUTO' as const) : ('ANY' as const),
                  ...(choice.mode === 'function' ? { allowedFunctionNames: [choice.name ?? ''] } : {}),
                },
              },
            }
          : {}),
      }
    : {};
  const config: NonNullable<GeminiBody['generationConfig']> = {
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.topP !== undefined ? { topP: request.topP } : {}),
    ...(request.maxTokens !== undefined ? { maxOutputTokens: request.maxTokens } : {}),
    ...(request.stop?.length ? { stopSequences: request.stop } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.json || request.jsonSchema ? { responseMimeType: 'application/json' } : {}),
    ...(request.jsonSchema ? { responseJsonSchema: request.jsonSchema.schema } : {}),
  };
  return { contents, ...(system.length ? { systemInstruction: { parts: system } } : {}), ...(Object.keys(config).length ? { generationConfig: config } : {}), ...tools };
}

/** Tool-call arguments as an object (what `functionCall.args` takes); unparsable text is kept under `_raw`. */
function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text || '{}') as unknown;
  } catch {
    return { _raw: text };
  }
}

/** A client for Google's Gemini API (`models/{model}:generateContent` and `:streamGenerateContent?alt=sse`). */
export class GeminiClient implements ProviderAdapter {
  readonly api = 'gemini' as const;
  readonly streams = true;
  private readonly base: string;
  private readonly secrets: string[];

  constructor(private readonly options: GeminiClientOptions) {
    const version = options.version ?? 'v1beta';
    this.base = `${options.baseUrl.replace(/\/+$/, '').replace(new RegExp(`/${version}$`), '')}/${version}/models`;
    this.secrets = [options.apiKey, ...Object.values(options.headers ?? {})].filter((s): s is string => s !== undefined);
  }

  private headers(apiKey: string | undefined): Record<string, string> {
    const key = apiKey ?? this.options.apiKey;
    // The key goes in a header, never in the URL (`?key=` would reach access logs).
    return { ...(key ? { 'x-goog-api-key': key } : {}), ...(this.options.headers ?? {}) };
  }

  async generate(request: GenerationRequest, options: CallOptions): Promise<GenerationAnswer> {
    const body = geminiBody(request);
    const model = encodeURIComponent(request.model.replace(/^models\//, ''));
    return withoutSecrets([...this.secrets, options.apiKey], async () => {
      const call = { headers: this.headers(options.apiKey), signal: options.signal, firstByteTimeoutMs: options.firstByteTimeoutMs, body };
      if (!options.stream) {
        const { status, json, firstByteMs } = await postJson({ ...call, url: `${this.base}/${model}:generateContent` });
        const answer = new Answer(request.model);
        answer.add(json as WireResponse, status);
        return { ...answer.finish(status), streamed: false, firstByteMs };
      }
      const answer = new Answer(request.model, options.onDelta);
      const { status, firstByteMs } = await postEventStream({ ...call, url: `${this.base}/${model}:streamGenerateContent?alt=sse` }, (event) => {
        answer.add(eventJson<WireResponse>(event), 200);
      });
      return { ...answer.finish(status), streamed: true, firstByteMs };
    });
  }
}

/** Accumulates a whole response or the chunks of a stream (usage is cumulative; the last wins). */
class Answer {
  private output = '';
  private finishReason: string | undefined;
  private inputTokens = 0;
  private outputTokens = 0;
  private providerModel: string;
  private blocked: string | undefined;
  private seen = false;
  private readonly toolCalls: ToolCallSpec[] = [];

  constructor(
    model: string,
    private readonly onDelta?: (text: string) => void,
  ) {
    this.providerModel = model;
  }

  add(chunk: WireResponse, status: number): void {
    if (chunk.error) {
      const code = chunk.error.code ?? 500;
      const err = ProviderError.fromStatus(code, JSON.stringify(chunk.error));
      throw new ProviderError(err.code, `provider sent an error: ${JSON.stringify(chunk.error).slice(0, 300)}`, status);
    }
    this.seen = true;
    if (chunk.modelVersion) this.providerModel = chunk.modelVersion;
    if (chunk.promptFeedback?.blockReason) this.blocked = `the prompt was blocked (${chunk.promptFeedback.blockReason})`;
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.text && !part.thought) {
        this.output += part.text;
        this.onDelta?.(part.text);
      }
      if (part.functionCall) this.toolCalls.push({ id: `call_${this.toolCalls.length}`, name: part.functionCall.name ?? '', arguments: JSON.stringify(part.functionCall.args ?? {}) });
    }
    if (candidate?.finishReason) {
      this.finishReason = candidate.finishReason;
      if (BLOCKED.has(candidate.finishReason)) this.blocked = `the answer was blocked (finishReason ${candidate.finishReason})`;
    }
    const usage = chunk.usageMetadata;
    if (usage) {
      this.inputTokens = usage.promptTokenCount ?? this.inputTokens;
      // Thinking tokens are billed as output.
      this.outputTokens = (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0) || this.outputTokens;
    }
  }

  finish(status: number): Omit<GenerationAnswer, 'streamed' | 'firstByteMs'> {
    if (this.blocked && this.output === '') throw new ProviderError('content_policy', this.blocked, status);
    if (!this.seen || (this.finishReason === undefined && this.output === '' && this.toolCalls.length === 0)) throw new ProviderError('invalid_response', 'provider response has no candidates', status);
    return {
      output: this.output,
      finishReason: this.toolCalls.length ? 'tool_calls' : (FINISH[this.finishReason ?? 'STOP'] ?? (this.finishReason ?? 'stop').toLowerCase()),
      ...(this.toolCalls.length ? { toolCalls: this.toolCalls } : {}),
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      providerModel: this.providerModel,
    };
  }
}
