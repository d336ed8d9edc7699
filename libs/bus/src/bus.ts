import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { SpanKind, SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';
import { DeadLetterSchema, Topics, type Topic } from '@yardmaster/contracts';
import {
  Kafka,
  Partitioners,
  logLevel as KafkaLogLevel,
  type Admin,
  type Consumer as KafkaConsumer,
  type ConsumerRunConfig,
  type EachBatchPayload,
  type KafkaMessage,
  type LogEntry,
  type Producer,
  type TopicMessages,
} from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { registerCompressionCodecs, compressionType, type Compression } from './compression.js';
import { groupsCoveringPartitions } from './coordinators.js';
import { BusError, hasKafkaErrorType, isAuthorizationError, isInfrastructureError, isPermanentPublishError } from './errors.js';
import { applyKafkajsPatches } from './kafkajs-patches.js';
import { BusMetrics, ConsumerMetrics } from './metrics.js';
import { PartitionTrack } from './offsets.js';
import { extractTraceContext, headersToStrings, injectTraceHeaders } from './tracing.js';


/** Minimal logger the bus writes to; Nest's Logger and console both fit. */
export interface BusLogger {
  debug(message: string): void;
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const silentLogger: BusLogger = { debug() {}, log() {}, warn() {}, error() {} };

/** Options for {@link Bus.connect}. */
export interface BusOptions {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic name as `<prefix>.<name>`; lets tests and tenants share a cluster. */
  topicPrefix?: string;
  logger?: BusLogger;
  /** Consumer session timeout; a consumer silent this long loses its partitions. Default 30 s. */
  sessionTimeoutMs?: number;
  /** Largest number of messages sent in one produce request. Default 500. */
  maxBatchMessages?: number;
  /** How long a publish may wait for others to share its produce request. Default 0 (next tick). */
  lingerMs?: number;
  /**
   * Largest sum of message bytes in one produce request. Default 1 MiB. The broker checks a
   * topic's `max.message.bytes` against each partition's record batch, so batching many
   * messages that are each within the limit must not add up past it. A single larger
   * message still goes alone.
   */
  maxBatchBytes?: number;
  /** Compression of produced batches. Default `lz4`. */
  compression?: Compression;
  /**
   * How long a fetch waits at the broker when there is nothing to read. Default 1000 ms.
   * New messages end the wait at once, so this is idle polling only, not added latency.
   */
  fetchMaxWaitMs?: number;
  /**
   * How long a consumer that must give its partitions up (a rebalance) lets in-flight
   * handlers finish before it aborts them through {@link MessageContext.signal}. Default 5000 ms.
   */
  revokeGraceMs?: number;
  /**
   * How long a consumer waits for a batch's handlers before it fetches more while they
   * run. Quick handlers finish within it (fuller batches, fewer requests); slow ones
   * (provider calls) do not hold fetching back longer than this. Default 50 ms.
   */
  batchWaitMs?: number;
}

/** Per-message metadata handed to consumer handlers. */
export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  headers: Record<string, string>;
  /** 1 on the first try. */
  attempt: number;
  /** The consumer span of this message. */
  span: Span;
  /**
   * Aborted when this member is losing the message's partition (a rebalance) and the
   * grace period has passed: the new owner will handle the message, so stop spending on it.
   */
  signal: AbortSignal;
}

/**
 * {@link ConsumeOptions.fetch} for a reader that may lag half a second (usage charging, a
 * bench's response count): the broker answers every 64 KiB, or after 500 ms.
 */
export const LAGGING_READER_FETCH = { minBytes: 64 * 1024, maxWaitMs: 500 } as const;

/** Options for {@link Bus.consume}. */
export interface ConsumeOptions<D extends DescMessage> {
  groupId: string;
  topics: readonly Topic<D>[];
  /**
   * Processes one decoded message. Publishing inside and awaiting it before returning
   * gives produce-then-commit: the offset is committed only after the handler resolves.
   */
  handler: (message: MessageShape<D>, ctx: MessageContext) => Promise<void>;
  /** Messages processed at once by this consumer (messages of one key stay in order). Default 64. */
  concurrency?: number;
  /** Tries per message before it goes to the dead-letter topic. Default 3. */
  maxAttempts?: number;
  /** Base delay between tries, doubled each time. Default 100 ms. */
  retryBackoffMs?: number;
  /**
   * Where a group without committed offsets starts. Default true (earliest): a new or
   * restarted group must not skip messages that were published before it joined.
   * Only listeners that care about new messages alone (ingress's response waiters) set false.
   */
  fromBeginning?: boolean;
  /** Messages whose key fails this test are skipped without decoding (committed as done). */
  acceptKey?: (key: string) => boolean;
  /** Span name; defaults to `<topic> process`. */
  spanName?: string;
  /** Whether to create a consumer span per message. Default true. */
  traced?: boolean;
  /**
   * Fewer, larger fetches for a reader that may lag behind the topic (usage charging, batch
   * collection): the broker answers a fetch once this many bytes wait, or after `maxWaitMs`.
   * Without it (the pipeline's stages) a fetch returns as soon as one message arrives, so
   * every message wakes every reader; a background reader of a busy topic pays that per
   * message for nothing. Default: a fetch answers at the first byte, or after the bus's `fetchMaxWaitMs`.
   */
  fetch?: { minBytes: number; maxWaitMs: number };
  /**
   * Delete the consumer group when this consumer stops gracefully. For groups that
   * belong to one process (ingress's per-replica response listener), so restarts do
   * not leave empty groups behind.
   */
  deleteGroupOnStop?: boolean;
}

/** A running consumer. */
export interface RunningConsumer {
  /** Resolves once the group has assigned this member at least one partition (or the group has no partitions to give). */
  readonly ready: Promise<void>;
  /** Stops fetching, finishes in-flight messages, commits and leaves the group. */
  stop(): Promise<void>;
  /** False after a crash of the consumer loop or after stop(). */
  isRunning(): boolean;
}

/** A message already encoded, for producers that hold raw bytes (and tests). */
export interface RawMessage {
  key: string | null;
  value: Buffer | null;
  headers?: Record<string, string>;
}

interface Pending {
  topic: string;
  /** Sent in a produce request of its own (after a batch it was in was rejected). */
  alone?: boolean;
  message: { key: string | null; value: Buffer | null; headers: Record<string, string> };
  resolve: () => void;
  reject: (err: unknown) => void;
}

const tracer = trace.getTracer('@yardmaster/bus');

/** kafkajs error types after which the idempotent producer must be replaced. */
const PRODUCER_STATE_ERRORS = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING']);

/** True for a kafkajs protocol error (possibly wrapped as the cause of a non-retriable error) of those types. */
export function isProducerStateError(err: unknown): boolean {
  return hasKafkaErrorType(err, (type) => PRODUCER_STATE_ERRORS.has(type));
}

/**
 * Messages of the Kafka protocol errors that kafkajs retries by itself (its own error table:
 * a group coordinator still loading or not available, a leader election under way, …); empty
 * if a kafkajs release moves the table, which only makes the logs louder.
 */
const RETRIABLE_PROTOCOL_MESSAGES: ReadonlySet<string> = (() => {
  try {
    const table = (createRequire(__filename)('kafkajs/src/protocol/error.js') as { errorCodes?: Array<{ message?: unknown; retriable?: unknown }> }).errorCodes;
    return new Set((table ?? []).filter((e) => e.retriable === true && typeof e.message === 'string').map((e) => e.message as string));
  } catch {
    return new Set<string>();
  }
})();

/**
 * kafkajs logs at ERROR what it goes on to handle itself: every crash of a consumer before
 * it knows whether it will restart ("Crash: …", then "Restarting the consumer in …"), and
 * every error response on a connection, including the retriable ones it retries (a fresh
 * broker's "The group coordinator is not available"). The bus logs a consumer's outcome
 * itself from the CRASH event (see {@link consumerCrashLog}), and an error that outlives
 * kafkajs's retries reaches the caller, so those lines go to debug; everything else keeps
 * its level.
 */
export function kafkaLogCreator(logger: BusLogger) {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const text = `[kafkajs ${namespace}] ${log.message}${log.error ? `: ${String(log.error)}` : ''}`;
      const handled =
        (namespace === 'Consumer' && (log.message.startsWith('Crash: ') || log.message.startsWith('Restarting the consumer'))) ||
        (namespace === 'Connection' && log.message.startsWith('Response ') && typeof log.error === 'string' && RETRIABLE_PROTOCOL_MESSAGES.has(log.error));
      if (level === KafkaLogLevel.ERROR && !handled) logger.error(text);
      else if (level === KafkaLogLevel.WARN && !handled) logger.warn(text);
      else logger.debug(text);
    };
}

