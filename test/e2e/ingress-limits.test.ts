import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { Bus } from '@yardmaster/bus';
import {
  InferRequestSchema,
  ResponseStatus,
  Topics,
  create,
  createRouterClient,
  textRequest,
  timestampMs,
  type RouterClient,
  type StreamResponsesResponse,
} from '@yardmaster/contracts';
import { launchSystem, startRedis, type RedisHandle, type RunningSystem } from '@yardmaster/deploy';
import { PipelineKeys, Store } from '@yardmaster/store';
import { SINGLE_POOL_CATALOG, writeCatalog } from '../support/catalog.js';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { TopicReader } from '../support/topic-reader.js';

const SIM_LATENCY_MS = 2500;

/** Reads a StreamResponses call to its end: the responses and the final status. */
function readStream(client: RouterClient, requestIds: string[]): { responses: StreamResponsesResponse[]; done: Promise<{ code: GrpcStatus; details: string }>; cancel(): void } {
  const call = client.streamResponses({ $typeName: 'yardmaster.v1.StreamResponsesRequest', batchId: '', requestIds });
  const responses: StreamResponsesResponse[] = [];
  call.on('data', (r: StreamResponsesResponse) => responses.push(r));
  const done = new Promise<{ code: GrpcStatus; details: string }>((resolve) => {
    call.on('error', (err: ServiceError) => resolve({ code: err.code, details: err.details }));
    call.on('status', (s: { code: GrpcStatus; details: string }) => {
      if (s.code === GrpcStatus.OK) resolve({ code: s.code, details: s.details });
    });
  });
  return { responses, done, cancel: () => call.cancel() };
}

async function rejection(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (err) {
    return err as ServiceError;
  }
  throw new Error('expected the call to fail');
}

