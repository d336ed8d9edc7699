import { createRequire } from 'node:module';

const requireCjs = createRequire(__filename);

/** The part of kafkajs 2.2.4's internal RequestQueue that the patch touches. */
interface RequestQueue {
  throttledUntil: number;
  pending: unknown[];
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's interval for re-checking a throttled queue (its CHECK_PENDING_REQUESTS_INTERVAL). */
const CHECK_PENDING_REQUESTS_INTERVAL = 10;

let applied = false;

/**
 * Fixes a timer loop in kafkajs 2.2.4 (the last release). Its request queue re-arms a
 * `setTimeout(throttledUntil - now)` after every check even when nothing is pending and
 * nothing is throttled; `throttledUntil` starts at -1, so the delay is hugely negative,
 * Node clamps it to 1 ms (Node 24 also prints TimeoutNegativeWarning), and every broker
 * connection of every client wakes the process about 1,000 times a second, idle or not.
 * The replacement schedules a check only when requests are pending or a broker-requested
 * throttle is running out - the behaviour the code's own comment describes.
 * Applied once per process, before any kafkajs client is created.
 */
export function applyKafkajsPatches(): void {
  if (applied) return;
  applied = true;
  const mod = requireCjs('kafkajs/src/network/requestQueue/index.js') as { prototype?: RequestQueue } | undefined;
  const proto = mod?.prototype;
  if (!proto || typeof proto.scheduleCheckPendingRequests !== 'function') {
    throw new Error('kafkajs RequestQueue not found where kafkajs 2.2.4 has it; review libs/bus/src/kafkajs-patches.ts for this kafkajs version');
  }
  proto.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue): void {
    if (this.throttleCheckTimeoutId) return;
    const throttledFor = this.throttledUntil - Date.now();
    let delay: number;
    if (this.pending.length > 0) delay = throttledFor > 0 ? throttledFor : CHECK_PENDING_REQUESTS_INTERVAL;
    else if (throttledFor > 0) delay = throttledFor;
    else return;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, delay);
  };
}
