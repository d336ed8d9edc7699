import { create } from '@bufbuild/protobuf';
import { TimestampSchema, timestampMs, type Timestamp } from '@bufbuild/protobuf/wkt';
import { StageMarkSchema, TrailSchema, type Trail } from './gen/yardmaster/v1/classification_pb.js';
import { ChatMessageSchema, ContentPartSchema, ErrorInfoSchema, Role } from './gen/yardmaster/v1/common_pb.js';
import type { Classification } from './gen/yardmaster/v1/classification_pb.js';
import { InferenceRequestSchema, PlanKind, type InferenceRequest } from './gen/yardmaster/v1/request_pb.js';
import { ProviderResultSchema, type ResultStatus, WorkItemSchema, type ProviderResult, type RoutingDecision, type WorkItem } from './gen/yardmaster/v1/routing_pb.js';
/** Unix epoch time in microseconds (as bigint, the type of StageMark fields). */
export function nowUs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
}

/** Unix epoch time in milliseconds with the monotonic clock's fraction (comparable across processes with {@link nowUs}). */
export function nowEpochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** A Timestamp from Unix epoch microseconds (keeps the microseconds `timestampFromMs` would drop). */
export function timestampFromUs(us: bigint): Timestamp {
  return create(TimestampSchema, { seconds: us / 1_000_000n, nanos: Number(us % 1_000_000n) * 1000 });
}

/** Returns a copy of `trail` with one more stage mark, from `startUs` to now. */
export function withMark(trail: Trail | undefined, stage: string, startUs: bigint): Trail {
  const marks = [...(trail?.marks ?? []), create(StageMarkSchema, { stage, startUs, endUs: nowUs() })];
  return create(TrailSchema, { marks });
}

/** Milliseconds left before `deadline`; Infinity when there is none. */
export function remainingMs(deadline: Timestamp | undefined, now = Date.now()): number {
  if (!deadline || (deadline.seconds === 0n && deadline.nanos === 0)) return Number.POSITIVE_INFINITY;
  return timestampMs(deadline) - now;
}

/** True when the deadline has passed. */
export function isExpired(deadline: Timestamp | undefined, now = Date.now()): boolean {
  return remainingMs(deadline, now) <= 0;
}


/**
 * A result that ends a request early (expired deadline, invalid request, no route),
 * published on llm.results.v1 so the aggregator stays the one producer of final
 * responses.
 */
export function earlyResult(args: {
  request: InferenceRequest;
  status: ResultStatus;
  code: string;
  message: string;
  classification?: Classification | undefined;
  decision?: RoutingDecision | undefined;
  trail?: Trail | undefined;
}): ProviderResult {
  const work = create(WorkItemSchema, {
    requestId: args.request.requestId,
    workId: `${args.request.requestId}:early`,
    request: args.request,
    ...(args.classification ? { classification: args.classification } : {}),
    ...(args.decision ? { decision: args.decision } : {}),
    ...(args.request.deadline ? { deadline: args.request.deadline } : {}),
    ...(args.trail ? { trail: args.trail } : {}),
  });
  return create(ProviderResultSchema, {
    requestId: args.request.requestId,
    workId: work.workId,
    status: args.status,
    error: create(ErrorInfoSchema, { code: args.code, message: args.message, retriable: false }),
    work,
  });
}

/**
 * The work item a ProviderResult carries back to the aggregator, with `trail` as the
 * worker left it. The prompt (the request's messages) is kept only when the aggregator
 * may need to send the work to another target; otherwise only the request's envelope
 * (ids, tenant, times, batch) travels, so a result is not a second copy of the prompt.
 */
export function slimWork(work: WorkItem, trail: Trail, keepPrompt: boolean): WorkItem {
  const request = work.request;
  // The step's own conversation (a judge's, a reviewer's) is never needed again.
  if (keepPrompt || !request) return { ...work, trail, prompt: [] };
  return { ...work, trail, prompt: [], request: { ...request, messages: [] } };
}

/**
 * The decision as it travels with the work (work items, results, the final response): its
 * targets, plan, reason, costs and the scores of the chosen models only. Every candidate's
 * score and every constraint (most of a decision's bytes, ~2 KB with a dozen models) stay in
 * the audit record on llm.decisions.v1, which is published once per decision.
 */
export function carriedDecision(decision: RoutingDecision): RoutingDecision {
  const chosen = new Set(decision.targets.map((t) => t.model));
  return { ...decision, candidates: decision.candidates.filter((c) => chosen.has(c.model)), constraints: [] };
}

/**
 * Whether the aggregator may need the request's messages after this work item's result:
 * every multi-model plan builds later steps from them, and a failed call may go to a
 * fallback. A successful single call needs only the envelope.
 */
export function resultNeedsPrompt(work: WorkItem, ok: boolean): boolean {
  const plan = work.decision?.plan ?? PlanKind.UNSPECIFIED;
  if (plan !== PlanKind.SINGLE && plan !== PlanKind.UNSPECIFIED && plan !== PlanKind.TOOL) return true;
  return !ok && work.decision?.targets[work.targetIndex + 1] !== undefined;
}

/** A one-message user request with text content (CLI, tests and benchmarks use it). */
export function textRequest(text: string, init: Partial<Pick<InferenceRequest, 'requestId' | 'tenantId' | 'batchId' | 'customId'>> = {}): InferenceRequest {
  return create(InferenceRequestSchema, {
    ...init,
    messages: [create(ChatMessageSchema, { role: Role.USER, content: [create(ContentPartSchema, { part: { case: 'text', value: text } })] })],
  });
}
