import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bus } from '@yardmaster/bus';
import { ResponseStatus, SubmitRequestSchema, Topics, create, createRouterClient, textRequest, type RouterClient } from '@yardmaster/contracts';
import { launchSystem, startRedis, type RedisHandle, type RunningSystem } from '@yardmaster/deploy';
import { SINGLE_POOL_CATALOG, writeCatalog } from '../support/catalog.js';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { TopicReader } from '../support/topic-reader.js';


describe('Redis unavailable while requests are in flight', () => {
  let redis: RedisHandle;
  let system: RunningSystem;
  let bus: Bus;
  let client: RouterClient;
  let responses: TopicReader<typeof Topics.responses.schema>;
  let dlq: TopicReader<typeof Topics.dlq.schema>;

  before(async () => {
    const infra = await testInfra();
    // A Redis of this test's own, so freezing it does not disturb other tests.
    redis = await startRedis();
    const { dir, catalogPath } = writeCatalog('outage', SINGLE_POOL_CATALOG);
    system = await launchSystem({
      brokers: infra.brokers,
      redisUrl: redis.url,
      topicPrefix: uniquePrefix('outage'),
      catalogPath,
      partitions: 4,
      simLatencyMs: 300,
      logs: { kind: 'file', dir },
    });
    bus = await Bus.connect({ brokers: infra.brokers.split(','), clientId: 'outage-test', topicPrefix: system.topicPrefix });
    responses = await new TopicReader(bus, Topics.responses).start();
    dlq = await new TopicReader(bus, Topics.dlq).start();
    client = createRouterClient(system.grpcAddress, system.clientOptions);
  });

  after(async () => {
    if (redis) process.kill(redis.pid, 'SIGCONT');
    client?.close();
    await responses?.stop();
    await dlq?.stop();
    await bus?.close();
    await system?.stop();
    await redis?.stop();
  });

  it('answers every request exactly once and dead-letters none', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `outage-${i}`);
    await Promise.all(ids.map((requestId, i) => client.submit(create(SubmitRequestSchema, { request: textRequest(`outage prompt ${i}`, { requestId }) }))));
    await waitFor('the first responses', () => responses.messages.length >= 5, 30000);
    // Freeze Redis: commands time out (2 s each), as when it is unreachable. The outage is
    // longer than a message's whole retry budget (3 attempts), so only waiting out the
    // outage instead of dead-lettering keeps every request.
    process.kill(redis.pid, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 8000));
    process.kill(redis.pid, 'SIGCONT');
    await waitFor('every response', () => ids.every((id) => responses.countsByKey().has(id)), 120000, 200);
    const counts = responses.countsByKey();
    assert.deepEqual(ids.filter((id) => counts.get(id) !== 1), []);
    assert.ok(responses.messages.every((m) => m.value.status === ResponseStatus.OK));
    assert.equal(dlq.messages.length, 0, dlq.messages.map((m) => m.value.reason).join('; '));
  });
});
