import { Body, Controller, Headers, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, latencyOverride } from './chat.controller.js';
import { completionFor, contentText, promptTokens, type WireMessage } from './completion.js';
import { serve, type Protocol, type SimAnswer } from './engine.js';
import { failureMessage, failureStatus, retryHeaders } from './errors.js';
import { SimState } from './state.js';

const STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 502: 'UNAVAILABLE', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED', 529: 'UNAVAILABLE' };

function invalid(message: string) {
  return badRequest({ error: { code: 400, message, status: 'INVALID_ARGUMENT' } });
}

function partsText(parts: unknown): string {
  if (!Array.isArray(parts)) return '';
  return (parts as { text?: unknown }[]).map((p) => (typeof p?.text === 'string' ? p.text : '')).join('\n');
}

/** Validates a generateContent body; throws a 400 in Google's error format. */
export function validateGenerate(body: unknown, model: string): { messages: WireMessage[]; maxTokens: number | undefined } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('Invalid JSON payload received.');
  const b = body as { contents?: unknown; systemInstruction?: { parts?: unknown }; generationConfig?: { maxOutputTokens?: unknown } };
  if (!model) throw invalid('model is required');
  if (!Array.isArray(b.contents) || b.contents.length === 0) throw invalid('* GenerateContentRequest.contents: contents is not specified');
  const messages: WireMessage[] = [];
  if (b.systemInstruction) messages.push({ role: 'system', content: partsText(b.systemInstruction.parts) });
  (b.contents as { role?: unknown; parts?: unknown }[]).forEach((c, i) => {
    if (!Array.isArray(c?.parts) || c.parts.length === 0) throw invalid(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`);
    messages.push({ role: c.role === 'model' ? 'assistant' : 'user', content: partsText(c.parts) });
  });
  const max = b.generationConfig?.maxOutputTokens;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) throw invalid('* GenerateContentRequest.generation_config.max_output_tokens: must be a positive integer');
  return { messages, maxTokens: max };
}

const usage = (a: SimAnswer) => ({ promptTokenCount: a.promptTokens, candidatesTokenCount: a.completionTokens, totalTokenCount: a.promptTokens + a.completionTokens });

/** Gemini generateContent: a response, or (alt=sse) a stream of partial responses with the usage on the last. */
export const geminiProtocol: Protocol = {
  failure: (f, a) => {
    if (f.kind === 'content_policy') {
      return { status: 200, body: { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: a.promptTokens, totalTokenCount: a.promptTokens }, modelVersion: a.model } };
    }
    const status = failureStatus(f);
    const message =
      f.kind === 'context_length' ? `The input token count (${a.promptTokens}) exceeds the maximum number of tokens allowed (${f.limit}).` : failureMessage(f, a.promptTokens);
    return { status, body: { error: { code: status, message, status: STATUS[status] ?? 'UNKNOWN' } }, headers: retryHeaders(f) };
  },
  whole: (a) => ({
    candidates: [{ content: { role: 'model', parts: [{ text: a.text }] }, finishReason: a.finishReason === 'length' ? 'MAX_TOKENS' : 'STOP', index: 0 }],
    usageMetadata: usage(a),
    modelVersion: a.model,
    responseId: a.id,
  }),
  events: (a, parts) =>
    parts.map((p, i) => ({
      data: {
        candidates: [{ content: { role: 'model', parts: [{ text: p }] }, index: 0, ...(i === parts.length - 1 ? { finishReason: a.finishReason === 'length' ? 'MAX_TOKENS' : 'STOP' } : {}) }],
        usageMetadata: i === parts.length - 1 ? usage(a) : { promptTokenCount: a.promptTokens, totalTokenCount: a.promptTokens },
        modelVersion: a.model,
        responseId: a.id,
      },
    })),
};

/** Google Gemini (`POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent?alt=sse`). */
@Controller('v1beta/models')
export class GeminiController {
  constructor(@Inject(SimState) private readonly sim: SimState) {}

  @Post(':target')
  async generate(
    @Param('target') target: string,
    @Query('alt') alt: string | undefined,
    @Body() body: unknown,
    @Req() req: IncomingMessage,
    @Res() res: ServerResponse,
    @Headers('x-sim-latency-ms') latencyHeader?: string,
  ): Promise<void> {
    const match = /^(.+):(generateContent|streamGenerateContent)$/.exec(target);
    if (!match) throw badRequest({ error: { code: 404, message: `method ${target} not found`, status: 'NOT_FOUND' } });
    const model = match[1]!;
    const r = validateGenerate(body, model);
    const completion = completionFor(model, r.messages, r.maxTokens);
    const answer: SimAnswer = { id: randomUUID(), model, text: completion.text, promptTokens: promptTokens(r.messages), completionTokens: completion.tokens, finishReason: completion.finishReason };
    // Without alt=sse, streamGenerateContent answers a JSON array; only the SSE form is served here.
    const stream = match[2] === 'streamGenerateContent';
    if (stream && alt !== 'sse') throw invalid('provider-sim serves streamGenerateContent with alt=sse only');
    await serve({ ...this.sim, protocol: geminiProtocol, answer, stream, req, res, latencyOverrideMs: latencyOverride(latencyHeader), prompt: r.messages.map((m) => contentText(m.content)).join('\n') });
  }
}
