import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Bus, type BusLogger, type RunningConsumer } from '@yardmaster/bus';
import { Topics, textRequest } from '@yardmaster/contracts';
import { startKafka, type KafkaHandle } from '@yardmaster/deploy';
import { waitFor } from '../support/infra.js';

/**
 * kafkajs stops a consumer for good after "Failed to find group coordinator" (it counts as
 * not retriable; tulios/kafkajs#1445, #1630), which a fresh or failing-over broker can give.
 * A broker of this test's own whose offsets topic cannot be created (replication factor 2 on
 * one broker) gives it every time, until the broker comes back with the right setting.
 */
describe('a consumer kafkajs gave up on is started again (real Kafka)', () => {
  let kafka: KafkaHandle;
  let bus: Bus;
  let consumer: RunningConsumer | undefined;
  const lines: string[] = [];
  const logger: BusLogger = { debug: () => undefined, log: () => undefined, warn: (m) => void lines.push(m), error: (m) => void lines.push(m) };

  before(async () => {
    kafka = await startKafka({ properties: { 'offsets.topic.replication.factor': 2 } });
    bus = await Bus.connect({ brokers: [kafka.brokers], clientId: 'rerun-test', logger });
    await bus.ensureTopics([{ topic: Topics.requests, partitions: 1 }]);
  });

  after(async () => {
    await consumer?.stop();
    await bus?.close();
    await kafka?.stop();
  });

  it('starts the consumer again after kafkajs gave up on it, so it joins and consumes once the coordinator is back', async () => {
    const handled: string[] = [];
    consumer = await bus.consume({
      groupId: 'rerun',
      topics: [Topics.requests],
      handler: async (request) => void handled.push(request.requestId),
    });
    const crashes = () => lines.filter((l) => l.includes('consumer rerun crashed with an error kafkajs does not retry')).length;
    await waitFor('the crash kafkajs gives up on', () => (crashes() >= 1 ? true : undefined), 90_000);
    assert.equal(consumer.isRunning(), false, 'a consumer that is down is not reported running');
    assert.match(lines.find((l) => l.includes('crashed with an error'))!, /Failed to find group coordinator.*; starting it again in 1000 ms$/);
    // The broker comes back able to create its offsets topic.
    await kafka.kill();
    const props = path.join(kafka.dir, 'server.properties');
    writeFileSync(props, readFileSync(props, 'utf8').replace('offsets.topic.replication.factor=2', 'offsets.topic.replication.factor=1'));
    await kafka.restart();
    await waitFor('the consumer to join the group', () => (consumer!.isRunning() ? true : undefined), 120_000);
    await bus.publish(Topics.requests, 'after-rerun', textRequest('consumed after the restart', { requestId: 'after-rerun' }));
    await waitFor('the message handled', () => (handled.includes('after-rerun') ? true : undefined), 60_000);
  });
});
