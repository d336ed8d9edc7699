/**
 * `npm run eval -w libs/classifier` - measures the classifier on the public sets in
 * shared/eval (never used for training):
 * - vicuna_bench_question.jsonl (category) and just_eval_task_tags.jsonl (multi-label
 *   task_tags): intent accuracy, macro-F1, confusion matrix, with the printed
 *   category -> allowed-intents mapping;
 * - routellm_gsm8k_responses.csv (minus the contaminated prompts): APGR, CPT(50%),
 *   CPT(80%) of the complexity score as a strong/weak router;
 * - routeprofile_queries.jsonl: intent distribution and mean complexity per task;
 * - accuracy on heldout/ (our own long prompts, never used for training);
 * - classify() latency p50/p99 over all of the above prompts.
 *
 * Options: --dir <eval dir> (default: ../../../shared/eval from the package, or
 * $YARDMASTER_EVAL_DIR), --misses (print misclassified prompts, for error analysis),
 * --model <file> (evaluate another model file than the committed one), --heldout-only
 * (report heldout/ alone, without reading shared/eval: for choosing among training variants).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Classifier } from '../classifier';
import { readCorpus } from '../train/corpus';
import { readKnowledgeItems } from '../train/knowledge-fit';
import { INTENTS, type Intent } from '../types';
import { findSharedEvalDir, readJsonl } from './shared-eval';
import { parseCsv, percentile, routingQuality, scoreIntents, spearman, type IntentScore, type JudgedItem, type RoutedItem } from './metrics';

/** Vicuna-bench category -> intents that count as correct (first = primary). */
export const VICUNA_MAPPING: Readonly<Record<string, readonly Intent[]>> = {
  coding: ['code'],
  math: ['math'],
  writing: ['writing', 'creative_writing'],
  roleplay: ['creative_writing', 'chat'],
  knowledge: ['open_qa', 'brainstorming'],
  generic: ['open_qa', 'brainstorming'],
  'common-sense': ['open_qa', 'reasoning'],
  fermi: ['reasoning', 'math'],
  counterfactual: ['reasoning', 'open_qa', 'creative_writing'],
};

/**
 * just-eval task tag -> allowed intents. A row with several tags counts as correct
 * if the prediction is allowed by any of its tags.
 * - info-seek: questions answered from knowledge (open_qa); recommendations and
 *   suggestion lists are brainstorming in our taxonomy.
 * - reasoning: analysis / judgement / "why" questions: reasoning, explanatory open_qa, or math.
 * - procedure: how-to instructions (open_qa), plans (brainstorming), and guides,
 *   routines or checklists requested as a document (writing: functional writing).
 * - writing: any text-production task, which our taxonomy splits into writing,
 *   creative_writing, rewrite, summarization, translation and idea lists (brainstorming).
 * - role-play: creative_writing or chat (in-character conversation).
 */
