/** Provider adapters: real wire clients for LLM APIs, used by the worker pools. */
export { ProviderError, type ProviderErrorCode } from './errors.js';
export { OpenAIChatClient, type ChatCompletion, type ChatCompletionRequest, type ChatMessageWire, type OpenAIChatClientOptions } from './openai.js';
export { callWithRetries, type RetryOptions } from './retry.js';
