import type { ClassificationResult } from '@yardmaster/classifier';
import {
  ClassificationSchema,
  ComplexityBand,
  ToolSuggestionSchema,
  bandFromName,
  create,
  demandFromName,
  intentFromName,
  piiFromName,
  subjectFromName,
  type Classification,
} from '@yardmaster/contracts';

/**
 * The wire form of an in-process classification: what the classifier service publishes, and
 * what offline routing (the dry run, the evaluation and the benchmark) routes on, so both see
 * the same fields.
 */
export function classificationFromResult(requestId: string, r: ClassificationResult): Classification {
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
