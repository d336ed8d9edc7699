import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Bus, LAGGING_READER_FETCH, type RunningConsumer } from '@yardmaster/bus';
import { Topics } from '@yardmaster/contracts';
import { Readiness } from '@yardmaster/service-kit';
import { DoorService } from './door.service.js';

/**
 * Charges every final response's usage to the key that sent the request, from
 * llm.responses.v1 in one consumer group shared by all ingress replicas (each response is
 * handled by one of them). This covers fire-and-forget Submit and SubmitStream, whose callers
 * do not wait, and batch lines (charged to their batch's owner record); for Infer and HTTP
 * calls the door charges as soon as it answers, and the charge here finds it done (charged
 * once per request id).
 */
@Injectable()
export class UsageConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsageConsumer.name);
  private consumer: RunningConsumer | undefined;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(DoorService) private readonly door: DoorService,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.door.chargesFromTopic) return;
    this.consumer = this.readiness.consumer('usage-consumer', await this.bus.consume({
      groupId: 'yardmaster-ingress-usage',
      topics: [Topics.responses],
      concurrency: 256,
      traced: false,
      // A new group starts at the end: charging old responses would put them in today's budget.
      fromBeginning: false,
      // Infer and HTTP answers this replica charged as it answered: skipped undecoded.
      acceptKey: (key) => !this.door.chargedHere(key),
      // Charging may lag half a second: the broker answers every 64 KiB (or 500 ms) instead of
      // waking this reader for every response (at one caller at a time this and the batch
      // collector cost ingress 0.8 ms of CPU per request, about a quarter of its work).
      fetch: LAGGING_READER_FETCH,
      handler: async (response) => {
        await this.door.recordUsage(response);
      },
    }));
    this.logger.log(`charging usage from ${this.bus.topicName(Topics.responses)}`);
  }
}
