import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Bus, BusError, type MessageContext, type RunningConsumer } from '@yardmaster/bus';
import { redactUrl } from '@yardmaster/config';
import {
  ErrorInfoSchema,
  ProviderResultSchema,
  ResultStatus,
  Topics,
  UsageSchema,
  create,
  isExpired,
  nowUs,
  remainingMs,
  withMark,
  slimWork,
  workTopic,
  type ProviderResult,
  type WorkItem,
} from '@yardmaster/contracts';
import { OpenAIChatClient, ProviderError, callWithRetries } from '@yardmaster/providers';
import { Readiness } from '@yardmaster/service-kit';
import { PipelineState } from '@yardmaster/store';
import { Attr } from '@yardmaster/telemetry';
import { WorkerConfig } from '../config.js';
import { ProviderCallMetrics } from './metrics.js';
import { toChatCompletion } from './wire.js';

/**
 * Consumes llm.work.<pool>.v1 and calls the pool's provider for each item, with the
 * consumer's concurrency as the limit on calls in flight, per-attempt timeouts,
 * retries with backoff, and the request's deadline; publishes a ProviderResult.
 */
@Injectable()
export class WorkConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(WorkConsumer.name);
  private readonly client: OpenAIChatClient;
  private consumer: RunningConsumer | undefined;
  /** Results computed but not yet recorded as published, by source message, for handler retries. */
  private readonly unpublished = new Map<string, ProviderResult>();
  private readonly metrics = new ProviderCallMetrics();

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(PipelineState) private readonly state: PipelineState,
    @Inject(WorkerConfig) private readonly config: WorkerConfig,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {
    this.client = new OpenAIChatClient({ baseUrl: config.provider.baseUrl, apiKey: config.provider.apiKey });
  }

  async onApplicationBootstrap(): Promise<void> {
    const topic = workTopic(this.config.pool);
    this.consumer = await this.bus.consume({
      groupId: `yardmaster-worker-${this.config.pool}`,
      topics: [topic],
      concurrency: this.config.concurrency,
      spanName: `worker ${this.config.pool} call`,
      handler: (work, ctx) => this.handle(work, ctx),
    });
    this.readiness.register('kafka-consumer', () => this.consumer?.isRunning() ?? false);
    this.logger.log(`pool ${this.config.pool}: ${this.bus.topicName(topic)} → ${redactUrl(this.config.provider.baseUrl)} (concurrency ${this.config.concurrency})`);
  }

  private async handle(work: WorkItem, ctx: MessageContext): Promise<void> {
    const startUs = nowUs();
    const target = work.decision?.targets[work.targetIndex];
    if (!work.request || !target) throw BusError.permanent(`work item ${work.workId} lacks its request or target ${work.targetIndex}`);
    ctx.span.setAttributes({ [Attr.requestId]: work.requestId, [Attr.genAiRequestModel]: target.model, [Attr.genAiSystem]: target.provider, [Attr.genAiOperation]: 'chat' });
    // A retry after Kafka or Redis failed (the bus retries the handler) reuses the
    // answer it already paid for instead of calling the provider again.
    const attemptKey = `${ctx.topic}:${ctx.partition}:${ctx.offset}`;
    const computed = this.unpublished.get(attemptKey);
    if (computed) {
      await this.publishResult(computed, attemptKey);
      return;
    }
    // A redelivered item whose result was already published is not sent to the provider
    // again, and a request whose caller cancelled is not started (one round trip for both).
    const state = await this.state.workState(work.workId, work.requestId);
    if (state.done) {
      ctx.span.setAttribute(Attr.duplicate, true);
      return;
    }
    const startedMs = Date.now();
    let result: ProviderResult;
    if (state.cancelled) {
      result = this.failure(work, ResultStatus.ERROR, 'cancelled', 'the caller cancelled the request before the provider was called', 0, 0);
    } else if (isExpired(work.deadline)) {
      result = this.failure(work, ResultStatus.DEADLINE_EXCEEDED, 'deadline_exceeded', 'deadline passed while queued for the provider', 0, 0);
    } else {
      const body = toChatCompletion(work.request, target.model);
      const left = remainingMs(work.deadline);
      try {
        const { value, attempts } = await callWithRetries((signal) => this.client.complete(body, signal), {
          maxAttempts: this.config.provider.maxAttempts,
          baseDelayMs: this.config.provider.retryBaseMs,
          maxDelayMs: 5000,
          attemptTimeoutMs: this.config.provider.timeoutMs,
          deadlineMs: Number.isFinite(left) ? Date.now() + left : Date.now() + this.config.provider.timeoutMs * this.config.provider.maxAttempts * 2,
        });
        const latencyMs = Date.now() - startedMs;
        this.metrics.succeeded(target, latencyMs, value);
        const cost = (value.inputTokens * target.inputPricePerMtok + value.outputTokens * target.outputPricePerMtok) / 1e6;
        ctx.span.setAttributes({
          [Attr.genAiResponseModel]: value.providerModel,
          [Attr.genAiInputTokens]: value.inputTokens,
          [Attr.genAiOutputTokens]: value.outputTokens,
          [Attr.genAiFinishReasons]: [value.finishReason],
        });
        result = create(ProviderResultSchema, {
          requestId: work.requestId,
          workId: work.workId,
          status: ResultStatus.OK,
          output: value.output,
          usage: create(UsageSchema, { inputTokens: value.inputTokens, outputTokens: value.outputTokens, totalTokens: value.inputTokens + value.outputTokens }),
          costUsd: cost,
          latencyMs,
          attempts,
          finishReason: value.finishReason,
          providerModel: value.providerModel,
          work: slimWork(work, withMark(work.trail, 'worker', startUs), false),
        });
      } catch (err) {
        const e = ProviderError.from(err);
        this.metrics.failedCall(target, Date.now() - startedMs, e.code);
        const attempts = (err as { attempts?: number }).attempts ?? 1;
        const status = e.code === 'deadline_exceeded' ? ResultStatus.DEADLINE_EXCEEDED : e.code === 'timeout' ? ResultStatus.TIMEOUT : ResultStatus.ERROR;
        result = this.failure(work, status, e.code, e.message, Date.now() - startedMs, attempts, e.retriable, startUs);
      }
    }
    ctx.span.setAttribute(Attr.status, ResultStatus[result.status]);
    this.unpublished.set(attemptKey, result);
    await this.publishResult(result, attemptKey);
  }

  private async publishResult(result: ProviderResult, attemptKey: string): Promise<void> {
    // Kept until the marker is written too: a retry then republishes the same result
    // (the aggregator drops the copy) rather than calling the provider again.
    await this.bus.publish(Topics.results, result.requestId, result);
    await this.state.markWorkDone(result.workId, this.config.dedupeTtlSeconds);
    this.unpublished.delete(attemptKey);
  }

  private failure(work: WorkItem, status: ResultStatus, code: string, message: string, latencyMs: number, attempts: number, retriable = false, startUs = nowUs()): ProviderResult {
    return create(ProviderResultSchema, {
      requestId: work.requestId,
      workId: work.workId,
      status,
      latencyMs,
      attempts,
      error: create(ErrorInfoSchema, { code, message, retriable }),
      // The aggregator needs the prompt only to send the work to the next target.
      work: slimWork(work, withMark(work.trail, 'worker', startUs), work.decision?.targets[work.targetIndex + 1] !== undefined),
    });
  }
}
