import {
  ClassifiedRequestSchema,
  ErrorInfoSchema,
  InferenceRequestSchema,
  InferenceResponseSchema,
  ProviderResultSchema,
  Topics,
  WorkItemSchema,
  fromBinary,
  type DeadLetter,
  type InferenceRequest,
  ModelUsedSchema,
  ResponseStatus,
  ResultStatus,
  StageTimingSchema,
  create,
  timestampFromUs,
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
    timings.push(create(StageTimingSchema, { stage: m.stage, startedAt: timestampFromUs(m.startUs), durationUs: m.endUs > m.startUs ? m.endUs - m.startUs : 0n }));
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
    toolCalls: ok ? result.toolCalls : [],
    finishReason: ok ? result.finishReason : '',
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

/** The envelope of the request a dead-lettered message belonged to, when its bytes still decode. */
function envelopeOf(letter: DeadLetter, topicPrefix: string): InferenceRequest | undefined {
  const logical = letter.sourceTopic.startsWith(topicPrefix) ? letter.sourceTopic.slice(topicPrefix.length) : letter.sourceTopic;
  try {
    if (logical === Topics.requests.name) return fromBinary(InferenceRequestSchema, letter.value);
    if (logical === Topics.classified.name) return fromBinary(ClassifiedRequestSchema, letter.value).request;
    if (logical === Topics.results.name) return fromBinary(ProviderResultSchema, letter.value).work?.request;
    if (/^llm\.work\.[a-z0-9-]+\.v1$/.test(logical)) return fromBinary(WorkItemSchema, letter.value).request;
  } catch {
    // Undecodable (that may be why it was dead-lettered): the key alone identifies the request.
  }
  return undefined;
}

/**
 * The final ERROR response for a request one of whose messages was dead-lettered: a
 * request that a stage gave up on still ends with exactly one answer, carrying the reason.
 * `topicPrefix` is the deployment's topic prefix with its trailing dot (or empty).
 */
export function deadLetterResponse(letter: DeadLetter, topicPrefix: string): InferenceResponse {
  const requestId = Buffer.from(letter.key).toString('utf8');
  const request = envelopeOf(letter, topicPrefix);
  const createdAtMs = request?.createdAt ? timestampMs(request.createdAt) : undefined;
  return create(InferenceResponseSchema, {
    requestId,
    tenantId: request?.tenantId ?? '',
    status: ResponseStatus.ERROR,
    error: create(ErrorInfoSchema, {
      code: 'dead_lettered',
      message: `${letter.consumerGroup || 'a consumer'} gave up on its message from ${letter.sourceTopic}[${letter.sourcePartition}]@${letter.sourceOffset}: ${letter.reason}`,
      retriable: false,
    }),
    batchId: request?.batchId ?? '',
    customId: request?.customId ?? '',
    completedAt: timestampNow(),
    totalLatencyMs: createdAtMs !== undefined ? Math.max(0, Date.now() - createdAtMs) : 0,
  });
}
