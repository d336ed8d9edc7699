import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bus } from '@yardmaster/bus';
import { ResponseStatus, SubmitRequestSchema, Topics, create, createRouterClient, textRequest, type RouterClient } from '@yardmaster/contracts';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { SINGLE_POOL_CATALOG, writeCatalog } from '../support/catalog.js';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { TopicReader } from '../support/topic-reader.js';

describe('two aggregator replicas, one SIGKILLed under load', () => {
  let system: RunningSystem;
  let bus: Bus;
  let client: RouterClient;
  let responses: TopicReader<typeof Topics.responses.schema>;

  before(async () => {
    const infra = await testInfra();
    const prefix = uniquePrefix('aggs');
    const { dir, catalogPath } = writeCatalog('aggs', SINGLE_POOL_CATALOG);
    system = await launchSystem({
      brokers: infra.brokers,
      redisUrl: infra.redisUrl,
      topicPrefix: prefix,
      catalogPath,
      partitions: 6,
      aggregatorReplicas: 2,
      simLatencyMs: 20,
      sessionTimeoutMs: 6000,
      logs: { kind: 'file', dir },
    });
    bus = await Bus.connect({ brokers: infra.brokers.split(','), clientId: 'aggs-test', topicPrefix: prefix });
    responses = await new TopicReader(bus, Topics.responses).start();
    client = createRouterClient(system.grpcAddress, system.clientOptions);
  });

  after(async () => {
    client?.close();
    await responses?.stop();
    await bus?.close();
    await system?.stop();
  });

  it('answers every request exactly once while its partitions move to the surviving replica', async () => {
    const total = 1500;
    const ids = Array.from({ length: total }, (_, i) => `agg-${i}`);
    // Submitted in waves so that results keep arriving while the kill happens.
    const submitting = (async () => {
      for (let i = 0; i < total; i += 50) {
        await Promise.all(ids.slice(i, i + 50).map((requestId, j) => client.submit(create(SubmitRequestSchema, { request: textRequest(`aggregator replica prompt ${i + j}`, { requestId }) }))));
      }
    })();
    await waitFor('responses flowing from both replicas', () => responses.messages.length >= 200, 60000);
    assert.ok(responses.messages.length < total, 'requests still in flight at the kill');
    await system.kill('aggregator-0', 'SIGKILL');
    await submitting;
    await waitFor('every response', () => ids.every((id) => responses.countsByKey().has(id)), 120000, 200);
    const counts = responses.countsByKey();
    assert.deepEqual(ids.filter((id) => counts.get(id) !== 1), [], 'each request answered exactly once');
    for (const m of responses.messages) assert.equal(m.value.status, ResponseStatus.OK, `${m.key}: ${m.value.error?.message ?? ''}`);
  });
});
