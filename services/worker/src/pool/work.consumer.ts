import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Bus, BusError, type MessageContext, type RunningConsumer } from '@yardmaster/bus';
import { redactUrl, scrubSecrets } from '@yardmaster/config';
import {
  ErrorInfoSchema,
  GeneratedImageSchema,
  PlanKind,
  ProviderResultSchema,
  ResultStatus,
  ToolCallSchema,
  Topics,
  UsageSchema,
  create,
  isExpired,
  nowUs,
  remainingMs,
  withMark,
  slimWork,
  resultNeedsPrompt,
  timestampMs,
  workTopic,
  type ProviderResult,
  type WorkItem,
} from '@yardmaster/contracts';
import { KeyRing, ProviderError, createAdapter, type ProviderAdapter } from '@yardmaster/providers';
import { Readiness } from '@yardmaster/service-kit';
import { CancelledRequests, ChunkStreams, PipelineState, ProviderGate, ProviderHealth, workCancelId, type WorkState } from '@yardmaster/store';
import { Attr } from '@yardmaster/telemetry';
import { WorkerConfig } from '../config.js';
import { CancelWatch, waitUntil } from './cancel-watch.js';
import { ChunkRelay } from './chunk-relay.js';
import { PoolMetrics, ProviderCallMetrics } from './metrics.js';
import { ProviderCaller, type CallFailure } from './provider-caller.js';
import { toGenerationRequest } from './wire.js';

/** The work item's state says not to call the provider (its result is published, or it was cancelled). */
class NotCallable extends Error {
  constructor(readonly state: WorkState) {
    super(state.done ? 'the work item is done' : 'the work item was cancelled');
  }
}

/** The work item's state could not be read (Redis failed); `cause` is the store's error. */
class StateUnreadable extends Error {
  constructor(cause: unknown) {
    super('cannot read the work item state', { cause });
  }
}

/** Resolves when the state lets the provider be called; else rejects with {@link NotCallable}. */
function skipUnlessCallable(state: WorkState): void {
  if (state.done || state.cancelled) throw new NotCallable(state);
}

const OPERATION: Record<string, string> = { 'openai-images': 'generate_content', tool: 'execute_tool', 'http-tool': 'execute_tool' };

/**
 * Consumes llm.work.<pool>.v1 and calls the pool's provider (or tool) for each item
 * through {@link ProviderCaller} (shared breaker, cooldowns and rate limits, key
 * rotation, timeouts and retries within the deadline), aborting calls whose request is
 * cancelled meanwhile; publishes one ProviderResult per item with usage, cost, attempts
 * and a stable error class.
 */