describe('ingress: caps, deadlines, cancellation and Redis failures', () => {
  let redis: RedisHandle;
  let system: RunningSystem;
  let bus: Bus;
  let store: Store;
  let client: RouterClient;
  let requests: TopicReader<typeof Topics.requests.schema>;

  before(async () => {
    const infra = await testInfra();
    // A Redis of this test's own, so freezing it does not disturb other tests.
    redis = await startRedis();
    const prefix = uniquePrefix('ingress');
    const { dir, catalogPath } = writeCatalog('ingress-limits', SINGLE_POOL_CATALOG);
    system = await launchSystem({
      brokers: infra.brokers,
      redisUrl: redis.url,
      topicPrefix: prefix,
      catalogPath,
      partitions: 2,
      simLatencyMs: SIM_LATENCY_MS,
      logs: { kind: 'file', dir },
      serviceEnv: { ingress: { MAX_WAITING_INFER: '2', MAX_STREAMS: '2', STREAM_RESPONSES_MAX_IDS: '3' } },
    });
    bus = await Bus.connect({ brokers: infra.brokers.split(','), clientId: 'ingress-limits-test', topicPrefix: prefix });
    requests = await new TopicReader(bus, Topics.requests).start();
    store = await Store.connect({ url: redis.url, keyPrefix: `ym:${prefix}:` });
    client = createRouterClient(system.grpcAddress, system.clientOptions);
  });

  after(async () => {
    if (redis) process.kill(redis.pid, 'SIGCONT');
    client?.close();
    await requests?.stop();
    await bus?.close();
    await store?.close();
    await system?.stop();
    await redis?.stop();
  });

  /** One Redis key of the system's namespace, read raw. */
  const redisGet = (key: string) => store.run(() => store.connection().get(store.key(key)));

  const infer = (requestId: string, opts: { deadlineMs?: number; signal?: AbortSignal } = {}) =>
    client.infer(create(InferRequestSchema, { request: textRequest(`Explain item ${requestId} in one sentence.`, { requestId }) }), { deadlineMs: 60000, ...opts });

  it('refuses an Infer beyond MAX_WAITING_INFER with RESOURCE_EXHAUSTED naming the limit, and takes calls again once one ends', async () => {
    const waiting = [infer('cap-1'), infer('cap-2')];
    await waitFor('both waiting calls accepted', async () => (await redisGet(PipelineKeys.accepted('cap-1'))) && (await redisGet(PipelineKeys.accepted('cap-2'))));
    const refused = await rejection(infer('cap-3'));
    assert.equal(refused.code, GrpcStatus.RESOURCE_EXHAUSTED);
    assert.match(refused.details, /too many waiting Infer calls on this replica \(limit 2\)/);
    // The refused request was not accepted (nothing half-done).
    assert.equal(await redisGet(PipelineKeys.accepted('cap-3')), null);
    for (const r of await Promise.all(waiting)) assert.equal(r.response?.status, ResponseStatus.OK);
    assert.equal((await infer('cap-4')).response?.status, ResponseStatus.OK);
  });

  it('writes the Infer call deadline into the request deadline', async () => {
    const deadline = Date.now() + 20000;
    await infer('dl-1', { deadlineMs: 20000 });
    const seen = await waitFor('dl-1 on llm.requests.v1', () => requests.messages.find((m) => m.key === 'dl-1'));
    assert.ok(seen.value.deadline, 'the request carries a deadline');
    // The server computes the deadline from the relative grpc-timeout header: equal up to transit time.
    assert.ok(Math.abs(timestampMs(seen.value.deadline) - deadline) < 1000, `deadline ${timestampMs(seen.value.deadline)} vs call deadline ${deadline}`);
    // An answered call records no cancellation.
    assert.equal(await redisGet(PipelineKeys.cancelled('dl-1')), null);
  });

  it('records a cancelled Infer as the cancelled: marker', async () => {
    const abort = new AbortController();
    const call = rejection(infer('cancel-1', { signal: abort.signal }));
    await waitFor('cancel-1 published', async () => (await redisGet(PipelineKeys.accepted('cancel-1'))) === 'published');
    abort.abort();
    assert.equal((await call).code, GrpcStatus.CANCELLED);
    await waitFor('the cancelled marker', async () => (await redisGet(PipelineKeys.cancelled('cancel-1'))) === '1', 10000);
  });

  // Bounded: without the caps the streams below stay open forever.
  it('limits request_ids per StreamResponses call and open streams per replica', { timeout: 60000 }, async () => {
    const tooMany = await readStream(client, ['a', 'b', 'c', 'd']).done;
    assert.equal(tooMany.code, GrpcStatus.INVALID_ARGUMENT);
    assert.match(tooMany.details, /request_ids lists 4 ids; the limit is 3/);
    // Two streams for requests that never complete stay open and hold both slots.
    const open = [readStream(client, ['never-1']), readStream(client, ['never-2'])];
    // A stream for an answered request ends at once, so probing holds no slot for long;
    // once both open streams are registered the probe is refused.
    const refused = await waitFor('a refused stream', async () => {
      const probe = await readStream(client, ['cap-1']).done;
      return probe.code === GrpcStatus.RESOURCE_EXHAUSTED ? probe : undefined;
    });
    assert.match(refused.details, /too many open streams on this replica \(limit 2\)/);
    open[0]!.cancel();
    const after = await waitFor('a stream after one was cancelled', async () => {
      const s = readStream(client, ['cap-1']);
      const end = await s.done;
      return end.code === GrpcStatus.OK ? s : undefined;
    });
    assert.deepEqual(
      after.responses.map((r) => r.response?.requestId),
      ['cap-1'],
    );
    open[1]!.cancel();
  });

  it('ends calls with UNAVAILABLE while Redis is frozen, and keeps running', async () => {
    process.kill(redis.pid, 'SIGSTOP');
    try {
      // Reads time out (2 s): the stream ends with UNAVAILABLE instead of an unhandled rejection.
      const end = await readStream(client, ['cap-1', 'cap-2']).done;
      assert.equal(end.code, GrpcStatus.UNAVAILABLE);
      assert.match(end.details, /cannot read stored responses/);
      const get = await rejection(client.getResponse({ $typeName: 'yardmaster.v1.GetResponseRequest', requestId: 'cap-1' }));
      assert.equal(get.code, GrpcStatus.UNAVAILABLE);
    } finally {
      process.kill(redis.pid, 'SIGCONT');
    }
    const ingress = system.processes.get('ingress')!;
    assert.equal(ingress.child.exitCode, null, 'ingress is still running');
    assert.equal(ingress.child.signalCode, null);
    const later = await infer('after-freeze');
    assert.equal(later.response?.status, ResponseStatus.OK);
    const stream = readStream(client, ['after-freeze']);
    assert.equal((await stream.done).code, GrpcStatus.OK);
    assert.equal(stream.responses.length, 1);
  });
});
