import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bus } from '@yardmaster/bus';
import { ResponseStatus, SubmitRequestSchema, Topics, create, createRouterClient, textRequest, type RouterClient } from '@yardmaster/contracts';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { SINGLE_POOL_CATALOG, writeCatalog } from '../support/catalog.js';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { TopicReader } from '../support/topic-reader.js';


describe('services killed with requests in flight', () => {
  let system: RunningSystem;
  let bus: Bus;
  let client: RouterClient;
  let responses: TopicReader<typeof Topics.responses.schema>;
  let workResults: TopicReader<typeof Topics.results.schema>;

  before(async () => {
    const infra = await testInfra();
    const prefix = uniquePrefix('crash');
    // One pool, so every request goes through the worker this test kills.
    const { dir, catalogPath } = writeCatalog('crash', SINGLE_POOL_CATALOG);
    system = await launchSystem({
      brokers: infra.brokers,
      redisUrl: infra.redisUrl,
      topicPrefix: prefix,
      catalogPath,
      partitions: 4,
      simLatencyMs: 400,
      sessionTimeoutMs: 6000,
      logs: { kind: 'file', dir },
    });
    bus = await Bus.connect({ brokers: infra.brokers.split(','), clientId: 'crash-test', topicPrefix: prefix });
    responses = await new TopicReader(bus, Topics.responses).start();
    workResults = await new TopicReader(bus, Topics.results).start();
    client = createRouterClient(system.grpcAddress, system.clientOptions);
  });

  after(async () => {
    client?.close();
    await responses?.stop();
    await workResults?.stop();
    await bus?.close();
    await system?.stop();
  });

  it('answers every request exactly once after SIGKILL and restart', async () => {
    const total = 300;
    const ids = Array.from({ length: total }, (_, i) => `crash-${i}`);
    // Submit everything up front; with 400 ms per provider call and 64 calls at a time, the worker is busy for seconds.
    await Promise.all(ids.map((requestId, i) => client.submit(create(SubmitRequestSchema, { request: textRequest(`crash test prompt number ${i}`, { requestId }) }))));
    await waitFor('some results before the kill', () => workResults.messages.length >= 20, 30000);
    const doneBeforeKill = responses.countsByKey().size;
    assert.ok(doneBeforeKill < total, 'requests still in flight when the worker dies');
    await system.kill('worker-sim', 'SIGKILL');
    await system.restart('worker-sim');
    await waitFor('every response', () => ids.every((id) => responses.countsByKey().has(id)), 120000, 200);
    const counts = responses.countsByKey();
    assert.deepEqual(ids.filter((id) => counts.get(id) !== 1), [], 'each request answered exactly once');
    for (const m of responses.messages) assert.equal(m.value.status, ResponseStatus.OK, `${m.key}: ${m.value.error?.message ?? ''}`);
    // The kill really cut work short: some items were fetched again by the restarted worker.
    assert.ok(workResults.messages.length >= total);
  });

  it('answers every request exactly once after SIGKILL of classifier and router and a graceful stop of the aggregator', async () => {
    const total = 300;
    const ids = Array.from({ length: total }, (_, i) => `multi-${i}`);
    const resultsBefore = workResults.messages.length;
    await Promise.all(ids.map((requestId, i) => client.submit(create(SubmitRequestSchema, { request: textRequest(`second crash prompt ${i}`, { requestId }) }))));
    await waitFor('some results before the kills', () => workResults.messages.length >= resultsBefore + 20, 30000);
    await Promise.all([system.kill('classifier', 'SIGKILL'), system.kill('router', 'SIGKILL'), system.kill('aggregator', 'SIGTERM')]);
    await Promise.all([system.restart('classifier'), system.restart('router'), system.restart('aggregator')]);
    await waitFor('every response', () => ids.every((id) => responses.countsByKey().has(id)), 120000, 200);
    const counts = responses.countsByKey();
    assert.deepEqual(ids.filter((id) => counts.get(id) !== 1), [], 'each request answered exactly once');
  });
});
