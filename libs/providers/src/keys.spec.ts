import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { KeyRing, keyFingerprint, loadKeys, parseKeys } from './keys.js';

describe('KeyRing', () => {
  it('rotates round-robin and skips a resting key until its rest ends', () => {
    const ring = new KeyRing(['a-key-1', 'b-key-2', 'c-key-3']);
    const now = 1_000_000;
    assert.deepEqual([0, 1, 2, 3].map(() => ring.pick(now).picked?.key), ['a-key-1', 'b-key-2', 'c-key-3', 'a-key-1']);
    const b = ring.pick(now).picked!;
    assert.equal(b.key, 'b-key-2');
    ring.rest(b.id, now + 30_000);
    assert.deepEqual([0, 1, 2, 3].map(() => ring.pick(now + 1).picked?.key), ['c-key-3', 'a-key-1', 'c-key-3', 'a-key-1']);
    assert.equal(ring.pick(now + 30_000).picked?.key, 'b-key-2', 'back after its rest');
  });

  it('says when every key rests, and when the first wakes; a later 429 only extends a rest', () => {
    const ring = new KeyRing(['k1-xxxx', 'k2-xxxx']);
    const [a, b] = [ring.pick(0).picked!, ring.pick(0).picked!];
    ring.rest(a.id, 5000);
    ring.rest(b.id, 3000);
    ring.rest(b.id, 1000);
    assert.deepEqual(ring.pick(10), { picked: undefined, resting: true, wakeAt: 3000 });
    assert.equal(ring.anyAwake(10), false);
    assert.equal(ring.anyAwake(3000), true);
  });

  it('names keys by index and a hash prefix only', () => {
    const ring = new KeyRing(['sk-live-secret-value']);
    const { picked } = ring.pick();
    assert.equal(picked?.id, `key-1#${keyFingerprint('sk-live-secret-value')}`);
    assert.doesNotMatch(picked?.id ?? '', /secret/);
  });

  it('an empty ring hands out no key and never rests', () => {
    assert.deepEqual(new KeyRing([]).pick(5), { picked: undefined, resting: false, wakeAt: 5 });
  });
});

describe('loadKeys', () => {
  it('merges the single key, the list and a key file, without duplicates', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ym-keys-'));
    const file = path.join(dir, 'keys');
    writeFileSync(file, '# rotated monthly\nsk-file-1\n\nsk-file-2 # spare\nsk-list-1\n');
    assert.deepEqual(loadKeys({ single: 'sk-single', list: 'sk-list-1, sk-list-2', file }), ['sk-single', 'sk-list-1', 'sk-list-2', 'sk-file-1', 'sk-file-2']);
    assert.deepEqual(parseKeys('a\nb,c  d'), ['a', 'b', 'c', 'd']);
  });

  it('names a missing file, not its content', () => {
    assert.throws(() => loadKeys({ file: '/nonexistent/keys' }), /cannot read the API key file \/nonexistent\/keys: ENOENT/);
  });
});
