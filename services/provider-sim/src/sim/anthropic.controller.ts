import { Body, Controller, Headers, Inject, Post, Req, Res } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, latencyOverride } from './chat.controller.js';
import { completionFor, contentText, promptTokens, type WireMessage } from './completion.js';
import { serve, type Protocol, type SimAnswer } from './engine.js';
import { failureMessage, failureStatus, retryHeaders } from './errors.js';
import { SimState } from './state.js';

function invalid(message: string) {
  return badRequest({ type: 'error', error: { type: 'invalid_request_error', message } });
}

type Block = { type?: unknown; text?: unknown };

function text(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as Block[]).map((b) => (b?.type === 'text' && typeof b.text === 'string' ? b.text : '')).join('\n');
}

/** Validates an Anthropic Messages body; throws a 400 in Anthropic's error format. */
export function validateMessages(body: unknown): { model: string; messages: WireMessage[]; maxTokens: number; stream: boolean } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('request body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b['model'] !== 'string' || !b['model']) throw invalid('model: Field required');
  const maxTokens = b['max_tokens'];
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) throw invalid('max_tokens: Field required (a positive integer)');
  const messages = b['messages'];
  if (!Array.isArray(messages) || messages.length === 0) throw invalid('messages: at least one message is required');
  const wire: WireMessage[] = [];
  if (b['system'] !== undefined) wire.push({ role: 'system', content: text(b['system']) });
  messages.forEach((m: unknown, i) => {
    const msg = m as { role?: unknown; content?: unknown } | null;
    if (!msg || (msg.role !== 'user' && msg.role !== 'assistant')) throw invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    if (typeof msg.content !== 'string' && !Array.isArray(msg.content)) throw invalid(`messages.${i}.content: Input should be a string or a list of content blocks`);
    wire.push({ role: msg.role, content: text(msg.content) });
  });
  return { model: b['model'], messages: wire, maxTokens, stream: b['stream'] === true };
}

const ERROR_TYPE: Record<string, string> = { rate_limited: 'rate_limit_error', unauthorized: 'authentication_error', context_length: 'invalid_request_error', content_policy: 'invalid_request_error' };

/** Anthropic Messages: a message, or its event stream (message_start … message_stop). */
export const anthropicProtocol: Protocol = {
  failure: (f, a) => {
    const type = f.kind === 'error' ? (f.status === 529 || f.status === 503 ? 'overloaded_error' : 'api_error') : ERROR_TYPE[f.kind]!;
    // Anthropic's own words for an over-long prompt; a refusal is a 200 with stop_reason "refusal".
    if (f.kind === 'content_policy') {
      return { status: 200, body: { ...(anthropicProtocol.whole({ ...a, text: '' }) as Record<string, unknown>), stop_reason: 'refusal' } };
    }
    const message = f.kind === 'context_length' ? `prompt is too long: ${a.promptTokens} tokens > ${f.limit} maximum` : failureMessage(f, a.promptTokens);
    return { status: failureStatus(f), body: { type: 'error', error: { type, message } }, headers: retryHeaders(f) };
  },
  whole: (a) => ({
    id: a.id,
    type: 'message',
    role: 'assistant',
    model: a.model,
    content: [{ type: 'text', text: a.text }],
    stop_reason: a.finishReason === 'length' ? 'max_tokens' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: a.promptTokens, output_tokens: a.completionTokens },
  }),
  events: (a, parts) => [
    { event: 'message_start', data: { type: 'message_start', message: { id: a.id, type: 'message', role: 'assistant', model: a.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: a.promptTokens, output_tokens: 1 } } } },
    { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
    { event: 'ping', data: { type: 'ping' } },
    ...parts.map((p) => ({ event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: p } } })),
    { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
    { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: a.finishReason === 'length' ? 'max_tokens' : 'end_turn', stop_sequence: null }, usage: { output_tokens: a.completionTokens } } },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ],
  refusalEvents: (a) =>
    anthropicProtocol.events({ ...a, text: '', completionTokens: 0 }, []).map((e) =>
      e.event === 'message_delta' ? { ...e, data: { type: 'message_delta', delta: { stop_reason: 'refusal', stop_sequence: null }, usage: { output_tokens: 0 } } } : e,
    ),
};

/** Anthropic Messages API (`POST /v1/messages`), whole or streamed, with fault profiles. */
@Controller('v1')
export class AnthropicController {
  constructor(@Inject(SimState) private readonly sim: SimState) {}

  @Post('messages')
  async messages(@Body() body: unknown, @Req() req: IncomingMessage, @Res() res: ServerResponse, @Headers('x-sim-latency-ms') latencyHeader?: string): Promise<void> {
    const r = validateMessages(body);
    const completion = completionFor(r.model, r.messages, r.maxTokens);
    const answer: SimAnswer = { id: `msg_${randomUUID().replaceAll('-', '')}`, model: r.model, text: completion.text, promptTokens: promptTokens(r.messages), completionTokens: completion.tokens, finishReason: completion.finishReason };
    await serve({ ...this.sim, protocol: anthropicProtocol, answer, stream: r.stream, req, res, latencyOverrideMs: latencyOverride(latencyHeader), prompt: r.messages.map((m) => contentText(m.content)).join('\n') });
  }
}
