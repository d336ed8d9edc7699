import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Bus, BusError, type MessageContext, type RunningConsumer } from '@yardmaster/bus';
import { Classifier } from '@yardmaster/classifier';
import {
  ClassifiedRequestSchema,
  ResultStatus,
  Topics,
  create,
  earlyResult,
  intentName,
  isExpired,
  nowUs,
  withMark,
  type InferenceRequest,
} from '@yardmaster/contracts';
import { Readiness } from '@yardmaster/service-kit';
import { Attr } from '@yardmaster/telemetry';
import { ClassifierConfig, describeSecondStage } from '../config.js';
import { toClassification, toClassifierInput } from './to-proto.js';

/** Checks what a request published straight to Kafka must have; returns the problem or null. */
export function requestProblem(request: InferenceRequest): string | null {
  if (request.messages.length === 0) return 'request has no messages';
  const hasContent = request.messages.some((m) => m.content.length > 0);
  if (!hasContent) return 'request messages have no content';
  return null;
}

/** Consumes llm.requests.v1, classifies each request and publishes it on llm.classified.v1. */
@Injectable()
export class ClassifyConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(ClassifyConsumer.name);
  private readonly classifier: Classifier;
  private consumer: RunningConsumer | undefined;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(ClassifierConfig) private readonly config: ClassifierConfig,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {
    const second = config.secondStage;
    this.classifier = Classifier.load({
      allowHeuristicFallback: false,
      preloadCalculator: config.preloadCalculator,
      exactTokenChars: config.exactTokenChars,
      ...(second
        ? { secondStage: { baseUrl: second.baseUrl, model: second.model, threshold: second.threshold, timeoutMs: second.timeoutMs, selfHosted: second.selfHosted, piiPolicy: second.piiPolicy, ...(second.apiKey ? { apiKey: second.apiKey } : {}) } }
        : {}),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = this.readiness.consumer('kafka-consumer', await this.bus.consume({
      groupId: 'yardmaster-classifier',
      topics: [Topics.requests],
      concurrency: this.config.concurrency,
      maxAttempts: this.config.maxAttempts,
      spanName: 'classifier classify',
      handler: (request, ctx) => this.handle(request, ctx),
    }));
    this.logger.log(
      `consuming ${this.bus.topicName(Topics.requests)} with ${this.classifier.version}` +
        (this.config.secondStage ? `; ${describeSecondStage(this.config.secondStage)}` : ''),
    );
  }

  private async handle(request: InferenceRequest, ctx: MessageContext): Promise<void> {
    const startUs = nowUs();
    if (!request.requestId) throw BusError.permanent('request has no request_id');
    if (ctx.key !== request.requestId) throw BusError.permanent(`message key "${ctx.key}" does not match request_id "${request.requestId}"`);
    ctx.span.setAttribute(Attr.requestId, request.requestId);
    // No per-stage dedupe marker: a redelivered request is classified again (sub-millisecond)
    // and its copy is dropped downstream (the worker's work marker, the aggregator's final claim).
    const problem = requestProblem(request);
    if (problem) {
      await this.bus.publish(Topics.results, request.requestId, earlyResult({ request, status: ResultStatus.ERROR, code: 'invalid_request', message: problem }));
    } else if (isExpired(request.deadline)) {
      await this.bus.publish(
        Topics.results,
        request.requestId,
        earlyResult({ request, status: ResultStatus.DEADLINE_EXCEEDED, code: 'deadline_exceeded', message: 'deadline passed before classification' }),
      );
    } else {
      const input = toClassifierInput(request);
      const result = this.config.secondStage ? await this.classifier.classifyAsync(input) : this.classifier.classify(input);
      const classification = toClassification(request.requestId, result);
      ctx.span.setAttributes({ [Attr.intent]: intentName(classification.intent), [Attr.complexity]: classification.complexity });
      if ('secondStageSkipped' in result && result.secondStageSkipped) ctx.span.setAttribute(Attr.secondStageSkipped, result.secondStageSkipped);
      const trail = withMark(undefined, 'classifier', startUs);
      await this.bus.publish(Topics.classified, request.requestId, create(ClassifiedRequestSchema, { request, classification, trail }));
    }
  }
}
