import { Body, Controller, Headers, Inject, Post, Req, Res } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';
import { countTokens } from 'gpt-tokenizer';
import { badRequest, latencyOverride } from './chat.controller.js';
import { serve, type Protocol, type SimAnswer } from './engine.js';
import { failureMessage, failureStatus, retryHeaders } from './errors.js';
import { SimState } from './state.js';

function invalid(message: string, param: string | null) {
  return badRequest({ error: { message, type: 'invalid_request_error', param, code: null } });
}

/** A small, valid PNG whose colour comes from the prompt (deterministic). */
export function promptPng(prompt: string, size = 8): Buffer {
  const [r, g, b] = createHash('sha256').update(prompt).digest();
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3).map((_, i) => [r!, g!, b!][i % 3]!)]);
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])));
    return Buffer.concat([len, Buffer.from(type, 'ascii'), data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** OpenAI images: `data[].b64_json` (or `url`), or gpt-image streaming events. */
function imagesProtocol(prompt: string, format: 'b64_json' | 'url', simUrl: string): Protocol {
  const png = promptPng(prompt).toString('base64');
  const usage = (a: SimAnswer) => ({ input_tokens: a.promptTokens, output_tokens: a.completionTokens, total_tokens: a.promptTokens + a.completionTokens });
  return {
    failure: (f, a) => {
      const code = f.kind === 'content_policy' ? 'content_policy_violation' : f.kind === 'rate_limited' ? 'rate_limit_exceeded' : null;
      return { status: failureStatus(f), body: { error: { message: failureMessage(f, a.promptTokens), type: f.kind === 'error' ? 'server_error' : 'invalid_request_error', param: null, code } }, headers: retryHeaders(f) };
    },
    whole: (a) => ({
      created: Math.floor(Date.now() / 1000),
      data: [format === 'url' ? { url: `${simUrl}/sim-images/${a.id}.png`, revised_prompt: prompt } : { b64_json: png, revised_prompt: prompt }],
      output_format: 'png',
      usage: usage(a),
    }),
    events: (a) => [
      { event: 'image_generation.partial_image', data: { type: 'image_generation.partial_image', b64_json: png, partial_image_index: 0, output_format: 'png' } },
      { event: 'image_generation.completed', data: { type: 'image_generation.completed', b64_json: png, output_format: 'png', usage: usage(a) } },
    ],
  };
}

/** OpenAI image generation (`POST /v1/images/generations`), with fault profiles. */
@Controller('v1/images')
export class ImagesController {
  constructor(@Inject(SimState) private readonly sim: SimState) {}

  @Post('generations')
  async generate(@Body() body: unknown, @Req() req: IncomingMessage, @Res() res: ServerResponse, @Headers('x-sim-latency-ms') latencyHeader?: string): Promise<void> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('request body must be a JSON object', null);
    const b = body as Record<string, unknown>;
    const prompt = b['prompt'];
    if (typeof prompt !== 'string' || !prompt) throw invalid("'prompt' is required", 'prompt');
    const model = typeof b['model'] === 'string' && b['model'] ? b['model'] : 'dall-e-2';
    const n = b['n'] ?? 1;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10) throw invalid('n must be an integer from 1 to 10', 'n');
    const format = b['response_format'] === 'url' ? 'url' : 'b64_json';
    // Image models bill the prompt's tokens and a fixed number per image.
    const answer: SimAnswer = { id: randomUUID(), model, text: '', promptTokens: countTokens(prompt), completionTokens: 272, finishReason: 'stop' };
    const host = req.headers.host ?? '127.0.0.1';
    await serve({ ...this.sim, protocol: imagesProtocol(prompt, format, `http://${host}`), answer, stream: b['stream'] === true, req, res, latencyOverrideMs: latencyOverride(latencyHeader) });
  }
}
