import { ValueType, metrics, type Attributes, type Counter, type Histogram, type ObservableGauge, type ObservableResult, type ObservableUpDownCounter } from '@opentelemetry/api';
import type { Batch } from 'kafkajs';

/**
 * Names of the bus's metrics: the OpenTelemetry messaging semantic conventions where
 * they define one, `yardmaster.*` otherwise. Prometheus sees them with `.` as `_` (and
 * `_total` on counters).
 */
export const BusMetricNames = Object.freeze({
  consumed: 'messaging.client.consumed.messages',
  sent: 'messaging.client.sent.messages',
  processDuration: 'messaging.process.duration',
  inflight: 'yardmaster.consumer.inflight',
  lag: 'yardmaster.consumer.lag',
  deadLetters: 'yardmaster.dlq.messages',
  publishErrors: 'yardmaster.kafka.publish.errors',
});

const DESTINATION = 'messaging.destination.name';
const PARTITION = 'messaging.destination.partition.id';
const GROUP = 'messaging.consumer.group.name';
const ERROR_TYPE = 'error.type';

interface Instruments {
  consumed: Counter;
  sent: Counter;
  processDuration: Histogram;
  inflight: ObservableUpDownCounter;
  lag: ObservableGauge;
  deadLetters: Counter;
  publishErrors: Counter;
}

/** Consumers whose partitions' lag the gauge reports. */
const liveConsumers = new Set<ConsumerMetrics>();
let instruments: Instruments | undefined;

/**
 * Created on first use rather than at import: the global API has no proxy meter, so a
 * meter taken before the service's instrumentation.ts registered the SDK would stay a
 * no-op. Buses are created after that, in the services.
 */
function getInstruments(): Instruments {
  if (instruments) return instruments;
  const meter = metrics.getMeter('@yardmaster/bus');
  const lag = meter.createObservableGauge(BusMetricNames.lag, {
    description: 'Messages on a partition not yet processed by the consumer group (high watermark minus the next offset to process), as of the last fetched batch',
    unit: '{message}',
    valueType: ValueType.INT,
  });
  lag.addCallback((result) => {
    for (const consumer of liveConsumers) consumer.observeLag(result);
  });
  // Counted in plain numbers per handler run and read when collected: two SDK records per
  // message (each sorting its attribute keys) for a figure only a scrape looks at.
  const inflight = meter.createObservableUpDownCounter(BusMetricNames.inflight, { description: 'Message handlers running now', unit: '{message}', valueType: ValueType.INT });
  inflight.addCallback((result) => {
    for (const consumer of liveConsumers) consumer.observeInflight(result);
  });
  instruments = {
    consumed: meter.createCounter(BusMetricNames.consumed, { description: 'Messages delivered to the consumer from Kafka', unit: '{message}', valueType: ValueType.INT }),
    sent: meter.createCounter(BusMetricNames.sent, {
      description: 'Messages the producer sent to Kafka (error.type set when the broker did not take them)',
      unit: '{message}',
      valueType: ValueType.INT,
    }),
    processDuration: meter.createHistogram(BusMetricNames.processDuration, {
      description: 'Duration of one handler run on a consumed message (each try counts once; error.type set when it threw)',
      unit: 's',
    }),
    inflight,
    lag,
    deadLetters: meter.createCounter(BusMetricNames.deadLetters, {
      description: 'Messages written to the dead-letter topic, by source topic, consumer group and reason code',
      unit: '{message}',
      valueType: ValueType.INT,
    }),
    publishErrors: meter.createCounter(BusMetricNames.publishErrors, { description: 'Produce requests Kafka failed, by error type', unit: '{request}', valueType: ValueType.INT }),
  };
  return instruments;
}

/**
 * A short, bounded error label: the kafkajs protocol error type when there is one
 * (NOT_LEADER_FOR_PARTITION…), else a `code` (BusError, StoreError), else the innermost
 * error's class name (KafkaJSConnectionError…). Never the message, which would make
 * one series per request.
 */
export function errorType(err: unknown): string {
  let name = '_OTHER';
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { type, code } = e as { type?: unknown; code?: unknown };
    if (typeof type === 'string') return type;
    if (typeof code === 'string' && depth === 0) name = code;
    else if (e instanceof Error && name === '_OTHER') name = e.name;
  }
  return name;
}

/** Attribute sets kept per key, so recording a measurement allocates nothing of ours. */
class AttributeCache<K> {
  private readonly byKey = new Map<K, Attributes>();
  constructor(private readonly make: (key: K) => Attributes) {}

  get(key: K): Attributes {
    let attributes = this.byKey.get(key);
    if (!attributes) {
      attributes = Object.freeze(this.make(key));
      this.byKey.set(key, attributes);
    }
    return attributes;
  }
}

/** Producer-side and dead-letter metrics of one {@link Bus}. */
export class BusMetrics {
  private readonly instruments = getInstruments();
  private readonly sentOk = new AttributeCache<string>((topic) => ({ 'messaging.system': 'kafka', [DESTINATION]: topic }));
  private readonly sentFailed = new AttributeCache<string>((key) => {
    const [topic, type] = splitKey(key);
    return { 'messaging.system': 'kafka', [DESTINATION]: topic, [ERROR_TYPE]: type };
  });
  private readonly failedRequests = new AttributeCache<string>((type) => ({ [ERROR_TYPE]: type }));
  private readonly letters = new AttributeCache<string>((key) => {
    const [topic, group, code] = key.split('\u0000') as [string, string, string];
    return { [DESTINATION]: topic, [GROUP]: group, [ERROR_TYPE]: code };
  });

