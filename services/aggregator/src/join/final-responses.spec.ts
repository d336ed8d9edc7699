// Runs against the real Kafka and Redis that `npm test` starts (KAFKA_BROKERS, REDIS_URL).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Bus, type RunningConsumer } from '@yardmaster/bus';
import { commonConfig, commonEnv, parseEnv, z } from '@yardmaster/config';
import { InferenceResponseSchema, ResponseStatus, Topics, create, type InferenceResponse } from '@yardmaster/contracts';
import { RedisPipelineState, Store } from '@yardmaster/store';
import { AggregatorConfig } from '../config.js';
import { FinalResponses } from './final-responses.js';

const brokers = process.env['KAFKA_BROKERS'];
const redisUrl = process.env['REDIS_URL'];

function response(requestId: string, output: string): InferenceResponse {
  return create(InferenceResponseSchema, { requestId, status: ResponseStatus.OK, output });
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('FinalResponses across aggregator instances (real Kafka and Redis)', { skip: !brokers || !redisUrl ? 'needs KAFKA_BROKERS and REDIS_URL (npm test sets them)' : false }, () => {
  const prefix = `t-final-${randomBytes(4).toString('hex')}`;
  let bus: Bus;
  let store: Store;
  let reader: RunningConsumer;
  const seen: { key: string; output: string }[] = [];
  const config = new AggregatorConfig(commonConfig(parseEnv(z.object(commonEnv), {}), 'aggregator'), 16, 3, 600);
  const instance = (id: string) => {
    const state = new RedisPipelineState(store, id);
    return { state, finals: new FinalResponses(bus, state, config) };
  };
  const count = (key: string) => seen.filter((s) => s.key === key).length;

  before(async () => {
    bus = await Bus.connect({ brokers: brokers!.split(','), clientId: 'final-spec', topicPrefix: prefix });
    store = await Store.connect({ url: redisUrl!, keyPrefix: `${prefix}:` });
    await bus.ensureTopics([{ topic: Topics.responses, partitions: 2 }]);
    reader = await bus.consume({
      groupId: 'reader',
      topics: [Topics.responses],
      traced: false,
      handler: async (r, ctx) => {
        seen.push({ key: ctx.key, output: r.output });
      },
    });
    await reader.ready;
  });

  after(async () => {
    await reader?.stop();
    await bus?.deleteTopics([Topics.responses]);
    await bus?.close();
    await store?.close();
  });

  it('does not publish again when a dead instance published before recording (the redelivered message)', async () => {
    const a = instance('agg-a');
    const b = instance('agg-b');
    await a.state.heartbeat(10_000);
    // Instance a claims, publishes, and dies before recording: its liveness key goes with it.
    assert.equal((await a.state.claimFinal('r-1', 'results:0:5', 600)).status, 'acquired');
    await bus.publish(Topics.responses, 'r-1', response('r-1', 'from a'));
    await a.state.retire();
    // The partition moves to b, which gets the same message again.
    assert.equal(await b.finals.deliver('r-1', 'results:0:5', () => response('r-1', 'from b')), 'duplicate');
    await until('a on the topic', () => count('r-1') >= 1);
    // b recorded what a published, for GetResponse.
    const stored = await b.state.storedResponse('r-1');
    assert.ok(stored);
    assert.equal(await b.state.hasFinal('r-1'), true);
    // A later message for the same request sees `done`.
    assert.equal(await b.finals.deliver('r-1', 'results:0:9', () => response('r-1', 'late')), 'duplicate');
    const marker = await b.finals.deliver('r-1-marker', 'results:0:10', () => response('r-1-marker', 'marker'));
    assert.equal(marker, 'published');
    await until('the marker on the topic', () => count('r-1-marker') === 1);
    assert.equal(count('r-1'), 1);
  });

  it('publishes once when a dead instance claimed but never published', async () => {
    const a = instance('agg-c');
    const b = instance('agg-d');
    await a.state.heartbeat(10_000);
    assert.equal((await a.state.claimFinal('r-2', 'results:1:3', 600)).status, 'acquired');
    await a.state.retire();
    assert.equal(await b.finals.deliver('r-2', 'results:1:3', () => response('r-2', 'from d')), 'published');
    await until('r-2 on the topic', () => count('r-2') === 1);
    assert.equal(seen.find((s) => s.key === 'r-2')?.output, 'from d');
  });

  it('waits for a live instance that is still finishing instead of publishing a second time', async () => {
    const a = instance('agg-e');
    const b = instance('agg-f');
    await a.state.heartbeat(10_000);
    await b.state.heartbeat(10_000);
    // a is mid-flight (rebalance moved the partition to b while a finishes the message).
    assert.equal((await a.state.claimFinal('r-3', 'results:0:8', 600)).status, 'acquired');
    const waiting = b.finals.deliver('r-3', 'results:0:8', () => response('r-3', 'from f'));
    await new Promise((r) => setTimeout(r, 100));
    await bus.publish(Topics.responses, 'r-3', response('r-3', 'from e'));
    await a.state.recordFinal('r-3', new Uint8Array([1]), 600);
    assert.equal(await waiting, 'duplicate');
    const marker = await b.finals.deliver('r-3-marker', 'results:0:11', () => response('r-3-marker', 'marker'));
    assert.equal(marker, 'published');
    await until('the marker on the topic', () => count('r-3-marker') === 1);
    assert.equal(count('r-3'), 1);
    await a.state.retire();
    await b.state.retire();
  });

  it('drops a duplicate result (another message) while the first message holds the claim', async () => {
    const a = instance('agg-g');
    await a.state.heartbeat(10_000);
    assert.equal(await a.finals.deliver('r-4', 'results:1:20', () => response('r-4', 'first')), 'published');
    assert.equal(await a.finals.deliver('r-4', 'results:1:21', () => response('r-4', 'second')), 'duplicate');
    await until('r-4 on the topic', () => count('r-4') === 1);
    await a.state.retire();
  });
});