/**
 * How a consumer crash is reported: a retriable one that kafkajs restarts from (a group
 * coordinator still loading on a fresh broker, a broker restart) is a warning; one kafkajs
 * gives up on is an error, with when the bus starts the consumer again (`rerunInMs`), or
 * that it stopped (the consumer was being stopped anyway).
 */
export function consumerCrashLog(groupId: string, error: unknown, restart: boolean, rerunInMs?: number): { level: 'warn' | 'error'; text: string } {
  if (restart) return { level: 'warn', text: `consumer ${groupId} is restarting after a retriable error: ${String(error)}` };
  return rerunInMs === undefined
    ? { level: 'error', text: `consumer ${groupId} stopped after an error it cannot retry: ${String(error)}` }
    : { level: 'error', text: `consumer ${groupId} crashed with an error kafkajs does not retry: ${String(error)}; starting it again in ${rerunInMs} ms` };
}

/**
 * The wait before starting again something that crashed `crashesInARow` times in a row: 1 s,
 * doubling to 30 s. A consumer kafkajs gave up on, and a service process under `npm start`.
 */
export function restartDelayMs(crashesInARow: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(5, Math.max(0, crashesInARow - 1)));
}

/**
 * Yardmaster's only door to Kafka: typed, protobuf-encoded topics, W3C trace context
 * in headers, keys = request_id, batched produce, produce-then-commit consumers with a
 * dead-letter path, and graceful shutdown.
 */
