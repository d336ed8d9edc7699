import { ProviderError } from './errors.js';
import { eventJson, postEventStream, postJson, withoutSecrets } from './http.js';
import { partsText, type CallOptions, type GenerationAnswer, type GenerationRequest, type ProviderAdapter, type ToolCallSpec } from './types.js';

/** Options for {@link AnthropicMessagesClient}. */
export interface AnthropicClientOptions {
  /** e.g. https://api.anthropic.com (a trailing `/v1` is accepted). */
  baseUrl: string;
  apiKey?: string | undefined;
  /** `max_tokens` is required by the Messages API; used when the request sets none. Default 1024. */
  defaultMaxTokens?: number;
  /** The `anthropic-version` header. Default 2023-06-01. */
  version?: string;
  headers?: Record<string, string>;
}

type AnthropicContent =
  | { type: 'text'; text: string }
  | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string } }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; tool_use_id: string; content: string };

/** The Messages API body Yardmaster sends. */
export interface AnthropicMessagesBody {
  model: string;
  max_tokens: number;
  system?: string;
  messages: { role: 'user' | 'assistant'; content: AnthropicContent[] }[];
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
  tools?: { name: string; description?: string; input_schema: Record<string, unknown> }[];
  tool_choice?: { type: 'auto' | 'any' | 'none' } | { type: 'tool'; name: string };
  stream?: boolean;
}

interface WireUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

interface WireMessage {
  model?: string;
  content?: { type: string; text?: string; id?: string; name?: string; input?: unknown }[];
  stop_reason?: string | null;
  usage?: WireUsage;
}

interface WireEvent {
  type: string;
  message?: WireMessage;
  index?: number;
  content_block?: { type?: string; id?: string; name?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  usage?: WireUsage;
  error?: { type?: string; message?: string };
}

const FINISH: Record<string, string> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls', pause_turn: 'stop' };

/** The Messages API body for a {@link GenerationRequest}: system messages go to `system`. */
export function anthropicBody(request: GenerationRequest, defaultMaxTokens: number): AnthropicMessagesBody {
  const system = request.messages.filter((m) => m.role === 'system').map((m) => partsText(m.parts));
  // The Messages API has no JSON mode: the instruction (with the schema) goes to the system prompt.
  if (request.jsonSchema) system.push(`Answer with one JSON object and nothing else. It must follow this JSON schema:\n${JSON.stringify(request.jsonSchema.schema)}`);
  else if (request.json) system.push('Answer with one JSON object and nothing else.');
  const messages = request.messages
    .filter((m) => m.role !== 'system')
    .map((m) => {
      // A tool message is a user turn carrying the result of the call it names.
      if (m.role === 'tool') return { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: m.toolCallId ?? '', content: partsText(m.parts) }] };
      const content = m.parts.flatMap((p): AnthropicContent[] => {
        if (p.type === 'text') return p.text === '' && m.toolCalls?.length ? [] : [{ type: 'text', text: p.text }];
        if (p.url) return [{ type: 'image', source: { type: 'url', url: p.url } }];
        return [{ type: 'image', source: { type: 'base64', media_type: p.mimeType || 'image/png', data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') } }];
      });
      for (const c of m.toolCalls ?? []) content.push({ type: 'tool_use', id: c.id, name: c.name, input: parseArguments(c.arguments) });
      return { role: m.role === 'assistant' ? ('assistant' as const) : ('user' as const), content };
    });
  const choice = request.toolChoice;
  return {
    model: request.model,
    max_tokens: request.maxTokens ?? defaultMaxTokens,
    ...(system.length ? { system: system.join('\n\n') } : {}),
    messages,
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.topP !== undefined ? { top_p: request.topP } : {}),
    ...(request.stop?.length ? { stop_sequences: request.stop } : {}),
    ...(request.tools?.length
      ? { tools: request.tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), input_schema: t.parameters ?? { type: 'object', properties: {} } })) }
      : {}),
    ...(choice && request.tools?.length
      ? {
          tool_choice: {
            ...(choice.mode === 'function' ? { type: 'tool' as const, name: choice.name ?? '' } : { type: choice.mode === 'required' ? ('any' as const) : choice.mode }),
            ...(choice.disableParallel && choice.mode !== 'none' ? { disable_parallel_tool_use: true } : {}),
          },
        }
      : {}),
  };
}

/** Tool-call arguments as an object (what `tool_use.input` takes); unparsable text is kept under `_raw`. */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text || '{}') as unknown;
  } catch {
    return { _raw: text };
  }
}

/** Input tokens as Anthropic bills them: uncached plus cache writes and reads. */
function inputTokens(u: WireUsage | undefined): number {
  return (u?.input_tokens ?? 0) + (u?.cache_creation_input_tokens ?? 0) + (u?.cache_read_input_tokens ?? 0);
}

function finish(stopReason: string | null | undefined, output: string): string {
  if (stopReason === 'refusal') throw new ProviderError('content_policy', `the model refused${output ? `: ${output.slice(0, 200)}` : ''}`);
  return FINISH[stopReason ?? ''] ?? stopReason ?? 'stop';
}

