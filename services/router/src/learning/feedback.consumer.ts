import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { levels } from '@yardmaster/catalog';
import { Bus, BusError, type MessageContext, type RunningConsumer } from '@yardmaster/bus';
import { Topics, type Feedback } from '@yardmaster/contracts';
import { Readiness } from '@yardmaster/service-kit';
import { RoutingFeedback } from '@yardmaster/store';
import { Attr } from '@yardmaster/telemetry';
import { LearningConfig } from './learning-config.js';

/**
 * Consumes llm.feedback.v1 and adds each request's score, once, to the shared evidence of
 * its cell and model (one Redis round trip); every router replica picks it up at its next
 * refresh. A score outside [0, 1] or feedback without a model or intent is a bad message
 * (dead-lettered with the reason).
 */
@Injectable()
export class FeedbackConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(FeedbackConsumer.name);
  private consumer: RunningConsumer | undefined;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(RoutingFeedback) private readonly feedback: RoutingFeedback,
    @Inject(LearningConfig) private readonly config: LearningConfig,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.enabled) return;
    this.consumer = this.readiness.consumer('feedback-consumer', await this.bus.consume({
      groupId: 'yardmaster-router-feedback',
      topics: [Topics.feedback],
      concurrency: 32,
      spanName: 'router learn',
      handler: (message, ctx) => this.handle(message, ctx),
    }));
    this.logger.log(`learning from ${this.bus.topicName(Topics.feedback)}`);
  }

  private async handle(f: Feedback, ctx: MessageContext): Promise<void> {
    if (!f.requestId || !f.model || !f.intent) throw BusError.permanent('feedback lacks request_id, model or intent');
    if (!Number.isFinite(f.score) || f.score < 0 || f.score > 1) throw BusError.permanent(`feedback score ${f.score} is outside [0, 1]`);
    ctx.span.setAttribute(Attr.requestId, f.requestId);
    await this.feedback.record({ requestId: f.requestId, levels: levels({ intent: f.intent, band: f.band, subject: f.subject }), model: f.model, score: f.score, ...(f.outputTokens > 0 ? { outputTokens: f.outputTokens } : {}) }, this.config.dedupeTtlSeconds);
  }
}
