import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkStreams, type ChunkEntry, type ChunkSubscription } from '@yardmaster/store';
import { ChunkRelay } from './chunk-relay.js';

/** A typed in-memory twin of the chunk streams: records every append (one call = one round trip). */
class RecordedChunkStreams extends ChunkStreams {
  readonly appends: ChunkEntry[][] = [];
  failNext = false;

  append(_requestId: string, entries: readonly ChunkEntry[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('redis down'));
    }
    this.appends.push([...entries]);
    return Promise.resolve();
  }

  subscribe(): ChunkSubscription {
    return { close: () => undefined };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('ChunkRelay', () => {
  it('sends the first delta at once with the model, then coalesces; the end carries finish reason and usage', async () => {
    const streams = new RecordedChunkStreams();
    const relay = new ChunkRelay(streams, 'r1', 'r1:0', 'gpt-x', { flushMs: 20, flushChars: 1000 });
    relay.attempting();
    relay.delta('He');
    assert.equal(relay.started, true);
    for (const t of ['l', 'l', 'o', ' ', 'w']) relay.delta(t);
    await new Promise((r) => setTimeout(r, 60));
    relay.delta('orld');
    await relay.end('stop', 5, 3);
    const entries = streams.appends.flat();
    // The first delta says when the worker took the item, called the provider and read it.
    const first = entries[0];
    assert.ok(first?.kind === 'delta' && first.marks, JSON.stringify(first));
    const { workerStart, providerCall, firstDelta } = first.marks;
    assert.ok(workerStart <= providerCall && providerCall <= firstDelta && firstDelta <= performance.timeOrigin + performance.now(), JSON.stringify(first.marks));
    delete first.marks;
    assert.deepEqual(entries, [
      { kind: 'delta', workId: 'r1:0', seq: 0, text: 'He', model: 'gpt-x' },
      { kind: 'delta', workId: 'r1:0', seq: 1, text: 'llo w' },
      { kind: 'delta', workId: 'r1:0', seq: 2, text: 'orld' },
      { kind: 'end', workId: 'r1:0', seq: 3, finishReason: 'stop', inputTokens: 5, outputTokens: 3 },
    ]);
    assert.equal(streams.appends.length, 3, 'the last delta and the end go in one round trip');
  });

  it('flushes early when enough characters wait', async () => {
    const streams = new RecordedChunkStreams();
    const relay = new ChunkRelay(streams, 'r1', 'r1:0', 'm', { flushMs: 10_000, flushChars: 4 });
    relay.delta('a');
    relay.delta('bc');
    relay.delta('de');
    await relay.end('stop', 1, 1);
    assert.deepEqual(
      streams.appends.flat().map((e) => (e.kind === 'delta' ? e.text : e.kind)),
      ['a', 'bcde', 'end'],
    );
  });

  it('an error ends a started stream; a call that streamed nothing writes nothing', async () => {
    const quiet = new RecordedChunkStreams();
    const unstarted = new ChunkRelay(quiet, 'r1', 'r1:0', 'm', { flushMs: 10, flushChars: 100 });
    await unstarted.fail('timeout', 'no first byte');
    assert.equal(quiet.appends.length, 0);
    const streams = new RecordedChunkStreams();
    const relay = new ChunkRelay(streams, 'r1', 'r1:0', 'm', { flushMs: 10, flushChars: 100 });
    relay.delta('x');
    await relay.fail('network', 'reset');
    assert.deepEqual(streams.appends.flat().at(-1), { kind: 'error', workId: 'r1:0', seq: 1, code: 'network', message: 'reset' });
  });

  it('a failed append is logged, and the entries after it still go out in order (the reader sees the gap)', async () => {
    const streams = new RecordedChunkStreams();
    streams.failNext = true;
    const relay = new ChunkRelay(streams, 'r1', 'r1:0', 'm', { flushMs: 1, flushChars: 100 });
    relay.delta('lost');
    await relay.end('stop', 1, 1);
    assert.deepEqual(streams.appends.flat().map((e) => e.seq), [1]);
  });
});
