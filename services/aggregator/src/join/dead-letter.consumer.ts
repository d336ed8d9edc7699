import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Bus, type MessageContext, type RunningConsumer } from '@yardmaster/bus';
import { Topics, type DeadLetter } from '@yardmaster/contracts';
import { Readiness } from '@yardmaster/service-kit';
import { Attr } from '@yardmaster/telemetry';
import { AggregatorConfig } from '../config.js';
import { FinalResponses } from './final-responses.js';
import { deadLetterResponse } from './response.js';

/**
 * Consumes llm.dlq.v1: every dead letter keyed by a request id ends that request with one
 * final ERROR response carrying the reason (unless the request already has its answer),
 * whichever stage gave up on the message.
 */
@Injectable()
export class DeadLetterConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(DeadLetterConsumer.name);
  private consumer: RunningConsumer | undefined;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(FinalResponses) private readonly finals: FinalResponses,
    @Inject(AggregatorConfig) private readonly config: AggregatorConfig,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = this.readiness.consumer('dlq-consumer', await this.bus.consume({
      groupId: 'yardmaster-aggregator-dlq',
      topics: [Topics.dlq],
      concurrency: this.config.concurrency,
      maxAttempts: this.config.maxAttempts,
      spanName: 'aggregator dead letter',
      handler: (letter, ctx) => this.handle(letter, ctx),
    }));
    this.logger.log(`answering dead-lettered requests from ${this.bus.topicName(Topics.dlq)}`);
  }

  private async handle(letter: DeadLetter, ctx: MessageContext): Promise<void> {
    // A dead letter of a dead letter would loop; a message without a key names no request.
    if (letter.key.length === 0 || letter.sourceTopic === this.bus.topicName(Topics.dlq)) return;
    const response = deadLetterResponse(letter, this.bus.topicName(''));
    ctx.span.setAttributes({ [Attr.requestId]: response.requestId, [Attr.reason]: letter.errorCode });
    const outcome = await this.finals.deliver(response.requestId, `${ctx.topic}:${ctx.partition}:${ctx.offset}`, () => response);
    if (outcome === 'duplicate') ctx.span.setAttribute(Attr.duplicate, true);
    else this.logger.warn(`request ${response.requestId} ended with an error: its message was dead-lettered (${letter.errorCode}: ${letter.reason})`);
  }
}
