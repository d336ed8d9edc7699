import { create } from '@bufbuild/protobuf';
import { timestampMs, type Timestamp } from '@bufbuild/protobuf/wkt';
import { StageMarkSchema, TrailSchema, type Trail } from './gen/yardmaster/v1/classification_pb.js';
import { ChatMessageSchema, ContentPartSchema, ErrorInfoSchema, Role } from './gen/yardmaster/v1/common_pb.js';
import type { Classification } from './gen/yardmaster/v1/classification_pb.js';
import { InferenceRequestSchema, type InferenceRequest } from './gen/yardmaster/v1/request_pb.js';
import { ProviderResultSchema, type ResultStatus, WorkItemSchema, type ProviderResult, type RoutingDecision } from './gen/yardmaster/v1/routing_pb.js';
/** Unix epoch time in microseconds (as bigint, the type of StageMark fields). */
export function nowUs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
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

/** Redis keys shared between services (the store adds its own prefix). */
export const StoreKeys = Object.freeze({
  /** Marker set after a request was accepted by ingress (idempotent Submit). */
  accepted: (requestId: string) => `accepted:${requestId}`,
  /** Claim on a request's final response: the owner's message coordinates, then `done`. */
  final: (requestId: string) => `final:${requestId}`,
  /** The encoded InferenceResponse, for GetResponse. */
  response: (requestId: string) => `response:${requestId}`,
  /** Marker set by ingress when the caller of a request cancelled it; stages stop spending on it. */
  cancelled: (requestId: string) => `cancelled:${requestId}`,
  /** Marker set after a stage published its output for a request (or work item). */
  stage: (stage: string, id: string) => `stage:${stage}:${id}`,
});

/** A one-message user request with text content (CLI, tests and benchmarks use it). */
export function textRequest(text: string, init: Partial<Pick<InferenceRequest, 'requestId' | 'tenantId' | 'batchId' | 'customId'>> = {}): InferenceRequest {
  return create(InferenceRequestSchema, {
    ...init,
    messages: [create(ChatMessageSchema, { role: Role.USER, content: [create(ContentPartSchema, { part: { case: 'text', value: text } })] })],
  });
}
