import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attributes, ObservableResult } from '@opentelemetry/api';
import type { Batch } from 'kafkajs';
import { BusError } from './errors.js';
import { ConsumerMetrics, errorType } from './metrics.js';

/** Collects what a gauge callback observes (the lag by default). */
function observe(metrics: ConsumerMetrics, what: 'observeLag' | 'observeInflight' = 'observeLag'): { value: number; attributes: Attributes }[] {
  const seen: { value: number; attributes: Attributes }[] = [];
  const result: ObservableResult = { observe: (value, attributes = {}) => void seen.push({ value, attributes }) };
  metrics[what](result);
  return seen;
}

function batch(topic: string, partition: number, highWatermark: number, offsets: number[]): Batch {
  return {
    topic,
    partition,
    highWatermark: String(highWatermark),
    messages: offsets.map((o) => ({ offset: String(o) }) as Batch['messages'][number]),
    isEmpty: () => offsets.length === 0,
    firstOffset: () => (offsets.length ? String(offsets[0]) : null),
    lastOffset: () => String(offsets.at(-1) ?? highWatermark - 1),
    offsetLag: () => '0',
    offsetLagLow: () => '0',
  };
}

describe('bus metrics', () => {
  it('labels errors with a bounded type: protocol error type, then code, then class name', () => {
    const protocol = Object.assign(new Error('not leader'), { type: 'NOT_LEADER_FOR_PARTITION' });
    assert.equal(errorType(new BusError('publish_failed', 'x', true, { cause: new Error('wrapped', { cause: protocol }) })), 'NOT_LEADER_FOR_PARTITION');
    assert.equal(errorType(new BusError('processing_error', 'boom', true)), 'processing_error');
    assert.equal(errorType(new TypeError('x is undefined')), 'TypeError');
    assert.equal(errorType('a string'), '_OTHER');
  });

  it('reports lag per assigned partition: everything from the batch on while it runs, what lies after it once done', () => {
    const m = new ConsumerMetrics('group-a');
    try {
      const b = batch('t1', 0, 10, [4, 5, 6]);
      m.batchStarted(b);
      assert.deepEqual(
        observe(m).map((o) => [o.value, o.attributes['messaging.destination.partition.id']]),
        [[6, '0']],
      );
      m.batchFinished(b, '6');
      assert.equal(observe(m)[0]!.value, 3);
      m.batchStarted(batch('t1', 1, 3, [2]));
      m.batchFinished(batch('t1', 1, 3, [2]), '2');
      assert.deepEqual(observe(m).map((o) => o.value).sort(), [0, 3]);
      // After a rebalance the partitions this member lost are no longer reported.
      m.assigned({ t1: [1] });
      assert.deepEqual(observe(m).map((o) => [o.value, o.attributes['messaging.consumer.group.name']]), [[0, 'group-a']]);
    } finally {
      m.close();
    }
    assert.deepEqual(observe(m), []);
  });

  it('reports the handler runs going on per topic, errors included', () => {
    const m = new ConsumerMetrics('group-b');
    const inflight = () => observe(m, 'observeInflight').map((o) => [o.attributes['messaging.destination.name'], o.value]).sort();
    try {
      const a = m.handlerStarted('t1');
      const b = m.handlerStarted('t1');
      m.handlerStarted('t2');
      assert.deepEqual(inflight(), [['t1', 2], ['t2', 1]]);
      m.handlerFinished('t1', a);
      m.handlerFinished('t1', b, new Error('boom'));
      assert.deepEqual(inflight(), [['t1', 0], ['t2', 1]]);
      assert.equal(observe(m, 'observeInflight')[0]!.attributes['messaging.consumer.group.name'], 'group-b');
    } finally {
      m.close();
    }
  });
});
