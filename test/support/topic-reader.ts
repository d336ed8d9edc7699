import { randomBytes } from 'node:crypto';
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import { type Bus, type RunningConsumer } from '@yardmaster/bus';
import type { Topic } from '@yardmaster/contracts';

/** Reads a topic from its beginning in a group of its own and keeps every message with its key. */
export class TopicReader<D extends DescMessage> {
  readonly messages: { key: string; value: MessageShape<D> }[] = [];
  private consumer: RunningConsumer | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly topic: Topic<D>,
  ) {}

  async start(): Promise<this> {
    this.consumer = await this.bus.consume({
      groupId: `test-reader-${randomBytes(4).toString('hex')}`,
      topics: [this.topic],
      fromBeginning: true,
      traced: false,
      concurrency: 1024,
      handler: async (value, ctx) => {
        this.messages.push({ key: ctx.key, value });
      },
    });
    await this.consumer.ready;
    return this;
  }

  /** How many messages carry each key. */
  countsByKey(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.messages) counts.set(m.key, (counts.get(m.key) ?? 0) + 1);
    return counts;
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }
}
