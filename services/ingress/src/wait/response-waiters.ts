import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Bus, type RunningConsumer } from '@yardmaster/bus';
import { Topics, type InferenceResponse } from '@yardmaster/contracts';
import { Readiness } from '@yardmaster/service-kit';
import { IngressConfig } from '../config.js';

type Listener = (response: InferenceResponse) => void;

/**
 * Delivers final responses to callers waiting on this replica. Every ingress replica
 * reads llm.responses.v1 in a consumer group of its own (so each sees every response),
 * skips without decoding the keys nobody here waits for, and resolves local waiters.
 */
@Injectable()
export class ResponseWaiters implements OnApplicationBootstrap {
  private readonly logger = new Logger(ResponseWaiters.name);
  private readonly byRequest = new Map<string, Set<Listener>>();
  private readonly byBatch = new Map<string, Set<Listener>>();
  private consumer: RunningConsumer | undefined;
  private joined = false;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(IngressConfig) private readonly config: IngressConfig,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.bus.consume({
      groupId: `yardmaster-ingress-${this.config.replicaId}`,
      topics: [Topics.responses],
      concurrency: 512,
      traced: false,
      // Only responses from now on matter to callers waiting here.
      fromBeginning: false,
      // The group is this replica's alone; a restarted replica gets a new one.
      deleteGroupOnStop: true,
      acceptKey: (key) => this.byRequest.has(key) || this.byBatch.size > 0,
      handler: async (response) => this.deliver(response),
    });
    void this.consumer.ready.then(() => (this.joined = true));
    this.readiness.register('responses-consumer', () => this.joined && (this.consumer?.isRunning() ?? false));
    this.logger.log(`waiting for responses on ${this.bus.topicName(Topics.responses)} as replica ${this.config.replicaId}`);
  }

  private deliver(response: InferenceResponse): void {
    for (const listener of this.byRequest.get(response.requestId) ?? []) this.call(listener, response);
    if (response.batchId) for (const listener of this.byBatch.get(response.batchId) ?? []) this.call(listener, response);
  }

  /** One caller's failure must reach neither the other callers nor the shared consumer (which would retry the message). */
  private call(listener: Listener, response: InferenceResponse): void {
    try {
      listener(response);
    } catch (err) {
      this.logger.warn(`a waiter for ${response.requestId} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private add(map: Map<string, Set<Listener>>, key: string, listener: Listener): () => void {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) map.delete(key);
    };
  }

  /**
   * Waits for the response of one request. Register before publishing the request so a
   * fast response cannot be missed. Returns the promise and a cancel function.
   */
  waitFor(requestId: string): { response: Promise<InferenceResponse>; cancel: () => void } {
    let remove: () => void = () => undefined;
    const response = new Promise<InferenceResponse>((resolve) => {
      remove = this.add(this.byRequest, requestId, (r) => {
        remove();
        resolve(r);
      });
    });
    return { response, cancel: () => remove() };
  }

  /** Calls `listener` for every response of `requestIds` or of `batchId` until the returned function is called. */
  watch(filter: { batchId?: string; requestIds?: readonly string[] }, listener: Listener): () => void {
    const removers: (() => void)[] = [];
    if (filter.batchId) removers.push(this.add(this.byBatch, filter.batchId, listener));
    for (const id of filter.requestIds ?? []) removers.push(this.add(this.byRequest, id, listener));
    return () => removers.forEach((r) => r());
  }

  /** Number of callers waiting (for metrics and tests). */
  get waiting(): number {
    return this.byRequest.size;
  }
}
