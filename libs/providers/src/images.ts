import { splitUrlCredentials } from '@yardmaster/config';
import { ProviderError } from './errors.js';
import { eventJson, postEventStream, postJson, withoutSecrets } from './http.js';
import { partsText, type CallOptions, type GeneratedImage, type GenerationAnswer, type GenerationRequest, type ProviderAdapter } from './types.js';

/** Options for {@link OpenAIImagesClient}. */
export interface OpenAIImagesClientOptions {
  baseUrl: string;
  apiKey?: string | undefined;
  /** `size` sent with every request, e.g. 1024x1024. Default: the provider's. */
  size?: string;
  headers?: Record<string, string>;
}

interface WireImage {
  b64_json?: string;
  url?: string;
  revised_prompt?: string;
}

interface WireResponse {
  data?: WireImage[];
  output_format?: string;
  usage?: { input_tokens?: number; output_tokens?: number };
  error?: { message?: string };
}

interface WireEvent {
  type?: string;
  b64_json?: string;
  output_format?: string;
  usage?: { input_tokens?: number; output_tokens?: number };
  error?: { message?: string; code?: string };
}

/** The prompt of an image request: the last user message's text. */
export function imagePrompt(request: GenerationRequest): string {
  const last = [...request.messages].reverse().find((m) => m.role === 'user');
  return last ? partsText(last.parts) : '';
}

function image(wire: WireImage, format: string | undefined): GeneratedImage {
  return {
    ...(wire.b64_json ? { data: Buffer.from(wire.b64_json, 'base64') } : {}),
    ...(wire.url ? { url: wire.url } : {}),
    mimeType: `image/${format ?? 'png'}`,
    ...(wire.revised_prompt ? { revisedPrompt: wire.revised_prompt } : {}),
  };
}

/**
 * A client for OpenAI image generation (`POST /v1/images/generations`), whole or streamed
 * (gpt-image-1's `image_generation.completed` event). The answer's `images` carry the
 * bytes (or URLs); `output` is the revised prompt when the provider sends one.
 */
export class OpenAIImagesClient implements ProviderAdapter {
  readonly api = 'openai-images' as const;
  readonly streams = true;
  private readonly url: string;
  private readonly basic: string | undefined;
  private readonly secrets: string[];

  constructor(private readonly options: OpenAIImagesClientOptions) {
    const { url: baseUrl, authorization } = splitUrlCredentials(options.baseUrl);
    this.url = `${baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/images/generations`;
    this.basic = authorization;
    this.secrets = [options.apiKey, authorization, ...Object.values(options.headers ?? {})].filter((s): s is string => s !== undefined);
  }

  private headers(apiKey: string | undefined): Record<string, string> {
    const key = apiKey ?? this.options.apiKey;
    const authorization = key ? `Bearer ${key}` : this.basic;
    return { ...(authorization ? { authorization } : {}), ...(this.options.headers ?? {}) };
  }

  async generate(request: GenerationRequest, options: CallOptions): Promise<GenerationAnswer> {
    const prompt = imagePrompt(request);
    if (!prompt) throw new ProviderError('bad_request', 'an image request needs a user message with text');
    const body = {
      model: request.model,
      prompt,
      n: 1,
      ...(this.options.size ? { size: this.options.size } : {}),
      // DALL·E answers with URLs unless asked; gpt-image models always send base64 (and refuse the field).
      ...(request.model.startsWith('dall-e') ? { response_format: 'b64_json' } : {}),
    };
    return withoutSecrets([...this.secrets, options.apiKey], async () => {
      const call = { url: this.url, headers: this.headers(options.apiKey), signal: options.signal, firstByteTimeoutMs: options.firstByteTimeoutMs };
      if (!options.stream) {
        const { status, json, firstByteMs } = await postJson({ ...call, body });
        const res = json as WireResponse;
        if (!res.data?.length) throw new ProviderError('invalid_response', 'provider response has no images', status);
        const images = res.data.map((d) => image(d, res.output_format));
        return this.answer(request.model, images, res.usage, false, firstByteMs);
      }
      let done: WireEvent | undefined;
      const { status, firstByteMs } = await postEventStream({ ...call, body: { ...body, stream: true } }, (event) => {
        const data = eventJson<WireEvent>(event);
        if (data.type === 'error' || data.error) {
          const err = ProviderError.fromStatus(/rate/i.test(JSON.stringify(data.error)) ? 429 : /policy|safety/i.test(JSON.stringify(data.error)) ? 400 : 500, JSON.stringify(data.error ?? {}));
          throw new ProviderError(err.code, `provider sent an error event: ${JSON.stringify(data.error ?? {}).slice(0, 300)}`);
        }
        if (data.type === 'image_generation.completed') {
          done = data;
          return 'stop';
        }
        return undefined; // partial images are previews
      });
      if (!done?.b64_json) throw new ProviderError('invalid_response', 'the provider stream ended without a completed image', status);
      return this.answer(request.model, [image({ b64_json: done.b64_json }, done.output_format)], done.usage, true, firstByteMs);
    });
  }

  private answer(model: string, images: GeneratedImage[], usage: WireResponse['usage'], streamed: boolean, firstByteMs: number): GenerationAnswer {
    return {
      output: images.map((i) => i.revisedPrompt ?? '').filter(Boolean).join('\n'),
      finishReason: 'stop',
      inputTokens: usage?.input_tokens ?? 0,
      outputTokens: usage?.output_tokens ?? 0,
      providerModel: model,
      images,
      streamed,
      firstByteMs,
    };
  }
}
