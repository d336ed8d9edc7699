import { Body, Controller, Get, Headers, HttpException, Inject, Post, Req, Res } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { completionFor, contentText, promptTokens, type WireMessage } from './completion.js';
import { serve, type Protocol, type SimAnswer } from './engine.js';
import { failureMessage, failureStatus, retryHeaders } from './errors.js';
import { SimState } from './state.js';
import { formatText, simToolCalls, type SimToolCall } from './structured.js';

const ROLES = new Set(['system', 'user', 'assistant', 'tool', 'developer']);

function invalid(message: string, param: string | null): HttpException {
  return new HttpException({ error: { message, type: 'invalid_request_error', param, code: null } }, 400);
}

/** Validates an OpenAI chat completions body; throws a 400 in OpenAI's error format. */
export function validateBody(body: unknown): { model: string; messages: WireMessage[]; max_tokens?: number; stream?: boolean; include_usage?: boolean; tools?: unknown; tool_choice?: unknown; response_format?: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('request body must be a JSON object', null);
  const b = body as Record<string, unknown>;
  if (typeof b['model'] !== 'string' || b['model'] === '') throw invalid('you must provide a model parameter', 'model');
  const messages = b['messages'];
  if (!Array.isArray(messages) || messages.length === 0) throw invalid("'messages' must be a non-empty array", 'messages');
  messages.forEach((m: unknown, i) => {
    const msg = m as Record<string, unknown> | null;
    if (typeof msg !== 'object' || msg === null || typeof msg['role'] !== 'string' || !ROLES.has(msg['role'])) throw invalid(`messages[${i}].role is invalid`, `messages[${i}].role`);
    const c = msg['content'];
    if (!(typeof c === 'string' || Array.isArray(c) || c === null)) throw invalid(`messages[${i}].content must be a string or an array`, `messages[${i}].content`);
  });
  const maxTokens = b['max_tokens'] ?? b['max_completion_tokens'];
  if (maxTokens !== undefined && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)) throw invalid('max_tokens must be a positive integer', 'max_tokens');
  if (b['stream'] !== undefined && b['stream'] !== null && typeof b['stream'] !== 'boolean') throw invalid('stream must be a boolean', 'stream');
  const includeUsage = (b['stream_options'] as { include_usage?: unknown } | undefined)?.include_usage === true;
  return {
    model: b['model'],
    messages: messages as WireMessage[],
    ...(maxTokens !== undefined ? { max_tokens: maxTokens } : {}),
    ...(b['stream'] === true ? { stream: true, include_usage: includeUsage } : {}),
    ...(b['tools'] !== undefined ? { tools: b['tools'] } : {}),
    ...(b['tool_choice'] !== undefined ? { tool_choice: b['tool_choice'] } : {}),
    ...(b['response_format'] !== undefined ? { response_format: b['response_format'] } : {}),
  };
}

function wireCall(c: SimToolCall): { id: string; type: 'function'; function: { name: string; arguments: string } } {
  return { id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } };
}

