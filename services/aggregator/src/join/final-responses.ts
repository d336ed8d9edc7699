import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Bus } from '@yardmaster/bus';
import { InferenceResponseSchema, Topics, toBinary, type InferenceResponse } from '@yardmaster/contracts';
import { PipelineState } from '@yardmaster/store';
import { AggregatorConfig } from '../config.js';

/** How long a claim owner counts as alive after its last heartbeat. */
const LIVENESS_TTL_MS = 10_000;
/** How often this instance refreshes its liveness key. */
const HEARTBEAT_EVERY_MS = 2_000;
/** How long one handler waits for a live owner to finish before handing the message back for a retry. */
const WAIT_FOR_OWNER_MS = 5_000;
/** Clock skew allowed between instances when searching the responses topic from a claim's time. */
const CLOCK_SKEW_MS = 30_000;

/** A live instance holds the claim and has not finished: retry the message later (not a DLQ case). */
export class OwnerBusy extends Error {
  /** A dependency-like wait, so the consumer retries without counting attempts. */
  readonly infrastructure = true;
  constructor(requestId: string, owner: string) {
    super(`final response of ${requestId} is being published by ${owner}`);
    this.name = 'OwnerBusy';
  }
}

/** Outcome of {@link FinalResponses.deliver}. */
export type Delivery = 'published' | 'duplicate';

/**
 * The one place that publishes final responses, exactly once per request across
 * aggregator instances, redeliveries, rebalances and crashes:
 * 1. claim `final:<id>` for this instance and the message being handled (one Redis round trip);
 * 2. publish the response and wait for the broker's ack;
 * 3. store it and mark the claim done (one round trip).
 * A message whose claim another *live* instance holds waits for it (a rebalance moved the
 * partition while that instance was finishing). A claim left by a *dead* instance for the
 * same message may or may not have been published before it died: the responses topic is
 * searched from the claim's time, and the response is published only if it is not there.
 */
@Injectable()
export class FinalResponses implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FinalResponses.name);
  /** Published by this process but not yet recorded in Redis (a retry records instead of republishing). */
  private readonly unrecorded = new Map<string, InferenceResponse>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(PipelineState) private readonly state: PipelineState,
    @Inject(AggregatorConfig) private readonly config: AggregatorConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.state.heartbeat(LIVENESS_TTL_MS);
    this.heartbeat = setInterval(() => {
      this.state.heartbeat(LIVENESS_TTL_MS).catch((err: unknown) => this.logger.warn(`liveness heartbeat failed: ${String(err)}`));
    }, HEARTBEAT_EVERY_MS);
    this.heartbeat.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    // Consumers have stopped (their in-flight messages finished) before this runs.
    await this.state.retire().catch(() => undefined);
  }

  /**
   * Publishes `build()` as the final response of `requestId` on behalf of the message at
   * `coords` (`topic:partition:offset`), unless the request already has one.
   * @throws OwnerBusy when a live instance is still publishing it (retry later).
   */
  async deliver(requestId: string, coords: string, build: () => InferenceResponse): Promise<Delivery> {
    const ttl = this.config.responseTtlSeconds;
    const waitUntil = Date.now() + WAIT_FOR_OWNER_MS;
    for (let pause = 20; ; pause = Math.min(pause * 2, 500)) {
      const pending = this.unrecorded.get(requestId);
      if (pending) return this.record(requestId, pending, 'published');
      const claim = await this.state.claimFinal(requestId, coords, ttl);
      switch (claim.status) {
        case 'done':
          return 'duplicate';
        case 'acquired':
          return this.publish(requestId, build());
        case 'mine':
          // This process claimed it for this message and did not publish (the publish failed and
          // the message is being retried); a claim for another message is that message's to finish.
          return claim.coords === coords ? this.publish(requestId, build()) : 'duplicate';
        case 'taken': {
          // Another message's claim: that message (earlier on the same partition) ends the request.
          if (claim.coords !== coords) return 'duplicate';
          if (claim.alive) {
            if (Date.now() > waitUntil) throw new OwnerBusy(requestId, claim.owner);
            await sleep(pause);
            continue;
          }
          // A claim lives at most the response TTL, so the search never reaches further back (an
          // unreadable claim from another version has no time of its own).
          const since = Math.max(claim.since - CLOCK_SKEW_MS, Date.now() - ttl * 1000);
          const found = await this.bus.findMessage(Topics.responses, requestId, since);
          if (found) {
            this.logger.warn(`final response of ${requestId} was published by ${claim.owner || 'an unknown instance'} before it stopped; recording it`);
            await this.state.recordFinal(requestId, found, ttl);
            return 'duplicate';
          }
          if (!(await this.state.takeOverFinal(requestId, claim.owner, coords, ttl))) continue;
          this.logger.warn(`took over the final response of ${requestId} from ${claim.owner || 'an unknown instance'}, which stopped before publishing it`);
          return this.publish(requestId, build());
        }
      }
    }
  }

  private async publish(requestId: string, response: InferenceResponse): Promise<Delivery> {
    await this.bus.publish(Topics.responses, requestId, response);
    this.unrecorded.set(requestId, response);
    return this.record(requestId, response, 'published');
  }

  private async record(requestId: string, response: InferenceResponse, outcome: Delivery): Promise<Delivery> {
    await this.state.recordFinal(requestId, toBinary(InferenceResponseSchema, response), this.config.responseTtlSeconds);
    this.unrecorded.delete(requestId);
    return outcome;
  }
}
