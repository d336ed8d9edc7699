/**
 * The in-process request classifier: intent (trained linear model), complexity,
 * language, token count, modality, PII, prompt-injection suspicion and calculator
 * tool suggestion, in well under a millisecond and with no network.
 */
import { existsSync } from 'node:fs';
import { complexityBand, complexityFeatures, complexityScore, isMultipleChoice, oneHot, type TopicSignals } from './complexity';
import { secondStageSkipReason, type SecondStageSkip } from './egress';
import { DEFAULT_FEATURE_CONFIG, FeatureBuffer, extractConversationFeatures, textStats, type TextStats } from './features';
import { heuristicScores } from './heuristic';
import { detectInjection } from './injection';
import { detectConversationLanguage, warmLanguageDetector } from './language';
import { type IntentModel, defaultModelPath, loadModelFile, softmax } from './model';
import { detectPii } from './pii';
import { countConversationTokens } from './tokens';
import { SecondStage, type SecondStageOptions } from './second-stage';
import { detectCalculator, warmCalculator } from './tool';
import { detectHttpTool } from './tool-http';
import {
  DEMANDS,
  INTENTS,
  SUBJECTS,
  type ChatTurn,
  type ClassificationResult,
  type ClassifierInput,
  type Demand,
  type Intent,
  type PiiKind,
  type Subject,
} from './types';

/** Classifier code version; the model's digest is appended to form `version`. */
export const CLASSIFIER_VERSION = '1.0.0';

/** Options for {@link Classifier.load}. */
export interface ClassifierOptions {
  /** Path of the model JSON; defaults to the committed model/intent-model.json. */
  modelPath?: string;
  /** An already-loaded model (tests, training loops). Takes precedence over modelPath. */
  model?: IntentModel;
  /**
   * If true (default), a missing model file falls back to keyword heuristics instead
   * of throwing, so a service can still start; `version` then ends in `+heuristic`.
   */
  allowHeuristicFallback?: boolean;
  /**
   * Load the calculator's mathjs instance at load time rather than on the first
   * arithmetic request (costs ~20 MB heap; removes a one-off latency spike).
   */
  preloadCalculator?: boolean;
  /** Enables the optional second stage used by {@link Classifier.classifyAsync}. */
  secondStage?: SecondStageOptions | SecondStage;
  /**
   * Count messages of up to this many characters exactly with the o200k_base BPE
   * (EXACT_CHAR_CAP is the usual choice); default 0, every message estimated from its
   * character classes. Exact counting loads the tokenizer (60-70 MB) on first use.
   */
  exactTokenChars?: number;
}

/** Result of {@link Classifier.classifyAsync}: the classification plus how the intent was decided. */
export interface AsyncClassificationResult extends ClassificationResult {
  /** 'model' (first stage only) or 'second_stage' (the small model chose the intent). */
  intentSource: 'model' | 'second_stage';
  /** Set when the second stage was consulted but could not answer (first stage kept). */
  secondStageError?: string;
  /**
   * Set when the second stage would have been consulted but the request may not be
   * sent to its endpoint (self-hosted-only, or PII under the private policy); the
   * first-stage result stands.
   */
  secondStageSkipped?: SecondStageSkip;
}

/** Explicit requests for an image as output ("draw me", "generate an image of"). */
export const IMAGE_REQUEST =
  /\b(?:draw|paint|sketch|illustrate|render|generate|create|make|design|produce)\b[^.?!\n]{0,40}\b(?:image|picture|pic|photo|illustration|drawing|logo|icon|wallpaper|poster|artwork|painting|sketch|portrait|avatar)s?\b|\b(?:image|picture|photo) of\b.{0,60}\b(?:please|for me)\b|\b(?:dessine|g[ée]n[èe]re une image|genera (?:una )?imagen|dibuja|zeichne|erstelle ein bild|disegna|desenhe|нарисуй|画一|生成.{0,6}(?:图|圖)|描いて|画像を(?:生成|作))/iu;