/** An `error` event in a stream, classified as its HTTP equivalent would be. */
function streamError(error: WireEvent['error']): ProviderError {
  const type = error?.type ?? 'api_error';
  const status = type === 'overloaded_error' ? 529 : type === 'rate_limit_error' ? 429 : type === 'invalid_request_error' ? 400 : type === 'authentication_error' ? 401 : 500;
  const err = ProviderError.fromStatus(status, JSON.stringify(error ?? {}));
  return new ProviderError(err.code, `provider sent an error event: ${type}: ${(error?.message ?? '').slice(0, 300)}`);
}

/** A client for Anthropic's Messages API (`POST /v1/messages`), whole or streamed. */
export class AnthropicMessagesClient implements ProviderAdapter {
  readonly api = 'anthropic-messages' as const;
  readonly streams = true;
  private readonly url: string;
  private readonly secrets: string[];

  constructor(private readonly options: AnthropicClientOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/messages`;
    this.secrets = [options.apiKey, ...Object.values(options.headers ?? {})].filter((s): s is string => s !== undefined);
  }

  private headers(apiKey: string | undefined): Record<string, string> {
    const key = apiKey ?? this.options.apiKey;
    return { 'anthropic-version': this.options.version ?? '2023-06-01', ...(key ? { 'x-api-key': key } : {}), ...(this.options.headers ?? {}) };
  }

  async generate(request: GenerationRequest, options: CallOptions): Promise<GenerationAnswer> {
    const body = anthropicBody(request, this.options.defaultMaxTokens ?? 1024);
    return withoutSecrets([...this.secrets, options.apiKey], async () => {
      const call = { url: this.url, headers: this.headers(options.apiKey), signal: options.signal, firstByteTimeoutMs: options.firstByteTimeoutMs };
      if (!options.stream) {
        const { status, json, firstByteMs } = await postJson({ ...call, body });
        const message = json as WireMessage & { type?: string; error?: WireEvent['error'] };
        if (message.type === 'error') throw streamError(message.error);
        if (!Array.isArray(message.content)) throw new ProviderError('invalid_response', 'provider response has no content', status);
        const output = message.content.flatMap((c) => (c.type === 'text' ? [c.text ?? ''] : [])).join('');
        const toolCalls = message.content.flatMap((c) => (c.type === 'tool_use' ? [{ id: c.id ?? '', name: c.name ?? '', arguments: JSON.stringify(c.input ?? {}) }] : []));
        return {
          output,
          ...(toolCalls.length ? { toolCalls } : {}),
          finishReason: finish(message.stop_reason, output),
          inputTokens: inputTokens(message.usage),
          outputTokens: message.usage?.output_tokens ?? 0,
          providerModel: message.model ?? request.model,
          streamed: false,
          firstByteMs,
        };
      }
      let output = '';
      let stopReason: string | null | undefined;
      let input = 0;
      let outputTokens = 0;
      let providerModel = request.model;
      let stopped = false;
      const calls = new Map<number, ToolCallSpec>();
      const { status, firstByteMs } = await postEventStream({ ...call, body: { ...body, stream: true } }, (event) => {
        const data = eventJson<WireEvent>(event);
        switch (data.type) {
          case 'message_start':
            providerModel = data.message?.model ?? providerModel;
            input = inputTokens(data.message?.usage);
            outputTokens = data.message?.usage?.output_tokens ?? 0;
            break;
          case 'content_block_start':
            if (data.content_block?.type === 'tool_use') calls.set(data.index ?? calls.size, { id: data.content_block.id ?? '', name: data.content_block.name ?? '', arguments: '' });
            break;
          case 'content_block_delta':
            if (data.delta?.type === 'text_delta' && data.delta.text) {
              output += data.delta.text;
              options.onDelta?.(data.delta.text);
            } else if (data.delta?.type === 'input_json_delta') {
              const c = calls.get(data.index ?? -1);
              if (c) c.arguments += data.delta.partial_json ?? '';
            }
            break;
          case 'message_delta':
            if (data.delta?.stop_reason) stopReason = data.delta.stop_reason;
            // Usage on message_delta is cumulative.
            if (data.usage?.output_tokens !== undefined) outputTokens = data.usage.output_tokens;
            if (data.usage?.input_tokens !== undefined) input = inputTokens(data.usage);
            break;
          case 'message_stop':
            stopped = true;
            return 'stop';
          case 'error':
            throw streamError(data.error);
          default:
            // ping, content_block_start/stop: nothing to read.
            break;
        }
        return undefined;
      });
      if (!stopped) throw new ProviderError('invalid_response', 'the provider stream ended before message_stop', status);
      const toolCalls = [...calls.values()].map((c) => ({ ...c, arguments: c.arguments || '{}' }));
      return { output, finishReason: finish(stopReason, output), inputTokens: input, outputTokens, providerModel, ...(toolCalls.length ? { toolCalls } : {}), streamed: true, firstByteMs };
    });
  }
}
