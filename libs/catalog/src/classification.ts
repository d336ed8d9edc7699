import type { ClassificationResult } from '@yardmaster/classifier';
import { ClassificationSchema, ComplexityBand, ToolSuggestionSchema, bandFromName, create, intentFromName, piiFromName, type Classification } from '@yardmaster/contracts';

/**
 * The wire form of an in-process classification (as the classifier service publishes it),
 * for offline routing: the dry run, the evaluation and the benchmark.
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
    injectionSuspected: r.injection,
    classifierVersion: r.version,
    durationUs: BigInt(Math.max(0, Math.round(r.durationUs))),
  });
}
