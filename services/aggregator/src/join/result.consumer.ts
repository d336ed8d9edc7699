import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Bus, BusError, type MessageContext, type RunningConsumer } from '@yardmaster/bus';
import { ResultStatus, Topics, WorkItemSchema, create, isExpired, nowUs, workTopic, type ProviderResult } from '@yardmaster/contracts';
import { Readiness } from '@yardmaster/service-kit';
import { PipelineState } from '@yardmaster/store';
import { Attr } from '@yardmaster/telemetry';
import { AggregatorConfig } from '../config.js';
import { FinalResponses } from './final-responses.js';
import { finalResponse } from './response.js';

/** Error codes after which trying the next target cannot help. */
const NO_FALLBACK = new Set(['deadline_exceeded', 'invalid_request', 'unknown_model', 'constraints_unsatisfiable', 'no_eligible_model', 'cancelled']);

/**
 * Consumes llm.results.v1: sends a failed call to the plan's next target, otherwise
 * publishes the request's one final response on llm.responses.v1 through
 * {@link FinalResponses} (exactly once across instances) and stores it for GetResponse.
 */
@Injectable()
export class ResultConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(ResultConsumer.name);
  private consumer: RunningConsumer | undefined;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(PipelineState) private readonly state: PipelineState,
    @Inject(FinalResponses) private readonly finals: FinalResponses,
    @Inject(AggregatorConfig) private readonly config: AggregatorConfig,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.bus.consume({
      groupId: 'yardmaster-aggregator',
      topics: [Topics.results],
      concurrency: this.config.concurrency,
      maxAttempts: this.config.maxAttempts,
      spanName: 'aggregator join',
      handler: (result, ctx) => this.handle(result, ctx),
    });
    this.readiness.register('kafka-consumer', () => this.consumer?.isRunning() ?? false);
    this.logger.log(`consuming ${this.bus.topicName(Topics.results)}`);
  }

  private async handle(result: ProviderResult, ctx: MessageContext): Promise<void> {
    const startUs = nowUs();
    const work = result.work;
    if (!result.requestId || !work?.request) throw BusError.permanent('result lacks request_id or its work item');
    const requestId = result.requestId;
    ctx.span.setAttributes({ [Attr.requestId]: requestId, [Attr.status]: ResultStatus[result.status] });

    const next = work.targetIndex + 1;
    const nextTarget = work.decision?.targets[next];
    if (result.status !== ResultStatus.OK && nextTarget && !NO_FALLBACK.has(result.error?.code ?? '') && !isExpired(work.deadline) && work.request.messages.length > 0) {
      if (await this.state.hasFinal(requestId)) return;
      ctx.span.setAttribute(Attr.reason, `fallback to ${nextTarget.model} after ${result.error?.code ?? 'error'}`);
      await this.bus.publish(workTopic(nextTarget.pool), requestId, create(WorkItemSchema, { ...work, workId: `${requestId}:${next}`, targetIndex: next }));
      return;
    }
    const outcome = await this.finals.deliver(requestId, `${ctx.topic}:${ctx.partition}:${ctx.offset}`, () => finalResponse(result, startUs, nowUs()));
    if (outcome === 'duplicate') ctx.span.setAttribute(Attr.duplicate, true);
  }
}
