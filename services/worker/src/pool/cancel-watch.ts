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

  /** A signal that aborts when `requestId` is cancelled; call the returned `done` when the call ends. */
  watch(requestId: string): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    let set = this.watched.get(requestId);
    if (!set) this.watched.set(requestId, (set = new Set()));
    set.add(controller);
    this.timer ??= setInterval(() => void this.poll(), this.pollMs).unref();
    return {
      signal: controller.signal,
      done: () => {
        set.delete(controller);
        if (set.size === 0 && this.watched.get(requestId) === set) this.watched.delete(requestId);
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
        for (const c of this.watched.get(id) ?? []) c.abort(new ProviderError('cancelled', 'the caller cancelled the request while the provider call was in flight'));
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
