import { Logger } from '@nestjs/common';
import { ProviderError } from '@yardmaster/providers';
import type { CancelledRequests } from '@yardmaster/store';

/**
 * Aborts provider calls whose request was cancelled by its caller while the call was in
 * flight. While calls run, one `MGET` every `pollMs` asks Redis which of their requests
 * carry a cancel marker (`PipelineState.markCancelled`); the signal of each cancelled
 * one aborts with a `cancelled` ProviderError. Idle pools do not poll.
 */
export class CancelWatch {
  private readonly logger = new Logger(CancelWatch.name);
  private readonly watched = new Map<string, Set<AbortController>>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly cancelled: CancelledRequests,
    private readonly pollMs: number,
  ) {}

  /**
   * A signal that aborts when any of `ids` is cancelled (a request id, or a work item's
   * cancel id from `workCancelId`); call the returned `done` when the call ends.
   */
  watch(...ids: string[]): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    const sets = ids.map((id) => {
      let set = this.watched.get(id);
      if (!set) this.watched.set(id, (set = new Set()));
      set.add(controller);
      return [id, set] as const;
    });
    this.timer ??= setInterval(() => void this.poll(), this.pollMs).unref();
    return {
      signal: controller.signal,
      done: () => {
        for (const [id, set] of sets) {
          set.delete(controller);
          if (set.size === 0 && this.watched.get(id) === set) this.watched.delete(id);
        }
        if (this.watched.size === 0) this.stop();
      },
    };
  }

  private async poll(): Promise<void> {
    if (this.polling || this.watched.size === 0) return;
    this.polling = true;
    try {
      const ids = [...this.watched.keys()];
      for (const id of await this.cancelled.which(ids)) {
        const why = id.startsWith('w/') ? 'the plan cancelled this call (another call answered first)' : 'the caller cancelled the request while the provider call was in flight';
        for (const c of this.watched.get(id) ?? []) c.abort(new ProviderError('cancelled', why));
      }
    } catch (err) {
      // Redis unavailable: calls go on; the next poll tries again.
      this.logger.warn(`cannot read cancel markers: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.polling = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * Resolves at `atMs` (at once when it has passed); rejects with the signal's reason when
 * it aborts first (a hedge cancelled before its delay ran out).
 */
export function waitUntil(atMs: number, signal: AbortSignal): Promise<void> {
  const delay = atMs - Date.now();
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  if (delay <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, delay);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
