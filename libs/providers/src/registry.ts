import { AnthropicMessagesClient } from './anthropic.js';
import { CalculatorTool } from './calculator.js';
import { GeminiClient } from './gemini.js';
import { HttpTool, type HttpToolOptions } from './http-tool.js';
import { OpenAIImagesClient } from './images.js';
import { OpenAIChatClient } from './openai.js';
import type { ProviderAdapter, ProviderApi } from './types.js';

/** What {@link createAdapter} needs: where the provider is, and extra headers. Keys are given per call. */
export interface AdapterOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  /** Anthropic's required `max_tokens` when a request sets none. */
  defaultMaxTokens?: number;
  /** Image size for `openai-images`. */
  imageSize?: string;
  /** For `http-tool`: the tool, its path template, method, headers and timeout. */
  httpTool?: Omit<HttpToolOptions, 'baseUrl'>;
}

/**
 * The adapter for a provider API kind (the catalog's `api`, the worker's `PROVIDER_API`).
 * @throws Error for `http-tool` without `httpTool` options.
 */
export function createAdapter(api: ProviderApi, options: AdapterOptions): ProviderAdapter {
  const headers = options.headers ?? {};
  switch (api) {
    case 'openai-chat':
      return new OpenAIChatClient({ baseUrl: options.baseUrl, headers });
    case 'anthropic-messages':
      return new AnthropicMessagesClient({ baseUrl: options.baseUrl, headers, ...(options.defaultMaxTokens ? { defaultMaxTokens: options.defaultMaxTokens } : {}) });
    case 'gemini':
      return new GeminiClient({ baseUrl: options.baseUrl, headers });
    case 'openai-images':
      return new OpenAIImagesClient({ baseUrl: options.baseUrl, headers, ...(options.imageSize ? { size: options.imageSize } : {}) });
    case 'tool':
      return new CalculatorTool();
    case 'http-tool':
      if (!options.httpTool) throw new Error('an http-tool adapter needs its tool, path, method and timeout');
      return new HttpTool({ baseUrl: options.baseUrl, ...options.httpTool, headers: { ...headers, ...(options.httpTool.headers ?? {}) } });
  }
}
