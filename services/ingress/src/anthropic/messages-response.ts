import type { InferenceResponse } from '@yardmaster/contracts';
import { answeringModel, extension, openAiFinishReason } from '../openai/chat-response.js';
import type { OpenAiError } from '../openai/errors.js';

/** Anthropic's `stop_reason` for a final response. */
export function stopReason(response: InferenceResponse, streamedReason?: string): string {
  if (response.toolCalls.length) return 'tool_use';
  const reason = openAiFinishReason(streamedReason ?? response.finishReason);
  return reason === 'length' ? 'max_tokens' : reason === 'content_filter' ? 'refusal' : 'end_turn';
}

/** A tool call's arguments as the `input` object Anthropic sends. */
export function toolInput(argumentsJson: string): unknown {
  try {
    return JSON.parse(argumentsJson || '{}') as unknown;
  } catch {
    return {};
  }
}

/** A successful final response in Anthropic's Messages shape, `model` = the model that answered. */
export function anthropicMessage(response: InferenceResponse, requestedModel: string): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  if (response.output !== '' || response.toolCalls.length === 0) content.push({ type: 'text', text: response.output });
  for (const c of response.toolCalls) content.push({ type: 'tool_use', id: c.id, name: c.name, input: toolInput(c.argumentsJson) });
  return {
    id: `msg_${response.requestId}`,
    type: 'message',
    role: 'assistant',
    model: answeringModel(response)?.model ?? requestedModel,
    content,
    stop_reason: stopReason(response),
    stop_sequence: null,
    usage: { input_tokens: response.usage?.inputTokens ?? 0, output_tokens: response.usage?.outputTokens ?? 0 },
    yardmaster: extension(response),
  };
}

/** Anthropic's error `type` for an HTTP status. */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
    case 409:
    case 415:
    case 422:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    case 504:
      return 'timeout_error';
    default:
      return 'api_error';
  }
}

/** An error in Anthropic's shape, `{"type": "error", "error": {type, message}}` (plus the parameter and code Yardmaster found). */
export function anthropicErrorBody(err: OpenAiError): Record<string, unknown> {
  return { type: 'error', error: { type: anthropicErrorType(err.status), message: err.message, ...(err.param ? { param: err.param } : {}), ...(err.code ? { code: err.code } : {}) } };
}
