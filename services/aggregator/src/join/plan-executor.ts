import { Inject, Injectable, Logger } from '@nestjs/common';
import { Bus } from '@yardmaster/bus';
import {
  DecisionRecordSchema,
  ErrorInfoSchema,
  ModelUsedSchema,
  PlanFollowUpSchema,
  ProviderResultSchema,
  ResponseStatus,
  ResultStatus,
  Topics,
  UsageSchema,
  WorkItemSchema,
  create,
  fromBinary,
  timestampNow,
  toBinary,
  type InferenceResponse,
  type ProviderResult,
  type Usage,
} from '@yardmaster/contracts';
import { PlanState } from '@yardmaster/store';
import { AggregatorConfig } from '../config.js';
import { nextActions, parsePlanWorkId, type FinalAction, type Part } from '../plans/engine.js';
import { finalResponse } from './response.js';

/** A part as stored in Redis: the result without its request, decision and trail (they are on every result). */
export function encodePart(result: ProviderResult): Uint8Array {
  const work = result.work;
  return toBinary(
    ProviderResultSchema,
    create(ProviderResultSchema, {
      ...result,
      images: [],
      work: create(WorkItemSchema, { requestId: result.requestId, workId: result.workId, targetIndex: work?.targetIndex ?? 0 }),
    }),
  );
}

/** Decodes stored parts into the engine's view (work ids that are not plan calls are skipped). */
export function decodeParts(requestId: string, stored: readonly { workId: string; seq: number; data: Buffer }[]): Part[] {
  const parts: Part[] = [];
  for (const s of stored) {
    const id = parsePlanWorkId(requestId, s.workId);
    if (!id) continue;
    parts.push({ result: fromBinary(ProviderResultSchema, s.data), slot: id.slot, attempt: id.attempt, seq: s.seq });
  }
  return parts;
}

function sumUsage(results: readonly ProviderResult[]): Usage {
  const u = create(UsageSchema, {});
  for (const r of results) {
    u.inputTokens += r.usage?.inputTokens ?? 0;
    u.outputTokens += r.usage?.outputTokens ?? 0;
    u.totalTokens += r.usage?.totalTokens ?? 0;
  }
  return u;
}

/** The final response of a plan: the answer, every call's model, summed usage and cost, the steps and the outcome line. */
export function planResponse(result: ProviderResult, final: FinalAction, parts: readonly Part[], startUs: bigint, endUs: bigint): InferenceResponse {
  const base = finalResponse(result, startUs, endUs);
  const decision = result.work?.decision;
  const results = parts.map((p) => p.result);
  const cost = results.reduce((sum, r) => sum + r.costUsd, 0) + final.cancelledCostUsd;
  const status = final.ok ? ResponseStatus.OK : final.error?.code === 'deadline_exceeded' ? ResponseStatus.DEADLINE_EXCEEDED : ResponseStatus.ERROR;
  return {
    ...base,
    status,
    output: final.output,
    // The models that answered (a failed or cancelled call is in `steps`, and in the cost, only).
    models: parts.filter((p) => p.result.status === ResultStatus.OK).map((p) => {
      const t = decision?.targets[p.result.work?.targetIndex ?? p.slot];
      return create(ModelUsedSchema, {
        model: t?.model ?? '',
        provider: t?.provider ?? '',
        role: t?.role ?? 0,
        ...(p.result.usage ? { usage: p.result.usage } : {}),
        costUsd: p.result.costUsd,
        latencyMs: p.result.latencyMs,
      });
    }),
    usage: sumUsage(results),
    costUsd: cost,
    ...(final.ok ? { error: undefined } : { error: create(ErrorInfoSchema, { code: final.error?.code ?? 'plan_failed', message: final.error?.message ?? final.summary, retriable: false }) }),
    steps: final.steps,
    planOutcome: final.summary,
    judgeCostUsd: final.judgeCostUsd,
  };
}

/** What {@link PlanExecutor.advance} did with a result. */
export type Advance = { kind: 'final'; response: () => InferenceResponse; final: FinalAction } | { kind: 'pending'; calls: number; cancelled: number };

/**
 * Runs multi-model plans (and fallbacks of single ones): records each result as a part of
 * its request's plan (first write wins), computes the next actions from the recorded parts
 * alone, asks the router for every next call on llm.plan.followups.v1 with a deterministic
 * work id, cancels calls no longer needed, and hands the final outcome back to the caller,
 * which publishes it through FinalResponses.
 */
@Injectable()
export class PlanExecutor {
  private readonly logger = new Logger(PlanExecutor.name);

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(PlanState) private readonly plans: PlanState,
    @Inject(AggregatorConfig) private readonly config: AggregatorConfig,
  ) {}

  async advance(result: ProviderResult, startUs: bigint, nowUs: () => bigint): Promise<Advance> {
    const work = result.work!;
    const request = work.request!;
    const requestId = result.requestId;
    const stored = await this.plans.recordPart(requestId, result.workId, encodePart(result), this.config.planTtlSeconds);
    const parts = decodeParts(requestId, stored);
    const decision = work.decision!;
    const { actions, steps } = nextActions({ decision, request, parts, inputTokens: work.classification?.inputTokens ?? 0 });
    const pending: Promise<unknown>[] = [];
    let calls = 0;
    let cancelled = 0;
    let final: FinalAction | undefined;
    for (const a of actions) {
      switch (a.kind) {
        case 'call':
          calls++;
          pending.push(
            this.bus.publish(
              Topics.planFollowUps,
              requestId,
              create(PlanFollowUpSchema, {
                requestId,
                request,
                ...(work.classification ? { classification: work.classification } : {}),
                decision,
                targetIndex: a.targetIndex,
                workId: a.workId,
                prompt: a.prompt,
                fallback: a.fallback,
                failedError: a.failedError,
                tried: a.tried,
                history: steps,
                ...(work.trail ? { trail: work.trail } : {}),
                ...(request.deadline ? { deadline: request.deadline } : {}),
              }),
            ),
          );
          break;
        case 'cancel':
          cancelled += a.workIds.length;
          pending.push(this.plans.cancelWork(a.workIds, this.config.planTtlSeconds));
          break;
        case 'final':
          final = a;
          break;
      }
    }
    await Promise.all(pending);
    if (final) {
      const f = final;
      const answer = f.answer?.result;
      // The response carries the envelope of this result and, when there is one, the answering call's trail.
      const source = answer ? { ...result, status: ResultStatus.OK, output: answer.output, finishReason: answer.finishReason } : result;
      return { kind: 'final', final: f, response: () => planResponse(source, f, parts, startUs, nowUs()) };
    }
    if (calls === 0 && cancelled === 0) this.logger.debug?.(`request ${requestId}: waiting for ${parts.length} part(s) more`);
    return { kind: 'pending', calls, cancelled };
  }

  /** The plan's outcome for the audit topic (no prompt text, no output). */
  async audit(response: InferenceResponse): Promise<void> {
    await this.bus.publish(
      Topics.decisions,
      response.requestId,
      create(DecisionRecordSchema, {
        requestId: response.requestId,
        tenantId: response.tenantId,
        ...(response.classification ? { classification: response.classification } : {}),
        ...(response.decision ? { decision: response.decision } : {}),
        ...(response.error ? { error: response.error } : {}),
        decidedAt: response.completedAt ?? timestampNow(),
        event: 'completed',
        steps: response.steps,
        outcome: response.planOutcome,
      }),
    );
  }
}

