import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PartitionTrack } from './offsets.js';

describe('PartitionTrack', () => {
  it('moves the commit point only over a contiguous run of finished messages', () => {
    const t = new PartitionTrack('topic', 0);
    const a = t.take('10');
    const b = t.take('11');
    const c = t.take('15');
    assert.equal(t.next, undefined);
    assert.equal(t.finish(b), false);
    assert.equal(t.next, undefined);
    assert.equal(t.finish(a), true);
    assert.equal(t.next, 12n);
    assert.equal(t.inFlight, 1);
    assert.equal(t.finish(c), true);
    assert.equal(t.next, 16n);
    assert.equal(t.inFlight, 0);
  });

  it('ignores a second finish of the same message and refuses offsets out of order', () => {
    const t = new PartitionTrack('topic', 1);
    const a = t.take('5');
    assert.equal(t.finish(a), true);
    assert.equal(t.finish(a), false);
    assert.throws(() => t.take('5'), /out of order/);
  });

  it('keeps sequence numbers valid after dropping a long finished prefix', () => {
    const t = new PartitionTrack('topic', 2);
    const seqs: number[] = [];
    for (let i = 0; i < 5000; i++) seqs.push(t.take(String(i)));
    // Finish all but the last in order (compaction happens on the way), then the last.
    for (let i = 0; i < 4999; i++) t.finish(seqs[i]!);
    assert.equal(t.next, 4999n);
    const more = t.take('5000');
    assert.equal(t.finish(seqs[4999]!), true);
    assert.equal(t.next, 5000n);
    assert.equal(t.finish(more), true);
    assert.equal(t.next, 5001n);
    assert.equal(t.inFlight, 0);
  });
});
