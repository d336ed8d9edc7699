import { Inject, Injectable } from '@nestjs/common';
import { Bus } from '@yardmaster/bus';
import { FeedbackSchema, ResponseStatus, Topics, bandName, create, intentName, subjectName, timestampNow } from '@yardmaster/contracts';
import { AcceptService } from '../accept/accept.service.js';
import { DoorService } from '../door/door.service.js';

/** Why feedback was refused; each door maps it to its own status. */
export class FeedbackRefused extends Error {
  constructor(
    readonly kind: 'invalid' | 'not_found' | 'not_ready',
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'FeedbackRefused';
  }
}

/** One score for one request, as a door received it. */
export interface FeedbackInput {
  requestId: string;
  score: number;
  label?: string;
  source?: string;
}

/**
 * Feedback on answers, for both doors: checks that the request is the caller's own and
 * was answered, then publishes the score on llm.feedback.v1 with what the router needs to
 * learn from it (the model that answered and the request's cell), so the router never
 * looks anything up. Another tenant's request id is answered like an unknown one.
 */
@Injectable()
export class FeedbackService {
  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(AcceptService) private readonly accept: AcceptService,
    @Inject(DoorService) private readonly door: DoorService,
  ) {}

  /** @returns the model whose answer was scored. @throws FeedbackRefused */
  async submit(tenantId: string, input: FeedbackInput): Promise<{ model: string }> {
    if (!input.requestId) throw new FeedbackRefused('invalid', 'request_id is required', 'request_id');
    if (typeof input.score !== 'number' || !Number.isFinite(input.score) || input.score < 0 || input.score > 1) {
      throw new FeedbackRefused('invalid', `score must be a number from 0 to 1 (got ${String(input.score)})`, 'score');
    }
    if ((input.label ?? '').length > 64 || (input.source ?? '').length > 64) throw new FeedbackRefused('invalid', 'label and source are at most 64 characters', 'label');
    const [stored, [owner]] = await Promise.all([this.accept.storedResponse(input.requestId), this.door.owners([input.requestId])]);
    if (!this.door.mayRead(tenantId, owner, stored)) throw new FeedbackRefused('not_found', `no request ${input.requestId} is known`);
    if (!stored) throw new FeedbackRefused('not_ready', `request ${input.requestId} has no final response yet; send feedback once it is answered`);
    if (stored.status !== ResponseStatus.OK) throw new FeedbackRefused('not_ready', `request ${input.requestId} ended with ${ResponseStatus[stored.status]}; only answers take feedback`);
    const answered = stored.models[stored.models.length - 1];
    const model = answered?.model || stored.decision?.targets[0]?.model || '';
    const c = stored.classification;
    await this.bus.publish(
      Topics.feedback,
      input.requestId,
      create(FeedbackSchema, {
        requestId: input.requestId,
        tenantId,
        score: input.score,
        label: input.label ?? '',
        source: input.source || 'caller',
        model,
        intent: c ? intentName(c.intent) : 'other',
        band: c ? bandName(c.band) : '',
        subject: c ? subjectName(c.subject) : '',
        createdAt: timestampNow(),
        // The answering model's own output length (the router learns its cost per cell from it).
        outputTokens: answered?.usage?.outputTokens ?? 0,
      }),
    );
    return { model };
  }
}