  /** Counts the messages of one produce request per topic; `err` when it failed. */
  produced(topicMessages: readonly { topic: string; messages: readonly unknown[] }[], err?: unknown): void {
    if (err === undefined) {
      for (const tm of topicMessages) this.instruments.sent.add(tm.messages.length, this.sentOk.get(tm.topic));
      return;
    }
    const type = errorType(err);
    this.instruments.publishErrors.add(1, this.failedRequests.get(type));
    for (const tm of topicMessages) this.instruments.sent.add(tm.messages.length, this.sentFailed.get(`${tm.topic}\u0000${type}`));
  }

  /** Counts one message written to the dead-letter topic. */
  deadLettered(sourceTopic: string, groupId: string, code: string): void {
    this.instruments.deadLetters.add(1, this.letters.get(`${sourceTopic}\u0000${groupId}\u0000${code}`));
  }
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf('\u0000');
  return [key.slice(0, at), key.slice(at + 1)];
}

interface PartitionLag {
  readonly attributes: Attributes;
  lag: number;
}

/**
 * Consumer-side metrics of one consumer group member: messages consumed, handler
 * duration and in-flight count, and lag per assigned partition.
 */
export class ConsumerMetrics {
  private readonly instruments = getInstruments();
  private readonly topics: AttributeCache<string>;
  private readonly failures: AttributeCache<string>;
  /** topic → partition → lag; only partitions assigned to this member. */
  private readonly lag = new Map<string, Map<number, PartitionLag>>();
  /** topic → handler runs going on now. */
  private readonly running = new Map<string, { readonly attributes: Attributes; count: number }>();

  constructor(private readonly groupId: string) {
    this.topics = new AttributeCache((topic) => ({ 'messaging.system': 'kafka', [DESTINATION]: topic, [GROUP]: groupId }));
    this.failures = new AttributeCache((key) => {
      const [topic, type] = splitKey(key);
      return { 'messaging.system': 'kafka', [DESTINATION]: topic, [GROUP]: groupId, [ERROR_TYPE]: type };
    });
    liveConsumers.add(this);
  }

  /** A fetched batch is about to be handled: counts its messages; its partition's lag is everything from its first message on. */
  batchStarted(batch: Batch): void {
    this.instruments.consumed.add(batch.messages.length, this.topics.get(batch.topic));
    const first = batch.firstOffset();
    if (first !== null) this.partition(batch.topic, batch.partition).lag = Math.max(0, Number(batch.highWatermark) - Number(first));
  }

  /** The batch is done up to `lastOffset` (the last message taken, if any): the lag is what lies after it. */
  batchFinished(batch: Batch, lastOffset: string | undefined): void {
    if (lastOffset === undefined) return;
    this.partition(batch.topic, batch.partition).lag = Math.max(0, Number(batch.highWatermark) - Number(lastOffset) - 1);
  }

  /** A handler run starts; pass the result to {@link handlerFinished}. */
  handlerStarted(topic: string): number {
    let entry = this.running.get(topic);
    if (!entry) {
      entry = { attributes: this.topics.get(topic), count: 0 };
      this.running.set(topic, entry);
    }
    entry.count++;
    return performance.now();
  }

  /** A handler run ended (`err` when it threw). */
  handlerFinished(topic: string, startedAt: number, err?: unknown): void {
    const entry = this.running.get(topic);
    if (entry) entry.count--;
    const attributes = entry?.attributes ?? this.topics.get(topic);
    const seconds = (performance.now() - startedAt) / 1000;
    this.instruments.processDuration.record(seconds, err === undefined ? attributes : this.failures.get(`${topic}\u0000${errorType(err)}`));
  }

  /** The group gave this member `assignment` (topic → partitions): lag of partitions it lost is no longer reported. */
  assigned(assignment: Readonly<Record<string, readonly number[] | undefined>>): void {
    for (const [topic, partitions] of this.lag) {
      const kept = new Set(assignment[topic] ?? []);
      for (const partition of partitions.keys()) if (!kept.has(partition)) partitions.delete(partition);
    }
  }

  /** The consumer stopped: its lag is no longer reported. */
  close(): void {
    liveConsumers.delete(this);
    this.lag.clear();
  }

  /** Reports the handler runs going on per topic (called by the counter's collection). */
  observeInflight(result: ObservableResult): void {
    for (const { attributes, count } of this.running.values()) result.observe(count, attributes);
  }

  /** Reports the lag of every partition (called by the gauge's collection). */
  observeLag(result: ObservableResult): void {
    for (const partitions of this.lag.values()) for (const p of partitions.values()) result.observe(p.lag, p.attributes);
  }

  private partition(topic: string, partition: number): PartitionLag {
    let partitions = this.lag.get(topic);
    if (!partitions) {
      partitions = new Map();
      this.lag.set(topic, partitions);
    }
    let entry = partitions.get(partition);
    if (!entry) {
      entry = { attributes: Object.freeze({ [DESTINATION]: topic, [PARTITION]: String(partition), [GROUP]: this.groupId }), lag: 0 };
      partitions.set(partition, entry);
    }
    return entry;
  }
}
