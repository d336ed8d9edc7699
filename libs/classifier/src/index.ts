/**
 * @yardmaster/classifier - in-process request classifier for the Yardmaster router.
 *
 * ```ts
 * import { Classifier } from '@yardmaster/classifier';
 * const clf = Classifier.load();
 * const r = clf.classify({ messages: [{ role: 'user', content: 'what is 17.5% of 2,340?' }] });
 * // r.intent === 'math', r.tool?.result === '409.5'
 * ```
 */
export * from './types';
export { Classifier, CLASSIFIER_VERSION, demandOfIntent, type ClassifierOptions, type AsyncClassificationResult } from './classifier';
export { secondStageSkipReason, type EgressFacts, type PiiPolicy, type PrivacyHint, type SecondStageSkip } from './egress';
export { SecondStage, parseLabel, INTENT_DESCRIPTIONS, type SecondStageOptions, type SecondStageAnswer } from './second-stage';
export { classifyJsonLines, parseInputLine, toSnakeCase, type ClassificationJson, type ClassifyJsonLinesOptions } from './jsonl';
export { parseMessages, contentText } from './messages';
export { splitInstruction } from './features';
export { detectPii, luhnValid, ibanValid, spanishIdValid } from './pii';
export { detectCalculator, evaluateToolExpression, warmCalculator } from './tool';
export { detectDate, evaluateDateExpression } from './tool-dates';
export { detectCurrency, detectHttpTool, detectRecordLookup, detectWeather } from './tool-http';
export { detectInjection } from './injection';
export { detectLanguageOrNull, detectConversationLanguage, warmLanguageDetector } from './language';
export { EXACT_CHAR_CAP, countTextTokens, countTextTokensExact, countConversationTokens, exactTokenizerLoaded } from './tokens';
export {
  complexityFeatures,
  complexityScore,
  complexityLogit,
  complexityBand,
  estimateSteps,
  knowledgeTerm,
  knowledgeWeight,
  isMultipleChoice,
  oneHot,
  type ComplexityFeatures,
  type DepthModel,
  type KnowledgeModel,
  type TopicSignals,
} from './complexity';
export {
  FeatureBuffer,
  extractMessageFeatures,
  extractConversationFeatures,
  contextWeight,
  textStats,
  type TextStats,
  type FeatureConfig,
} from './features';
export { IntentModel, LinearHead, loadModelFile, decodeModel, encodeModel, defaultModelPath, type ModelFile, type HeadFile } from './model';
