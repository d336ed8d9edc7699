/**
 * Fits the subject/demand weights of the complexity score (KnowledgeModel) on our own
 * multiple-choice knowledge questions, complexity/knowledge/*.jsonl, one JSON object
 * per line:
 *
 *   {"text": "question\nA. ...\nB. ...", "subject": "chemistry", "demand": "computation", "level": 3}
 *
 * `level` is our annotation of how strong a model the question needs: 1 = a small
 * (3-8B) model answers it reliably (common facts), 2 = borderline (solid textbook
 * knowledge), 3 = a strong model is needed (specialist knowledge, several steps of
 * reasoning or calculation). The target is (level - 1) / 2.
 *
 * Logistic regression of the target on the subject and demand models' probabilities,
 * with the rest of the complexity score (length, intent, cue words) as a fixed offset,
 * so the weights only carry what subject and demand add. Plain gradient descent with a
 * fixed number of steps over files read in sorted order, so it is exactly reproducible.
 * The subject/demand labels of the rows are not used by the fit (they are read by the
 * eval, to report the heads' accuracy on these questions); the fit sees what serving
 * sees, the heads' probabilities.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { complexityFeatures, complexityLogit, knowledgeWeight, type KnowledgeModel } from '../complexity';
import { FeatureBuffer, extractConversationFeatures, textStats } from '../features';
import { softmax, type IntentModel } from '../model';
import { DEMANDS, INTENTS, SUBJECTS, isDemand, isSubject, type Demand, type Subject } from '../types';

/** One annotated knowledge question. */
export interface KnowledgeItem {
  text: string;
  subject: Subject;
  demand: Demand;
  level: 1 | 2 | 3;
  source: string;
}

/** L2 penalty on the weights. */
export const KNOWLEDGE_L2 = 0.02;
/** Gradient steps and step size. */
const STEPS = 3000;
const RATE = 2;

/** Default location of the annotated questions to fit on. */
export function defaultKnowledgeDir(): string {
  return path.resolve(__dirname, '..', '..', 'complexity', 'knowledge');
}

/** Reads every *.jsonl file of a directory (sorted); validates every row. */
export function readKnowledgeItems(dir: string = defaultKnowledgeDir()): KnowledgeItem[] {
  const out: KnowledgeItem[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
    readFileSync(path.join(dir, f), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim().length === 0) return;
        const source = `${f}:${i + 1}`;
        const r = JSON.parse(line) as Record<string, unknown>;
        const { text, subject, demand, level } = r;
        if (typeof text !== 'string' || text.trim().length === 0) throw new Error(`${source}: missing text`);
        if (!isSubject(subject)) throw new Error(`${source}: subject must be one of ${SUBJECTS.join(', ')}`);
        if (!isDemand(demand)) throw new Error(`${source}: demand must be one of ${DEMANDS.join(', ')}`);
        if (level !== 1 && level !== 2 && level !== 3) throw new Error(`${source}: level must be 1, 2 or 3`);
        out.push({ text, subject, demand, level, source });
      });
  }
  return out;
}

/** What the fit (and the eval) needs of one question: the offset and the two probability vectors. */
export interface TopicView {
  offset: number;
  /** How much of the knowledge term applies (see knowledgeWeight). */
  weight: number;
  subject: Float64Array;
  demand: Float64Array;
}

/** Classifies a text with `model` the way serving does, without the knowledge term. */
export function topicView(model: IntentModel, text: string): TopicView {
  const buf = new FeatureBuffer(8192);
  const turns = [{ role: 'user', content: text }];
  extractConversationFeatures(turns, buf, model.config);
  const probs = new Float64Array(INTENTS.length);
  model.logits(buf, probs);
  softmax(probs);
  const subject = new Float64Array(SUBJECTS.length);
  const demand = new Float64Array(DEMANDS.length);
  const sh = model.heads.get('subject');
  const dh = model.heads.get('demand');
  if (sh) {
    sh.logits(buf, subject);
    softmax(subject);
  }
  if (dh) {
    dh.logits(buf, demand);
    softmax(demand);
  }
  const st = textStats(text);
  return { offset: complexityLogit(complexityFeatures(text, st), probs, model.depth, st.sentences), weight: knowledgeWeight(probs), subject, demand };
}

/** Fits the knowledge weights with `model`'s heads; weights rounded to 6 decimals. */
export function fitKnowledgeModel(model: IntentModel, dir: string = defaultKnowledgeDir()): KnowledgeModel & { examples: number } {
  const items = readKnowledgeItems(dir);
  const views = items.map((it) => topicView(model, it.text));
  const y = items.map((it) => (it.level - 1) / 2);
  const ns = SUBJECTS.length;
  const d = ns + DEMANDS.length;
  // (word problems, which the term skips, are not among these questions)
  const x = views.map((v) => [...v.subject, ...v.demand].map((p) => p * v.weight));
  const w = new Array<number>(d).fill(0);
  const n = Math.max(1, items.length);
  for (let step = 0; step < STEPS; step++) {
    const g = new Array<number>(d).fill(0);
    for (let i = 0; i < items.length; i++) {
      const xi = x[i] ?? [];
      let z = views[i]?.offset ?? 0;
      for (let j = 0; j < d; j++) z += (xi[j] ?? 0) * (w[j] ?? 0);
      const err = 1 / (1 + Math.exp(-z)) - (y[i] ?? 0);
      for (let j = 0; j < d; j++) g[j] = (g[j] ?? 0) + err * (xi[j] ?? 0);
    }
    for (let j = 0; j < d; j++) w[j] = (w[j] ?? 0) - RATE * ((g[j] ?? 0) / n + KNOWLEDGE_L2 * (w[j] ?? 0));
  }
  const round = (v: number): number => Math.round(v * 1e6) / 1e6 + 0;
  return {
    subjects: [...SUBJECTS],
    demands: [...DEMANDS],
    subjectWeights: w.slice(0, ns).map(round),
    demandWeights: w.slice(ns).map(round),
    examples: items.length,
  };
}