/**
 * The words an IMAGE_REQUEST match starts with (of each alternative, its leading
 * literal), with the same flags: a match can only start where one of them does.
 */
const IMAGE_REQUEST_START =
  /draw|paint|sketch|illustrate|render|generate|create|make|design|produce|image|picture|photo|dessine|g[ée]n[èe]re une image|genera (?:una )?imagen|dibuja|zeichne|erstelle ein bild|disegna|desenhe|нарисуй|画一|生成|描いて|画像を/giu;
const IMAGE_REQUEST_AT = new RegExp(IMAGE_REQUEST.source, 'iuy');

/**
 * IMAGE_REQUEST.test(text), trying the pattern only where one of its starting words
 * occurs (every such position, in order) instead of at every position: the full
 * pattern costs the regex engine ~12 ns per character (classifier.spec checks the two
 * agree).
 */
export function asksForImage(text: string): boolean {
  IMAGE_REQUEST_START.lastIndex = 0;
  for (let m = IMAGE_REQUEST_START.exec(text); m !== null; m = IMAGE_REQUEST_START.exec(text)) {
    IMAGE_REQUEST_AT.lastIndex = m.index;
    if (IMAGE_REQUEST_AT.test(text)) return true;
    IMAGE_REQUEST_START.lastIndex = m.index + 1;
  }
  return false;
}

const modelCache = new Map<string, IntentModel>();

/** The kind of demand an intent implies, for models without a demand head. */
export function demandOfIntent(intent: Intent): Demand {
  switch (intent) {
    case 'math':
      return 'computation';
    case 'reasoning':
      return 'reasoning';
    case 'code':
    case 'creative_writing':
    case 'writing':
    case 'translation':
    case 'rewrite':
    case 'summarization':
    case 'brainstorming':
    case 'image_generation':
      return 'generation';
    default:
      return 'recall';
  }
}

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if ((v[i] ?? 0) > (v[best] ?? 0)) best = i;
  return best;
}

function resultVersion(model: IntentModel | null): string {
  return `yardmaster-classifier/${CLASSIFIER_VERSION}+${model ? model.id : 'heuristic'}`;
}

/**
 * Classifies chat requests. Create once with {@link Classifier.load} (reads the
 * model, a 3.8 MB int8 table in memory, and the language detector) and call {@link Classifier.classify} per request;
 * `classify` is synchronous, allocation-light and safe to call concurrently from
 * one thread (it reuses internal buffers between calls).
 */
export class Classifier {
  /** The loaded model, or null when running on the heuristic fallback. */
  readonly model: IntentModel | null;
  /** Version string reported in every result. */
  readonly version: string;
  private readonly buf = new FeatureBuffer(8192);
  private readonly scratch = new FeatureBuffer(4096);
  private readonly logits = new Float64Array(INTENTS.length);
  private readonly subjectProbs = new Float64Array(SUBJECTS.length);
  private readonly demandProbs = new Float64Array(DEMANDS.length);

  /** The configured second stage, if any. */
  readonly secondStage: SecondStage | null;
  /** Messages up to this many characters are counted exactly (0: none); see {@link ClassifierOptions.exactTokenChars}. */
  readonly exactTokenChars: number;

  private constructor(model: IntentModel | null, secondStage: SecondStage | null = null, exactTokenChars = 0) {
    this.model = model;
    this.version = resultVersion(model);
    this.secondStage = secondStage;
    this.exactTokenChars = exactTokenChars;
  }

