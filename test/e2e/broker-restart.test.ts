import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bus } from '@yardmaster/bus';
import { ResponseStatus, SubmitRequestSchema, Topics, create, createRouterClient, textRequest, type RouterClient } from '@yardmaster/contracts';
import { launchSystem, startKafka, type KafkaHandle, type RunningSystem } from '@yardmaster/deploy';
import { SINGLE_POOL_CATALOG, writeCatalog } from '../support/catalog.js';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { TopicReader } from '../support/topic-reader.js';

describe('the Kafka broker killed under load and restarted', () => {
  let kafka: KafkaHandle;
  let system: RunningSystem;
  let bus: Bus;
  let client: RouterClient;

  before(async () => {
    const infra = await testInfra();
    // A broker of this test's own, so killing it does not disturb other tests.
    kafka = await startKafka();
    const { dir, catalogPath } = writeCatalog('broker', SINGLE_POOL_CATALOG);
    system = await launchSystem({
      brokers: kafka.brokers,
      redisUrl: infra.redisUrl,
      topicPrefix: uniquePrefix('broker'),
      catalogPath,
      partitions: 4,
      simLatencyMs: 300,
      sessionTimeoutMs: 10000,
      logs: { kind: 'file', dir },
    });
    bus = await Bus.connect({ brokers: [kafka.brokers], clientId: 'broker-test', topicPrefix: system.topicPrefix });
    client = createRouterClient(system.grpcAddress, system.clientOptions);
  });

  after(async () => {
    client?.close();
    await bus?.close();
    await system?.stop();
    await kafka?.stop();
  });

  it('answers every accepted request exactly once', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `broker-${i}`);
    await Promise.all(ids.map((requestId, i) => client.submit(create(SubmitRequestSchema, { request: textRequest(`broker test prompt ${i}`, { requestId }) }))));
    // Wait until work is flowing, then kill the broker with SIGKILL (no clean shutdown).
    await waitFor('the first results', async () => {
      const done = await client.getResponse({ $typeName: 'yardmaster.v1.GetResponseRequest', requestId: 'broker-0' });
      return done.ready;
    }, 30000);
    await kafka.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 3000)); // the outage
    await kafka.restart();
    // Read every response from the beginning of the topic once the broker is back.
    const responses = await new TopicReader(bus, Topics.responses).start();
    try {
      await waitFor('every response', () => ids.every((id) => responses.countsByKey().has(id)), 180000, 250);
      const counts = responses.countsByKey();
      assert.deepEqual(ids.filter((id) => counts.get(id) !== 1), [], 'each request answered exactly once');
      assert.ok(responses.messages.every((m) => m.value.status === ResponseStatus.OK));
    } finally {
      await responses.stop();
    }
  });
});
