/** Provider adapters: real wire clients for LLM APIs (and the calculator and HTTP tools), used by the worker pools. */
export { ProviderError, PROVIDER_FAULTS, type ProviderErrorCode } from './errors.js';
export {
  PROVIDER_APIS,
  imageUrl,
  partsText,
  type CallOptions,
  type GeneratedImage,
  type GenerationAnswer,
  type GenerationMessage,
  type GenerationPart,
  type GenerationRequest,
  type ProviderAdapter,
  type ProviderApi,
  type ToolCallSpec,
  type ToolChoiceSpec,
  type ToolSpec,
} from './types.js';
export { OpenAIChatClient, openAIChatBody, type ChatCompletion, type ChatCompletionRequest, type ChatMessageWire, type OpenAIChatClientOptions } from './openai.js';
export { AnthropicMessagesClient, anthropicBody, type AnthropicClientOptions, type AnthropicMessagesBody } from './anthropic.js';
export { GeminiClient, geminiBody, type GeminiBody, type GeminiClientOptions } from './gemini.js';
export { OpenAIImagesClient, imagePrompt, type OpenAIImagesClientOptions } from './images.js';
export { CalculatorTool, calculate } from './calculator.js';
export { HttpTool, fillPath, toolArguments, type HttpToolOptions } from './http-tool.js';
export { KeyRing, keyFingerprint, loadKeys, parseKeys, type PickedKey } from './keys.js';
export { createAdapter, type AdapterOptions } from './registry.js';
export { retryAfterMs } from './http.js';
export { backoffDelay, callWithRetries, type RetryOptions } from './retry.js';