/** OpenAI chat completions: whole, or chunks with `data: [DONE]` (usage in a last chunk when asked). */
export function openAIChatProtocol(includeUsage: boolean): Protocol {
  const created = () => Math.floor(Date.now() / 1000);
  const usage = (a: SimAnswer) => ({ prompt_tokens: a.promptTokens, completion_tokens: a.completionTokens, total_tokens: a.promptTokens + a.completionTokens });
  return {
    failure: (f, a) => {
      const type = f.kind === 'error' ? 'server_error' : f.kind === 'rate_limited' ? 'requests' : 'invalid_request_error';
      const code = f.kind === 'context_length' ? 'context_length_exceeded' : f.kind === 'content_policy' ? 'content_policy_violation' : f.kind === 'rate_limited' ? 'rate_limit_exceeded' : f.kind === 'unauthorized' ? 'invalid_api_key' : null;
      return { status: failureStatus(f), body: { error: { message: failureMessage(f, a.promptTokens), type, param: null, code } }, headers: retryHeaders(f) };
    },
    whole: (a) => ({
      id: a.id,
      object: 'chat.completion',
      created: created(),
      model: a.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: a.toolCalls?.length ? null : a.text, ...(a.toolCalls?.length ? { tool_calls: a.toolCalls.map(wireCall) } : {}) },
          finish_reason: a.toolCalls?.length ? 'tool_calls' : a.finishReason,
          logprobs: null,
        },
      ],
      usage: usage(a),
      system_fingerprint: 'provider-sim',
    }),
    events: (a, parts) => {
      const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
        id: a.id,
        object: 'chat.completion.chunk',
        created: created(),
        model: a.model,
        system_fingerprint: 'provider-sim',
        choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
        ...(includeUsage ? { usage: null } : {}),
      });
      // A tool call streams as OpenAI's do: id and name first, then the arguments in pieces.
      const calls = (a.toolCalls ?? []).flatMap((c, index) => {
        const half = Math.ceil(c.arguments.length / 2);
        return [
          { data: chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }, null) },
          { data: chunk({ tool_calls: [{ index, function: { arguments: c.arguments.slice(0, half) } }] }, null) },
          { data: chunk({ tool_calls: [{ index, function: { arguments: c.arguments.slice(half) } }] }, null) },
        ];
      });
      return [
        { data: chunk({ role: 'assistant', content: a.toolCalls?.length ? null : '' }, null) },
        ...(a.toolCalls?.length ? calls : parts.map((p) => ({ data: chunk({ content: p }, null) }))),
        { data: chunk({}, a.toolCalls?.length ? 'tool_calls' : a.finishReason) },
        ...(includeUsage ? [{ data: { id: a.id, object: 'chat.completion.chunk', created: created(), model: a.model, choices: [], usage: usage(a) } }] : []),
        { data: '[DONE]' },
      ];
    },
  };
}

/** OpenAI-compatible chat completions, deterministic, whole or streamed, with fault profiles. */
@Controller('v1')
export class ChatController {
  constructor(@Inject(SimState) private readonly sim: SimState) {}

  @Get('models')
  models(): { object: string; data: { id: string; object: string; owned_by: string }[] } {
    return { object: 'list', data: [{ id: 'provider-sim', object: 'model', owned_by: 'yardmaster' }] };
  }

  /** `x-sim-latency-ms` overrides the drawn latency for one call (tests use it). */
  @Post('chat/completions')
  async complete(@Body() body: unknown, @Req() req: IncomingMessage, @Res() res: ServerResponse, @Headers('x-sim-latency-ms') latencyHeader?: string): Promise<void> {
    const r = validateBody(body);
    const completion = completionFor(r.model, r.messages, r.max_tokens);
    const lastUser = [...r.messages].reverse().find((m) => m.role === 'user');
    const toolCalls = simToolCalls(r.tools, r.tool_choice, lastUser ? JSON.stringify(lastUser.content) : '', JSON.stringify(r.messages));
    const answer: SimAnswer = {
      id: `chatcmpl-${randomUUID()}`,
      model: r.model,
      text: toolCalls.length ? '' : formatText(completion.text, r.response_format),
      promptTokens: promptTokens(r.messages),
      completionTokens: completion.tokens,
      finishReason: completion.finishReason,
      ...(toolCalls.length ? { toolCalls } : {}),
    };
    await serve({ ...this.sim, protocol: openAIChatProtocol(r.include_usage ?? false), answer, stream: r.stream ?? false, req, res, latencyOverrideMs: latencyOverride(latencyHeader), prompt: r.messages.map((m) => contentText(m.content)).join('\n') });
  }
}

/** The `x-sim-latency-ms` header as a number, when it is one. */
export function latencyOverride(header: string | undefined): number | undefined {
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

/** An HTTP 400 that Nest renders with `body` as is (each protocol has its own error format). */
export function badRequest(body: unknown): HttpException {
  return new HttpException(body as Record<string, unknown>, 400);
}
