/**
 * The offsets of one partition that a consumer took in one assignment, and its commit
 * point: the offset after the longest run of finished messages from the start. Messages
 * finish in any order (handlers run concurrently); the commit point only moves over a
 * contiguous prefix, so a crash redelivers exactly what was not finished.
 */
export class PartitionTrack {
  private offsets: bigint[] = [];
  private done: boolean[] = [];
  /** Sequence number of `offsets[0]` (sequence numbers stay valid when the finished prefix is dropped). */
  private base = 0;
  /** Position (in `offsets`) of the first message not yet finished. */
  private head = 0;
  private unfinished = 0;
  /** The next offset to commit: every offset below it is finished. Undefined until one finishes. */
  next: bigint | undefined;
  /** Aborted when this member loses the partition and the grace period has passed. */
  readonly revoke = new AbortController();

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /**
   * Records a message taken for handling; returns its sequence number for {@link finish}.
   * @throws Error when offsets do not increase (a redelivery belongs in a new track).
   */
  take(offset: string): number {
    const value = BigInt(offset);
    const last = this.offsets.at(-1);
    if (last !== undefined && value <= last) throw new Error(`offset ${offset} of ${this.topic}[${this.partition}] taken out of order (after ${last})`);
    this.offsets.push(value);
    this.done.push(false);
    this.unfinished++;
    return this.base + this.offsets.length - 1;
  }

  /**
   * Marks a message finished (idempotent).
   * @returns true when the commit point moved.
   */
  finish(seq: number): boolean {
    const position = seq - this.base;
    if (position < this.head || position >= this.offsets.length || this.done[position]) return false;
    this.done[position] = true;
    this.unfinished--;
    let moved = false;
    while (this.head < this.offsets.length && this.done[this.head]) {
      this.next = this.offsets[this.head]! + 1n;
      this.head++;
      moved = true;
    }
    // Drop the finished prefix now and then so a long-lived track does not grow without bound.
    if (this.head >= 1024 && this.head * 2 >= this.offsets.length) {
      this.offsets = this.offsets.slice(this.head);
      this.done = this.done.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
    return moved;
  }

  /** Messages taken and not finished. */
  get inFlight(): number {
    return this.unfinished;
  }
}
