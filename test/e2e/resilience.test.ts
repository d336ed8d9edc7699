import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  InferRequestSchema,
  ResponseStatus,
  SubmitRequestSchema,
  TargetRole,
  create,
  createRouterClient,
  textRequest,
  timestampFromMs,
  type RouterClient,
} from '@yardmaster/contracts';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { writeCatalog } from '../support/catalog.js';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';

// Two pools: `down` points at a server that accepts connections and never answers
// (a hung provider); `sim` at provider-sim.
// Chat goes to the broken pool first, with the working model as its fallback.
const CATALOG = `
version: resilience-test
providers:
  - { name: down, pool: down, api: openai-chat }
  - { name: sim, pool: sim, api: openai-chat }
models:
  - { name: broken-model, provider: down, tier: small, input_price_per_mtok: 0.1, output_price_per_mtok: 0.1, price_source: example, context_window: 8000, max_output_tokens: 4000 }
  - { name: good-model, provider: sim, tier: small, input_price_per_mtok: 0.2, output_price_per_mtok: 0.4, price_source: example, context_window: 128000, max_output_tokens: 16000 }
tiers:
  standard: { quality_floor: 0 }
rules:
  - { name: chat-to-broken, when: { intent: [chat] }, then: { model: broken-model } }
  - { name: rest-to-good, then: { model: good-model } }
`;

describe('resilience: replicas, fallbacks and deadlines', () => {
  let system: RunningSystem;
  let clients: RouterClient[];
  let hung: Server;
  const sockets = new Set<Socket>();

  before(async () => {
    const infra = await testInfra();
    const { dir, catalogPath } = writeCatalog('resilience', CATALOG);
    hung = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const hungPort = (hung.address() as { port: number }).port;
    system = await launchSystem({
      brokers: infra.brokers,
      redisUrl: infra.redisUrl,
      topicPrefix: uniquePrefix('resilience'),
      catalogPath,
      partitions: 4,
      ingressReplicas: 2,
      logs: { kind: 'file', dir },
      // PROVIDER_FALLBACK_SHARE=1: the hung primary may use the request's whole deadline, so
      // the deadline test below sees the deadline cut the call (by default a target with a
      // fallback gets half the time left, and the fallback would answer in time instead;
      // test/e2e/worker-pools.test.ts covers that).
      poolEnv: { down: { PROVIDER_BASE_URL: `http://127.0.0.1:${hungPort}`, PROVIDER_TIMEOUT_MS: '300', PROVIDER_MAX_ATTEMPTS: '2', PROVIDER_RETRY_BASE_MS: '10', PROVIDER_FALLBACK_SHARE: '1' } },
    });
    clients = system.grpcAddresses.map((a) => createRouterClient(a, system.clientOptions));
  });

  after(async () => {
    for (const c of clients ?? []) c.close();
    await system?.stop();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (hung ? hung.close(() => resolve()) : resolve()));
  });

  it('answers Infer callers on every ingress replica (each replica finds its own responses)', async () => {
    assert.equal(clients.length, 2);
    const calls = Array.from({ length: 200 }, (_, i) =>
      clients[i % 2]!.infer(create(InferRequestSchema, { request: textRequest(`Explain topic number ${i} in one sentence.`, { requestId: `rep-${i}` }) }), { deadlineMs: 60000 }),
    );
    const responses = await Promise.all(calls);
    responses.forEach((r, i) => {
      assert.equal(r.response?.requestId, `rep-${i}`);
      assert.equal(r.response?.status, ResponseStatus.OK);
    });
  });

  it('lets a caller on one replica wait for a request submitted through the other', async () => {
    await clients[0]!.submit(create(SubmitRequestSchema, { request: textRequest('What is a B-tree?', { requestId: 'cross-1' }) }));
    const res = await clients[1]!.infer(create(InferRequestSchema, { request: textRequest('What is a B-tree?', { requestId: 'cross-1' }) }), { deadlineMs: 30000 });
    assert.equal(res.response?.requestId, 'cross-1');
    assert.equal(res.response?.status, ResponseStatus.OK);
  });

  it('falls back to the next target when the primary provider times out', async () => {
    const res = await clients[0]!.infer(create(InferRequestSchema, { request: textRequest('hi there, how are you today?', { requestId: 'fallback-1' }) }), { deadlineMs: 60000 });
    const r = res.response!;
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.deepEqual(r.decision?.targets.map((t) => t.model), ['broken-model', 'good-model']);
    assert.equal(r.models[0]?.model, 'good-model');
    assert.equal(r.models[0]?.role, TargetRole.FALLBACK);
    assert.ok(r.output.startsWith('[good-model]'));
  });

  it('ends a request whose deadline passes during the provider call with DEADLINE_EXCEEDED', async () => {
    const request = textRequest('hello again, my friend', { requestId: 'deadline-1' });
    // The hung provider holds the call until the deadline cuts it off; no fallback can run after that.
    request.deadline = timestampFromMs(Date.now() + 250);
    const res = await clients[0]!.infer(create(InferRequestSchema, { request }), { deadlineMs: 30000 }).catch((err: { code?: number }) => err);
    // Infer ends at the request deadline with gRPC DEADLINE_EXCEEDED - whether its own timer or the
    // pipeline's DEADLINE_EXCEEDED final response comes first; the stored final response says why.
    assert.equal((res as { code?: number }).code, 4);
    const stored = await waitFor('the stored response of deadline-1', async () => {
      const r = await clients[1]!.getResponse({ $typeName: 'yardmaster.v1.GetResponseRequest', requestId: 'deadline-1' });
      return r.ready ? r.response : undefined;
    });
    assert.equal(stored.status, ResponseStatus.DEADLINE_EXCEEDED);
    assert.equal(stored.error?.code, 'deadline_exceeded');
    // Asking again (same id, so the stored final response answers) gives the same gRPC outcome.
    const again = textRequest('hello again, my friend', { requestId: 'deadline-1' });
    again.deadline = timestampFromMs(Date.now() + 60_000);
    const res2 = await clients[0]!.infer(create(InferRequestSchema, { request: again }), { deadlineMs: 30000 }).catch((err: { code?: number; details?: string }) => err);
    assert.equal((res2 as { code?: number }).code, 4);
    assert.match((res2 as { details?: string }).details ?? '', /deadline-1 passed its deadline/);
  });
});
