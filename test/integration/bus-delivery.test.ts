import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Bus, type RunningConsumer } from '@yardmaster/bus';
import { Topics, textRequest } from '@yardmaster/contracts';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { TopicReader } from '../support/topic-reader.js';

describe('bus delivery under broker refusals and slow handlers (real Kafka)', () => {
  let bus: Bus;
  let other: Bus;
  let dlq: TopicReader<typeof Topics.dlq.schema>;
  const consumers: RunningConsumer[] = [];
  let prefix: string;

  before(async () => {
    const infra = await testInfra();
    prefix = uniquePrefix('delivery');
    const brokers = infra.brokers.split(',');
    // A short session: a member that stops heartbeating is evicted after 6 s.
    bus = await Bus.connect({ brokers, clientId: 'delivery-a', topicPrefix: prefix, sessionTimeoutMs: 6000 });
    other = await Bus.connect({ brokers, clientId: 'delivery-b', topicPrefix: prefix, sessionTimeoutMs: 6000 });
    await bus.ensureTopics([
      { topic: Topics.requests, partitions: 2 },
      // A topic that refuses records over 2,000 bytes: the broker answers MESSAGE_TOO_LARGE.
      { topic: Topics.results, partitions: 1, configs: { 'max.message.bytes': '2000' } },
      { topic: Topics.dlq, partitions: 1 },
    ]);
    dlq = await new TopicReader(bus, Topics.dlq).start();
  });

  after(async () => {
    for (const c of consumers) await c.stop();
    await dlq.stop();
    await bus.deleteTopics([Topics.requests, Topics.results, Topics.dlq]);
    await other.close();
    await bus.close();
  });

  it('fails a publish the broker refuses for good (not retried forever) and sends the other messages of its batch', async () => {
    const results = bus.topicName(Topics.results);
    // Issued in the same tick, so they share one produce request with the refused one.
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 5 }, (_, i) => bus.publishRaw(results, { key: `small-${i}`, value: Buffer.from(`small ${i}`) })),
      bus.publishRaw(results, { key: 'too-big', value: randomBytes(5000) }),
    ]);
    assert.deepEqual(
      outcomes.slice(0, 5).map((o) => o.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'],
    );
    const refused = outcomes[5];
    assert.ok(refused?.status === 'rejected');
    const error = refused.reason as { code: string; retriable: boolean; message: string };
    assert.equal(error.code, 'publish_rejected');
    assert.equal(error.retriable, false);
    assert.match(error.message, /too large|MESSAGE_TOO_LARGE|larger than/i);
  });

  it('dead-letters the message whose output the broker refuses, with the reason, and goes on consuming', async () => {
    const handled: string[] = [];
    const c = await bus.consume({
      groupId: 'refusal',
      topics: [Topics.requests],
      retryBackoffMs: 10,
      handler: async (request) => {
        if (!request.requestId.startsWith('ref-')) return;
        // The stage's output is larger than its topic allows for the first request only.
        const text = request.requestId === 'ref-big' ? randomBytes(5000).toString('base64') : 'ok';
        await bus.publishRaw(bus.topicName(Topics.results), { key: request.requestId, value: Buffer.from(text) });
        handled.push(request.requestId);
      },
    });
    consumers.push(c);
    await c.ready;
    await bus.publish(Topics.requests, 'ref-big', textRequest('make it big', { requestId: 'ref-big' }));
    await bus.publish(Topics.requests, 'ref-after', textRequest('then this', { requestId: 'ref-after' }));
    const letter = await waitFor('the dead letter of ref-big', () => dlq.messages.find((m) => m.key === 'ref-big'), 30000);
    assert.equal(letter.value.errorCode, 'publish_rejected');
    assert.match(letter.value.reason, /refused/);
    assert.equal(letter.value.sourceTopic, bus.topicName(Topics.requests));
    await waitFor('the next message handled', () => handled.includes('ref-after'), 30000);
    await c.stop();
  });

  it('keeps members whose every handler is slower than the session timeout, so no message is handled twice', async () => {
    const calls = new Map<string, number>();
    let finished = 0;
    const handler = async (id: string) => {
      if (!id.startsWith('slow-') && !id.startsWith('probe-')) return;
      calls.set(id, (calls.get(id) ?? 0) + 1);
      if (id.startsWith('probe-')) return;
      // Longer than the 6 s session timeout: without heartbeats during the work both members
      // are evicted, their offsets are lost with their generation, and the messages run again.
      await new Promise((r) => setTimeout(r, 9000));
      finished++;
    };
    const first = await bus.consume({ groupId: 'slow', topics: [Topics.requests], handler: (m) => handler(m.requestId) });
    consumers.push(first);
    await first.ready;
    const second = await other.consume({ groupId: 'slow', topics: [Topics.requests], handler: (m) => handler(m.requestId) });
    consumers.push(second);
    await second.ready;
    const ids = ['slow-a', 'slow-b', 'slow-c', 'slow-d', 'slow-e', 'slow-f'];
    for (const id of ids) await bus.publish(Topics.requests, id, textRequest('slow', { requestId: id }));
    await waitFor('every slow message to finish', () => finished >= ids.length, 40000);
    // Probes on every partition: once they are handled, a redelivery of any slow message
    // (earlier on the same partition) would have started too.
    const probes = Array.from({ length: 8 }, (_, i) => `probe-${i}`);
    for (const id of probes) await bus.publish(Topics.requests, id, textRequest('probe', { requestId: id }));
    await waitFor('every probe', () => probes.every((id) => calls.has(id)), 40000);
    assert.deepEqual(
      ids.map((id) => calls.get(id)),
      ids.map(() => 1),
    );
  });
});
