import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupsCoveringPartitions, javaStringHash, offsetsPartitionOf } from './coordinators.js';

describe('offsets-topic partitions of consumer groups', () => {
  it("hashes like Java's String.hashCode, wrap-around and UTF-16 included", () => {
    // Values printed by JDK 17's jshell.
    assert.equal(javaStringHash(''), 0);
    assert.equal(javaStringHash('hello'), 99162322);
    assert.equal(javaStringHash('polygenelubricants'), -2147483648);
    assert.equal(javaStringHash('Ünïcödé 東京 😀'), 4417853);
    assert.equal(javaStringHash('yardmaster-coordinator-probe-3'), -1575622008);
  });

  it("maps a group to Utils.abs(hashCode) % partitions, with Integer.MIN_VALUE going to 0", () => {
    assert.equal(offsetsPartitionOf('hello', 50), 99162322 % 50);
    assert.equal(offsetsPartitionOf('polygenelubricants', 50), 0);
    // A negative hash: abs before the modulo (1575622008 % 10).
    assert.equal(offsetsPartitionOf('yardmaster-coordinator-probe-3', 10), 8);
  });

  it('finds group ids that land on every partition, one each', () => {
    for (const n of [1, 10, 50]) {
      const ids = groupsCoveringPartitions('probe', n);
      assert.equal(ids.length, n);
      assert.deepEqual(ids.map((id) => offsetsPartitionOf(id, n)), [...Array(n).keys()]);
    }
    assert.throws(() => groupsCoveringPartitions('probe', 0), /positive integer/);
  });
});
