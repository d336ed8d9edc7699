import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it, mock } from 'node:test';
import { applyKafkajsPatches, REQUEST_TIMEOUT_CHECK_MS } from './kafkajs-patches.js';

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

  it('checks for timed-out requests once a second instead of every 100 ms, and still times them out', () => {
    const timeoutProto = (requireCjs('kafkajs/src/network/requestQueue/index.js') as { prototype: { scheduleRequestTimeoutCheck(this: unknown): void } }).prototype;
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      let timedOut = 0;
      let fresh = 0;
      const now = Date.now();
      const q = {
        enforceRequestTimeout: true,
        requestTimeout: 30_000,
        requestTimeoutIntervalId: undefined as NodeJS.Timeout | undefined,
        inflight: new Map([
          [1, { sentAt: now - 40_000, requestTimeout: 30_000, timeoutRequest: () => timedOut++ }],
          [2, { sentAt: now, requestTimeout: 30_000, timeoutRequest: () => fresh++ }],
        ]),
        isConnected: () => true,
        destroy() {
          clearInterval(this.requestTimeoutIntervalId);
        },
      };
      timeoutProto.scheduleRequestTimeoutCheck.call(q);
      mock.timers.tick(REQUEST_TIMEOUT_CHECK_MS - 1);
      assert.equal(timedOut, 0, 'no check before the interval');
      mock.timers.tick(1);
      assert.equal(timedOut, 1, 'the request past its timeout is timed out');
      assert.equal(fresh, 0, 'a request within its timeout is left alone');
      q.destroy();
      const off = { ...q, enforceRequestTimeout: false, requestTimeoutIntervalId: undefined };
      timeoutProto.scheduleRequestTimeoutCheck.call(off);
      assert.equal(off.requestTimeoutIntervalId, undefined, 'no interval when timeouts are not enforced');
    } finally {
      mock.timers.reset();
    }
  });
});
