import { createRequire } from 'node:module';

const requireCjs = createRequire(__filename);

/** The part of kafkajs 2.2.4's internal RequestQueue that the patch touches. */
interface RequestQueue {
  throttledUntil: number;
  pending: unknown[];
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  requestTimeoutIntervalId: NodeJS.Timeout | undefined;
  inflight: Map<unknown, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  isConnected(): boolean;
  destroy(): void;
  scheduleRequestTimeoutCheck(): void;
}

/** kafkajs's interval for re-checking a throttled queue (its CHECK_PENDING_REQUESTS_INTERVAL). */
const CHECK_PENDING_REQUESTS_INTERVAL = 10;

/**
 * How often a connection looks for requests past their timeout. kafkajs checks every
 * 100 ms on every connection, idle or not (a producer and each consumer hold several),
 * which was most of an idle service's CPU; request timeouts are 30 s and more, so a
 * check a second finds a timed-out request at most a second late.
 */
export const REQUEST_TIMEOUT_CHECK_MS = 1000;

let applied = false;

/**
 * Fixes two timer loops in kafkajs 2.2.4 (the last release). First: Its request queue re-arms a
 * `setTimeout(throttledUntil - now)` after every check even when nothing is pending and
 * nothing is throttled; `throttledUntil` starts at -1, so the delay is hugely negative,
 * Node clamps it to 1 ms (Node 24 also prints TimeoutNegativeWarning), and every broker
 * connection of every client wakes the process about 1,000 times a second, idle or not.
 * The replacement schedules a check only when requests are pending or a broker-requested
 * throttle is running out - the behaviour the code's own comment describes.
 * Second: the request-timeout check runs every {@link REQUEST_TIMEOUT_CHECK_MS} instead of
 * every 100 ms (same check, same timeouts).
 * Applied once per process, before any kafkajs client is created.
 */
export function applyKafkajsPatches(): void {
  if (applied) return;
  applied = true;
  const mod = requireCjs('kafkajs/src/network/requestQueue/index.js') as { prototype?: RequestQueue } | undefined;
  const proto = mod?.prototype;
  if (!proto || typeof proto.scheduleCheckPendingRequests !== 'function' || typeof proto.scheduleRequestTimeoutCheck !== 'function') {
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
  proto.scheduleRequestTimeoutCheck = function scheduleRequestTimeoutCheck(this: RequestQueue): void {
    if (!this.enforceRequestTimeout) return;
    this.destroy();
    this.requestTimeoutIntervalId = setInterval(() => {
      const now = Date.now();
      this.inflight.forEach((request) => {
        if (now - request.sentAt > request.requestTimeout) request.timeoutRequest();
      });
      if (!this.isConnected()) this.destroy();
    }, Math.min(this.requestTimeout, REQUEST_TIMEOUT_CHECK_MS));
  };
}
