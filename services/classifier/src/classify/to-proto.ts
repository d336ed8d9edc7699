import type { ClassificationResult, ClassifierInput } from '@yardmaster/classifier';
import {
  ClassificationSchema,
  ComplexityBand,
  Privacy,
  ToolSuggestionSchema,
  Role,
  bandFromName,
  create,
  demandFromName,
  subjectFromName,
  intentFromName,
  messageImageCount,
  messageText,
  piiFromName,
  type Classification,
  type InferenceRequest,
} from '@yardmaster/contracts';

const ROLES: Record<Role, 'system' | 'user' | 'assistant' | 'tool'> = {
  [Role.UNSPECIFIED]: 'user',
  [Role.SYSTEM]: 'system',
  [Role.USER]: 'user',
  [Role.ASSISTANT]: 'assistant',
  [Role.TOOL]: 'tool',
};

/**
 * The classifier library's view of a request: its conversation as plain turns, and
 * whether it must stay on our infrastructure (read as the router's policy reads it).
 */
export function toClassifierInput(request: InferenceRequest): ClassifierInput {
  return {
    messages: request.messages.map((m) => ({ role: ROLES[m.role], content: messageText(m), images: messageImageCount(m) })),
    privacy: request.hints?.privacy === Privacy.SELF_HOSTED_ONLY ? 'self_hosted_only' : 'any',
  };
}

/** The wire form of a classification. */
export function toClassification(requestId: string, r: ClassificationResult): Classification {
  const band = bandFromName(r.band);
  return create(ClassificationSchema, {
    requestId,
    intent: intentFromName(r.intent),
    intentConfidence: r.intentConfidence,
    runnerUp: intentFromName(r.runnerUp),
    runnerUpConfidence: r.runnerUpConfidence,
    complexity: r.complexity,
    band: band === ComplexityBand.UNSPECIFIED ? ComplexityBand.MEDIUM : band,
    language: r.language,
    inputTokens: r.inputTokens,
    imageInput: r.imageInput,
    imageOutput: r.imageOutput,
    pii: r.pii.map(piiFromName),
    ...(r.tool ? { tool: create(ToolSuggestionSchema, { name: r.tool.name, expression: r.tool.expression, result: r.tool.result }) } : {}),
    subject: subjectFromName(r.subject),
    subjectConfidence: r.subjectConfidence,
    demand: demandFromName(r.demand),
    demandConfidence: r.demandConfidence,
    injectionSuspected: r.injection,
    classifierVersion: r.version,
    durationUs: BigInt(Math.max(0, Math.round(r.durationUs))),
  });
}
