import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ClassificationSchema,
  ErrorInfoSchema,
  Intent,
  ProviderResultSchema,
  ResponseStatus,
  ResultStatus,
  RoutingDecisionSchema,
  StageMarkSchema,
  TargetRole,
  TargetSchema,
  TrailSchema,
  UsageSchema,
  WorkItemSchema,
  create,
  earlyResult,
  textRequest,
  timestampFromMs,
  timestampMs,
  type MessageInitShape,
  type ProviderResult,
  type StageTiming,
} from '@yardmaster/contracts';
import { finalResponse, stageTimings } from './response.js';

const CREATED_MS = Date.parse('2026-03-01T12:00:00Z');
const us = (msAfterCreated: number) => BigInt(CREATED_MS + msAfterCreated) * 1000n;

/** classifier 2-5 ms, router 7-8 ms, worker 10-110 ms after creation. */
const TRAIL = create(TrailSchema, {
  marks: [
    create(StageMarkSchema, { stage: 'classifier', startUs: us(2), endUs: us(5) }),
    create(StageMarkSchema, { stage: 'router', startUs: us(7), endUs: us(8) }),
    create(StageMarkSchema, { stage: 'worker', startUs: us(10), endUs: us(110) }),
  ],
});
const AGG_START = us(115);
const AGG_END = us(116);

const durations = (timings: StageTiming[]) => timings.map((t) => [t.stage, t.durationUs]);

function request() {
  const r = textRequest('hi', { requestId: 'req-7', tenantId: 'acme', batchId: 'batch-1', customId: 'row-3' });
  r.createdAt = timestampFromMs(CREATED_MS);
  return r;
}

const decision = create(RoutingDecisionSchema, {
  requestId: 'req-7',
  targets: [
    create(TargetSchema, { model: 'small', provider: 'cloud', pool: 'cloud', role: TargetRole.PRIMARY }),
    create(TargetSchema, { model: 'tiny', provider: 'local', pool: 'local', role: TargetRole.FALLBACK }),
  ],
});

function result(init: MessageInitShape<typeof ProviderResultSchema> = {}, targetIndex = 0): ProviderResult {
  const work = create(WorkItemSchema, {
    requestId: 'req-7',
    workId: `req-7:${targetIndex}`,
    request: request(),
    classification: create(ClassificationSchema, { requestId: 'req-7', intent: Intent.CHAT }),
    decision,
    targetIndex,
    trail: TRAIL,
  });
  return create(ProviderResultSchema, {
    requestId: 'req-7',
    workId: work.workId,
    status: ResultStatus.OK,
    output: 'Hello!',
    usage: create(UsageSchema, { inputTokens: 10, outputTokens: 3, totalTokens: 13 }),
    costUsd: 0.00042,
    latencyMs: 100,
    work,
    ...init,
  });
}

describe('stageTimings', () => {
  it('times each stage and the aggregator, and counts the gaps since creation as queue', () => {
    const timings = stageTimings(CREATED_MS, TRAIL, AGG_START, AGG_END);
    assert.deepEqual(durations(timings), [
      ['classifier', 3000n],
      ['router', 1000n],
      ['worker', 100_000n],
      ['aggregator', 1000n],
      // 2 (created → classifier) + 2 + 2 + 5 (worker → aggregator) ms
      ['queue', 11_000n],
    ]);
    assert.deepEqual(
      timings.slice(0, 4).map((t) => timestampMs(t.startedAt!) - CREATED_MS),
      [2, 7, 10, 115],
    );
    assert.equal(timings[4]?.startedAt, undefined);
  });

  it('keeps the microseconds of each stage\'s start (the time-to-first-token breakdown reads them)', () => {
    const trail = create(TrailSchema, { marks: [create(StageMarkSchema, { stage: 'classifier', startUs: us(2) + 345n, endUs: us(3) })] });
    const [classifier] = stageTimings(CREATED_MS, trail, us(4), us(5));
    assert.equal(timestampMs(classifier!.startedAt!) - CREATED_MS, 2);
    assert.equal(classifier!.startedAt!.nanos % 1_000_000, 345_000);
  });

  it('counts no queue before the first stage without a creation time', () => {
    const timings = stageTimings(undefined, TRAIL, AGG_START, AGG_END);
    // 2 + 2 + 5 ms between stages.
    assert.equal(timings.at(-1)?.stage, 'queue');
    assert.equal(timings.at(-1)?.durationUs, 9000n);
  });

  it('never counts overlapping or reversed marks as negative', () => {
    const trail = create(TrailSchema, {
      marks: [
        create(StageMarkSchema, { stage: 'classifier', startUs: us(0), endUs: us(10) }),
        create(StageMarkSchema, { stage: 'router', startUs: us(8), endUs: us(7) }),
      ],
    });
    const timings = stageTimings(CREATED_MS, trail, us(12), us(13));
    assert.deepEqual(durations(timings), [
      ['classifier', 10_000n],
      ['router', 0n],
      ['aggregator', 1000n],
      ['queue', 5000n],
    ]);
  });

  it('has only the aggregator and queue without a trail', () => {
    assert.deepEqual(durations(stageTimings(CREATED_MS, undefined, us(3), us(4))), [
      ['aggregator', 1000n],
      ['queue', 3000n],
    ]);
  });
});

