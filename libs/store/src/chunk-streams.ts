import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { StoreError, type Store } from './index.js';
import { recordRedisError } from './metrics.js';

/** Keys of the chunk streams. */
export const ChunkKeys = {
  /** The Redis Stream of one request's answer as it is generated. */
  stream: (requestId: string) => `chunks:${requestId}`,
};

/**
 * One entry of a request's chunk stream. Every entry names the work item (provider call)
 * that wrote it, so a reader can tell a fallback's or a hedge's entries from the first
 * call's; `seq` counts the entries of one work item from 0.
 */
export type ChunkEntry =
  /**
   * Text generated since the previous entry; `model` on a work item's first entry, and
   * `marks` there too: when the worker took the item, called the provider and read the first
   * delta (epoch milliseconds, fractional), for the time-to-first-token breakdown.
   */
  | { kind: 'delta'; workId: string; seq: number; text: string; model?: string; marks?: ChunkMarks }
  /** The call finished: why, and the tokens it used. */
  | { kind: 'end'; workId: string; seq: number; finishReason: string; inputTokens: number; outputTokens: number }
  /** The call failed after it had streamed something (no fallback can continue the text). */
  | { kind: 'error'; workId: string; seq: number; code: string; message: string };

/** The worker's moments on a work item's first delta (epoch milliseconds, fractional). */
export interface ChunkMarks {
  /** The worker's handler took the work item from Kafka. */
  readonly workerStart: number;
  /** The (last) provider attempt started. */
  readonly providerCall: number;
  /** The provider's first text delta was read. */
  readonly firstDelta: number;
}

/** Options of {@link RedisChunkStreams}. */
export interface ChunkStreamOptions {
  /** A stream expires this long after its last entry. Default 5 minutes. */
  ttlMs?: number;
  /** A stream keeps about this many entries (XADD MAXLEN ~). Default 10 000. */
  maxEntries?: number;
  /** How long one blocking XREAD waits before it looks at its subscriptions again. Default 1000 ms. */
  blockMs?: number;
}

/** What {@link ChunkStreams.subscribe} returns. */
export interface ChunkSubscription {
  /** Stops delivering entries (idempotent). */
  close(): void;
}

/**
 * The chunk streams of streamed answers: a worker appends the text deltas of a request's
 * answer as it reads them from the provider, and the ingress replica that holds the
 * caller's connection reads them. A request's entries live in one Redis Stream
 * (`chunks:<request_id>`), trimmed and expiring after minutes; a replica reads all the
 * streams it waits on through one blocking `XREAD` on its own connection.
 */
export abstract class ChunkStreams {
  /**
   * Appends entries to a request's stream (one round trip, with the stream's expiry).
   * @throws StoreError
   */
  abstract append(requestId: string, entries: readonly ChunkEntry[]): Promise<void>;

  /**
   * Delivers the entries of a request's stream, from its first entry, as they arrive
   * (`onEntries` is called in order, never concurrently for one subscription). Reading
   * failures are retried; they only delay entries.
   */
  abstract subscribe(requestId: string, onEntries: (entries: ChunkEntry[]) => void): ChunkSubscription;

  /** Stops reading (for shutdown). */
  abstract close(): Promise<void>;
}

type StreamReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/** Decodes one entry's fields (a flat name/value list); undefined for anything unknown. */
export function decodeChunkEntry(fields: readonly string[]): ChunkEntry | undefined {
  const f = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
  const workId = f.get('w') ?? '';
  const seq = Number(f.get('s') ?? '0');
  switch (f.get('k')) {
    case 'd': {
      const model = f.get('m');
      const marks = decodeMarks(f.get('tm'));
      return { kind: 'delta', workId, seq, text: f.get('t') ?? '', ...(model ? { model } : {}), ...(marks ? { marks } : {}) };
    }
    case 'e':
      return { kind: 'end', workId, seq, finishReason: f.get('f') ?? '', inputTokens: Number(f.get('i') ?? '0'), outputTokens: Number(f.get('o') ?? '0') };
    case 'x':
      return { kind: 'error', workId, seq, code: f.get('c') ?? 'error', message: f.get('t') ?? '' };
    default:
      return undefined;
  }
}

/** Decodes the `tm` field (three comma-separated epoch milliseconds); undefined when absent or malformed. */
function decodeMarks(raw: string | undefined): ChunkMarks | undefined {
  if (!raw) return undefined;
  const [workerStart, providerCall, firstDelta] = raw.split(',').map(Number);
  if (![workerStart, providerCall, firstDelta].every((n) => Number.isFinite(n))) return undefined;
  return { workerStart: workerStart!, providerCall: providerCall!, firstDelta: firstDelta! };
}

/** Encodes one entry as XADD field/value arguments. */
export function encodeChunkEntry(e: ChunkEntry): string[] {
  const base = ['w', e.workId, 's', String(e.seq)];
  switch (e.kind) {
    case 'delta':
      return ['k', 'd', ...base, 't', e.text, ...(e.model ? ['m', e.model] : []), ...(e.marks ? ['tm', `${e.marks.workerStart},${e.marks.providerCall},${e.marks.firstDelta}`] : [])];
    case 'end':
      return ['k', 'e', ...base, 'f', e.finishReason, 'i', String(e.inputTokens), 'o', String(e.outputTokens)];
    case 'error':
      return ['k', 'x', ...base, 'c', e.code, 't', e.message];
  }
}