  /**
   * Loads the classifier. Models are cached per path, so calling load() from several
   * places shares one weight table.
   */
  static load(opts: ClassifierOptions = {}): Classifier {
    if (opts.preloadCalculator) warmCalculator();
    warmLanguageDetector();
    const stage = opts.secondStage
      ? opts.secondStage instanceof SecondStage
        ? opts.secondStage
        : new SecondStage(opts.secondStage)
      : null;
    const exact = opts.exactTokenChars ?? 0;
    if (opts.model) return new Classifier(opts.model, stage, exact);
    const file = opts.modelPath ?? defaultModelPath();
    let model = modelCache.get(file) ?? null;
    if (!model) {
      if (!existsSync(file)) {
        if (opts.allowHeuristicFallback === false) throw new Error(`intent model not found at ${file}`);
        return new Classifier(null, stage, exact);
      }
      model = loadModelFile(file);
      modelCache.set(file, model);
    }
    return new Classifier(model, stage, exact);
  }

  /**
   * Like {@link classify}, but when a second stage is configured and the intent
   * confidence is below its threshold, asks the small model to choose among the
   * top candidates, unless the request may not be sent there (see {@link refine}).
   * Without a second stage it resolves to the first-stage result.
   */
  async classifyAsync(input: ClassifierInput): Promise<AsyncClassificationResult> {
    return this.refine(input, this.classify(input));
  }