describe('finalResponse', () => {
  it('builds an OK response from the result and its work item', () => {
    const before = Date.now();
    const r = result();
    const response = finalResponse(r, AGG_START, AGG_END);
    assert.equal(response.requestId, 'req-7');
    assert.equal(response.tenantId, 'acme');
    assert.equal(response.batchId, 'batch-1');
    assert.equal(response.customId, 'row-3');
    assert.equal(response.status, ResponseStatus.OK);
    assert.equal(response.output, 'Hello!');
    assert.deepEqual(response.usage, r.usage);
    assert.equal(response.costUsd, 0.00042);
    assert.equal(response.classification?.intent, Intent.CHAT);
    assert.deepEqual(response.decision, decision);
    assert.equal(response.error, undefined);
    assert.deepEqual(
      response.models.map((m) => [m.model, m.provider, m.role, m.usage?.totalTokens, m.costUsd, m.latencyMs]),
      [['small', 'cloud', TargetRole.PRIMARY, 13, 0.00042, 100]],
    );
    assert.deepEqual(durations(response.timings), durations(stageTimings(CREATED_MS, TRAIL, AGG_START, AGG_END)));
    assert.equal(response.totalLatencyMs, 116);
    assert.ok(timestampMs(response.completedAt!) >= before);
  });

  it('names the target that produced the result (a fallback)', () => {
    const response = finalResponse(result({}, 1), AGG_START, AGG_END);
    assert.deepEqual(
      response.models.map((m) => [m.model, m.provider, m.role]),
      [['tiny', 'local', TargetRole.FALLBACK]],
    );
  });

  it('maps every result status', () => {
    const cases: [ResultStatus, ResponseStatus][] = [
      [ResultStatus.OK, ResponseStatus.OK],
      [ResultStatus.ERROR, ResponseStatus.ERROR],
      [ResultStatus.TIMEOUT, ResponseStatus.ERROR],
      [ResultStatus.DEADLINE_EXCEEDED, ResponseStatus.DEADLINE_EXCEEDED],
      [ResultStatus.UNSPECIFIED, ResponseStatus.ERROR],
    ];
    for (const [status, expected] of cases) {
      assert.equal(finalResponse(result({ status }), AGG_START, AGG_END).status, expected, ResultStatus[status]);
    }
  });

  it('includes the error only when the request failed', () => {
    const error = create(ErrorInfoSchema, { code: 'unavailable', message: 'HTTP 503', retriable: true });
    assert.deepEqual(finalResponse(result({ status: ResultStatus.ERROR, output: '', error }), AGG_START, AGG_END).error, error);
    assert.equal(finalResponse(result({ status: ResultStatus.OK, error }), AGG_START, AGG_END).error, undefined);
  });

  it('lists no models for an early result, even with a decision', () => {
    const early = earlyResult({
      request: request(),
      status: ResultStatus.ERROR,
      code: 'no_eligible_model',
      message: 'nothing fits',
      decision,
      trail: TRAIL,
    });
    const response = finalResponse(early, AGG_START, AGG_END);
    assert.deepEqual(response.models, []);
    assert.equal(response.status, ResponseStatus.ERROR);
    assert.equal(response.error?.code, 'no_eligible_model');
    assert.equal(response.decision?.targets.length, 2);
  });

  it('reports no total latency without a creation time', () => {
    const r = result();
    r.work!.request!.createdAt = undefined;
    const response = finalResponse(r, AGG_START, AGG_END);
    assert.equal(response.totalLatencyMs, 0);
    assert.equal(response.timings.find((t) => t.stage === 'queue')?.durationUs, 9000n);
  });
});
