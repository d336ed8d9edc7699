import {
  InferenceResponseSchema,
  ModelUsedSchema,
  ResponseStatus,
  ResultStatus,
  StageTimingSchema,
  create,
  timestampFromMs,
  timestampMs,
  timestampNow,
  type InferenceResponse,
  type ProviderResult,
  type StageTiming,
  type Trail,
} from '@yardmaster/contracts';

const STATUS: Record<ResultStatus, ResponseStatus> = {
  [ResultStatus.UNSPECIFIED]: ResponseStatus.ERROR,
  [ResultStatus.OK]: ResponseStatus.OK,
  [ResultStatus.ERROR]: ResponseStatus.ERROR,
  [ResultStatus.TIMEOUT]: ResponseStatus.ERROR,
  [ResultStatus.DEADLINE_EXCEEDED]: ResponseStatus.DEADLINE_EXCEEDED,
};

/**
 * Per-stage timings from the trail: each stage's own time, and `queue` for the time
 * spent between stages (in Kafka and consumer batches) since the request was accepted.
 */
export function stageTimings(createdAtMs: number | undefined, trail: Trail | undefined, aggregatorStartUs: bigint, endUs: bigint): StageTiming[] {
  const timings: StageTiming[] = [];
  let previousEnd = createdAtMs !== undefined ? BigInt(Math.round(createdAtMs * 1000)) : undefined;
  let queued = 0n;
  const marks = [...(trail?.marks ?? []), { stage: 'aggregator', startUs: aggregatorStartUs, endUs }];
  for (const m of marks) {
    if (previousEnd !== undefined && m.startUs > previousEnd) queued += m.startUs - previousEnd;
    timings.push(create(StageTimingSchema, { stage: m.stage, startedAt: timestampFromMs(Number(m.startUs / 1000n)), durationUs: m.endUs > m.startUs ? m.endUs - m.startUs : 0n }));
    previousEnd = m.endUs;
  }
  timings.push(create(StageTimingSchema, { stage: 'queue', durationUs: queued }));
  return timings;
}

/** Builds the final response for a request from its last provider result. */
export function finalResponse(result: ProviderResult, aggregatorStartUs: bigint, endUs: bigint): InferenceResponse {
  const work = result.work!;
  const request = work.request!;
  const target = work.decision?.targets[work.targetIndex];
  const createdAtMs = request.createdAt ? timestampMs(request.createdAt) : undefined;
  const ok = result.status === ResultStatus.OK;
  return create(InferenceResponseSchema, {
    requestId: request.requestId,
    tenantId: request.tenantId,
    status: STATUS[result.status],
    output: result.output,
    models:
      target && result.workId !== `${request.requestId}:early`
        ? [create(ModelUsedSchema, { model: target.model, provider: target.provider, role: target.role, ...(result.usage ? { usage: result.usage } : {}), costUsd: result.costUsd, latencyMs: result.latencyMs })]
        : [],
    ...(work.classification ? { classification: work.classification } : {}),
    ...(work.decision ? { decision: work.decision } : {}),
    ...(result.usage ? { usage: result.usage } : {}),
    costUsd: result.costUsd,
    timings: stageTimings(createdAtMs, work.trail, aggregatorStartUs, endUs),
    ...(!ok && result.error ? { error: result.error } : {}),
    batchId: request.batchId,
    customId: request.customId,
    completedAt: timestampNow(),
    totalLatencyMs: createdAtMs !== undefined ? Math.max(0, Math.round(Number(endUs / 1000n) - createdAtMs)) : 0,
  });
}
