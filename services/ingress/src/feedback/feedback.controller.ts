import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { httpTenant } from '../batch/caller.js';
import { DoorService } from '../door/door.service.js';
import { OpenAiError } from '../openai/errors.js';
import { FeedbackRefused, FeedbackService } from './feedback.service.js';

/**
 * `POST /v1/feedback` `{request_id, score, label?, source?}`: scores the answer to one of
 * the caller's own requests (the same as the gRPC `Feedback` call). 200 with the model
 * whose answer was scored; 400 for a bad score, 404 for an unknown (or another tenant's)
 * request, 409 while it has no final answer.
 */
@Controller('v1')
export class FeedbackController {
  constructor(
    @Inject(FeedbackService) private readonly feedback: FeedbackService,
    @Inject(DoorService) private readonly door: DoorService,
  ) {}

  @Post('feedback')
  @HttpCode(200)
  async submit(@Req() req: FastifyRequest, @Body() body: unknown): Promise<{ object: 'feedback'; request_id: string; model: string }> {
    const tenantId = await httpTenant(this.door, req);
    const b = (typeof body === 'object' && body !== null ? body : {}) as { request_id?: unknown; score?: unknown; label?: unknown; source?: unknown };
    if (typeof b.request_id !== 'string') throw OpenAiError.invalid('request_id', "'request_id' is required: the id of the request whose answer you score.", 'missing_required_parameter');
    try {
      const { model } = await this.feedback.submit(tenantId, {
        requestId: b.request_id,
        score: typeof b.score === 'number' ? b.score : Number.NaN,
        ...(typeof b.label === 'string' ? { label: b.label } : {}),
        ...(typeof b.source === 'string' ? { source: b.source } : {}),
      });
      return { object: 'feedback', request_id: b.request_id, model };
    } catch (err) {
      if (!(err instanceof FeedbackRefused)) throw err;
      if (err.kind === 'invalid') throw OpenAiError.invalid(err.param ?? null, err.message, 'invalid_value');
      if (err.kind === 'not_found') throw new OpenAiError(404, err.message, 'invalid_request_error', 'request_id', 'request_not_found');
      throw new OpenAiError(409, err.message, 'invalid_request_error', 'request_id', 'not_answered');
    }
  }
}
