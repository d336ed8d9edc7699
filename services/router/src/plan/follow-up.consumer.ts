import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Bus, BusError, type MessageContext, type RunningConsumer } from '@yardmaster/bus';
import { followUpTarget } from '@yardmaster/catalog';
import {
  DecisionRecordSchema,
  ErrorInfoSchema,
  PlanStepSchema,
  ProviderResultSchema,
  ResultStatus,
  Topics,
  WorkItemSchema,
  create,
  isExpired,
  nowUs,
  timestampNow,
  withMark,
  workTopic,
  type PlanFollowUp,
} from '@yardmaster/contracts';
import { Readiness } from '@yardmaster/service-kit';
import { Attr } from '@yardmaster/telemetry';
import { RouterConfig } from '../config.js';
import { HealthCache } from '../health/health-cache.js';

/**
 * Consumes llm.plan.followups.v1: each later call of a plan (a cascade's escalation, a
 * judge, a reviewer, a chain step) and each fallback after a failed call is decided here
 * again with live health (a target whose circuit opened is replaced by a healthy fallback,
 * a fallback must match the error), then published as a WorkItem with the aggregator's
 * deterministic work id, with a `follow_up` DecisionRecord. When nothing can run (the
 * deadline passed, no fallback handles the error), a ProviderResult for the same work id
 * says why, so the plan moves on.
 */
@Injectable()
export class FollowUpConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(FollowUpConsumer.name);
  private consumer: RunningConsumer | undefined;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(HealthCache) private readonly health: HealthCache,
    @Inject(RouterConfig) private readonly config: RouterConfig,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = this.readiness.consumer('followup-consumer', await this.bus.consume({
      groupId: 'yardmaster-router-followups',
      topics: [Topics.planFollowUps],
      concurrency: this.config.concurrency,
      maxAttempts: this.config.maxAttempts,
      spanName: 'router follow-up',
      handler: (message, ctx) => this.handle(message, ctx),
    }));
    this.logger.log(`deciding plan follow-ups from ${this.bus.topicName(Topics.planFollowUps)}`);
  }

  private async handle(f: PlanFollowUp, ctx: MessageContext): Promise<void> {
    const startUs = nowUs();
    const request = f.request;
    const decision = f.decision;
    if (!request?.requestId || !decision || !f.workId) throw BusError.permanent('plan follow-up lacks its request, decision or work id');
    ctx.span.setAttribute(Attr.requestId, request.requestId);
    const trail = withMark(f.trail, 'router', startUs);
    const fail = (status: ResultStatus, code: string, message: string) =>
      this.bus.publish(
        Topics.results,
        request.requestId,
        create(ProviderResultSchema, {
          requestId: request.requestId,
          workId: f.workId,
          status,
          error: create(ErrorInfoSchema, { code, message, retriable: false }),
          work: create(WorkItemSchema, {
            requestId: request.requestId,
            workId: f.workId,
            request,
            ...(f.classification ? { classification: f.classification } : {}),
            decision,
            targetIndex: f.targetIndex,
            ...(f.deadline ? { deadline: f.deadline } : {}),
            trail,
          }),
        }),
      );
    if (isExpired(f.deadline)) {
      ctx.span.setAttribute(Attr.reason, 'deadline passed before the next call');
      await fail(ResultStatus.DEADLINE_EXCEEDED, 'deadline_exceeded', 'deadline passed before the next call of the plan');
      return;
    }
    const choice = followUpTarget(decision, { targetIndex: f.targetIndex, fallback: f.fallback, failedError: f.failedError, tried: f.tried }, this.health);
    if (!choice.ok) {
      ctx.span.setAttribute(Attr.reason, choice.reason);
      await fail(ResultStatus.ERROR, choice.code, choice.reason);
      return;
    }
    const target = decision.targets[choice.targetIndex]!;
    ctx.span.setAttributes({ [Attr.genAiRequestModel]: target.model, [Attr.pool]: target.pool, [Attr.reason]: choice.note });
    const pending: Promise<unknown>[] = [
      this.bus.publish(
        workTopic(target.pool),
        request.requestId,
        create(WorkItemSchema, {
          requestId: request.requestId,
          workId: f.workId,
          request,
          ...(f.classification ? { classification: f.classification } : {}),
          decision,
          targetIndex: choice.targetIndex,
          ...(f.deadline ? { deadline: f.deadline } : {}),
          trail,
          ...(f.startAfter ? { startAfter: f.startAfter } : {}),
          prompt: f.prompt,
        }),
      ),
    ];
    if (this.config.publishDecisions) {
      pending.push(
        this.bus.publish(
          Topics.decisions,
          request.requestId,
          create(DecisionRecordSchema, {
            requestId: request.requestId,
            tenantId: request.tenantId,
            conversationId: request.conversationId,
            ...(f.classification ? { classification: f.classification } : {}),
            decision,
            decidedAt: timestampNow(),
            durationUs: (nowUs() - startUs) > 0n ? nowUs() - startUs : 0n,
            metadata: request.metadata,
            event: 'follow_up',
            outcome: choice.note,
            steps: [
              ...f.history,
              create(PlanStepSchema, { targetIndex: choice.targetIndex, model: target.model, provider: target.provider, role: target.role, step: target.step, outcome: 'requested', detail: choice.note, workId: f.workId }),
            ],
          }),
        ),
      );
    }
    await Promise.all(pending);
  }
}
