import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Bus, BusError, type MessageContext, type RunningConsumer } from '@yardmaster/bus';
import {
  InferenceResponseSchema,
  ResultStatus,
  StoreKeys,
  Topics,
  WorkItemSchema,
  create,
  isExpired,
  nowUs,
  toBinary,
  workTopic,
  type InferenceResponse,
  type ProviderResult,
} from '@yardmaster/contracts';
import { Readiness } from '@yardmaster/service-kit';
import { Store } from '@yardmaster/store';
import { Attr } from '@yardmaster/telemetry';
import { AggregatorConfig } from '../config.js';
import { finalResponse } from './response.js';

/** Error codes after which trying the next target cannot help. */
const NO_FALLBACK = new Set(['deadline_exceeded', 'invalid_request', 'unknown_model', 'constraints_unsatisfiable', 'no_eligible_model']);

/**
 * Consumes llm.results.v1: sends a failed call to the plan's next target, otherwise
 * publishes the request's one final response on llm.responses.v1 (a Redis claim per
 * request drops duplicates) and stores it for GetResponse.
 */
@Injectable()
export class ResultConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(ResultConsumer.name);
  private consumer: RunningConsumer | undefined;
  /** Responses published whose Redis bookkeeping has not succeeded yet, by source message. */
  private readonly publishedNotRecorded = new Map<string, InferenceResponse>();

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(Store) private readonly store: Store,
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
    if (result.status !== ResultStatus.OK && nextTarget && !NO_FALLBACK.has(result.error?.code ?? '') && !isExpired(work.deadline)) {
      if (await this.store.exists(StoreKeys.final(requestId))) return;
      ctx.span.setAttribute(Attr.reason, `fallback to ${nextTarget.model} after ${result.error?.code ?? 'error'}`);
      await this.bus.publish(workTopic(nextTarget.pool), requestId, create(WorkItemSchema, { ...work, workId: `${requestId}:${next}`, targetIndex: next }));
      return;
    }

    // One final response per request: the first result to claim it wins; a redelivery of
    // the same message (same offset) may finish its own claim.
    const owner = `${ctx.topic}:${ctx.partition}:${ctx.offset}`;
    let response = this.publishedNotRecorded.get(owner);
    if (!response) {
      const claim = await this.store.claim(StoreKeys.final(requestId), owner, this.config.responseTtlSeconds);
      if (claim.status === 'taken') {
        ctx.span.setAttribute(Attr.duplicate, true);
        return;
      }
      response = finalResponse(result, startUs, nowUs());
      await this.bus.publish(Topics.responses, requestId, response);
      // If Redis fails below, the bus retries this handler: it must not publish again.
      this.publishedNotRecorded.set(owner, response);
    }
    await this.store.set(StoreKeys.response(requestId), Buffer.from(toBinary(InferenceResponseSchema, response)), this.config.responseTtlSeconds);
    await this.store.set(StoreKeys.final(requestId), 'done', this.config.responseTtlSeconds);
    this.publishedNotRecorded.delete(owner);
  }
}
