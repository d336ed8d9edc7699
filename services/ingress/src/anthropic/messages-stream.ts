import type { InferenceResponse } from '@yardmaster/contracts';
import { ChatStream } from '../openai/chat-stream.js';
import { anthropicErrorType, stopReason } from './messages-response.js';

/**
 * A streamed Messages answer as Anthropic sends it: `message_start`, one text block
 * (`content_block_start`, `text_delta`s, `content_block_stop`), a `tool_use` block per tool
 * call (its input as one `input_json_delta`), `message_delta` with the stop reason and usage,
 * `message_stop`; a failure is an `error` event. The relay logic is {@link ChatStream}'s.
 */
export class MessagesStream extends ChatStream {
  protected override renderStart(): void {
    this.event(
      {
        type: 'message_start',
        message: { id: `msg_${this.init.requestId}`, type: 'message', role: 'assistant', model: this.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } },
      },
      'message_start',
    );
    this.event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start');
  }

  protected override renderContent(text: string): void {
    this.event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta');
  }

  protected override renderEnd(response: InferenceResponse, streamedReason: string | undefined): void {
    this.event({ type: 'content_block_stop', index: 0 }, 'content_block_stop');
    response.toolCalls.forEach((c, i) => {
      const index = i + 1;
      this.event({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: c.id, name: c.name, input: {} } }, 'content_block_start');
      this.event({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: c.argumentsJson || '{}' } }, 'content_block_delta');
      this.event({ type: 'content_block_stop', index }, 'content_block_stop');
    });
    this.event(
      {
        type: 'message_delta',
        delta: { stop_reason: stopReason(response, streamedReason), stop_sequence: null },
        usage: { input_tokens: response.usage?.inputTokens ?? 0, output_tokens: response.usage?.outputTokens ?? 0 },
      },
      'message_delta',
    );
    this.event({ type: 'message_stop' }, 'message_stop');
  }

  protected override renderError(code: string, message: string, type: string): void {
    const anthropicType = type === 'timeout_error' ? 'timeout_error' : type === 'invalid_request_error' ? 'invalid_request_error' : code === 'rate_limited' ? anthropicErrorType(429) : 'api_error';
    this.event({ type: 'error', error: { type: anthropicType, message } }, 'error');
  }

  protected override closing(): string {
    return '';
  }
}