export class Bus {
  private readonly kafka: Kafka;
  private producer: Producer;
  /** Set while a producer whose sequence state the broker rejected is being replaced. */
  private producerReset: Promise<void> | null = null;
  private readonly consumers = new Set<ConsumerRunner>();
  private readonly logger: BusLogger;
  private readonly prefix: string;
  private pending: Pending[] = [];
  private flushScheduled = false;
  private inFlightSends = new Set<Promise<void>>();
  private closed = false;
  private readonly metrics = new BusMetrics();

  private readonly compression: ReturnType<typeof compressionType>;

  private constructor(private readonly options: BusOptions) {
    applyKafkajsPatches();
    registerCompressionCodecs();
    this.compression = compressionType(options.compression ?? 'lz4');
    this.logger = options.logger ?? silentLogger;
    this.prefix = options.topicPrefix ? `${options.topicPrefix}.` : '';
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: KafkaLogLevel.WARN,
      logCreator: kafkaLogCreator(this.logger),
      retry: { initialRetryTime: 100, retries: 8 },
    });
    this.producer = this.createProducer();
  }

  /**
   * Idempotent producer: a produce request the broker wrote but could not acknowledge
   * (connection lost, broker killed) is retried with the same producer id and sequence
   * numbers, and the broker drops the copy. Without it, such a retry writes the messages
   * twice - a second final response on llm.responses.v1 after a broker crash. kafkajs
   * keeps one produce request in flight per broker (a lock per broker, so the sequence
   * numbers stay in order without a maxInFlightRequests limit) and retries without limit.
   */
  private createProducer(): Producer {
    return this.kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 5_000 },
    });
  }

  /**
   * After a broker restarts uncleanly it can reject the producer's sequence state
   * (OUT_OF_ORDER_SEQUENCE_NUMBER: it lost batches this producer believes it sent;
   * UNKNOWN_PRODUCER_ID / INVALID_PRODUCER_EPOCH: it forgot or fenced the producer id),
   * and kafkajs cannot recover from that by itself: every later send fails the same way.
   * The batches concerned were reported as failed (so their publishers retry them) and
   * the broker does not hold them (else it would have answered DUPLICATE), so a fresh
   * producer - a new producer id, sequences from zero - is safe.
   */
  private resetProducer(): void {
    if (this.producerReset || this.closed) return;
    const old = this.producer;
    this.logger.warn('the broker rejected the producer sequence state; starting a new idempotent producer');
    this.producer = this.createProducer();
    const fresh = this.producer;
    // The old producer may still be retrying other batches; its disconnect is not awaited
    // (it can wait for them), so new publishes go to the fresh producer at once.
    void old.disconnect().catch(() => undefined);
    this.producerReset = (async () => {
      for (let attempt = 0; !this.closed; attempt++) {
        try {
          await fresh.connect();
          return;
        } catch (err) {
          this.logger.warn(`producer reconnect failed (will retry): ${String(err)}`);
          await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** attempt)));
        }
      }
    })().finally(() => {
      this.producerReset = null;
    });
  }

  /**
   * Connects the producer.
   * @throws BusError(connection_failed) when no broker answers.
   */
  static async connect(options: BusOptions): Promise<Bus> {
    const bus = new Bus(options);
    try {
      await bus.producer.connect();
    } catch (err) {
      throw new BusError('connection_failed', `cannot connect to Kafka at ${options.brokers.join(',')}: ${String(err)}`, true, { cause: err });
    }
    return bus;
  }

  /** The physical topic name (with the configured prefix). */
  topicName(topic: Topic | string): string {
    return this.prefix + (typeof topic === 'string' ? topic : topic.name);
  }

  /**
   * The physical consumer group id (with the configured prefix, like topics): systems
   * sharing a cluster under different prefixes must not share groups, or the group
   * hands one system's partitions to the other's members.
   */
  groupName(groupId: string): string {
    return this.prefix + groupId;
  }

  /**
   * Publishes one message, keyed by `key` (the request_id), with the active trace
   * context in its headers. Resolves when the broker acknowledged it (acks=all).
   * Publishes issued close together share one produce request.
   */
  publish<D extends DescMessage>(topic: Topic<D>, key: string, message: MessageShape<D>, headers: Record<string, string> = {}): Promise<void> {
    const value = Buffer.from(toBinary(topic.schema, message));
    return this.publishRaw(this.topicName(topic), { key, value, headers });
  }

  /** Publishes pre-encoded bytes to a physical topic name. */
  publishRaw(topicName: string, message: RawMessage): Promise<void> {
    if (this.closed) return Promise.reject(new BusError('closed', 'bus is closed', false));
    const headers = injectTraceHeaders({ ...(message.headers ?? {}) });
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ topic: topicName, message: { key: message.key, value: message.value, headers }, resolve, reject });
      if (this.pending.length >= (this.options.maxBatchMessages ?? 500)) this.flush();
      else this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const linger = this.options.lingerMs ?? 0;
    const run = () => {
      this.flushScheduled = false;
      this.flush();
    };
    if (linger > 0) setTimeout(run, linger);
    else setImmediate(run);
  }

  /** Takes the next produce request's messages off the queue: up to the count and byte caps. */
  private takeBatch(): Pending[] {
    const maxMessages = this.options.maxBatchMessages ?? 500;
    const maxBytes = this.options.maxBatchBytes ?? 1 << 20;
    if (this.pending[0]?.alone) return this.pending.splice(0, 1);
    let bytes = 0;
    let n = 0;
    while (n < this.pending.length && n < maxMessages) {
      const p = this.pending[n]!;
      const size = (p.message.value?.length ?? 0) + (p.message.key?.length ?? 0);
      if (p.alone || (n > 0 && bytes + size > maxBytes)) break;
      bytes += size;
      n++;
    }
    return this.pending.splice(0, n);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    // The idempotent producer sends one request at a time anyway (see createProducer);
    // messages published meanwhile wait here and leave together when it completes, so
    // that under load each request carries more messages instead of queueing up.
    if (this.inFlightSends.size > 0) return;
    const batch = this.takeBatch();
    const byTopic = new Map<string, TopicMessages>();
    for (const p of batch) {
      let tm = byTopic.get(p.topic);
      if (!tm) {
        tm = { topic: p.topic, messages: [] };
        byTopic.set(p.topic, tm);
      }
      tm.messages.push(p.message);
    }
    const topicMessages = [...byTopic.values()];
    const compression = this.compression;
    const send = (this.producerReset ?? Promise.resolve())
      .then(() => this.producer.sendBatch({ topicMessages, acks: -1, compression }))
      .then(
        () => {
          this.metrics.produced(topicMessages);
          for (const p of batch) p.resolve();
        },
        (err: unknown) => {
          this.metrics.produced(topicMessages, err);
          if (isProducerStateError(err)) this.resetProducer();
          if (isPermanentPublishError(err)) {
            // The broker refused the request for good (a record too large for its topic, a
            // corrupt record, no authorization): retrying cannot help, but only one message
            // of the batch may be at fault. Send each again on its own; the one that is
            // refused alone fails its publisher, not retriable, so its consumer dead-letters it.
            if (batch.length > 1) {
              this.pending.unshift(...batch.map((p) => ({ ...p, alone: true })));
              return;
            }
            const error = new BusError('publish_rejected', `Kafka refused a message for ${batch[0]?.topic ?? '?'}: ${err instanceof Error ? err.message : String(err)}`, false, { cause: err });
            for (const p of batch) p.reject(error);
            return;
          }
          const error = BusError.from(err, 'publish_failed');
          for (const p of batch) p.reject(error);
        },
      )
      .finally(() => {
        this.inFlightSends.delete(send);
        this.flush();
      });
    this.inFlightSends.add(send);
  }

  /** Resolves when every publish issued so far is acknowledged or failed. */
  async flushed(): Promise<void> {
    this.flush();
    while (this.inFlightSends.size > 0) await Promise.allSettled([...this.inFlightSends]);
  }

  /**
   * Starts a consumer group member. Messages that cannot be decoded, or whose handler
   * fails `maxAttempts` times (or throws a non-retriable error), go to `llm.dlq.v1`
   * with the reason and their offset is committed, so consumption goes on.
   */
  async consume<D extends DescMessage>(options: ConsumeOptions<D>): Promise<RunningConsumer> {
    options = { ...options, groupId: this.groupName(options.groupId) };
    const sessionTimeoutMs = this.options.sessionTimeoutMs ?? 30000;
    const heartbeatIntervalMs = Math.max(500, Math.floor(sessionTimeoutMs / 10));
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: heartbeatIntervalMs,
      rebalanceTimeout: Math.max(10000, sessionTimeoutMs),
      maxWaitTimeInMs: options.fetch?.maxWaitMs ?? this.options.fetchMaxWaitMs ?? 1000,
      minBytes: options.fetch?.minBytes ?? 1,
      allowAutoTopicCreation: false,
    });
    const runner = new ConsumerRunner(this, consumer, options, this.logger, {
      heartbeatIntervalMs,
      revokeGraceMs: this.options.revokeGraceMs ?? 5000,
      batchWaitMs: this.options.batchWaitMs ?? 50,
    });
    this.consumers.add(runner);
    await runner.start();
    return {
      ready: runner.ready,
      stop: async () => {
        await runner.stop();
        this.consumers.delete(runner);
      },
      isRunning: () => runner.running && !runner.down,
    };
  }

  /** Creates the topics that do not exist yet (waits for their leaders). */
  async ensureTopics(topics: readonly { topic: Topic | string; partitions: number; configs?: Record<string, string> }[]): Promise<void> {
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(this.topicName(t.topic)));
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: this.topicName(t.topic),
          numPartitions: t.partitions,
          replicationFactor: -1,
          configEntries: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Waits until the broker's group coordinators answer for every partition of its offsets
   * topic, creating that topic if it does not exist yet. On a fresh broker the first
   * consumer to look for its coordinator creates it, and every group whose partition is
   * still loading fails its first join (kafkajs restarts the consumer; two restarting at once
   * in one process log "write after end"). A launcher calls this before it starts services,
   * so they join at once. Asks about throw-away group ids that land on every partition
   * (nothing is created for them); returns at once on a broker that is up.
   *
   * Best effort, never throws: resolves false when it gives up, after `timeoutMs` or at once
   * on an authorization failure (a broker whose ACLs do not let this client describe groups
   * or the offsets topic), and the services' consumers then retry as they always do.
   */
  async awaitGroupCoordinators(timeoutMs = 60_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    // No retries inside kafkajs' admin calls: this loop retries every 200 ms up to the deadline,
    // and a timer ends the wait even while the client is still (re)connecting.
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    let done = false;
    /** The call's result once it succeeds; undefined when giving up (deadline, stopped, not authorized). */
    const attempt = async <T>(call: () => Promise<T>): Promise<{ value: T } | undefined> => {
      for (;;) {
        try {
          return { value: await call() };
        } catch (e) {
          if (done || isAuthorizationError(e) || Date.now() >= deadline) return undefined;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    };
    const work = (async (): Promise<boolean> => {
      if (!(await attempt(() => admin.connect()))) return false;
      const base = this.groupName('yardmaster-coordinator-probe');
      if (!(await attempt(() => admin.describeGroups([base])))) return false;
      const metadata = await attempt(() => admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] }));
      const partitions = metadata?.value.topics[0]?.partitions.length ?? 0;
      if (partitions === 0) return false;
      return (await attempt(() => admin.describeGroups(groupsCoveringPartitions(base, partitions)))) !== undefined;
    })().catch(() => false);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))));
    try {
      return await Promise.race([work, timeout]);
    } finally {
      done = true;
      clearTimeout(timer);
      await admin.disconnect().catch(() => undefined);
    }
  }

  /**
   * Finds the newest message with `key` written to `topic` at or after `sinceMs` (message
   * timestamps), reading every partition from that time to its current end. For rare
   * recovery decisions (did a crashed instance publish before it died?), not the hot path:
   * it joins a throw-away consumer group and deletes it afterwards.
   * @throws BusError(connection_failed) when the search cannot finish within `timeoutMs`.
   */
  async findMessage(topic: Topic | string, key: string, sinceMs: number, timeoutMs = 30_000): Promise<Uint8Array | null> {
    const name = this.topicName(topic);
    const admin = this.kafka.admin();
    await admin.connect();
    let ranges: Map<number, { from: bigint; to: bigint }>;
    try {
      const [starts, ends] = await Promise.all([admin.fetchTopicOffsetsByTimestamp(name, Math.max(0, sinceMs)), admin.fetchTopicOffsets(name)]);
      ranges = new Map();
      for (const end of ends) {
        const start = starts.find((s) => s.partition === end.partition);
        const from = BigInt(start?.offset ?? end.high);
        const to = BigInt(end.high);
        if (from < to) ranges.set(end.partition, { from: from < 0n ? to : from, to });
      }
    } finally {
      await admin.disconnect();
    }
    for (const [p, r] of ranges) if (r.from >= r.to) ranges.delete(p);
    if (ranges.size === 0) return null;
    const groupId = `yardmaster-lookup-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
    let found: Uint8Array | null = null;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: name, fromBeginning: true });
      const remaining = new Set(ranges.keys());
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new BusError('connection_failed', `searching ${name} for ${key} took longer than ${timeoutMs} ms`, true)), timeoutMs);
        consumer.on(consumer.events.GROUP_JOIN, () => {
          for (const [partition, r] of ranges) consumer.seek({ topic: name, partition, offset: r.from.toString() });
        });
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const range = ranges.get(batch.partition);
              if (!range) return;
              for (const m of batch.messages) {
                const offset = BigInt(m.offset);
                if (offset < range.from || offset >= range.to) continue;
                if (m.key?.toString() === key && m.value) found = new Uint8Array(m.value);
              }
              if (BigInt(batch.lastOffset()) + 1n >= range.to) remaining.delete(batch.partition);
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
              return Promise.resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await this.deleteGroup(groupId).catch(() => undefined);
    }
    return found;
  }

  /** Ids of the consumer groups the cluster knows. */
  async listGroups(): Promise<string[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return (await admin.listGroups()).groups.map((g) => g.groupId);
    } finally {
      await admin.disconnect();
    }
  }

  /** Deletes a consumer group that has no members. */
  async deleteGroup(groupId: string): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.deleteGroups([groupId]);
    } finally {
      await admin.disconnect();
    }
  }

  /** Deletes topics (tests clean up after themselves with this). */
  async deleteTopics(topics: readonly (Topic | string)[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const names = topics.map((t) => this.topicName(t)).filter((n) => existing.has(n));
      if (names.length > 0) await admin.deleteTopics({ topics: names });
    } finally {
      await admin.disconnect();
    }
  }

  /** Writes a dead letter for a message that could not be handled. */
  async deadLetter(args: {
    topic: string;
    partition: number;
    message: KafkaMessage;
    reason: string;
    code: string;
    attempts: number;
    groupId: string;
  }): Promise<void> {
    const letter = create(DeadLetterSchema, {
      sourceTopic: args.topic,
      sourcePartition: args.partition,
      sourceOffset: BigInt(args.message.offset),
      key: args.message.key ? new Uint8Array(args.message.key) : new Uint8Array(),
      value: args.message.value ? new Uint8Array(args.message.value) : new Uint8Array(),
      headers: headersToStrings(args.message.headers),
      reason: args.reason,
      errorCode: args.code,
      attempts: args.attempts,
      consumerGroup: args.groupId,
      failedAt: timestampNow(),
    });
    await this.publish(Topics.dlq, args.message.key?.toString() ?? '', letter);
    this.metrics.deadLettered(args.topic, args.groupId, args.code);
  }

  /** Stops every consumer (finishing in-flight work and committing), flushes and disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.allSettled([...this.consumers].map((c) => c.stop()));
    this.consumers.clear();
    await this.flushed();
    this.closed = true;
    await this.producerReset;
    await this.producer.disconnect();
  }
}

/** Runs one kafkajs consumer with bounded concurrency, per-key ordering, retries and the DLQ. */
class ConsumerRunner {
  running = false;
  /**
   * Between a crash kafkajs does not restart from and the bus's own restart of the consumer
   * (a known kafkajs gap: "Failed to find group coordinator" on a fresh or failing-over
   * broker counts as final). Such a consumer would otherwise stay stopped for the life of
   * the process while the service looks alive.
   */
  down = false;
  private crashesInARow = 0;
  private rerunTimer: NodeJS.Timeout | undefined;
  private runConfig: ConsumerRunConfig | undefined;
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private readonly concurrency: number;
  private active = 0;
  private waiters: (() => void)[] = [];
  /** The current track of each partition (`topic:partition`) of this assignment. */
  private readonly tracks = new Map<string, PartitionTrack>();
  /** The last task of each key (`topic:partition|key`): messages of one key run in order, across batches and assignments. */
  private readonly chains = new Map<string, Promise<void>>();
  /** Every handler task in flight. */
  private readonly tasks = new Set<Promise<void>>();
  /** The offset last committed per partition. */
  private readonly committed = new Map<string, bigint>();
  private committing: Promise<void> = Promise.resolve();
  private commitTimer: NodeJS.Timeout | undefined;
  private readonly metrics: ConsumerMetrics;

  constructor(
    private readonly bus: Bus,
    private readonly consumer: KafkaConsumer,
    private readonly options: ConsumeOptions<DescMessage>,
    private readonly logger: BusLogger,
    private readonly timing: { heartbeatIntervalMs: number; revokeGraceMs: number; batchWaitMs: number },
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 64);
    this.metrics = new ConsumerMetrics(options.groupId);
    this.ready = new Promise<void>((resolve) => (this.markReady = resolve));
  }

  async start(): Promise<void> {
    const { consumer, options } = this;
    consumer.on(consumer.events.REBALANCING, () => {
      // The generation is still valid while the group prepares to rebalance: commit what is done.
      void this.commitFinished();
    });
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.down = false;
      this.crashesInARow = 0;
      this.reassigned(event.payload.memberAssignment);
      this.metrics.assigned(event.payload.memberAssignment);
      this.markReady();
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const rerun = !event.payload.restart && this.running;
      const delay = rerun ? restartDelayMs(++this.crashesInARow) : undefined;
      const { level, text } = consumerCrashLog(options.groupId, event.payload.error, event.payload.restart, delay);
      this.logger[level](text);
      if (delay !== undefined) {
        this.down = true;
        clearTimeout(this.rerunTimer);
        this.rerunTimer = setTimeout(() => void this.rerun(), delay);
      }
    });
    await consumer.connect();
    for (const topic of options.topics) {
      await consumer.subscribe({ topic: this.bus.topicName(topic), fromBeginning: options.fromBeginning ?? true });
    }
    this.running = true;
    this.commitTimer = setInterval(() => void this.commitFinished(), 1000);
    this.commitTimer.unref();
    this.runConfig = {
      // Offsets are committed by this runner, from each partition's finished prefix (see
      // PartitionTrack): at most once a second, and at once on a rebalance and on stop.
      // kafkajs's auto-commit would commit what was *resolved* - here, what was taken.
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 8,
      eachBatch: (payload) => this.handleBatch(payload),
    };
    await consumer.run(this.runConfig);
  }

  /**
   * Starts the consumer again after kafkajs gave up on it: connects and runs it with the
   * same subscription; a join that fails comes back as another CRASH (a longer wait).
   */
  private async rerun(): Promise<void> {
    this.rerunTimer = undefined;
    if (!this.running || !this.runConfig) return;
    try {
      await this.consumer.connect();
      await this.consumer.run(this.runConfig);
    } catch (err) {
      const delay = restartDelayMs(++this.crashesInARow);
      this.logger.error(`consumer ${this.options.groupId} could not be started again: ${String(err)}; next try in ${delay} ms`);
      if (this.running) this.rerunTimer = setTimeout(() => void this.rerun(), delay);
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.rerunTimer);
    // Stop fetching, let the handlers in flight finish, commit what they finished, then leave.
    // (A consumer down after a crash has nothing to pause: kafkajs refuses.)
    if (!this.down) this.consumer.pause(this.options.topics.map((t) => ({ topic: this.bus.topicName(t) })));
    await Promise.allSettled([...this.tasks]);
    clearInterval(this.commitTimer);
    await this.commitFinished();
    await this.consumer.disconnect();
    this.metrics.close();
    if (this.options.deleteGroupOnStop) {
      try {
        await this.bus.deleteGroup(this.options.groupId);
      } catch (err) {
        this.logger.warn(`could not delete consumer group ${this.options.groupId}: ${String(err)}`);
      }
    }
  }

  /**
   * A new assignment (eager rebalancing: every partition was revoked). kafkajs fetches each
   * assigned partition again from its committed offset, so every partition starts a new
   * track; messages still in flight from before finish behind their key's chain (their
   * redelivered copies wait for them and find the work done). Handlers of partitions that
   * went to another member get the grace period, then their signal is aborted.
   */
  private reassigned(assignment: Record<string, number[]>): void {
    for (const [tp, track] of this.tracks) {
      if (!(assignment[track.topic] ?? []).includes(track.partition)) {
        this.committed.delete(tp);
        if (track.inFlight > 0) {
          this.logger.warn(`${tp} went to another member with ${track.inFlight} message(s) in flight; they get ${this.timing.revokeGraceMs} ms before they are aborted`);
          setTimeout(() => track.revoke.abort(new BusError('processing_error', `partition ${tp} was revoked`, true)), this.timing.revokeGraceMs).unref();
        }
      }
    }
    this.tracks.clear();
  }

  /** Commits every partition's finished prefix that moved since the last commit (one request). */
  private commitFinished(): Promise<void> {
    // Down after a crash: no group member to commit as (the next join starts new tracks).
    if (this.down) return this.committing;
    // Taken now: a rebalance that completes before the commit runs must not empty the list.
    const list: { topic: string; partition: number; offset: string }[] = [];
    for (const [tp, track] of this.tracks) {
      if (track.next !== undefined && track.next !== this.committed.get(tp)) list.push({ topic: track.topic, partition: track.partition, offset: track.next.toString() });
    }
    if (list.length === 0) return this.committing;
    this.committing = this.committing.then(async () => {
      try {
        await this.consumer.commitOffsets(list);
        for (const c of list) this.committed.set(`${c.topic}:${c.partition}`, BigInt(c.offset));
      } catch (err) {
        this.logger.warn(`offset commit failed; messages may be redelivered: ${String(err)}`);
      }
    });
    return this.committing;
  }

  private async acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.active++;
  }

  private release(): void {
    this.active--;
    const next = this.waiters.shift();
    if (next) next();
  }

  /**
   * Dispatches a batch and returns without waiting for its handlers, so kafkajs fetches
   * the next messages while slow handlers (provider calls) run: the consumer is pipelined,
   * bounded by `concurrency` handlers in flight (beyond it, this waits for a free slot,
   * which holds fetching back). Offsets are resolved as they are taken, which moves
   * kafkajs's fetch position; what is committed is each partition's finished prefix.
   */
  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    this.metrics.batchStarted(batch);
    const tp = `${batch.topic}:${batch.partition}`;
    let track = this.tracks.get(tp);
    if (!track) this.tracks.set(tp, (track = new PartitionTrack(batch.topic, batch.partition)));
    const current = track;
    // Heartbeats go out while this waits for a free handler slot: a member whose every
    // handler is slow (a hung provider, a Redis outage) must not be evicted while it works,
    // or another member redoes the same paid work. Started only when a wait is needed.
    let heartbeat: NodeJS.Timeout | undefined;
    const keepAlive = () => {
      if (heartbeat) return;
      heartbeat = setInterval(() => void payload.heartbeat().catch(() => undefined), this.timing.heartbeatIntervalMs);
      heartbeat.unref();
    };
    let last: string | undefined;
    const dispatched: Promise<void>[] = [];
    try {
      for (const message of batch.messages) {
        if (!this.running || !payload.isRunning() || payload.isStale() || this.tracks.get(tp) !== current) break;
        const key = message.key?.toString() ?? '';
        if (this.options.acceptKey && !this.options.acceptKey(key)) {
          current.finish(current.take(message.offset));
          payload.resolveOffset(message.offset);
          last = message.offset;
          continue;
        }
        if (this.active >= this.concurrency) keepAlive();
        await this.acquire();
        if (!this.running || !payload.isRunning() || payload.isStale() || this.tracks.get(tp) !== current) {
          this.release();
          break;
        }
        const seq = current.take(message.offset);
        payload.resolveOffset(message.offset);
        last = message.offset;
        dispatched.push(this.dispatch(current, tp, message, key, seq));
      }
      // Quick handlers (classify, route, join: a millisecond or two) are waited for, so the
      // next fetch brings a fuller batch instead of one message at a time (fewer requests
      // per message under load); slow ones (provider calls) are not: after `batchWaitMs`
      // the next fetch goes out while they run.
      if (dispatched.length > 0 && this.timing.batchWaitMs > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled(dispatched), new Promise<void>((r) => (timer = setTimeout(r, this.timing.batchWaitMs)))]);
        clearTimeout(timer);
      }
    } finally {
      clearInterval(heartbeat);
    }
    this.metrics.batchFinished(batch, last);
  }

  private dispatch(track: PartitionTrack, tp: string, message: KafkaMessage, key: string, seq: number): Promise<void> {
    const chainKey = `${tp}|${key}`;
    const previous = this.chains.get(chainKey) ?? Promise.resolve();
    const task: Promise<void> = previous
      .then(() => (track.revoke.signal.aborted ? undefined : this.handleMessage(track.topic, track.partition, message, key, track.revoke.signal)))
      .then(
        () => {
          if (!track.revoke.signal.aborted) track.finish(seq);
        },
        (err: unknown) => this.failed(track, tp, message, err),
      )
      .finally(() => {
        this.release();
        this.tasks.delete(task);
        if (this.chains.get(chainKey) === task) this.chains.delete(chainKey);
      });
    this.chains.set(chainKey, task);
    this.tasks.add(task);
    return task;
  }

  /**
   * A handler gave up without dead-lettering (the DLQ publish failed, or the consumer is
   * stopping): the message must be handled again. Fetching goes back to it (a new track,
   * so later messages are redelivered too and find their work done).
   */
  private failed(track: PartitionTrack, tp: string, message: KafkaMessage, err: unknown): void {
    if (!this.running || this.tracks.get(tp) !== track) return;
    this.logger.error(`${tp}@${message.offset} failed and will be fetched again: ${err instanceof Error ? err.message : String(err)}`);
    const fresh = new PartitionTrack(track.topic, track.partition);
    fresh.next = track.next;
    this.tracks.set(tp, fresh);
    this.consumer.seek({ topic: track.topic, partition: track.partition, offset: message.offset });
  }

  private async handleMessage(topic: string, partition: number, message: KafkaMessage, key: string, signal: AbortSignal): Promise<void> {
    const { options } = this;
    const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    const schema = options.topics[0]!.schema;
    let decoded: MessageShape<DescMessage>;
    try {
      if (!message.value) throw new Error('empty message value');
      decoded = fromBinary(schema, message.value);
    } catch (err) {
      const reason = `cannot decode ${schema.typeName}: ${err instanceof Error ? err.message : String(err)}`;
      this.logger.warn(`dead-lettering ${topic}[${partition}]@${message.offset}: ${reason}`);
      await this.bus.deadLetter({ topic, partition, message, reason, code: 'decode_error', attempts: 1, groupId: options.groupId });
      return;
    }
    const parent = extractTraceContext(message.headers);
    const headers = headersToStrings(message.headers);
    let outage = 0;
    for (let attempt = 1; ; attempt++) {
      const startedAt = this.metrics.handlerStarted(topic);
      try {
        await this.runTraced(parent, topic, partition, message, key, headers, attempt, decoded, signal);
        this.metrics.handlerFinished(topic, startedAt);
        return;
      } catch (err) {
        this.metrics.handlerFinished(topic, startedAt, err);
        // The partition went to another member: it handles the message; nothing to dead-letter.
        if (signal.aborted) return;
        if (isInfrastructureError(err)) {
          // Redis or Kafka is unavailable: the message is fine, so it must not be
          // dead-lettered. Wait and try again for as long as the consumer runs; on stop
          // the batch fails uncommitted and the message is fetched again later.
          if (!this.running || signal.aborted) throw err;
          outage++;
          if (outage === 1 || outage % 20 === 0) this.logger.warn(`${topic}[${partition}]@${message.offset}: dependency unavailable, retrying: ${String(err)}`);
          attempt--;
          await new Promise((r) => setTimeout(r, Math.min(5000, (options.retryBackoffMs ?? 100) * 2 ** Math.min(outage, 6))));
          continue;
        }
        const error = BusError.from(err);
        if (!error.retriable || attempt >= maxAttempts) {
          const reason = `${error.message} (after ${attempt} attempt${attempt > 1 ? 's' : ''})`;
          this.logger.warn(`dead-lettering ${topic}[${partition}]@${message.offset}: ${reason}`);
          await this.bus.deadLetter({ topic, partition, message, reason, code: error.code, attempts: attempt, groupId: options.groupId });
          return;
        }
        await new Promise((r) => setTimeout(r, (options.retryBackoffMs ?? 100) * 2 ** (attempt - 1)));
      }
    }
  }

  private runTraced(
    parent: ReturnType<typeof extractTraceContext>,
    topic: string,
    partition: number,
    message: KafkaMessage,
    key: string,
    headers: Record<string, string>,
    attempt: number,
    decoded: MessageShape<DescMessage>,
    signal: AbortSignal,
  ): Promise<void> {
    const { options } = this;
    if (options.traced === false) {
      const span = trace.getSpan(parent) ?? trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 });
      return context.with(parent, () => options.handler(decoded, { topic, partition, offset: message.offset, key, headers, attempt, span, signal }));
    }
    return tracer.startActiveSpan(
      options.spanName ?? `${topic} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.destination.partition.id': String(partition),
          'messaging.kafka.message.key': key,
          'messaging.kafka.offset': Number(message.offset),
          'messaging.consumer.group.name': options.groupId,
          'yardmaster.attempt': attempt,
        },
      },
      parent,
      async (span) => {
        try {
          await options.handler(decoded, { topic, partition, offset: message.offset, key, headers, attempt, span, signal });
          span.setStatus({ code: SpanStatusCode.OK });
        } catch (err) {
          span.recordException(err instanceof Error ? err : String(err));
          span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
          throw err;
        } finally {
          span.end();
        }
      },
    );
  }
}
