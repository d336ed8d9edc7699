import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Bus, BusError, type MessageContext, type RunningConsumer } from '@yardmaster/bus';
import { PlanKind, ResultStatus, Topics, nowUs, type InferenceResponse, type ProviderResult } from '@yardmaster/contracts';
import { Readiness } from '@yardmaster/service-kit';
import { Attr } from '@yardmaster/telemetry';
import { AggregatorConfig } from '../config.js';
import { FinalResponses } from './final-responses.js';
import { PlanExecutor } from './plan-executor.js';
import { finalResponse } from './response.js';

/**
 * Consumes llm.results.v1. A successful single call (the common case) is answered at once
 * through {@link FinalResponses} (exactly once across instances) with no plan state. Every
 * other result (a failed call that may fall back, any part of a multi-model plan) goes
 * through the {@link PlanExecutor}, which records it, asks the router for the next call
 * and, when the plan is done, returns the one final response.
 */
@Injectable()
export class ResultConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(ResultConsumer.name);
  private consumer: RunningConsumer | undefined;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(FinalResponses) private readonly finals: FinalResponses,
    @Inject(PlanExecutor) private readonly plans: PlanExecutor,
    @Inject(AggregatorConfig) private readonly config: AggregatorConfig,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = this.readiness.consumer('kafka-consumer', await this.bus.consume({
      groupId: 'yardmaster-aggregator',
      topics: [Topics.results],
      concurrency: this.config.concurrency,
      maxAttempts: this.config.maxAttempts,
      spanName: 'aggregator join',
      handler: (result, ctx) => this.handle(result, ctx),
    }));
    this.logger.log(`consuming ${this.bus.topicName(Topics.results)}`);
  }

  private async handle(result: ProviderResult, ctx: MessageContext): Promise<void> {
    const startUs = nowUs();
    const work = result.work;
    if (!result.requestId || !work?.request) throw BusError.permanent('result lacks request_id or its work item');
    const requestId = result.requestId;
    const coords = `${ctx.topic}:${ctx.partition}:${ctx.offset}`;
    ctx.span.setAttributes({ [Attr.requestId]: requestId, [Attr.status]: ResultStatus[result.status] });

    if (isFastPath(result)) {
      const outcome = await this.finals.deliver(requestId, coords, () => finalResponse(result, startUs, nowUs()));
      if (outcome === 'duplicate') ctx.span.setAttribute(Attr.duplicate, true);
      return;
    }
    const advance = await this.plans.advance(result, startUs, nowUs);
    if (advance.kind === 'pending') {
      ctx.span.setAttribute(Attr.reason, `plan waits: ${advance.calls} call(s) requested, ${advance.cancelled} cancelled`);
      return;
    }
    ctx.span.setAttribute(Attr.reason, advance.final.summary);
    let response: InferenceResponse | undefined;
    const outcome = await this.finals.deliver(requestId, coords, () => (response = advance.response()));
    if (outcome === 'duplicate') ctx.span.setAttribute(Attr.duplicate, true);
    else if (response && isMultiModel(result)) {
      // The audit record of how the plan ended; a lost one is not worth failing the answer for.
      await this.plans.audit(response).catch((err: unknown) => this.logger.warn(`audit record of ${requestId} not published: ${String(err)}`));
    }
  }
}

/** Plans whose outcome is audited with its steps (single plans' decisions are audited by the router). */
function isMultiModel(result: ProviderResult): boolean {
  const plan = result.work?.decision?.plan ?? PlanKind.UNSPECIFIED;
  return plan !== PlanKind.SINGLE && plan !== PlanKind.UNSPECIFIED;
}

/**
 * A result that ends its request with no plan state: the first call of a single (or tool)
 * plan that succeeded, and early results (the router refused, the deadline passed).
 */
export function isFastPath(result: ProviderResult): boolean {
  const work = result.work!;
  if (!work.decision || result.workId === `${result.requestId}:early`) return true;
  const plan = work.decision.plan;
  const single = plan === PlanKind.SINGLE || plan === PlanKind.UNSPECIFIED || plan === PlanKind.TOOL;
  if (!single) return false;
  if (result.status === ResultStatus.OK) return result.workId === `${result.requestId}:0`;
  // A failed call with nowhere to go ends the request as well.
  return work.decision.targets.length <= 1 || work.request!.messages.length === 0;
}
