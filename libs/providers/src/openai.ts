import { context, propagation } from '@opentelemetry/api';
import { scrubSecrets, splitUrlCredentials } from '@yardmaster/config';
import { request as httpRequest } from 'undici';
import { ProviderError } from './errors.js';

/** A chat message in OpenAI's wire format. */
export interface ChatMessageWire {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | ({ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } })[];
  name?: string;
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
  response_format?: { type: 'json_object' | 'text' };
}

/** A normalised completion. */
export interface ChatCompletion {
  output: string;
  finishReason: string;
  inputTokens: number;
  outputTokens: number;
  providerModel: string;
}

/** Options for {@link OpenAIChatClient}. */
export interface OpenAIChatClientOptions {
  /** Base URL without the `/v1` suffix, e.g. https://api.openai.com or http://vllm:8000. */
  baseUrl: string;
  apiKey?: string | undefined;
  /** Extra headers (organisation, project, gateway keys…). */
  headers?: Record<string, string>;
}

interface WireResponse {
  model?: string;
  choices?: { message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  if (Array.isArray(header)) header = header[0];
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * A client for OpenAI-compatible `POST /v1/chat/completions` (OpenAI, vLLM, Ollama,
 * TGI, llama.cpp server, OpenRouter, Together, Groq…).
 */
export class OpenAIChatClient {
  private readonly url: string;
  private readonly headers: Record<string, string>;
  /** Values that must never appear in an error: the key, the auth header, extra (gateway) headers. */
  private readonly secrets: string[];

  /** A base URL with `user:password@` is sent as Basic auth (unless `apiKey` is set), never in the URL. */
  constructor(options: OpenAIChatClientOptions) {
    const { url: baseUrl, authorization: basic } = splitUrlCredentials(options.baseUrl);
    this.url = `${baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/chat/completions`;
    const authorization = options.apiKey ? `Bearer ${options.apiKey}` : basic;
    this.headers = {
      'content-type': 'application/json',
      ...(authorization ? { authorization } : {}),
      ...(options.headers ?? {}),
    };
    this.secrets = [options.apiKey, authorization, ...Object.values(options.headers ?? {})].filter((s): s is string => s !== undefined);
  }

  /**
   * Sends one completion request.
   * @throws ProviderError (HTTP errors mapped by status, aborts as timeout, socket errors as network).
   *   Its message never contains the API key or URL credentials, even when the
   *   provider's error body quotes the key it rejected.
   */
  async complete(request: ChatCompletionRequest, signal: AbortSignal): Promise<ChatCompletion> {
    try {
      return await this.send(request, signal);
    } catch (err) {
      const e = ProviderError.from(err);
      const message = scrubSecrets(e.message, this.secrets);
      throw message === e.message ? e : new ProviderError(e.code, message, e.status, e.retryAfterMs, { cause: e.cause });
    }
  }

  private async send(request: ChatCompletionRequest, signal: AbortSignal): Promise<ChatCompletion> {
    // undici's request() rather than fetch(): the same HTTP/1.1 client with keep-alive,
    // without the WHATWG Request/Response/stream objects that cost fetch() a sixth of the
    // worker's CPU under load.
    let status: number;
    let text: string;
    let retryAfter: string | string[] | undefined;
    try {
      // W3C trace context, so a self-hosted server with OpenTelemetry joins the request's trace.
      const headers: Record<string, string> = { ...this.headers };
      propagation.inject(context.active(), headers);
      const res = await httpRequest(this.url, { method: 'POST', headers, body: JSON.stringify(request), signal });
      status = res.statusCode;
      retryAfter = res.headers['retry-after'];
      text = await res.body.text();
    } catch (err) {
      throw ProviderError.from(signal.aborted && !(err instanceof ProviderError) ? (signal.reason ?? err) : err);
    }
    if (status < 200 || status >= 300) throw ProviderError.fromStatus(status, text, retryAfterMs(retryAfter));
    let body: WireResponse;
    try {
      body = JSON.parse(text) as WireResponse;
    } catch {
      throw new ProviderError('invalid_response', `provider sent invalid JSON: ${text.slice(0, 200)}`, status);
    }
    const choice = body.choices?.[0];
    if (!choice?.message) throw new ProviderError('invalid_response', 'provider response has no choices[0].message', status);
    return {
      output: choice.message.content ?? '',
      finishReason: choice.finish_reason ?? 'stop',
      inputTokens: body.usage?.prompt_tokens ?? 0,
      outputTokens: body.usage?.completion_tokens ?? 0,
      providerModel: body.model ?? request.model,
    };
  }
}