interface Sub {
  readonly key: string;
  lastId: string;
  readonly onEntries: (entries: ChunkEntry[]) => void;
}

/**
 * {@link ChunkStreams} over Redis Streams. Readers share one extra connection per process
 * (blocking reads must not hold up the main connection's commands). The read also watches
 * a wake stream of this process: a new subscription appends to it, so a read that is
 * blocked on the old set of streams returns at once (race-free, unlike `CLIENT UNBLOCK`,
 * which misses a read that has not reached the server yet) and the new stream's first
 * entry is not held back by the block timeout.
 */
export class RedisChunkStreams extends ChunkStreams {
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly blockMs: number;
  private readonly subs = new Map<string, Set<Sub>>();
  private reader: Redis | undefined;
  private readonly wakeKey: string;
  private wakeId = '0-0';
  private loop: Promise<void> | undefined;
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly store: Store,
    options: ChunkStreamOptions = {},
  ) {
    super();
    this.ttlMs = options.ttlMs ?? 300_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.blockMs = options.blockMs ?? 1000;
    this.wakeKey = store.key(`chunks:wake:${randomUUID()}`);
  }

  async append(requestId: string, entries: readonly ChunkEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const key = this.store.key(ChunkKeys.stream(requestId));
    await this.store.run(async () => {
      const tx = this.store.connection().multi();
      for (const e of entries) tx.xadd(key, 'MAXLEN', '~', this.maxEntries, '*', ...encodeChunkEntry(e));
      tx.pexpire(key, this.ttlMs);
      const results = await tx.exec();
      const failed = results?.find(([err]) => err)?.[0];
      if (failed) throw failed;
    });
  }

  subscribe(requestId: string, onEntries: (entries: ChunkEntry[]) => void): ChunkSubscription {
    const key = this.store.key(ChunkKeys.stream(requestId));
    const sub: Sub = { key, lastId: '0-0', onEntries };
    let set = this.subs.get(key);
    if (!set) this.subs.set(key, (set = new Set()));
    set.add(sub);
    this.start();
    this.interrupt();
    return {
      close: () => {
        const s = this.subs.get(key);
        if (!s) return;
        s.delete(sub);
        if (s.size === 0) this.subs.delete(key);
      },
    };
  }

  /** Nest's shutdown hook: the reader's connection would keep the process alive. */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subs.clear();
    this.interrupt();
    this.wake?.();
    // Disconnecting ends a blocked read at once.
    this.reader?.disconnect();
    await this.loop;
  }

  private start(): void {
    if (this.loop || this.closed) return;
    this.loop = this.run().catch(() => undefined);
  }

  /** Wakes the reader: a blocked XREAD returns at once, an idle loop looks at its subscriptions. */
  private interrupt(): void {
    this.wake?.();
    if (this.closed) return;
    this.store
      .connection()
      .multi()
      .xadd(this.wakeKey, 'MAXLEN', '~', 100, '*', 'k', 'w')
      .pexpire(this.wakeKey, this.ttlMs)
      .exec()
      .catch((err: unknown) => recordRedisError(err));
  }

  private async connectReader(): Promise<Redis> {
    if (this.reader) return this.reader;
    const reader = this.store.connection().duplicate({ enableAutoPipelining: false, commandTimeout: this.blockMs + 5000, lazyConnect: true });
    reader.on('error', () => {});
    try {
      await reader.connect();
    } catch (err) {
      reader.disconnect();
      throw StoreError.from(err);
    }
    this.reader = reader;
    return reader;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      if (this.subs.size === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      try {
        const reader = await this.connectReader();
        const keys: string[] = [this.wakeKey];
        const ids: string[] = [this.wakeId];
        for (const [key, set] of this.subs) {
          keys.push(key);
          // Subscribers of one key read from the earliest position any of them has.
          let min = '';
          for (const s of set) if (min === '' || compareIds(s.lastId, min) < 0) min = s.lastId;
          ids.push(min);
        }
        const reply: StreamReply = await reader.xread('COUNT', 1000, 'BLOCK', this.blockMs, 'STREAMS', ...keys, ...ids);
        for (const [key, raw] of reply ?? []) {
          if (key === this.wakeKey) {
            const last = raw[raw.length - 1];
            if (last) this.wakeId = last[0];
            continue;
          }
          const set = this.subs.get(key);
          if (!set || raw.length === 0) continue;
          for (const s of set) {
            const fresh = raw.filter(([id]) => compareIds(id, s.lastId) > 0);
            if (fresh.length === 0) continue;
            s.lastId = fresh[fresh.length - 1]![0];
            const entries = fresh.flatMap(([, fields]) => {
              const e = decodeChunkEntry(fields);
              return e ? [e] : [];
            });
            if (entries.length) s.onEntries(entries);
          }
        }
      } catch (err) {
        recordRedisError(err);
        if (!this.closed) await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

/** Orders two stream ids (`<ms>-<seq>`). */
function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}