  /**
   * The second half of {@link classifyAsync}: refines a first-stage result of
   * {@link classify} for the same input with the second stage when it is configured,
   * the confidence is below its threshold, and {@link secondStageSkipReason} lets the
   * conversation go to its endpoint (`input.privacy`, the PII in `first`, the
   * endpoint's `selfHosted` and `piiPolicy`). Otherwise resolves to `first`, with
   * `secondStageSkipped` saying why when privacy kept it back. Never throws.
   */
  async refine(input: ClassifierInput, first: ClassificationResult): Promise<AsyncClassificationResult> {
    const stage = this.secondStage;
    if (!stage || first.intentConfidence >= stage.threshold || first.tool) return { ...first, intentSource: 'model' };
    const skipped = secondStageSkipReason({
      privacy: input.privacy ?? 'any',
      piiFound: first.pii.length > 0,
      endpointSelfHosted: stage.selfHosted,
      piiPolicy: stage.piiPolicy,
    });
    if (skipped) return { ...first, intentSource: 'model', secondStageSkipped: skipped };
    const probs = this.intentProbabilities(input.messages);
    const candidates = INTENTS.map((intent, i) => ({ intent, p: probs[i] ?? 0 }))
      .sort((a, b) => b.p - a.p)
      .slice(0, stage.candidates)
      .map((c) => c.intent);
    const answer = await stage.choose(input.messages, candidates);
    if (!answer.intent) return { ...first, intentSource: 'model', ...(answer.error ? { secondStageError: answer.error } : {}) };
    if (answer.intent === first.intent) return { ...first, intentSource: 'second_stage' };
    const chosen = answer.intent;
    // Re-score complexity with the chosen intent blended in (half the mass), so the
    // band follows the corrected intent without discarding the first stage's view.
    const blended = oneHot(chosen);
    for (let i = 0; i < blended.length; i++) blended[i] = 0.5 * (blended[i] ?? 0) + 0.5 * (probs[i] ?? 0);
    const lastText = [...input.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const st = textStats(lastText);
    this.scoreInto(input.messages, new Float64Array(INTENTS.length));
    const topic = this.topicInto(this.subjectProbs, this.demandProbs);
    const useTopic = topic !== null && isMultipleChoice(lastText);
    const complexity = round4(complexityScore(complexityFeatures(lastText, st), blended, this.model?.depth, st.sentences, useTopic ? topic : undefined));
    return {
      ...first,
      intent: chosen,
      intentConfidence: round4(Math.max(probs[INTENTS.indexOf(chosen)] ?? 0, stage.threshold)),
      runnerUp: first.intent,
      runnerUpConfidence: first.intentConfidence,
      complexity,
      band: complexityBand(complexity),
      imageOutput: first.imageOutput || chosen === 'image_generation',
      intentSource: 'second_stage',
      durationUs: first.durationUs + answer.latencyMs * 1000,
    };
  }

  /**
   * Intent probabilities (INTENTS order) for a conversation. Exposed for the
   * evaluation and the second stage.
   */
  intentProbabilities(messages: readonly ChatTurn[]): Float64Array {
    const probs = new Float64Array(INTENTS.length);
    this.scoreInto(messages, probs);
    return probs;
  }

  private scoreInto(messages: readonly ChatTurn[], out: Float64Array): { lastIndex: number; lastStats: TextStats } {
    this.buf.reset();
    const config = this.model?.config ?? DEFAULT_FEATURE_CONFIG;
    const info = extractConversationFeatures(messages, this.buf, config, this.scratch);
    if (this.model) {
      this.model.logits(this.buf, out);
      softmax(out);
    } else {
      out.set(heuristicScores(messages[info.lastIndex]?.content ?? ''));
    }
    return info;
  }

  /**
   * Subject and demand probabilities of the features in the buffer (the last
   * {@link scoreInto}), and the complexity model's view of them; null when the model
   * has no subject/demand heads or no fitted knowledge weights.
   */
  private topicInto(subject: Float64Array, demand: Float64Array): TopicSignals | null {
    const sh = this.model?.heads.get('subject');
    const dh = this.model?.heads.get('demand');
    if (!sh || !dh || sh.k !== SUBJECTS.length || dh.k !== DEMANDS.length) return null;
    sh.logits(this.buf, subject);
    softmax(subject);
    dh.logits(this.buf, demand);
    softmax(demand);
    const knowledge = this.model?.knowledge;
    return knowledge ? { subject, demand, knowledge } : null;
  }

  /** Classifies one request (synchronous, no I/O). */
  classify(input: ClassifierInput): ClassificationResult {
    const t0 = process.hrtime.bigint();
    const messages = input.messages;
    const probs = this.logits;
    const { lastIndex, lastStats } = this.scoreInto(messages, probs);
    const lastText = messages[lastIndex]?.content ?? '';
    // Subject and demand read the same features (before a follow-up rescoring reuses the buffer).
    const hasHeads = this.model?.heads.has('subject') === true && this.model.heads.has('demand');
    const topic = this.topicInto(this.subjectProbs, this.demandProbs);

    let best = 0;
    let second: number;
    for (let i = 0; i < probs.length; i++) {
      if ((probs[i] ?? 0) > (probs[best] ?? 0)) best = i;
    }
    second = best === 0 ? 1 : 0;
    for (let i = 0; i < probs.length; i++) {
      if (i !== best && (probs[i] ?? 0) > (probs[second] ?? 0)) second = i;
    }
    let intent: Intent = INTENTS[best] ?? 'other';
    let intentConfidence = probs[best] ?? 0;
    let runnerUp: Intent = INTENTS[second] ?? 'other';
    let runnerUpConfidence = probs[second] ?? 0;

    // A very short follow-up the model cannot place on its own ("shorter", "again?")
    // continues the previous request: take the intent of the conversation up to the
    // previous user turn, at a discount.
    if ((intent === 'other' || intent === 'chat') && intentConfidence < 0.85 && lastStats.words <= 6) {
      let prevUser = -1;
      for (let i = lastIndex - 1; i >= 0; i--) {
        if (messages[i]?.role === 'user') {
          prevUser = i;
          break;
        }
      }
      if (prevUser >= 0) {
        const prevProbs = new Float64Array(INTENTS.length);
        this.scoreInto(messages.slice(0, prevUser + 1), prevProbs);
        let pb = 0;
        for (let i = 1; i < prevProbs.length; i++) if ((prevProbs[i] ?? 0) > (prevProbs[pb] ?? 0)) pb = i;
        const prevIntent = INTENTS[pb] ?? 'other';
        if (prevIntent !== 'chat' && prevIntent !== 'other') {
          runnerUp = intent;
          runnerUpConfidence = intentConfidence;
          intent = prevIntent;
          intentConfidence = (prevProbs[pb] ?? 0) * 0.8;
          for (let i = 0; i < probs.length; i++) probs[i] = 0.5 * (probs[i] ?? 0) + 0.5 * (prevProbs[i] ?? 0);
        }
      }
    }

    const fromUser = messages[lastIndex]?.role === 'user';
    const calculator = fromUser ? detectCalculator(lastText) : null;
    const tool = calculator ?? (fromUser ? detectHttpTool(lastText) : null);
    if (calculator && intent !== 'math') {
      // An expression the calculator evaluates exactly is arithmetic by definition.
      runnerUp = intent;
      runnerUpConfidence = intentConfidence;
      intent = 'math';
      intentConfidence = Math.max(probs[INTENTS.indexOf('math')] ?? 0, 0.9);
    }

    const userTurnsNewestFirst: string[] = [];
    let imageInput = false;
    const piiFound = new Set<PiiKind>();
    let injection = false;
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i];
      if (!m) continue;
      if ((m.images ?? 0) > 0) imageInput = true;
      if (m.role === 'user') userTurnsNewestFirst.push(m.content);
      for (const k of detectPii(m.content)) piiFound.add(k);
      // Injections arrive from users and, indirectly, through tool outputs; system
      // prompts legitimately contain instructions about instructions.
      if (!injection && (m.role === 'user' || m.role === 'tool') && detectInjection(m.content)) injection = true;
    }
    // Image output is a costly routing decision (an image model), so the intent alone
    // must be confident; an explicit request ("draw", "generate an image of") suffices.
    const imageOutput =
      (intent === 'image_generation' && intentConfidence >= 0.7) ||
      asksForImage(lastText.length > 600 ? lastText.slice(0, 600) : lastText);

