import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { Bus } from '@yardmaster/bus';
import {
  InferRequestSchema,
  InferenceRequestSchema,
  ResponseStatus,
  SubmitRequestSchema,
  Topics,
  create,
  createRouterClient,

  intentName,
  textRequest,
  timestampFromMs,
  toBinary,
  type RouterClient,
} from '@yardmaster/contracts';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { TraceCollector } from '../support/collector.js';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { TopicReader } from '../support/topic-reader.js';

const PROMPTS = [
  'Write a Python function that reverses a linked list.',
  'What is the capital of Australia?',
  'Write a short poem about autumn leaves.',
  'Translate "good morning, how are you?" into French.',
  'Summarize this: The meeting covered budget, hiring and the Q3 roadmap. Budget is flat, hiring is paused.',
  'hi there!',
  'A train travels 120 km in 1.5 hours. What is its average speed in km/h?',
  'Give me ten names for a coffee shop.',
];

describe('pipeline end to end (real Kafka, real Redis, gRPC)', () => {
  let system: RunningSystem;
  let bus: Bus;
  let client: RouterClient;
  let responses: TopicReader<typeof Topics.responses.schema>;
  let dlq: TopicReader<typeof Topics.dlq.schema>;
  const collector = new TraceCollector();

  before(async () => {
    const infra = await testInfra();
    const prefix = uniquePrefix('e2e');
    const otlp = await collector.start();
    system = await launchSystem({ brokers: infra.brokers, redisUrl: infra.redisUrl, topicPrefix: prefix, otlpEndpoint: otlp, partitions: 6 });
    bus = await Bus.connect({ brokers: infra.brokers.split(','), clientId: 'e2e-test', topicPrefix: prefix });
    responses = await new TopicReader(bus, Topics.responses).start();
    dlq = await new TopicReader(bus, Topics.dlq).start();
    client = createRouterClient(system.grpcAddress, system.clientOptions);
  });

  after(async () => {
    client?.close();
    await responses?.stop();
    await dlq?.stop();
    await bus?.close();
    await system?.stop();
    await collector.stop();
  });

  it('answers 1,000 gRPC Infer calls, each exactly once, with classification, decision, model and usage', async () => {
    const total = 1000;
    const concurrency = 64;
    const ids: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const requestId = `e2e-${i}`;
        ids.push(requestId);
        const res = await client.infer(create(InferRequestSchema, { request: textRequest(`${PROMPTS[i % PROMPTS.length]} (#${i})`, { requestId }) }), { deadlineMs: 60000 });
        const r = res.response!;
        assert.equal(r.requestId, requestId);
        assert.equal(r.status, ResponseStatus.OK, `request ${requestId}: ${r.error?.message ?? ''}`);
        assert.ok(r.output.length > 0);
        assert.ok(r.classification, 'classification present');
        assert.notEqual(intentName(r.classification.intent), 'unspecified');
        assert.ok(r.decision && r.decision.targets.length > 0, 'decision with targets');
        assert.ok(r.decision.reason.length > 0);
        assert.equal(r.models.length, 1);
        assert.equal(r.models[0]!.model, r.decision.targets[0]!.model);
        assert.ok(r.usage && r.usage.inputTokens > 0 && r.usage.outputTokens > 0, 'usage');
        assert.ok(r.costUsd > 0);
        assert.ok(r.timings.some((t) => t.stage === 'classifier') && r.timings.some((t) => t.stage === 'worker'));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    assert.equal(new Set(ids).size, total);
    // Every request has exactly one message on llm.responses.v1.
    await waitFor('all responses on the topic', () => ids.every((id) => responses.countsByKey().has(id)), 60000);
    const counts = responses.countsByKey();
    const duplicated = ids.filter((id) => counts.get(id) !== 1);
    assert.deepEqual(duplicated, []);
  });

  it('puts one request in one trace with spans from ingress, classifier, router, worker and aggregator', async () => {
    const requestId = 'e2e-trace-1';
    await client.infer(create(InferRequestSchema, { request: textRequest('Explain how a hash map works.', { requestId }) }));
    const want = ['yardmaster-ingress', 'yardmaster-classifier', 'yardmaster-router', 'yardmaster-worker', 'yardmaster-aggregator'];
    const trace = await waitFor(
      'spans of every service in the trace',
      () => {
        const t = collector.servicesInTraceOf(requestId);
        return t && want.every((s) => t.services.has(s)) ? t : undefined;
      },
      20000,
    );
    assert.equal(trace.traceId.length, 32);
    const spans = collector.spans.filter((s) => s.traceId === trace.traceId);
    assert.ok(spans.length >= 5);
  });

  it('dead-letters malformed bytes with the reason and keeps answering requests sent after them', async () => {
    const garbage = Buffer.from([0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]);
    await bus.publishRaw(bus.topicName(Topics.requests), { key: 'garbage-1', value: garbage });
    const letter = await waitFor('a dead letter for the garbage', () => dlq.messages.find((m) => m.key === 'garbage-1'), 30000);
    assert.match(letter.value.reason, /cannot decode yardmaster\.v1\.InferenceRequest/);
    assert.equal(letter.value.errorCode, 'decode_error');
    assert.equal(letter.value.sourceTopic, bus.topicName(Topics.requests));
    assert.ok(letter.value.sourceOffset >= 0n);
    assert.deepEqual(Buffer.from(letter.value.value), garbage);
    const after = await client.infer(create(InferRequestSchema, { request: textRequest('Still there after the garbage?', { requestId: 'after-garbage' }) }));
    assert.equal(after.response?.status, ResponseStatus.OK);
  });

  it('ends a request whose bytes are dead-lettered with exactly one ERROR response carrying the reason', async () => {
    const garbage = Buffer.from([0xff, 0xff, 0xff, 0x0f, 0x09, 0x09]);
    await bus.publishRaw(bus.topicName(Topics.requests), { key: 'poison-1', value: garbage });
    const response = await waitFor('the final response of poison-1', () => responses.messages.find((m) => m.key === 'poison-1'), 30000);
    assert.equal(response.value.status, ResponseStatus.ERROR);
    assert.equal(response.value.error?.code, 'dead_lettered');
    assert.match(response.value.error?.message ?? '', /cannot decode yardmaster\.v1\.InferenceRequest/);
    assert.match(response.value.error?.message ?? '', /llm\.requests\.v1\[\d+\]@\d+/);
    // GetResponse has it too, and a redelivered copy of the poison is not answered again.
    await bus.publishRaw(bus.topicName(Topics.requests), { key: 'poison-1', value: garbage });
    await waitFor('the second dead letter of poison-1', () => dlq.messages.filter((m) => m.key === 'poison-1').length === 2, 30000);
    const marker = await client.infer(create(InferRequestSchema, { request: textRequest('marker after the poison', { requestId: 'poison-marker' }) }));
    assert.equal(marker.response?.status, ResponseStatus.OK);
    await waitFor('the marker on the topic', () => responses.countsByKey().get('poison-marker'), 30000);
    assert.equal(responses.countsByKey().get('poison-1'), 1);
  });

  it('answers a waiting Infer caller with ERROR when a stage gives up on its request (permanent handler failure)', async () => {
    // A request whose message key is not its request_id is refused by the classifier (a permanent
    // error) and dead-lettered; the key's request gets the final ERROR response.
    const request = textRequest('Who wrote Hamlet?', { requestId: 'mismatched-id' });
    request.createdAt = timestampFromMs(Date.now());
    await bus.publishRaw(bus.topicName(Topics.requests), { key: 'poison-2', value: Buffer.from(toBinary(InferenceRequestSchema, request)) });
    const response = await waitFor('the final response of poison-2', () => responses.messages.find((m) => m.key === 'poison-2'), 30000);
    assert.equal(response.value.status, ResponseStatus.ERROR);
    assert.match(response.value.error?.message ?? '', /does not match request_id/);
    assert.equal(response.value.tenantId, request.tenantId);
    const stored = await client.getResponse({ $typeName: 'yardmaster.v1.GetResponseRequest', requestId: 'poison-2' });
    assert.equal(stored.ready, true);
    assert.equal(stored.response?.error?.code, 'dead_lettered');
  });

  it('gives one final response when the same request_id is published twice', async () => {
    const request = textRequest('What is the boiling point of water at sea level?', { requestId: 'dup-1' });
    request.createdAt = timestampFromMs(Date.now());
    const bytes = Buffer.from(toBinary(InferenceRequestSchema, request));
    await bus.publishRaw(bus.topicName(Topics.requests), { key: 'dup-1', value: bytes });
    await bus.publishRaw(bus.topicName(Topics.requests), { key: 'dup-1', value: bytes });
    await waitFor('the response to dup-1', () => responses.countsByKey().get('dup-1'), 30000);
    // Follow with a marker request on the same path; once it is answered, a duplicate of dup-1 would have been too.
    const marker = await client.infer(create(InferRequestSchema, { request: textRequest('marker', { requestId: 'dup-marker' }) }));
    assert.equal(marker.response?.status, ResponseStatus.OK);
    await waitFor('the marker response on the topic', () => responses.countsByKey().get('dup-marker'), 30000);
    assert.equal(responses.countsByKey().get('dup-1'), 1);
    // Submitting it again through ingress is acknowledged but not published again.
    const again = await client.submit(create(SubmitRequestSchema, { request: textRequest('x', { requestId: 'dup-2' }) }));
    const twice = await client.submit(create(SubmitRequestSchema, { request: textRequest('x', { requestId: 'dup-2' }) }));
    assert.equal(again.acceptedNew, true);
    assert.equal(twice.acceptedNew, false);
    const stored = await waitFor('GetResponse of dup-2', async () => {
      const r = await client.getResponse({ $typeName: 'yardmaster.v1.GetResponseRequest', requestId: 'dup-2' });
      return r.ready ? r : undefined;
    });
    assert.equal(stored.response?.requestId, 'dup-2');
  });

  it('rejects bad calls with precise gRPC statuses', async () => {
    const expectStatus = async (p: Promise<unknown>, code: GrpcStatus, pattern: RegExp) => {
      await assert.rejects(p, (err: ServiceError) => {
        assert.equal(err.code, code, err.details);
        assert.match(err.details, pattern);
        return true;
      });
    };
    await expectStatus(client.infer(create(InferRequestSchema, {})), GrpcStatus.INVALID_ARGUMENT, /request is required/);
    await expectStatus(client.infer(create(InferRequestSchema, { request: create(InferenceRequestSchema, { messages: [] }) })), GrpcStatus.INVALID_ARGUMENT, /messages must not be empty/);
    const past = textRequest('late');
    past.deadline = timestampFromMs(Date.now() - 1000);
    await expectStatus(client.infer(create(InferRequestSchema, { request: past })), GrpcStatus.INVALID_ARGUMENT, /deadline is in the past/);
    await expectStatus(client.submit(create(SubmitRequestSchema, { request: textRequest('x'.repeat(1_100_000)) })), GrpcStatus.INVALID_ARGUMENT, /limit is 1048576/);
    await expectStatus(client.submit(create(SubmitRequestSchema, { request: textRequest('x', { requestId: 'bad id with spaces' }) })), GrpcStatus.INVALID_ARGUMENT, /request_id/);
    await expectStatus(client.getResponse({ $typeName: 'yardmaster.v1.GetResponseRequest', requestId: 'never-sent' }), GrpcStatus.NOT_FOUND, /no request never-sent/);
    // Nothing of the rejected calls reached the dead-letter topic or the responses.
    assert.equal(dlq.messages.filter((m) => !['garbage-1', 'poison-1', 'poison-2'].includes(m.key)).length, 0);
  });
});

