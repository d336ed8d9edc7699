import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Bus, BusError, type MessageContext, type RunningConsumer } from '@yardmaster/bus';
import { planName, route, type AffinityEntry, type Routed } from '@yardmaster/catalog';
import {
  DecisionRecordSchema,
  ErrorInfoSchema,
  ResultStatus,
  RoutingDecisionSchema,
  Topics,
  WorkItemSchema,
  carriedDecision,
  create,
  earlyResult,
  isExpired,
  nowUs,
  timestampFromMs,
  timestampNow,
  withMark,
  workTopic,
  type ClassifiedRequest,
  type RoutingDecision,
} from '@yardmaster/contracts';
import { Readiness } from '@yardmaster/service-kit';
import { Attr } from '@yardmaster/telemetry';
import { AffinityCache } from '../affinity/affinity-cache.js';
import { CatalogHolder } from '../catalog/catalog-holder.js';
import { RouterConfig } from '../config.js';
import { HealthCache } from '../health/health-cache.js';
import { LearnedRouting } from '../learning/learned-routing.js';
import { firstCalls } from '../plan/first-calls.js';
import { recordDecision } from './metrics.js';

/**
 * Consumes llm.classified.v1, decides the execution path with the catalog in force, live
 * health from the local cache and the conversation's previous choice, publishes the first
 * WorkItem to its pool (or the refusal as an early result) and the decision to
 * llm.decisions.v1.
 */
@Injectable()
export class RouteConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(RouteConsumer.name);
  private consumer: RunningConsumer | undefined;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(CatalogHolder) private readonly catalogs: CatalogHolder,
    @Inject(HealthCache) private readonly health: HealthCache,
    @Inject(AffinityCache) private readonly affinity: AffinityCache,
    @Inject(LearnedRouting) private readonly learned: LearnedRouting,
    @Inject(RouterConfig) private readonly config: RouterConfig,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = this.readiness.consumer('kafka-consumer', await this.bus.consume({
      groupId: 'yardmaster-router',
      topics: [Topics.classified],
      concurrency: this.config.concurrency,
      maxAttempts: this.config.maxAttempts,
      spanName: 'router decide',
      handler: (message, ctx) => this.handle(message, ctx),
    }));
    const catalog = this.catalogs.current;
    this.logger.log(`catalog ${catalog.version} (${catalog.digest}): ${catalog.models.length} models in pools ${catalog.pools().join(', ')}`);
  }

  private async handle(message: ClassifiedRequest, ctx: MessageContext): Promise<void> {
    const startUs = nowUs();
    const request = message.request;
    if (!request?.requestId || !message.classification) throw BusError.permanent('classified message lacks request or classification');
    ctx.span.setAttribute(Attr.requestId, request.requestId);
    // No per-stage dedupe marker: a redelivered message is routed again (in memory) and
    // the copy is dropped downstream (the worker's work marker, the aggregator's final claim).
    const classification = message.classification;
    if (isExpired(request.deadline)) {
      await this.bus.publish(
        Topics.results,
        request.requestId,
        earlyResult({ request, classification, trail: message.trail, status: ResultStatus.DEADLINE_EXCEEDED, code: 'deadline_exceeded', message: 'deadline passed before routing' }),
      );
      return;
    }
    const catalog = this.catalogs.current;
    const conversation = request.conversationId;
    // Only requests that name a conversation may read Redis (on a local miss).
    let previous: AffinityEntry | undefined;
    if (conversation !== '' && catalog.data.affinity.enabled) previous = await this.affinity.lookup(request.tenantId, conversation);

    const decideStart = process.hrtime.bigint();
    const learned = this.learned.forRequest(request.tenantId);
    const routed = route(catalog, { request, classification, health: this.health, ...(previous ? { affinity: previous } : {}), ...(learned ? { learned } : {}) });
    const decideNs = process.hrtime.bigint() - decideStart;
    recordDecision(Number(decideNs) / 1e3, routed.ok ? planName(routed.decision.plan) : 'none', routed.ok ? 'ok' : routed.code);

    const decision = routed.ok ? routed.decision : refusalDecision(request.requestId, routed, catalog.version);
    ctx.span.setAttribute(Attr.reason, decision.reason);
    const pending: Promise<unknown>[] = [];
    if (this.config.publishDecisions) {
      pending.push(
        this.bus.publish(
          Topics.decisions,
          request.requestId,
          create(DecisionRecordSchema, {
            requestId: request.requestId,
            tenantId: request.tenantId,
            conversationId: conversation,
            classification,
            ...(routed.ok ? { decision } : { decision, error: create(ErrorInfoSchema, { code: routed.code, message: routed.reason, retriable: false }) }),
            decidedAt: timestampNow(),
            durationUs: decideNs / 1000n,
            metadata: request.metadata,
            event: 'decided',
          }),
        ),
      );
    }
    const trail = withMark(message.trail, 'router', startUs);
    if (!routed.ok) {
      pending.push(this.bus.publish(Topics.results, request.requestId, earlyResult({ request, classification, decision, trail, status: ResultStatus.ERROR, code: routed.code, message: routed.reason })));
    } else {
      const target = decision.targets[0]!;
      const carried = carriedDecision(decision);
      ctx.span.setAttributes({ [Attr.genAiRequestModel]: target.model, [Attr.pool]: target.pool });
      for (const call of firstCalls(decision, request)) {
        const t = decision.targets[call.targetIndex]!;
        const deadline = call.deadline ?? request.deadline;
        const work = create(WorkItemSchema, {
          requestId: request.requestId,
          workId: `${request.requestId}:${call.targetIndex}`,
          request,
          classification,
          decision: carried,
          targetIndex: call.targetIndex,
          ...(deadline ? { deadline } : {}),
          trail,
          ...(call.startAfterMs !== undefined ? { startAfter: timestampFromMs(call.startAfterMs) } : {}),
          prompt: call.prompt,
        });
        pending.push(this.bus.publish(workTopic(t.pool), request.requestId, work));
      }
      const model = conversationModel(decision, (name) => catalog.model(name)?.data.kind === 'chat');
      if (conversation !== '' && model !== undefined && catalog.data.affinity.enabled) {
        pending.push(this.affinity.remember(request.tenantId, conversation, { model, intent: decision.intent }, catalog.data.affinity.ttl_seconds));
      }
    }
    await Promise.all(pending);
  }
}

/** The model a conversation is on after this decision: its first chat-model target (not the calculator or an image model). */
function conversationModel(decision: RoutingDecision, isChat: (model: string) => boolean): string | undefined {
  return decision.targets.find((t) => isChat(t.model))?.model;
}

/** A decision with no targets that records why nothing may serve the request (for the audit trail and the caller). */
function refusalDecision(requestId: string, routed: Extract<Routed, { ok: false }>, version: string): RoutingDecision {
  return create(RoutingDecisionSchema, {
    requestId,
    candidates: routed.candidates,
    constraints: routed.constraints,
    rulesApplied: routed.rulesApplied,
    reason: `${routed.code}: ${routed.reason}`,
    policyVersion: version,
    catalogVersion: version,
    tier: routed.tier,
    alias: routed.alias,
  });
}
