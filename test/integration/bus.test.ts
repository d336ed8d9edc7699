import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bus, BusError, type RunningConsumer } from '@yardmaster/bus';
import { Topics, textRequest, type InferenceRequest } from '@yardmaster/contracts';
import { startTelemetry, withSpan } from '@yardmaster/telemetry';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { TopicReader } from '../support/topic-reader.js';

describe('bus on a real Kafka broker', () => {
  let bus: Bus;
  let dlq: TopicReader<typeof Topics.dlq.schema>;
  const consumers: RunningConsumer[] = [];
  let brokers: string[];
  let prefix: string;

  // As in a service: the SDK registers the W3C propagator and the async context manager.
  const telemetry = startTelemetry({ serviceName: 'bus-test', exporter: 'none' });

  before(async () => {
    const infra = await testInfra();
    brokers = infra.brokers.split(',');
    prefix = uniquePrefix('bus');
    bus = await Bus.connect({ brokers, clientId: 'bus-test', topicPrefix: prefix, sessionTimeoutMs: 6000 });
    await bus.ensureTopics([
      { topic: Topics.requests, partitions: 3 },
      { topic: Topics.dlq, partitions: 1 },
    ]);
    dlq = await new TopicReader(bus, Topics.dlq).start();
  });

  after(async () => {
    for (const c of consumers) await c.stop();
    await dlq.stop();
    await bus.deleteTopics([Topics.requests, Topics.dlq]);
    await bus.close();
    await telemetry.shutdown();
  });

  const consume = async (groupId: string, handler: (m: InferenceRequest, attempt: number) => Promise<void>, extra: { maxAttempts?: number } = {}) => {
    const c = await bus.consume({ groupId: `${prefix}-${groupId}`, topics: [Topics.requests], handler: (m, ctx) => handler(m, ctx.attempt), retryBackoffMs: 10, ...extra });
    consumers.push(c);
    await c.ready;
    return c;
  };

  it('round-trips typed messages keyed by request_id, in order per key, with a traceparent header', async () => {
    const seen: { id: string; text: string }[] = [];
    const headers: Record<string, string>[] = [];
    const traceIds: string[] = [];
    const c = await bus.consume({
      groupId: `${prefix}-roundtrip`,
      topics: [Topics.requests],
      handler: async (m, ctx) => {
        if (!m.requestId.startsWith('rt-')) return;
        // Later messages of the same key must wait for earlier ones even when these are slow.
        if (m.metadata['seq'] === '0') await new Promise((r) => setTimeout(r, 100));
        seen.push({ id: ctx.key, text: m.metadata['seq'] ?? '' });
        headers.push(ctx.headers);
        traceIds.push(ctx.span.spanContext().traceId);
      },
    });
    consumers.push(c);
    const producerTrace = await withSpan('produce', {}, async (span) => {
      for (let i = 0; i < 5; i++) {
        const r = textRequest('hello', { requestId: 'rt-1' });
        r.metadata['seq'] = String(i);
        await bus.publish(Topics.requests, 'rt-1', r);
      }
      return span.spanContext().traceId;
    });
    await waitFor('five messages', () => seen.length === 5);
    assert.deepEqual(seen.map((s) => s.text), ['0', '1', '2', '3', '4']);
    assert.ok(seen.every((s) => s.id === 'rt-1'));
    assert.ok(headers.every((h) => new RegExp(`^00-${producerTrace}-[0-9a-f]{16}-0[01]$`).test(h['traceparent'] ?? '')), JSON.stringify(headers[0]));
    // The consumer span continues the producer's trace.
    assert.deepEqual(new Set(traceIds), new Set([producerTrace]));
    await c.stop();
  });

  it('retries a failing handler and then succeeds without a dead letter', async () => {
    const attempts: number[] = [];
    await consume('retry', async (m, attempt) => {
      if (m.requestId !== 'retry-1') return;
      attempts.push(attempt);
      if (attempt < 3) throw new Error('transient');
    }, { maxAttempts: 3 });
    await bus.publish(Topics.requests, 'retry-1', textRequest('x', { requestId: 'retry-1' }));
    await waitFor('three attempts', () => attempts.length === 3);
    assert.deepEqual(attempts, [1, 2, 3]);
    assert.equal(dlq.messages.filter((m) => m.key === 'retry-1').length, 0);
  });

  it('dead-letters after the last attempt, or at once for a permanent error, and goes on', async () => {
    const processed: string[] = [];
    await consume('dlq', async (m) => {
      if (m.requestId === 'always-fails') throw new Error('provider exploded');
      if (m.requestId === 'permanent') throw BusError.permanent('request is nonsense');
      if (m.requestId.startsWith('after-')) processed.push(m.requestId);
    }, { maxAttempts: 2 });
    await bus.publish(Topics.requests, 'always-fails', textRequest('x', { requestId: 'always-fails' }));
    await bus.publish(Topics.requests, 'permanent', textRequest('x', { requestId: 'permanent' }));
    await bus.publish(Topics.requests, 'after-1', textRequest('x', { requestId: 'after-1' }));
    const failed = await waitFor('dead letter of always-fails', () => dlq.messages.find((m) => m.key === 'always-fails'));
    assert.match(failed.value.reason, /provider exploded \(after 2 attempts\)/);
    assert.equal(failed.value.attempts, 2);
    assert.equal(failed.value.consumerGroup, bus.groupName(`${prefix}-dlq`));
    assert.equal(failed.value.sourceTopic, `${prefix}.llm.requests.v1`);
    const permanent = await waitFor('dead letter of permanent', () => dlq.messages.find((m) => m.key === 'permanent'));
    assert.equal(permanent.value.attempts, 1);
    assert.equal(permanent.value.errorCode, 'invalid_message');
    await waitFor('the message after them', () => processed.includes('after-1'));
  });

  it('waits out a dependency outage (Redis down) instead of dead-lettering the message', async () => {
    let failures = 0;
    const done: string[] = [];
    await consume('outage', async (m) => {
      if (m.requestId !== 'outage-1') return;
      // More failures than maxAttempts: an ordinary error would be dead-lettered by now.
      if (failures < 5) {
        failures++;
        throw Object.assign(new Error('ECONNREFUSED 127.0.0.1:6379'), { infrastructure: true });
      }
      done.push(m.requestId);
    }, { maxAttempts: 2 });
    await bus.publish(Topics.requests, 'outage-1', textRequest('x', { requestId: 'outage-1' }));
    await waitFor('the message after the outage', () => done.includes('outage-1'), 30000);
    assert.equal(failures, 5);
    assert.equal(dlq.messages.filter((m) => m.key === 'outage-1').length, 0);
  });

  it('lets a background reader take fewer, larger fetches (fetch.minBytes / maxWaitMs) while a stage reader gets each message at once', async () => {
    const arrived = { stage: new Map<string, number>(), background: new Map<string, number>() };
    const reader = async (kind: keyof typeof arrived, fetch?: { minBytes: number; maxWaitMs: number }) => {
      const c = await bus.consume({
        groupId: `${prefix}-fetch-${kind}`,
        topics: [Topics.requests],
        ...(fetch ? { fetch } : {}),
        handler: async (m) => {
          if (m.requestId.startsWith('fetch-')) arrived[kind].set(m.requestId, performance.now());
        },
      });
      consumers.push(c);
      await c.ready;
    };
    await reader('stage');
    // 1 MiB is never reached here, so every fetch of this reader waits the whole 2 s.
    await reader('background', { minBytes: 1 << 20, maxWaitMs: 2000 });
    // The primer fixes where the background reader's fetches start: right after it arrives.
    await bus.publish(Topics.requests, 'fetch-primer', textRequest('x', { requestId: 'fetch-primer' }));
    await waitFor('the primer at the background reader', () => arrived.background.has('fetch-primer'), 10_000);
    const sentAt = performance.now();
    await bus.publish(Topics.requests, 'fetch-1', textRequest('x', { requestId: 'fetch-1' }));
    await waitFor('fetch-1 at both readers', () => arrived.stage.has('fetch-1') && arrived.background.has('fetch-1'), 10_000);
    const stageMs = arrived.stage.get('fetch-1')! - sentAt;
    const backgroundMs = arrived.background.get('fetch-1')! - sentAt;
    // The background reader's fetch was answered at its wait's end, not at the message.
    assert.ok(backgroundMs >= 1000, `background reader got it after ${backgroundMs.toFixed(0)} ms`);
    assert.ok(stageMs < backgroundMs, `stage ${stageMs.toFixed(0)} ms, background ${backgroundMs.toFixed(0)} ms`);
  });

  it('deletes a per-process consumer group when asked to on stop', async () => {
    const groupId = `${prefix}-ephemeral`;
    const c = await bus.consume({ groupId, topics: [Topics.requests], deleteGroupOnStop: true, handler: async () => undefined });
    await c.ready;
    assert.ok((await bus.listGroups()).includes(bus.groupName(groupId)));
    await c.stop();
    assert.ok(!(await bus.listGroups()).includes(bus.groupName(groupId)));
  });

  it('finishes in-flight work and commits on stop, so the group does not see it again', async () => {
    const group = 'graceful';
    const done: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = false;
    const first = await consume(group, async (m) => {
      if (m.requestId !== 'slow-1') return;
      started = true;
      await gate;
      done.push(m.requestId);
    });
    await bus.publish(Topics.requests, 'slow-1', textRequest('x', { requestId: 'slow-1' }));
    await waitFor('the slow handler to start', () => started);
    const stopping = first.stop();
    release();
    await stopping;
    assert.deepEqual(done, ['slow-1']);
    const again: string[] = [];
    await consume(group, async (m) => {
      again.push(m.requestId);
    });
    await bus.publish(Topics.requests, 'marker-1', textRequest('x', { requestId: 'marker-1' }));
    await waitFor('the marker', () => again.includes('marker-1'));
    assert.ok(!again.includes('slow-1'), `redelivered: ${again.join(',')}`);
  });
});
