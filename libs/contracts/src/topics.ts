import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import { ClassifiedRequestSchema } from './gen/yardmaster/v1/classification_pb.js';
import { FeedbackSchema } from './gen/yardmaster/v1/feedback_pb.js';
import { InferenceRequestSchema } from './gen/yardmaster/v1/request_pb.js';
import { DeadLetterSchema, InferenceResponseSchema } from './gen/yardmaster/v1/response_pb.js';
import { DecisionRecordSchema, PlanFollowUpSchema, ProviderResultSchema, WorkItemSchema } from './gen/yardmaster/v1/routing_pb.js';

/**
 * A Kafka topic and the one protobuf message type it carries. `publish(topic, message)`
 * in the bus library is typed by this, so the compiler rejects a wrong message type.
 */
export interface Topic<D extends DescMessage = DescMessage> {
  /** Logical topic name, without any deployment prefix. */
  readonly name: string;
  readonly schema: D;
}

/** The message type carried by a topic. */
export type TopicMessage<T extends Topic> = MessageShape<T['schema']>;

function topic<D extends DescMessage>(name: string, schema: D): Topic<D> {
  return Object.freeze({ name, schema });
}

/** The fixed topics of the pipeline (DESIGN.md). Work topics are per pool: see {@link workTopic}. */
export const Topics = Object.freeze({
  requests: topic('llm.requests.v1', InferenceRequestSchema),
  classified: topic('llm.classified.v1', ClassifiedRequestSchema),
  results: topic('llm.results.v1', ProviderResultSchema),
  responses: topic('llm.responses.v1', InferenceResponseSchema),
  dlq: topic('llm.dlq.v1', DeadLetterSchema),
  /** The router's audit trail: one DecisionRecord per routing decision (no prompt text). */
  decisions: topic('llm.decisions.v1', DecisionRecordSchema),
  /** Feedback on answers (a score per request, from callers or evaluators); the router learns model quality from it. */
  feedback: topic('llm.feedback.v1', FeedbackSchema),
  /** The aggregator asks the router for each next call of a plan (fallbacks included). */
  planFollowUps: topic('llm.plan.followups.v1', PlanFollowUpSchema),
});

const POOL_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Returns true when `pool` is usable in a topic name (`llm.work.<pool>.v1`). */
export function isValidPoolName(pool: string): boolean {
  return POOL_NAME.test(pool);
}

/**
 * The work topic of one worker pool, `llm.work.<pool>.v1`.
 * @throws Error when the pool name is not lowercase alphanumerics and dashes.
 */
export function workTopic(pool: string): Topic<typeof WorkItemSchema> {
  if (!isValidPoolName(pool)) throw new Error(`invalid pool name "${pool}": use [a-z0-9-], at most 63 characters`);
  return topic(`llm.work.${pool}.v1`, WorkItemSchema);
}

/**
 * Message size limits, end to end. Each hop adds to a request (classification, decision,
 * trail; a result adds the model's output), and the dead-letter topic wraps a whole
 * message with its headers and reason, so each limit leaves room for the next:
 * ingress request (at most {@link MessageLimits.maxRequestBytes}) < pipeline topics'
 * `max.message.bytes` < the dead-letter topic's < the broker's `message.max.bytes`.
 * The bus caps one produce request at 1 MiB of messages (a larger message goes alone).
 */
export const MessageLimits = Object.freeze({
  /** The largest request ingress may be configured to accept (MAX_REQUEST_BYTES). */
  maxRequestBytes: 4 * 1024 * 1024,
  /** `max.message.bytes` of every pipeline topic (requests, classified, work, results, responses). */
  topicMaxMessageBytes: 8 * 1024 * 1024,
  /** `max.message.bytes` of llm.dlq.v1: a pipeline message plus its headers and the reason. */
  dlqMaxMessageBytes: 9 * 1024 * 1024,
  /** The broker's `message.max.bytes` (the default for topics created without an override). */
  brokerMaxMessageBytes: 9 * 1024 * 1024,
});

/** The topic-level configuration a pipeline topic is created with. */
export function topicConfigs(topic: Topic): Record<string, string> {
  const max = topic.name === Topics.dlq.name ? MessageLimits.dlqMaxMessageBytes : MessageLimits.topicMaxMessageBytes;
  return { 'max.message.bytes': String(max) };
}
