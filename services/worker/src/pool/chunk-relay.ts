import { Logger } from '@nestjs/common';
import { nowEpochMs } from '@yardmaster/contracts';
import type { ChunkEntry, ChunkStreams } from '@yardmaster/store';

/** Options of a {@link ChunkRelay}. */
export interface ChunkRelayOptions {
  /** Deltas after the first are gathered this long before they are appended. */
  flushMs: number;
  /** …or until this many characters are waiting. */
  flushChars: number;
}

/**
 * Relays one provider call's text deltas to the request's chunk stream for the ingress
 * replica that holds a streaming caller's connection. The first delta goes out at once
 * (time to first token); later ones are coalesced for `flushMs` (or `flushChars`), so a
 * fast provider costs a Redis round trip per few tokens, not per token. Appends run one
 * at a time, in order. A failed append is logged and the rest still go out: the final
 * response through Kafka stays the record, a reader that missed text ends with an error.
 * The first delta carries the worker's marks (took the item, called the provider, read
 * the first delta) for the ingress's time-to-first-token breakdown.
 */
export class ChunkRelay {
  private readonly logger = new Logger(ChunkRelay.name);
  private seq = 0;
  private pending = '';
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private sentAny = false;
  private callStartedMs = 0;

  constructor(
    private readonly streams: ChunkStreams,
    private readonly requestId: string,
    private readonly workId: string,
    private readonly model: string,
    private readonly options: ChunkRelayOptions,
    /** When the worker took the work item (epoch ms), for the first delta's marks. */
    private readonly workerStartMs = nowEpochMs(),
  ) {}

  /** A provider attempt starts now (the first delta's marks say when the last one did). */
  attempting(): void {
    this.callStartedMs = nowEpochMs();
  }

  /** Whether any text went out (then no retry or fallback may start the answer again). */
  get started(): boolean {
    return this.sentAny;
  }

  /** Takes one text delta from the provider's stream. */
  delta(text: string): void {
    if (text === '') return;
    this.pending += text;
    if (!this.sentAny || this.pending.length >= this.options.flushChars) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), this.options.flushMs);
  }

  /** Ends the stream: what is left, then why the call finished and its usage. */
  async end(finishReason: string, inputTokens: number, outputTokens: number): Promise<void> {
    this.flush({ kind: 'end', workId: this.workId, seq: 0, finishReason, inputTokens, outputTokens });
    await this.chain;
  }

  /** Ends a stream that had started with the error that cut it (nothing when nothing went out). */
  async fail(code: string, message: string): Promise<void> {
    if (!this.sentAny) return;
    this.flush({ kind: 'error', workId: this.workId, seq: 0, code, message });
    await this.chain;
  }

  private flush(last?: ChunkEntry): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const entries: ChunkEntry[] = [];
    if (this.pending !== '') {
      const first = this.sentAny ? {} : { model: this.model, marks: { workerStart: this.workerStartMs, providerCall: this.callStartedMs || this.workerStartMs, firstDelta: nowEpochMs() } };
      entries.push({ kind: 'delta', workId: this.workId, seq: this.seq++, text: this.pending, ...first });
      this.pending = '';
      this.sentAny = true;
    }
    if (last) entries.push({ ...last, seq: this.seq++ });
    if (entries.length === 0) return;
    this.chain = this.chain.then(() =>
      this.streams.append(this.requestId, entries).catch((err: unknown) => {
        this.logger.warn(`cannot append to the chunk stream of ${this.requestId}: ${err instanceof Error ? err.message : String(err)}`);
      }),
    );
  }
}