    const cf = complexityFeatures(lastText, lastStats);
    const depth = this.model?.depth;
    // A calculator-answerable request needs no model at all, let alone a strong one.
    // Subject and demand move the complexity of multiple-choice knowledge questions,
    // the kind of request their weights were fitted on.
    const useTopic = topic !== null && isMultipleChoice(lastText);
    const complexity = tool ? 0.02 : complexityScore(cf, probs, depth, lastStats.sentences, useTopic ? topic : undefined);
    const si = hasHeads ? argmax(this.subjectProbs) : SUBJECTS.indexOf('other');
    const di = hasHeads ? argmax(this.demandProbs) : -1;
    const subject: Subject = SUBJECTS[si] ?? 'other';
    // A calculator-answerable request is a computation whatever the head says.
    const demand: Demand = tool ? 'computation' : di >= 0 ? (DEMANDS[di] ?? 'recall') : demandOfIntent(intent);

    const order: readonly PiiKind[] = ['email', 'phone', 'payment_card', 'iban', 'national_id', 'ip_address'];
    const result: ClassificationResult = {
      intent,
      intentConfidence: round4(intentConfidence),
      runnerUp,
      runnerUpConfidence: round4(runnerUpConfidence),
      complexity: round4(complexity),
      band: complexityBand(complexity),
      subject,
      subjectConfidence: hasHeads ? round4(this.subjectProbs[si] ?? 0) : 0,
      demand,
      demandConfidence: hasHeads && !tool ? round4(this.demandProbs[di] ?? 0) : tool ? 1 : 0,
      language: detectConversationLanguage(userTurnsNewestFirst.length > 0 ? userTurnsNewestFirst : [lastText]),
      inputTokens: countConversationTokens(messages, this.exactTokenChars),
      imageInput,
      imageOutput,
      pii: order.filter((k) => piiFound.has(k)),
      injection,
      tool,
      version: this.version,
      durationUs: 0,
    };
    result.durationUs = Number(process.hrtime.bigint() - t0) / 1000;
    return result;
  }
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