@Injectable()
export class WorkConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorkConsumer.name);
  private readonly adapter: ProviderAdapter;
  private readonly keys: KeyRing;
  private readonly caller: ProviderCaller;
  private readonly watch: CancelWatch;
  private consumer: RunningConsumer | undefined;
  /** Results computed but not yet recorded as published, by source message, for handler retries. */
  private readonly unpublished = new Map<string, ProviderResult>();
  private readonly metrics: ProviderCallMetrics;
  private readonly pool = new PoolMetrics();

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(PipelineState) private readonly state: PipelineState,
    @Inject(WorkerConfig) private readonly config: WorkerConfig,
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(ProviderHealth) health: ProviderHealth,
    @Inject(ProviderGate) gate: ProviderGate,
    @Inject(CancelledRequests) cancelled: CancelledRequests,
    @Inject(ChunkStreams) private readonly chunks: ChunkStreams,
  ) {
    const p = config.provider;
    this.adapter = createAdapter(p.api, { baseUrl: p.baseUrl ?? '', defaultMaxTokens: p.defaultMaxTokens, ...(p.imageSize ? { imageSize: p.imageSize } : {}), ...(p.httpTool ? { httpTool: { ...p.httpTool, headers: { ...p.httpTool.headers } } } : {}) });
    this.keys = new KeyRing(p.apiKeys);
    this.metrics = new ProviderCallMetrics(OPERATION[p.api] ?? 'chat');
    // A tool computes locally: no provider to protect, nothing to share.
    this.caller = new ProviderCaller(this.adapter, this.keys, p.api === 'tool' ? undefined : gate, health, p, config.limits, this.pool);
    this.watch = new CancelWatch(cancelled, config.cancelPollMs);
  }

  async onApplicationBootstrap(): Promise<void> {
    const topic = workTopic(this.config.pool);
    this.consumer = this.readiness.consumer('kafka-consumer', await this.bus.consume({
      groupId: `yardmaster-worker-${this.config.pool}`,
      topics: [topic],
      concurrency: this.config.concurrency,
      spanName: `worker ${this.config.pool} call`,
      handler: (work, ctx) => this.handle(work, ctx),
    }));
    const t = this.config.provider.httpTool;
    // The path template and header names only: header values may carry the credential.
    const tool = t ? ` (tool ${t.tool}: ${t.method} ${t.path}, headers [${Object.keys(t.headers).join(', ')}], timeout ${t.timeoutMs} ms, 404 is ${t.notFound === 'answer' ? 'an answer' : 'an error'})` : '';
    const where = (this.config.provider.baseUrl ? redactUrl(this.config.provider.baseUrl) : 'in-process tool') + tool;
    this.logger.log(
      `pool ${this.config.pool}: ${this.bus.topicName(topic)} → ${this.config.provider.api} at ${where} (concurrency ${this.config.concurrency}, ${this.keys.size} key(s), stream ${this.config.provider.stream})`,
    );
  }

  onModuleDestroy(): void {
    this.watch.stop();
  }

  private async handle(work: WorkItem, ctx: MessageContext): Promise<void> {
    const startUs = nowUs();
    const target = work.decision?.targets[work.targetIndex];
    if (!work.request || !target) throw BusError.permanent(`work item ${work.workId} lacks its request or target ${work.targetIndex}`);
    ctx.span.setAttributes({ [Attr.requestId]: work.requestId, [Attr.genAiRequestModel]: target.model, [Attr.genAiSystem]: target.provider, [Attr.genAiOperation]: OPERATION[this.config.provider.api] ?? 'chat' });
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
    // An item that is called at once reads that state beside the gate's admission (the
    // provider is called only once both say yes); a hedge that waits first, or an expired
    // item, reads it before anything else.
    const reading = this.state.workState(work.workId, work.requestId);
    const expired = isExpired(work.deadline);
    const callsAtOnce = !work.startAfter && !expired;
    const state = callsAtOnce ? { done: false, cancelled: false } : await reading;
    if (state.done) {
      ctx.span.setAttribute(Attr.duplicate, true);
      return;
    }
    const startedMs = Date.now();
    const hasFallback = work.decision?.targets[work.targetIndex + 1] !== undefined;
    let result: ProviderResult;
    // A successful call's lease goes back to the gate while its answer is published.
    let settled: Promise<void> | undefined;
    if (state.cancelled) {
      result = this.failure(work, ResultStatus.ERROR, 'cancelled', 'the request (or, in a plan, this call) was cancelled before the provider was called', 0, 0);
    } else if (expired) {
      result = this.failure(work, ResultStatus.DEADLINE_EXCEEDED, 'deadline_exceeded', 'deadline passed while queued for the provider', 0, 0);
    } else {
      // A plan may cancel this one call (a hedge's loser) as well as the caller the whole request.
      const cancel = this.watch.watch(work.requestId, workCancelId(work.workId));
      const precheck = callsAtOnce ? reading.then(skipUnlessCallable, (err: unknown) => Promise.reject(new StateUnreadable(err))) : undefined;
      // Awaited by the caller; marked handled here so an early rejection is never "unhandled".
      precheck?.catch(() => undefined);
      const relay = this.streams(work) ? new ChunkRelay(this.chunks, work.requestId, work.workId, target.model, this.config.streamFlush, Number(startUs) / 1000) : undefined;
      try {
        // A hedge waits for its delay (watching for the cancel that makes it unnecessary).
        await waitUntil(work.startAfter ? timestampMs(work.startAfter) : 0, AbortSignal.any([cancel.signal, ctx.signal]));
        const request = work.prompt.length > 0 ? { ...work.request, messages: work.prompt } : work.request;
        const { answer, attempts, settled: settling } = await this.caller.call({
          target,
          request: toGenerationRequest(request, target.model, work.classification?.tool),
          tenantId: work.request.tenantId,
          promptTokens: work.classification?.inputTokens ?? 0,
          deadlineMs: Date.now() + remainingMs(work.deadline),
          hasFallback,
          signal: AbortSignal.any([cancel.signal, ctx.signal]),
          ...(relay ? { relay } : {}),
          ...(precheck ? { precheck } : {}),
        });
        settled = settling;
        await relay?.end(answer.finishReason, answer.inputTokens, answer.outputTokens);
        const latencyMs = Date.now() - startedMs;
        this.metrics.succeeded(target, latencyMs, answer);
        this.pool.result(target, undefined);
        // Priced at the model that was asked for (the catalog's prices); the provider's own
        // model name is reported beside it, never used to book the cost elsewhere.
        const cost = this.config.provider.api === 'tool' ? 0 : (answer.inputTokens * target.inputPricePerMtok + answer.outputTokens * target.outputPricePerMtok) / 1e6;
        ctx.span.setAttributes({
          [Attr.genAiResponseModel]: answer.providerModel,
          [Attr.genAiInputTokens]: answer.inputTokens,
          [Attr.genAiOutputTokens]: answer.outputTokens,
          [Attr.genAiFinishReasons]: [answer.finishReason],
        });
        result = create(ProviderResultSchema, {
          requestId: work.requestId,
          workId: work.workId,
          status: ResultStatus.OK,
          output: answer.output,
          usage: create(UsageSchema, { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens, totalTokens: answer.inputTokens + answer.outputTokens }),
          costUsd: cost,
          latencyMs,
          attempts,
          finishReason: answer.finishReason,
          providerModel: answer.providerModel,
          toolCalls: (answer.toolCalls ?? []).map((c) => create(ToolCallSchema, { id: c.id, name: c.name, argumentsJson: c.arguments })),
          images: (answer.images ?? []).map((i) =>
            create(GeneratedImageSchema, { ...(i.data ? { data: i.data } : {}), url: i.url ?? '', mimeType: i.mimeType, revisedPrompt: i.revisedPrompt ?? '' }),
          ),
          work: slimWork(work, withMark(work.trail, 'worker', startUs), resultNeedsPrompt(work, true)),
        });
      } catch (caught) {
        // A call that ended before it looked at the state read beside it (aborted, out of
        // time at once) still goes by that state: a done item publishes nothing.
        const err: unknown = precheck && !(caught instanceof NotCallable || caught instanceof StateUnreadable) ? await precheck.then(() => caught, (e: unknown) => e) : caught;
        // The state read beside the admission failed: Redis is out, the bus retries the item.
        if (err instanceof StateUnreadable) throw err.cause;
        // The partition went to another member: it handles the item; publish nothing.
        if (ctx.signal.aborted) throw err;
        if (err instanceof NotCallable) {
          if (err.state.done) {
            ctx.span.setAttribute(Attr.duplicate, true);
            return;
          }
          result = this.failure(work, ResultStatus.ERROR, 'cancelled', 'the request (or, in a plan, this call) was cancelled before the provider was called', 0, 0);
          ctx.span.setAttribute(Attr.status, ResultStatus[result.status]);
          this.unpublished.set(attemptKey, result);
          await this.publishResult(result, attemptKey);
          return;
        }
        const e = ProviderError.from(err);
        this.metrics.failedCall(target, Date.now() - startedMs, e.code);
        this.pool.result(target, e.code);
        const attempts = (err as Partial<CallFailure>).attempts ?? 0;
        const status = e.code === 'deadline_exceeded' ? ResultStatus.DEADLINE_EXCEEDED : e.code === 'timeout' ? ResultStatus.TIMEOUT : ResultStatus.ERROR;
        // Defence in depth: whatever an adapter let through, no key leaves this process.
        const message = scrubSecrets(e.message, this.keys.secrets());
        await relay?.fail(e.code, message);
        result = this.failure(work, status, e.code, message, Date.now() - startedMs, attempts, e.retriable, startUs);
        // A call aborted after it reached the provider still pays for the prompt it sent.
        if (e.code === 'cancelled' && attempts > 0 && this.config.provider.api !== 'tool') result.costUsd = ((work.classification?.inputTokens ?? 0) * target.inputPricePerMtok) / 1e6;
      } finally {
        cancel.done();
      }
    }
    ctx.span.setAttribute(Attr.status, ResultStatus[result.status]);
    this.unpublished.set(attemptKey, result);
    await Promise.all([this.publishResult(result, attemptKey), settled]);
  }

  /**
   * Whether this call streams its deltas to the caller: asked for, and the answer of this
   * call is the answer (a single-model plan, or its fallbacks). Plans that must see whole
   * answers (cascade, vote, judge, …) stream only the final answer, from the ingress.
   */
  private streams(work: WorkItem): boolean {
    const plan = work.decision?.plan ?? PlanKind.UNSPECIFIED;
    return work.request?.stream === true && (plan === PlanKind.SINGLE || plan === PlanKind.UNSPECIFIED) && this.adapter.streams;
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
      work: slimWork(work, withMark(work.trail, 'worker', startUs), resultNeedsPrompt(work, false)),
    });
  }
}
