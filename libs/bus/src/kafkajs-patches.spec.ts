import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { applyKafkajsPatches } from './kafkajs-patches.js';

const requireCjs = createRequire(__filename);

interface QueueState {
  throttledUntil: number;
  pending: unknown[];
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
}

describe('kafkajs request-queue patch', () => {
  applyKafkajsPatches();
  const proto = (requireCjs('kafkajs/src/network/requestQueue/index.js') as { prototype: { scheduleCheckPendingRequests(this: QueueState): void } }).prototype;
  const queue = (over: Partial<QueueState>): QueueState => ({ throttledUntil: -1, pending: [], throttleCheckTimeoutId: null, checkPendingRequests() {}, ...over });

  it('arms no timer when nothing is pending and nothing is throttled (kafkajs re-armed a 1 ms timer forever)', () => {
    const q = queue({});
    proto.scheduleCheckPendingRequests.call(q);
    assert.equal(q.throttleCheckTimeoutId, null);
  });

  it('still checks pending requests soon, and waits out a broker throttle', () => {
    const pending = queue({ pending: [{}] });
    proto.scheduleCheckPendingRequests.call(pending);
    assert.ok(pending.throttleCheckTimeoutId);
    clearTimeout(pending.throttleCheckTimeoutId);
    const throttled = queue({ throttledUntil: Date.now() + 5000 });
    proto.scheduleCheckPendingRequests.call(throttled);
    assert.ok(throttled.throttleCheckTimeoutId);
    clearTimeout(throttled.throttleCheckTimeoutId);
  });
});
