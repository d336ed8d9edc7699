/**
 * The training data must not contain the public evaluation prompts (../shared/eval:
 * just-eval, vicuna-bench, RouteProfile, RouteLLM's GSM8K) or close paraphrases of them,
 * or the figures `npm run eval` reports would measure memory, not generalisation. Checked
 * on every training source the trainer reads (the intent corpus, the word problems and the
 * annotated knowledge questions): no row may share a run of ten words with an evaluation
 * prompt. (Ten words: shorter runs are everyday phrasing - "can you help me figure out how
 * to" - that two authors write independently.) Skipped when ../shared/eval is not beside
 * the checkout.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseCsv } from '../eval/metrics';
import { findSharedEvalDir, readJsonl } from '../eval/shared-eval';
import { readStepExamples } from './complexity-fit';
import { readCorpus } from './corpus';
import { readKnowledgeItems } from './knowledge-fit';

/** Words shared in a row that count as a copy or a paraphrase. */
const RUN = 10;

const words = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function runs(s: string): string[] {
  const w = words(s);
  const out: string[] = [];
  for (let i = 0; i + RUN <= w.length; i++) out.push(w.slice(i, i + RUN).join(' '));
  return out;
}

/** Every evaluation prompt, by set. */
function evalPrompts(dir: string): Map<string, string[]> {
  const sets = new Map<string, string[]>();
  sets.set('just-eval', readJsonl(path.join(dir, 'just_eval_task_tags.jsonl')).map((r) => String(r['instruction'])));
  sets.set('vicuna', readJsonl(path.join(dir, 'vicuna_bench_question.jsonl')).flatMap((r) => (r['turns'] as unknown[]).map(String)));
  sets.set('routeprofile', readJsonl(path.join(dir, 'routeprofile_queries.jsonl')).map((r) => String(r['query'])));
  const [header, ...rows] = parseCsv(readFileSync(path.join(dir, 'routellm_gsm8k_responses.csv'), 'utf8'));
  const col = header?.indexOf('prompt') ?? -1;
  assert.ok(col >= 0, 'routellm_gsm8k_responses.csv has no prompt column');
  sets.set('gsm8k', rows.map((r) => r[col] ?? ''));
  return sets;
}

const dir = findSharedEvalDir();

describe('training data and the public evaluation sets', () => {
  it(`share no run of ${RUN} words`, { skip: dir === undefined ? 'no ../shared/eval beside the checkout' : false }, () => {
    const index = new Map<string, string>();
    for (const [set, prompts] of evalPrompts(dir!)) {
      assert.ok(prompts.length > 50, `${set}: only ${prompts.length} prompts read`);
      for (const p of prompts) for (const r of runs(p)) index.set(r, `${set}: ${p.slice(0, 80)}`);
    }
    const training: { text: string; source: string }[] = [
      ...readCorpus().examples.flatMap((e) => e.turns.map((t) => ({ text: t.content, source: e.source }))),
      ...readStepExamples().map((e) => ({ text: e.text, source: e.source })),
      ...readKnowledgeItems().map((e) => ({ text: e.text, source: e.source })),
    ];
    assert.ok(training.length > 10000, `only ${training.length} training texts read`);
    const copies: string[] = [];
    for (const t of training) {
      const hit = runs(t.text).find((r) => index.has(r));
      if (hit) copies.push(`${t.source}: "${t.text.slice(0, 80)}" shares "${hit}" with ${index.get(hit)}`);
    }
    assert.deepEqual(copies, []);
  });
});
