import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bus, type BusLogger, type RunningConsumer } from '@yardmaster/bus';
import { Topics, textRequest } from '@yardmaster/contracts';
import { createTopics, startKafka, type KafkaHandle } from '@yardmaster/deploy';
import { waitFor } from '../support/infra.js';

/**
 * On a fresh broker the offsets topic is created by the first consumer that looks for its
 * group coordinator, and every group whose partition is still loading fails its first join:
 * kafkajs restarts those consumers ("The coordinator is loading"), and two consumers of one
 * process restarting at once log "Connection error: write after end" at ERROR. `npm start`
 * showed both on a new machine. The launcher's createTopics now waits until the group
 * coordinators answer for every partition of the offsets topic before any service starts.
 */
describe('group coordinators are ready before the services start (fresh real Kafka)', () => {
  let kafka: KafkaHandle;
  let bus: Bus | undefined;
  const consumers: RunningConsumer[] = [];
  const lines: string[] = [];
  const logger: BusLogger = { debug: () => undefined, log: () => undefined, warn: (m) => void lines.push(`WARN ${m}`), error: (m) => void lines.push(`ERROR ${m}`) };

  before(async () => {
    kafka = await startKafka();
  });

  after(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await bus?.close();
    await kafka?.stop();
  });

  it('lets six groups join at once with no coordinator errors, retries or restarts', async () => {
    await createTopics({ brokers: kafka.brokers, pools: ['local'], partitions: 2 });
    bus = await Bus.connect({ brokers: [kafka.brokers], clientId: 'coordinators-test', logger });
    const handled = new Map<string, string[]>();
    const groups = ['yardmaster-aggregator', 'yardmaster-aggregator-dlq', 'yardmaster-classifier', 'yardmaster-router', 'yardmaster-worker-local', 'yardmaster-ingress-usage'];
    consumers.push(
      ...(await Promise.all(
        groups.map((groupId) =>
          bus!.consume({ groupId, topics: [Topics.requests], handler: async (request) => void handled.set(groupId, [...(handled.get(groupId) ?? []), request.requestId]) }),
        ),
      )),
    );
    await waitFor('every group to join', () => (consumers.every((c) => c.isRunning()) ? true : undefined), 60_000);
    await bus.publish(Topics.requests, 'first', textRequest('hello', { requestId: 'first' }));
    await waitFor('every group to handle the message', () => (groups.every((g) => handled.get(g)?.includes('first')) ? true : undefined), 60_000);
    assert.deepEqual(lines, [], 'no warning or error on the way');
    assert.equal(await bus.awaitGroupCoordinators(5_000), true, 'on a broker that is up it answers at once');
  });

  it('gives up without throwing when the broker cannot be reached', async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    const gone = await Bus.connect({ brokers: [kafka.brokers], clientId: 'coordinators-gone', logger: { debug: () => undefined, log: () => undefined, warn: () => undefined, error: () => undefined } });
    await kafka.kill();
    const started = Date.now();
    assert.equal(await gone.awaitGroupCoordinators(2_000), false);
    // kafkajs alone keeps reconnecting for tens of seconds; the wait ends at its own limit.
    assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
    await gone.close().catch(() => undefined);
  });
});