export const JUST_EVAL_MAPPING: Readonly<Record<string, readonly Intent[]>> = {
  coding: ['code'],
  math: ['math'],
  'role-play': ['creative_writing', 'chat'],
  writing: ['writing', 'creative_writing', 'rewrite', 'summarization', 'translation', 'brainstorming'],
  reasoning: ['reasoning', 'open_qa', 'math'],
  procedure: ['open_qa', 'brainstorming', 'writing'],
  'info-seek': ['open_qa', 'brainstorming'],
};
/** Tag priority for the primary (gold) intent of multi-label rows: most specific first. */
const TAG_PRIORITY = ['coding', 'math', 'role-play', 'writing', 'reasoning', 'procedure', 'info-seek'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function evalDir(): string {
  const d = arg('--dir') ?? process.env['YARDMASTER_EVAL_DIR'] ?? findSharedEvalDir();
  if (!d || !existsSync(d)) throw new Error(`eval directory not found: ${d ?? '../shared/eval'} (use --dir or YARDMASTER_EVAL_DIR)`);
  return d;
}

const latencies: number[] = [];
function classifyText(clf: Classifier, text: string): ReturnType<Classifier['classify']> {
  const r = clf.classify({ messages: [{ role: 'user', content: text }] });
  latencies.push(r.durationUs);
  return r;
}

function printScore(title: string, s: IntentScore, categories: readonly string[]): void {
  console.log(`\n${title}: accuracy ${(100 * s.accuracy).toFixed(1)}%  macro-F1 ${s.macroF1.toFixed(3)}  (n=${s.n})`);
  const used = INTENTS.filter((i) => [...s.confusion.values()].some((row) => (row.get(i) ?? 0) > 0));
  const abbrev = (i: string): string => i.replace('creative_writing', 'creat').replace('image_generation', 'image').replace('classification', 'classif').replace('summarization', 'summ').replace('brainstorming', 'brainst').replace('translation', 'transl').replace('extraction', 'extract').replace('reasoning', 'reason');
  const w = Math.max(...categories.map((c) => c.length), 8) + 2;
  console.log('confusion (rows: source category, columns: predicted intent; acc = share allowed)');
  console.log(' '.repeat(w) + used.map((u) => abbrev(u).padStart(8)).join('') + '     acc');
  for (const c of categories) {
    const row = s.confusion.get(c);
    if (!row) continue;
    const pc = s.perCategory.get(c);
    const acc = pc ? `${((100 * pc.correct) / pc.n).toFixed(0)}%` : '';
    console.log(c.padEnd(w) + used.map((u) => String(row.get(u) ?? 0).padStart(8)).join('') + acc.padStart(8));
  }
}

/**
 * Intent accuracy on heldout/ (our own prompts, never trained on), overall, per intent
 * and per file; subject and demand accuracy on the rows labelled with them.
 */
function heldoutReport(clf: Classifier, showMisses: boolean): void {
  const heldoutDir = path.resolve(__dirname, '..', '..', 'heldout');
  if (existsSync(heldoutDir)) {
    const held = readCorpus(heldoutDir).examples;
    let ok = 0;
    const perIntent = new Map<string, { n: number; ok: number }>();
    const perFile = new Map<string, { n: number; ok: number }>();
    const heldMisses: string[] = [];
    let subjN = 0;
    let subjOk = 0;
    let demN = 0;
    let demOk = 0;
    for (const ex of held) {
      const r = clf.classify({ messages: ex.turns });
      if (ex.subject) {
        subjN++;
        if (r.subject === ex.subject) subjOk++;
      }
      if (ex.demand) {
        demN++;
        if (r.demand === ex.demand) demOk++;
      }
      const s = perIntent.get(ex.intent) ?? { n: 0, ok: 0 };
      const file = ex.source.split(':')[0] ?? '';
      const pf = perFile.get(file) ?? { n: 0, ok: 0 };
      s.n++;
      pf.n++;
      if (r.intent === ex.intent) {
        ok++;
        s.ok++;
        pf.ok++;
      } else heldMisses.push(`  [${ex.intent} -> ${r.intent} ${r.intentConfidence}] ${(ex.turns.at(-1)?.content ?? '').slice(-140).replace(/\n/g, ' | ')}`);
      perIntent.set(ex.intent, s);
      perFile.set(file, pf);
    }
    console.log(`
heldout/ (our long context-first prompts, kept out of training): accuracy ${((100 * ok) / Math.max(1, held.length)).toFixed(1)}% (n=${held.length})`);
    console.log(`  ${[...perIntent.entries()].sort().map(([i, v]) => `${i} ${((100 * v.ok) / v.n).toFixed(0)}%`).join(', ')}`);
    for (const [f, v] of [...perFile.entries()].sort()) console.log(`  ${f}: ${((100 * v.ok) / v.n).toFixed(1)}% (n=${v.n})`);
    if (subjN > 0) console.log(`  subject accuracy ${((100 * subjOk) / subjN).toFixed(1)}% (n=${subjN}), demand accuracy ${((100 * demOk) / Math.max(1, demN)).toFixed(1)}% (n=${demN}) on the rows labelled with them`);
    if (showMisses) console.log(heldMisses.join('\n'));
  }
}

function main(): void {
  const showMisses = process.argv.includes('--misses');
  const modelPath = arg('--model');
  const clf = Classifier.load({ allowHeuristicFallback: false, preloadCalculator: true, ...(modelPath ? { modelPath } : {}) });
  if (process.argv.includes('--heldout-only')) {
    // Choosing among training variants looks only at our own files, never at the public sets.
    console.log(`classifier ${clf.version}; heldout/ only`);
    heldoutReport(clf, showMisses);
    return;
  }
  const dir = evalDir();
  console.log(`classifier ${clf.version}; eval data: ${dir}`);

  // ---- mapping
  console.log('\nCategory -> allowed intents (first = primary/gold when wrong):');
  for (const [k, v] of Object.entries(VICUNA_MAPPING)) console.log(`  vicuna ${k.padEnd(15)} -> ${v.join(' | ')}`);
  for (const [k, v] of Object.entries(JUST_EVAL_MAPPING)) console.log(`  just-eval ${k.padEnd(12)} -> ${v.join(' | ')}`);
  console.log('  (a just-eval row with several task_tags counts as correct if any tag allows the prediction)');

  // warm-up so that JIT and lazy loads (mathjs) do not pollute latencies
  for (let i = 0; i < 200; i++) clf.classify({ messages: [{ role: 'user', content: `warm up ${i} what is ${i}+1?` }] });

  // ---- vicuna
  const vicuna = readJsonl(path.join(dir, 'vicuna_bench_question.jsonl'));
  const vItems: JudgedItem[] = [];
  const vMisses: string[] = [];
  for (const row of vicuna) {
    const cat = String(row['category']);
    const turns = row['turns'] as string[];
    const allowed = VICUNA_MAPPING[cat] ?? ['other'];
    const r = classifyText(clf, turns[0] ?? '');
    vItems.push({ category: cat, allowed: new Set(allowed), primary: allowed[0] ?? 'other', predicted: r.intent });
    if (!allowed.includes(r.intent)) vMisses.push(`  [${cat} -> ${r.intent} ${r.intentConfidence}] ${(turns[0] ?? '').slice(0, 120)}`);
  }
  printScore('vicuna_bench_question.jsonl (category)', scoreIntents(vItems), Object.keys(VICUNA_MAPPING));
  if (showMisses) console.log(vMisses.join('\n'));

  // ---- just-eval
  const je = readJsonl(path.join(dir, 'just_eval_task_tags.jsonl'));
  const jItems: JudgedItem[] = [];
  const jMisses: string[] = [];
  const jCats = new Map<string, number>();
  const jDifficulty: number[] = [];
  const jComplexity: number[] = [];
  const jLength: number[] = [];
  for (const row of je) {
    const tags = (row['task_tags'] as string[]).slice().sort((a, b) => TAG_PRIORITY.indexOf(a) - TAG_PRIORITY.indexOf(b));
    const allowed = new Set<string>(tags.flatMap((t) => JUST_EVAL_MAPPING[t] ?? []));
    const primary = JUST_EVAL_MAPPING[tags[0] ?? '']?.[0] ?? 'other';
    const cat = tags.join('+');
    jCats.set(cat, (jCats.get(cat) ?? 0) + 1);
    const text = String(row['instruction']);
    const r = classifyText(clf, text);
    if (typeof row['difficulty'] === 'number') {
      jDifficulty.push(row['difficulty']);
      jComplexity.push(r.complexity);
      jLength.push(text.length);
    }
    jItems.push({ category: cat, allowed, primary, predicted: r.intent });
    if (!allowed.has(r.intent)) jMisses.push(`  [${cat} -> ${r.intent} ${r.intentConfidence}] ${text.slice(0, 120).replace(/\n/g, ' | ')}`);
  }
  const jCatOrder = [...jCats.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
  printScore('just_eval_task_tags.jsonl (task_tags, multi-label)', scoreIntents(jItems), jCatOrder);
  if (showMisses) console.log(jMisses.join('\n'));
  const all = scoreIntents([...vItems, ...jItems]);
  console.log(`\nCombined vicuna + just-eval: accuracy ${(100 * all.accuracy).toFixed(1)}%  macro-F1 ${all.macroF1.toFixed(3)}  (n=${all.n})`);
  console.log(
    `just-eval open-ended chat: Spearman of complexity with the set's difficulty (1-5) ${spearman(jComplexity, jDifficulty).toFixed(3)}` +
      ` (prompt length ${spearman(jLength, jDifficulty).toFixed(3)}; n=${jDifficulty.length})`,
  );

  // ---- GSM8K routing
  const contaminated = new Set(
    readJsonl(path.join(dir, 'routellm_gsm8k_contaminated_prompts.jsonl')).map((r) => String(r['eval_prompt']).trim()),
  );
  const rows = parseCsv(readFileSync(path.join(dir, 'routellm_gsm8k_responses.csv'), 'utf8'));
  const header = rows[0] ?? [];
  const weakCol = header.indexOf('mistralai/Mixtral-8x7B-Instruct-v0.1');
  const strongCol = header.indexOf('gpt-4-1106-preview');
  const routed: RoutedItem[] = [];
  const byLength: RoutedItem[] = [];
  let excluded = 0;
  for (const r of rows.slice(1)) {
    const prompt = r[0] ?? '';
    if (prompt.length === 0) continue;
    if (contaminated.has(prompt.trim())) {
      excluded++;
      continue;
    }
    const res = classifyText(clf, prompt);
    const strongCorrect = r[strongCol] === 'True';
    const weakCorrect = r[weakCol] === 'True';
    routed.push({ score: res.complexity, strongCorrect, weakCorrect });
    byLength.push({ score: prompt.length, strongCorrect, weakCorrect });
  }
  const q = routingQuality(routed);
  const ql = routingQuality(byLength);
  console.log(`\nGSM8K strong/weak routing (RouteLLM method) on ${q.n} prompts (${excluded} contaminated excluded)`);
  console.log(`  strong gpt-4-1106-preview ${(100 * q.strongAccuracy).toFixed(1)}%, weak Mixtral-8x7B ${(100 * q.weakAccuracy).toFixed(1)}%`);
  console.log(`  complexity score : APGR ${q.apgr.toFixed(3)}  CPT(50%) ${(100 * q.cpt50).toFixed(1)}%  CPT(80%) ${(100 * q.cpt80).toFixed(1)}%`);
  console.log(`  baseline: prompt length APGR ${ql.apgr.toFixed(3)}  CPT(50%) ${(100 * ql.cpt50).toFixed(1)}%  CPT(80%) ${(100 * ql.cpt80).toFixed(1)}%; random APGR 0.500 CPT(50%) 50.0% CPT(80%) 80.0%`);
  console.log('  PGR curve (strong share -> PGR): ' + q.curve.map((p) => `${(100 * p.share).toFixed(0)}%:${p.pgr.toFixed(2)}`).join(' '));

  // ---- RouteProfile distribution
  const rp = readJsonl(path.join(dir, 'routeprofile_queries.jsonl'));
  const dist = new Map<string, { n: number; counts: Map<string, number>; cx: number }>();
  for (const row of rp) {
    const task = String(row['task_name']);
    const r = classifyText(clf, String(row['query']));
    const d = dist.get(task) ?? { n: 0, counts: new Map<string, number>(), cx: 0 };
    d.n++;
    d.cx += r.complexity;
    d.counts.set(r.intent, (d.counts.get(r.intent) ?? 0) + 1);
    dist.set(task, d);
  }
  console.log('\nroute_profile queries: intent distribution per task (top 3) and mean complexity');
  routeProfileKnowledge(clf, dir, rp);
  for (const [task, d] of dist) {
    const top = [...d.counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([i, c]) => `${i} ${((100 * c) / d.n).toFixed(0)}%`);
    console.log(`  ${task.padEnd(22)} complexity ${(d.cx / d.n).toFixed(2)}  ${top.join(', ')}`);
  }

  heldoutReport(clf, showMisses);

  // ---- our own held-out multiple-choice knowledge questions (annotated levels)
  const knowledgeDir = path.resolve(__dirname, '..', '..', 'heldout', 'knowledge');
  if (existsSync(knowledgeDir)) {
    const items = readKnowledgeItems(knowledgeDir);
    const routedMc: RoutedItem[] = [];
    const byLen: RoutedItem[] = [];
    let subjOk = 0;
    let demOk = 0;
    for (const it of items) {
      const r = clf.classify({ messages: [{ role: 'user', content: it.text }] });
      // The annotation as outcomes: a strong model answers every question; a small one
      // answers level 1, half of level 2, none of level 3.
      const weak = it.level === 1 ? 1 : it.level === 2 ? 0.5 : 0;
      routedMc.push({ score: r.complexity, strongCorrect: 1, weakCorrect: weak });
      byLen.push({ score: it.text.length, strongCorrect: 1, weakCorrect: weak });
      if (r.subject === it.subject) subjOk++;
      if (r.demand === it.demand) demOk++;
    }
    const qm = routingQuality(routedMc);
    const qlen = routingQuality(byLen);
    console.log(
      `\nheldout/knowledge (our multiple-choice questions, annotated levels as outcomes): APGR ${qm.apgr.toFixed(3)} (prompt length ${qlen.apgr.toFixed(3)}),` +
        ` subject accuracy ${((100 * subjOk) / items.length).toFixed(1)}%, demand accuracy ${((100 * demOk) / items.length).toFixed(1)}% (n=${items.length})`,
    );
  }

  // ---- latency
  console.log(
    `\nclassify() latency over ${latencies.length} eval prompts: p50 ${percentile(latencies, 50).toFixed(0)} µs, p99 ${percentile(latencies, 99).toFixed(0)} µs, max ${Math.max(...latencies).toFixed(0)} µs`,
  );
}

/**
 * RouteProfile's mmlu rows as a knowledge-question check (measured only, never fitted):
 * the best of its 8 models as the strong one and the 3B model as the weak one, APGR of
 * the complexity score the RouteLLM way, next to prompt length; the same for all its
 * multiple-choice tasks together.
 */
function routeProfileKnowledge(clf: Classifier, dir: string, queries: ReadonlyArray<Record<string, unknown>>): void {
  const file = path.join(dir, 'routeprofile_scores_long.csv');
  if (!existsSync(file)) return;
  const rows = parseCsv(readFileSync(file, 'utf8'));
  const h = rows[0] ?? [];
  const col = (n: string): number => h.indexOf(n);
  const perf = new Map<string, Map<string, number>>();
  const modelMean = new Map<string, { sum: number; n: number }>();
  for (const r of rows.slice(1)) {
    if (r.length < h.length) continue;
    const key = `${r[col('task_name')]}#${r[col('query_idx')]}`;
    const model = r[col('model')] ?? '';
    const p = Number(r[col('task_performance')]);
    const m = perf.get(key) ?? new Map<string, number>();
    m.set(model, p);
    perf.set(key, m);
    if (r[col('task_name')] === 'mmlu') {
      const mm = modelMean.get(model) ?? { sum: 0, n: 0 };
      mm.sum += p;
      mm.n++;
      modelMean.set(model, mm);
    }
  }
  const ranked = [...modelMean.entries()].sort((a, b) => b[1].sum / b[1].n - a[1].sum / a[1].n);
  const strong = ranked[0]?.[0] ?? '';
  const weak = 'llama-3.2-3b-instruct';
  const mc = new Set(['mmlu', 'commonsense_qa', 'openbook_qa', 'arc_challenge']);
  const report = (tasks: ReadonlySet<string>, label: string): void => {
    const byScore: RoutedItem[] = [];
    const byLen: RoutedItem[] = [];
    for (const q of queries) {
      const task = String(q['task_name']);
      if (!tasks.has(task)) continue;
      const m = perf.get(`${task}#${String(q['query_idx'])}`);
      if (!m || !m.has(strong) || !m.has(weak)) continue;
      const text = String(q['query']);
      const r = clf.classify({ messages: [{ role: 'user', content: text }] });
      const s = m.get(strong) ?? 0;
      const w = m.get(weak) ?? 0;
      byScore.push({ score: r.complexity, strongCorrect: s, weakCorrect: w });
      byLen.push({ score: text.length, strongCorrect: s, weakCorrect: w });
    }
    if (byScore.length === 0) return;
    const q = routingQuality(byScore);
    const ql = routingQuality(byLen);
    console.log(
      `  ${label}: strong ${strong} ${(100 * q.strongAccuracy).toFixed(0)}%, weak ${weak} ${(100 * q.weakAccuracy).toFixed(0)}%: ` +
        `complexity APGR ${q.apgr.toFixed(3)} CPT(50%) ${(100 * q.cpt50).toFixed(0)}%, prompt length APGR ${ql.apgr.toFixed(3)} (n=${q.n})`,
    );
  };
  console.log('route_profile knowledge questions (measured, never fitted; RouteLLM method):');
  report(new Set(['mmlu']), 'mmlu');
  report(mc, 'mmlu + commonsense_qa + openbook_qa + arc_challenge');
}

main();
