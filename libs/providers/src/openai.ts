import { splitUrlCredentials } from '@yardmaster/config';
import { ProviderError } from './errors.js';
import { eventJson, postEventStream, postJson, withoutSecrets } from './http.js';
import { imageUrl, partsText, type CallOptions, type GenerationAnswer, type GenerationRequest, type ProviderAdapter, type ToolCallSpec } from './types.js';

/** A chat message in OpenAI's wire format. */
export interface ChatMessageWire {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null | ({ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } })[];
  name?: string;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

/** The parts of an OpenAI chat completions request Yardmaster sends. */
export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessageWire[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string[];
  seed?: number;
  response_format?: { type: 'json_object' | 'text' } | { type: 'json_schema'; json_schema: { name: string; description?: string; schema: Record<string, unknown>; strict: boolean } };
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean } }[];
  tool_choice?: 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };
  parallel_tool_calls?: boolean;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
}

/** A normalised completion. */
export interface ChatCompletion {
  output: string;
  toolCalls?: ToolCallSpec[];
  finishReason: string;
  inputTokens: number;
  outputTokens: number;
  providerModel: string;
}

/** Options for {@link OpenAIChatClient}. */
export interface OpenAIChatClientOptions {
  /** Base URL with or without the `/v1` suffix, e.g. https://api.openai.com or http://vllm:8000. */
  baseUrl: string;
  /** The default key; a call's own `apiKey` (key rotation) replaces it. */
  apiKey?: string | undefined;
  /** Extra headers (organisation, project, gateway keys…). */
  headers?: Record<string, string>;
}

interface WireError {
  error?: { message?: string; code?: string | null; type?: string };
}

