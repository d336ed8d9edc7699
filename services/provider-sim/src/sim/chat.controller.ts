import { Body, Controller, Get, Headers, HttpCode, HttpException, Inject, Post } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimConfig } from '../config.js';
import { completionFor, promptTokens, type WireMessage } from './completion.js';

const ROLES = new Set(['system', 'user', 'assistant', 'tool', 'developer']);

function invalid(message: string, param: string | null): HttpException {
  return new HttpException({ error: { message, type: 'invalid_request_error', param, code: null } }, 400);
}

/** Validates an OpenAI chat completions body; throws a 400 in OpenAI's error format. */
export function validateBody(body: unknown): { model: string; messages: WireMessage[]; max_tokens?: number } {
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
  return { model: b['model'], messages: messages as WireMessage[], ...(maxTokens !== undefined ? { max_tokens: maxTokens } : {}) };
}

/** OpenAI-compatible chat completions, deterministic and with configurable latency. */
@Controller('v1')
export class ChatController {
  constructor(@Inject(SimConfig) private readonly config: SimConfig) {}

  @Get('models')
  models(): { object: string; data: { id: string; object: string; owned_by: string }[] } {
    return { object: 'list', data: [{ id: 'provider-sim', object: 'model', owned_by: 'yardmaster' }] };
  }

  /** `x-sim-latency-ms` overrides the configured base latency for one call (tests use it). */
  @Post('chat/completions')
  @HttpCode(200)
  async complete(@Body() body: unknown, @Headers('x-sim-latency-ms') latencyHeader?: string): Promise<unknown> {
    const req = validateBody(body);
    const completion = completionFor(req.model, req.messages, req.max_tokens);
    const base = latencyHeader !== undefined && /^\d+$/.test(latencyHeader) ? Number(latencyHeader) : this.config.latencyMs;
    const latency = base + completion.tokens * this.config.latencyPerTokenMs + (this.config.jitterMs > 0 ? Math.random() * this.config.jitterMs : 0);
    if (latency > 0) await sleep(latency);
    const prompt = promptTokens(req.messages);
    return {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: req.model,
      choices: [{ index: 0, message: { role: 'assistant', content: completion.text }, finish_reason: completion.finishReason, logprobs: null }],
      usage: { prompt_tokens: prompt, completion_tokens: completion.tokens, total_tokens: prompt + completion.tokens },
      system_fingerprint: 'provider-sim',
    };
  }
}
