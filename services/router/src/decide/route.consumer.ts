import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Bus, BusError, type MessageContext, type RunningConsumer } from '@yardmaster/bus';
import {
  ResultStatus,
  Topics,
  WorkItemSchema,
  create,
  earlyResult,
  isExpired,
  nowUs,
  withMark,
  workTopic,
  type ClassifiedRequest,
} from '@yardmaster/contracts';
import { Readiness } from '@yardmaster/service-kit';
import { Attr } from '@yardmaster/telemetry';
import { Catalog } from '@yardmaster/catalog';
import { RouterConfig } from '../config.js';
import { decide } from './policy.js';

/** Consumes llm.classified.v1, decides the execution path and publishes the first WorkItem. */
@Injectable()
export class RouteConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(RouteConsumer.name);
  private consumer: RunningConsumer | undefined;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(Catalog) private readonly catalog: Catalog,
    @Inject(RouterConfig) private readonly config: RouterConfig,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.bus.consume({
      groupId: 'yardmaster-router',
      topics: [Topics.classified],
      concurrency: this.config.concurrency,
      maxAttempts: this.config.maxAttempts,
      spanName: 'router decide',
      handler: (message, ctx) => this.handle(message, ctx),
    });
    this.readiness.register('kafka-consumer', () => this.consumer?.isRunning() ?? false);
    this.logger.log(`catalog ${this.catalog.version}: ${this.catalog.data.models.length} models in pools ${this.catalog.pools().join(', ')}`);
  }

  private async handle(message: ClassifiedRequest, ctx: MessageContext): Promise<void> {
    const startUs = nowUs();
    const request = message.request;
    if (!request?.requestId || !message.classification) throw BusError.permanent('classified message lacks request or classification');
    ctx.span.setAttribute(Attr.requestId, request.requestId);
    // No per-stage dedupe marker: a redelivered message is routed again (pure, in memory) and
    // the copy is dropped downstream (the worker's work marker, the aggregator's final claim).
    const classification = message.classification;
    if (isExpired(request.deadline)) {
      await this.bus.publish(
        Topics.results,
        request.requestId,
        earlyResult({ request, classification, trail: message.trail, status: ResultStatus.DEADLINE_EXCEEDED, code: 'deadline_exceeded', message: 'deadline passed before routing' }),
      );
    } else {
      const routed = decide(this.catalog, message);
      if (!routed.ok) {
        ctx.span.setAttribute(Attr.reason, routed.reason);
        await this.bus.publish(
          Topics.results,
          request.requestId,
          earlyResult({ request, classification, trail: withMark(message.trail, 'router', startUs), status: ResultStatus.ERROR, code: routed.code, message: routed.reason }),
        );
      } else {
        const decision = routed.decision;
        const target = decision.targets[0]!;
        ctx.span.setAttributes({ [Attr.genAiRequestModel]: target.model, [Attr.pool]: target.pool, [Attr.reason]: decision.reason });
        const work = create(WorkItemSchema, {
          requestId: request.requestId,
          workId: `${request.requestId}:0`,
          request,
          classification,
          decision,
          targetIndex: 0,
          ...(request.deadline ? { deadline: request.deadline } : {}),
          trail: withMark(message.trail, 'router', startUs),
        });
        await this.bus.publish(workTopic(target.pool), request.requestId, work);
      }
    }
  }
}