interface WireResponse extends WireError {
  model?: string;
  choices?: { message?: { content?: string | null; refusal?: string | null; tool_calls?: WireToolCall[] }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

interface WireToolCall {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

interface WireChunk extends WireError {
  model?: string;
  choices?: { delta?: { content?: string | null; refusal?: string | null; tool_calls?: WireToolCall[] }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

/** The OpenAI chat completions body for a {@link GenerationRequest}. */
export function openAIChatBody(request: GenerationRequest): ChatCompletionRequest {
  const messages: ChatMessageWire[] = request.messages.map((m) => {
    const onlyText = m.parts.every((p) => p.type === 'text');
    const content: ChatMessageWire['content'] = onlyText
      ? partsText(m.parts)
      : m.parts.map((p) => (p.type === 'image' ? { type: 'image_url' as const, image_url: { url: imageUrl(p) } } : { type: 'text' as const, text: p.text }));
    const toolCalls = m.toolCalls?.length ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) } : {};
    return {
      role: m.role,
      // An assistant message that only calls tools has no content.
      content: m.toolCalls?.length && content === '' ? null : content,
      ...(m.name ? { name: m.name } : {}),
      ...toolCalls,
      ...(m.toolCallId ? { tool_call_id: m.toolCallId } : {}),
    };
  });
  const choice = request.toolChoice;
  return {
    model: request.model,
    messages,
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.topP !== undefined ? { top_p: request.topP } : {}),
    ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
    ...(request.stop?.length ? { stop: request.stop } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.jsonSchema
      ? { response_format: { type: 'json_schema' as const, json_schema: { name: request.jsonSchema.name, ...(request.jsonSchema.description ? { description: request.jsonSchema.description } : {}), schema: request.jsonSchema.schema, strict: request.jsonSchema.strict } } }
      : request.json
        ? { response_format: { type: 'json_object' as const } }
        : {}),
    ...(request.tools?.length
      ? {
          tools: request.tools.map((t) => ({
            type: 'function' as const,
            function: { name: t.name, ...(t.description ? { description: t.description } : {}), ...(t.parameters ? { parameters: t.parameters } : {}), ...(t.strict ? { strict: true } : {}) },
          })),
        }
      : {}),
    ...(choice && request.tools?.length
      ? { tool_choice: choice.mode === 'function' ? { type: 'function' as const, function: { name: choice.name ?? '' } } : choice.mode, ...(choice.disableParallel ? { parallel_tool_calls: false } : {}) }
      : {}),
  };
}

/** Tool calls of a whole answer, or assembled from a stream's deltas (by index). */
function toolCallsOf(calls: readonly WireToolCall[]): ToolCallSpec[] {
  return calls.map((c, i) => ({ id: c.id || `call_${i}`, name: c.function?.name ?? '', arguments: c.function?.arguments || '{}' }));
}

/** An error object inside a 200 answer or a stream event (OpenAI sends them mid-stream). */
function wireError(body: WireError, status: number): ProviderError | undefined {
  if (!body.error) return undefined;
  const text = JSON.stringify(body.error);
  // The status a provider would have used: classify by code and message like an HTTP error.
  const err = ProviderError.fromStatus(/rate.?limit/i.test(text) ? 429 : /context|policy|filter|invalid/i.test(text) ? 400 : 500, text);
  return new ProviderError(err.code, `provider sent an error: ${text.slice(0, 300)}`, status);
}

/** A `content_filter` stop with nothing to show is a refusal the aggregator can route around. */
function refusalCheck(output: string, finishReason: string, refusal: string | null | undefined): void {
  if (refusal) throw new ProviderError('content_policy', `the model refused: ${refusal.slice(0, 200)}`);
  if (finishReason === 'content_filter' && output === '') throw new ProviderError('content_policy', 'the provider filtered the answer (finish_reason content_filter)');
}

/**
 * A client for OpenAI-compatible `POST /v1/chat/completions` (OpenAI, vLLM, Ollama,
 * TGI, llama.cpp server, OpenRouter, Together, Groq…), whole or streamed.
 */
export class OpenAIChatClient implements ProviderAdapter {
  readonly api = 'openai-chat' as const;
  readonly streams = true;
  private readonly url: string;
  private readonly basic: string | undefined;
  private readonly extra: Record<string, string>;
  /** Values that must never appear in an error: the keys, the auth header, extra (gateway) headers. */
  private readonly secrets: string[];

  /** A base URL with `user:password@` is sent as Basic auth (unless a key is given), never in the URL. */
  constructor(private readonly options: OpenAIChatClientOptions) {
    const { url: baseUrl, authorization } = splitUrlCredentials(options.baseUrl);
    this.url = `${baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/chat/completions`;
    this.basic = authorization;
    this.extra = options.headers ?? {};
    this.secrets = [options.apiKey, authorization, ...Object.values(this.extra)].filter((s): s is string => s !== undefined);
  }

  private headers(apiKey: string | undefined): Record<string, string> {
    const key = apiKey ?? this.options.apiKey;
    const authorization = key ? `Bearer ${key}` : this.basic;
    return { ...(authorization ? { authorization } : {}), ...this.extra };
  }

  /**
   * Sends one completion request (whole answer).
   * @throws ProviderError (HTTP errors mapped by status, aborts as timeout, socket errors as network).
   *   Its message never contains the API key or URL credentials, even when the
   *   provider's error body quotes the key it rejected.
   */
  async complete(request: ChatCompletionRequest, signal: AbortSignal, apiKey?: string): Promise<ChatCompletion> {
    return withoutSecrets([...this.secrets, apiKey], async () => {
      const { status, json } = await postJson({ url: this.url, headers: this.headers(apiKey), body: request, signal });
      return this.parseWhole(json as WireResponse, status, request.model);
    });
  }

  /** {@link ProviderAdapter.generate}: whole, or streamed with usage (`stream_options.include_usage`). */
  async generate(request: GenerationRequest, options: CallOptions): Promise<GenerationAnswer> {
    const body = openAIChatBody(request);
    return withoutSecrets([...this.secrets, options.apiKey], async () => {
      const call = { url: this.url, headers: this.headers(options.apiKey), signal: options.signal, firstByteTimeoutMs: options.firstByteTimeoutMs };
      if (!options.stream) {
        const { status, json, firstByteMs } = await postJson({ ...call, body });
        return { ...this.parseWhole(json as WireResponse, status, request.model), streamed: false, firstByteMs };
      }
      let output = '';
      let refusal = '';
      let finishReason = '';
      let inputTokens = 0;
      let outputTokens = 0;
      let providerModel = request.model;
      let done = false;
      const streamedCalls: WireToolCall[] = [];
      const { status, firstByteMs } = await postEventStream({ ...call, body: { ...body, stream: true, stream_options: { include_usage: true } } }, (event) => {
        if (event.data === '[DONE]') {
          done = true;
          return 'stop';
        }
        const chunk = eventJson<WireChunk>(event);
        const err = wireError(chunk, 200);
        if (err) throw err;
        if (chunk.model) providerModel = chunk.model;
        const choice = chunk.choices?.[0];
        const delta = choice?.delta?.content;
        if (delta) {
          output += delta;
          options.onDelta?.(delta);
        }
        if (choice?.delta?.refusal) refusal += choice.delta.refusal;
        for (const tc of choice?.delta?.tool_calls ?? []) {
          const at = tc.index ?? streamedCalls.length;
          const call = (streamedCalls[at] ??= { function: { name: '', arguments: '' } });
          if (tc.id) call.id = tc.id;
          if (tc.function?.name) call.function!.name += tc.function.name;
          if (tc.function?.arguments) call.function!.arguments += tc.function.arguments;
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        if (chunk.usage) {
          inputTokens = chunk.usage.prompt_tokens ?? 0;
          outputTokens = chunk.usage.completion_tokens ?? 0;
        }
        return undefined;
      });
      if (!done && !finishReason) throw new ProviderError('invalid_response', 'the provider stream ended before the answer did', status);
      const toolCalls = toolCallsOf(streamedCalls.filter((c) => c !== undefined));
      if (toolCalls.length === 0) refusalCheck(output, finishReason, refusal);
      return { output, finishReason: finishReason || 'stop', inputTokens, outputTokens, providerModel, ...(toolCalls.length ? { toolCalls } : {}), streamed: true, firstByteMs };
    });
  }

  private parseWhole(body: WireResponse, status: number, model: string): ChatCompletion {
    const choice = body.choices?.[0];
    if (!choice?.message) throw new ProviderError('invalid_response', 'provider response has no choices[0].message', status);
    const output = choice.message.content ?? '';
    const finishReason = choice.finish_reason ?? 'stop';
    const toolCalls = toolCallsOf(choice.message.tool_calls ?? []);
    if (toolCalls.length === 0) refusalCheck(output, finishReason, choice.message.refusal);
    return {
      output,
      finishReason,
      ...(toolCalls.length ? { toolCalls } : {}),
      inputTokens: body.usage?.prompt_tokens ?? 0,
      outputTokens: body.usage?.completion_tokens ?? 0,
      providerModel: body.model ?? model,
    };
  }
}
