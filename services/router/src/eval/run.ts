/**
 * `npm run eval:router`: the routing policy on RouteProfile (shared/eval): 600 queries of
 * 12 tasks, each answered by 8 open models whose per-query task performance and cost
 * were measured. Every query is classified in process and routed with an evaluation
 * catalog of those 8 models; the chosen model's measured performance and cost are read
 * back. Reported per strategy, against always-the-best-single-model, always-the-cheapest,
 * random (expected value) and the per-query oracle.
 *
 * The catalog's quality priors come ONLY from public per-model benchmark figures (the
 * Open LLM Leaderboard scores in routeprofile_candidate_models.json), mapped to intents
 * by what each benchmark measures (BENCHMARK_WEIGHTS, fixed a priori); prices from the
 * same file; the complexity slope from the parameter count. The per-query outcomes are
 * read only to score the routes, never to set a prior.
 *
 * Options: --dir <eval dir> (default ../shared/eval from the repository, or
 * $YARDMASTER_EVAL_DIR), --json (one JSON line at the end), --learned (the replay of
 * learned routing, below), --cv-only (with --learned: the cross-validation inside the
 * feedback half only, the held-out half never routed).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Catalog, QualityPosteriors, classificationFromResult, route } from '@yardmaster/catalog';
import { Classifier } from '@yardmaster/classifier';
import { RoutingHintsSchema, Strategy, bandName, create, intentName, subjectName, textRequest, type Classification } from '@yardmaster/contracts';
import { parse as parseCsv } from 'csv-parse/sync';
import seedrandom from 'seedrandom';
import { stringify } from 'yaml';

/** The benchmarks of the Open LLM Leaderboard v2 in the candidate file. */
type Benchmark = 'ifeval' | 'bbh' | 'math' | 'gpqa' | 'musr' | 'mmlu_pro';

/**
 * Which benchmarks speak for which intent, by what they measure: MATH for math; BBH,
 * MuSR and GPQA for multi-step reasoning; MMLU-Pro and GPQA for knowledge questions;
 * IFEval for following writing instructions. Code has no code benchmark in the set: it
 * takes BBH (whose algorithmic tasks - Dyck languages, boolean expressions, word sorting -
 * are closest to programming) and MMLU-Pro (which has computer-science and engineering
 * sections). (A first version used BBH and MATH for code; competition mathematics is a
 * weaker proxy for programming, and that version is reported in the README.)
 */
export const BENCHMARK_WEIGHTS: Readonly<Record<string, Partial<Record<Benchmark, number>>>> = {
  math: { math: 0.6, bbh: 0.4 },
  reasoning: { bbh: 0.4, musr: 0.3, gpqa: 0.3 },
  code: { bbh: 0.5, mmlu_pro: 0.5 },
  open_qa: { mmlu_pro: 0.6, gpqa: 0.4 },
  classification: { mmlu_pro: 0.5, ifeval: 0.5 },
  extraction: { ifeval: 0.6, mmlu_pro: 0.4 },
  summarization: { ifeval: 0.5, mmlu_pro: 0.5 },
  translation: { ifeval: 0.5, mmlu_pro: 0.5 },
  rewrite: { ifeval: 0.7, mmlu_pro: 0.3 },
  writing: { ifeval: 0.7, mmlu_pro: 0.3 },
  creative_writing: { ifeval: 0.7, bbh: 0.3 },
  brainstorming: { ifeval: 0.5, mmlu_pro: 0.5 },
  chat: { ifeval: 0.6, mmlu_pro: 0.4 },
};

interface CandidateModel {
  input_price: number;
  output_price: number;
  parameters: number;
  detailed_scores: Record<Benchmark, number>;
  languages?: string[];
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function evalDir(): string {
  const repo = path.resolve(__dirname, '..', '..', '..', '..');
  const candidates = [arg('--dir'), process.env['YARDMASTER_EVAL_DIR'], path.join(repo, '..', 'shared', 'eval'), path.join(repo, '..', '..', 'shared', 'eval')].filter((d): d is string => !!d);
  const found = candidates.find((d) => existsSync(path.join(d, 'routeprofile_scores_long.csv')));
  if (!found) throw new Error(`RouteProfile data not found in ${candidates.join(', ')} (use --dir or YARDMASTER_EVAL_DIR)`);
  return found;
}

/** Weighted benchmark score on a 0..1 scale. */
function prior(scores: Record<Benchmark, number>, weights: Partial<Record<Benchmark, number>>): number {
  let sum = 0;
  let w = 0;
  for (const [b, wt] of Object.entries(weights) as [Benchmark, number][]) {
    sum += (scores[b] / 100) * wt;
    w += wt;
  }
  return Math.round((sum / w) * 1000) / 1000;
}

/** The evaluation catalog: the 8 models with their public prices and benchmark-derived priors. */
export function evalCatalog(models: Record<string, CandidateModel>, costPerDecade = 0.05, reference?: ReferenceSetting): Catalog {
  const all: Benchmark[] = ['ifeval', 'bbh', 'math', 'gpqa', 'musr', 'mmlu_pro'];
  const doc = {
    version: 'routeprofile-eval-1',
    providers: [{ name: 'nim', pool: 'eval', api: 'openai-chat' }],
    models: Object.entries(models).map(([name, m]) => ({
      name,
      provider: 'nim',
      tier: m.parameters >= 40 ? 'frontier' : m.parameters >= 20 ? 'mid' : 'small',
      input_price_per_mtok: m.input_price,
      output_price_per_mtok: m.output_price,
      price_source: 'routeprofile_candidate_models.json (ulab-uiuc/RouteProfile @ 96a5b910), 2025-05',
      context_window: 32768,
      max_output_tokens: 4096,
      // Example latency: larger models generate more slowly.
      latency: { first_token_ms: 300, tokens_per_s: Math.round(2000 / Math.sqrt(m.parameters)), source: 'example (by parameter count)' },
      quality: {
        default: prior(m.detailed_scores, Object.fromEntries(all.map((b) => [b, 1]))),
        intents: Object.fromEntries(Object.entries(BENCHMARK_WEIGHTS).map(([intent, w]) => [intent, prior(m.detailed_scores, w)])),
        // Smaller models lose more on harder prompts (0.2 at 3B, 0.05 from about 70B).
        complexity_slope: Math.round(Math.max(0.05, 0.2 - 0.035 * Math.log2(m.parameters / 3)) * 1000) / 1000,
        source: 'Open LLM Leaderboard v2 scores in routeprofile_candidate_models.json, 2025-05, mapped to intents by BENCHMARK_WEIGHTS',
      },
      ...(m.languages ? { languages: m.languages } : {}),
    })),
    tiers: { standard: { strategy: 'balanced', quality_floor: 0, weights: { cost_per_decade: costPerDecade, latency_per_s: 0.005 }, ...(reference ? { reference } : {}) } },
  };
  return Catalog.parse(stringify(doc), 'routeprofile eval catalog');
}

interface Outcome {
  performance: number;
  cost: number;
  outputTokens: number;
}

/** A tier's reference setting (see the catalog's `tiers.<name>.reference`). */
interface ReferenceSetting {
  model: string;
  margin_sd: number;
  cost_weight: number;
}

interface Row {
  name: string;
  mean: number;
  cost: number;
  share?: Record<string, number>;
}

function main(): void {
  const dir = evalDir();
  const models = JSON.parse(readFileSync(path.join(dir, 'routeprofile_candidate_models.json'), 'utf8')) as Record<string, CandidateModel>;
  const queries = readFileSync(path.join(dir, 'routeprofile_queries.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { query_idx: number; task_name: string; query: string });
  const rows = parseCsv<Record<string, string>>(readFileSync(path.join(dir, 'routeprofile_scores_long.csv')), { columns: true });
  const outcome = new Map<string, Outcome>();
  for (const r of rows) outcome.set(`${r['query_idx']}\u0000${r['model']}`, { performance: Number(r['task_performance']), cost: Number(r['cost_usd']), outputTokens: Number(r['output_tokens']) });
  const names = Object.keys(models);
  const get = (q: number, m: string): Outcome => {
    const o = outcome.get(`${q}\u0000${m}`);
    if (!o) throw new Error(`no outcome for query ${q} and model ${m}`);
    return o;
  };

  const catalog = evalCatalog(models);
  const clf = Classifier.load({ allowHeuristicFallback: false, preloadCalculator: true });
  const classified = queries.map((q) => ({ q, c: classificationFromResult(`rp-${q.query_idx}`, clf.classify({ messages: [{ role: 'user', content: q.query }] })) }));

  const results: Row[] = [];
  const byTask = new Map<string, Map<string, number>>();
  const summarise = (name: string, pick: (i: number) => string): Row => {
    let perf = 0;
    let cost = 0;
    const share: Record<string, number> = {};
    classified.forEach(({ q }, i) => {
      const m = pick(i);
      const o = get(q.query_idx, m);
      perf += o.performance;
      cost += o.cost;
      share[m] = (share[m] ?? 0) + 1;
    });
    return { name, mean: perf / classified.length, cost, share };
  };

  for (const [label, strategy] of [
    ['balanced', Strategy.BALANCED],
    ['cost', Strategy.COST],
    ['quality', Strategy.QUALITY],
    ['latency', Strategy.LATENCY],
  ] as const) {
    const picks = classified.map(({ q, c }) => {
      const request = textRequest(q.query, { requestId: `rp-${q.query_idx}`, tenantId: 'eval' });
      request.hints = create(RoutingHintsSchema, { strategy });
      const routed = route(catalog, { request, classification: c });
      if (!routed.ok) throw new Error(`query ${q.query_idx}: ${routed.code}: ${routed.reason}`);
      const model = routed.decision.targets[0]!.model;
      if (strategy === Strategy.BALANCED) {
        const key = `${q.task_name} (${routed.decision.intent})`;
        const t = byTask.get(key) ?? new Map<string, number>();
        t.set(model, (t.get(model) ?? 0) + 1);
        byTask.set(key, t);
      }
      return model;
    });
    results.push(summarise(`router ${label}`, (i) => picks[i]!));
  }

  const singles = names.map((m) => summarise(m, () => m));
  const best = singles.reduce((a, b) => (b.mean > a.mean ? b : a));
  const cheapestModel = names.reduce((a, b) => (models[b]!.input_price + models[b]!.output_price < models[a]!.input_price + models[a]!.output_price ? b : a));
  const cheapest = singles.find((s) => s.name === cheapestModel)!;
  const random: Row = { name: 'random (expected)', mean: singles.reduce((s, r) => s + r.mean, 0) / singles.length, cost: singles.reduce((s, r) => s + r.cost, 0) / singles.length };
  const oracle = summarise('oracle (per query)', (i) => {
    const q = classified[i]!.q.query_idx;
    return names.reduce((a, b) => {
      const oa = get(q, a);
      const ob = get(q, b);
      return ob.performance > oa.performance || (ob.performance === oa.performance && ob.cost < oa.cost) ? b : a;
    });
  });

  console.log(`RouteProfile: ${classified.length} queries, ${names.length} models; eval data ${dir}; classifier ${clf.version}`);
  console.log('quality priors from public benchmark figures (Open LLM Leaderboard v2) by BENCHMARK_WEIGHTS:');
  for (const m of catalog.models) {
    const q = m.data.quality;
    console.log(`  ${m.name.padEnd(38)} default ${q.default.toFixed(3)}  math ${q.intents['math']?.toFixed(3)}  reasoning ${q.intents['reasoning']?.toFixed(3)}  open_qa ${q.intents['open_qa']?.toFixed(3)}  code ${q.intents['code']?.toFixed(3)}  writing ${q.intents['writing']?.toFixed(3)}  slope ${q.complexity_slope}`);
  }
  const intents = new Map<string, number>();
  for (const { c } of classified) intents.set(String(c.intent), (intents.get(String(c.intent)) ?? 0) + 1);
  console.log('');
  const line = (r: Row) => `  ${r.name.padEnd(40)} ${r.mean.toFixed(4)}   $${r.cost.toFixed(4)}${r.share ? `   ${Object.entries(r.share).sort((a, b) => b[1] - a[1]).map(([m, n]) => `${m} ${n}`).join(', ')}` : ''}`;
  console.log(`  ${'route'.padEnd(40)} mean perf   total cost   models used`);
  for (const r of results) console.log(line(r));
  console.log(line({ ...best, name: `best single: ${best.name}`, share: {} }).replace(/\s+$/, ''));
  console.log(line({ ...cheapest, name: `cheapest: ${cheapest.name}`, share: {} }).replace(/\s+$/, ''));
  console.log(line(random));
  console.log(line({ ...oracle, share: {} }).replace(/\s+$/, ''));
  console.log('\n  every single model:');
  for (const s of [...singles].sort((a, b) => b.mean - a.mean)) console.log(`    ${s.name.padEnd(38)} ${s.mean.toFixed(4)}   $${s.cost.toFixed(4)}`);
  // The balanced trade-off at other cost weights: the router's quality/cost frontier.
  console.log('\n  balanced at other cost weights (quality points per 10x cost):');
  for (const w of [0, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1]) {
    const cat = evalCatalog(models, w);
    const picks = classified.map(({ q, c }) => {
      const request = textRequest(q.query, { requestId: `rp-${q.query_idx}`, tenantId: 'eval' });
      const routed = route(cat, { request, classification: c });
      if (!routed.ok) throw new Error(`query ${q.query_idx}: ${routed.code}: ${routed.reason}`);
      return routed.decision.targets[0]!.model;
    });
    console.log(line(summarise(`cost_per_decade ${w}`, (i) => picks[i]!)));
  }
  if (process.argv.includes('--by-task')) {
    console.log('\n  balanced by task (intent): models chosen');
    for (const [k, t] of [...byTask].sort()) console.log(`    ${k.padEnd(40)} ${[...t].sort((a, b) => b[1] - a[1]).map(([m, n]) => `${m} ${n}`).join(', ')}`);
  }
  const balanced = results[0]!;
  const met = balanced.mean >= best.mean - 1e-9 && balanced.cost <= best.cost + 1e-12;
  console.log(
    `\ntarget: balanced >= best single (${best.name}) ${best.mean.toFixed(4)} at <= $${best.cost.toFixed(4)}: ` +
      `${met ? 'MET' : 'NOT MET'} (balanced ${balanced.mean.toFixed(4)} at $${balanced.cost.toFixed(4)})`,
  );
  if (process.argv.includes('--learned')) learnedReplay(models, catalog, classified, names, get);
  if (process.argv.includes('--json')) console.log(JSON.stringify({ strategies: results, best, cheapest, random, oracle, target_met: met }));
}

/**
 * `--learned`: replay evaluation of routing that learns from outcomes. The queries are
 * split in two halves by a fixed seed. The outcomes of the first half (every model's
 * measured performance and output length on each of those queries) are fed as feedback
 * into the posteriors of their (intent, band, subject) cells, as `yardmaster router fit`
 * would; the second half, whose outcomes are never fed, is then routed on the learned
 * estimates. Reported as a learning curve against the best single model and the per-query
 * oracle on the same held-out half.
 *
 * Two learned policies are replayed: `balanced` as before (log-cost utility), and
 * `balanced` against a reference model (the tier's `reference` setting: the reference
 * answers unless another model is better by `margin_sd` standard deviations of the learned
 * difference, or as good for less; spend priced at `cost_weight` per multiple of the
 * reference's expected cost). The reference is the best single model ON THE FEEDBACK HALF.
 * Every setting (prior strength, margin, cost weight) is chosen by 5-fold cross-validation
 * repeated twice INSIDE the feedback half: the highest cross-validated mean performance
 * among the settings whose cross-validated spend is at most the reference's on the same
 * folds. The held-out half is routed only with the chosen settings.
 */
function learnedReplay(
  models: Record<string, CandidateModel>,
  catalog: Catalog,
  classified: { q: { query_idx: number; query: string }; c: Classification }[],
  names: string[],
  get: (q: number, m: string) => Outcome,
): void {
  type Item = (typeof classified)[number];
  const rng = seedrandom('routeprofile-split-1');
  const order = classified.map((x, i) => ({ x, r: rng(), i })).sort((a, b) => a.r - b.r || a.i - b.i).map((e) => e.x);
  const half = Math.floor(order.length / 2);
  const feedback = order.slice(0, half);
  const heldOut = order.slice(half);
  const cellOf = (c: Classification) => ({ intent: intentName(c.intent), band: bandName(c.band), subject: subjectName(c.subject) });
  const tally = (rows: readonly Item[], pick: (i: number) => string) => {
    let perf = 0;
    let cost = 0;
    rows.forEach(({ q }, i) => {
      const o = get(q.query_idx, pick(i));
      perf += o.performance;
      cost += o.cost;
    });
    return { mean: perf / rows.length, cost };
  };
  const learn = (rows: readonly Item[], strength: number) => {
    const posteriors = new QualityPosteriors({ seed: 'replay', priorStrength: strength });
    for (const { q, c } of rows) for (const m of names) posteriors.observe(cellOf(c), m, get(q.query_idx, m).performance, 1, get(q.query_idx, m).outputTokens);
    return posteriors;
  };
  const routeWith = (cat: Catalog, rows: readonly Item[], posteriors: QualityPosteriors) =>
    rows.map(({ q, c }) => {
      const request = textRequest(q.query, { requestId: `rp-${q.query_idx}`, tenantId: 'eval' });
      const routed = route(cat, { request, classification: c, learned: { posteriors, explore: false } });
      if (!routed.ok) throw new Error(`query ${q.query_idx}: ${routed.code}: ${routed.reason}`);
      return routed.decision.targets[0]!.model;
    });

  // The reference, from the feedback half only: the best single model there is an estimate, and the held-out half's
  // best may be another model that is as good within noise. The reference is the cheapest model whose feedback-half
  // mean is within one paired standard error of the best's (so that routing clears the best's quality at the spend
  // of the cheapest model that may be best).
  const feedbackSingles = names.map((m) => ({ name: m, ...tally(feedback, () => m) }));
  const fbBest = feedbackSingles.reduce((a, b) => (b.mean > a.mean ? b : a));
  const pairedSe = (m: string) => {
    const d = feedback.map(({ q }) => get(q.query_idx, fbBest.name).performance - get(q.query_idx, m).performance);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    return Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1) / d.length);
  };
  const plausible = feedbackSingles.filter((x) => x.name === fbBest.name || fbBest.mean - x.mean <= pairedSe(x.name));
  const reference = plausible.reduce((a, b) => (b.cost < a.cost ? b : a)).name;

  // Cross-validation folds inside the feedback half: 5 folds, repeated with 2 shuffles.
  const folds: { train: Item[]; test: Item[] }[] = [];
  for (const seed of ['cv-1', 'cv-2']) {
    const r = seedrandom(seed);
    const shuffled = feedback.map((x, i) => ({ x, r: r(), i })).sort((a, b) => a.r - b.r || a.i - b.i).map((e) => e.x);
    for (let f = 0; f < 5; f++) folds.push({ train: shuffled.filter((_, i) => i % 5 !== f), test: shuffled.filter((_, i) => i % 5 === f) });
  }
  const strengths = [8, 32, 128];
  const learnedFolds = new Map(strengths.map((st) => [st, folds.map((f) => learn(f.train, st))]));
  const cvOf = (cat: Catalog, strength: number) => {
    let perf = 0;
    let cost = 0;
    let refCost = 0;
    let n = 0;
    folds.forEach((f, k) => {
      const picks = routeWith(cat, f.test, learnedFolds.get(strength)![k]!);
      const t = tally(f.test, (i) => picks[i]!);
      perf += t.mean * f.test.length;
      cost += t.cost;
      refCost += tally(f.test, () => reference).cost;
      n += f.test.length;
    });
    return { mean: perf / n, cost: cost / 2, refCost: refCost / 2 };
  };
  const cvRefMean = (() => {
    let perf = 0;
    let n = 0;
    for (const f of folds) {
      perf += tally(f.test, () => reference).mean * f.test.length;
      n += f.test.length;
    }
    return perf / n;
  })();
  type Setting = { strength: number; margin: number; weight: number; mean: number; cost: number; refCost: number };
  const settings: Setting[] = [];
  for (const margin of [0, 0.5, 1, 1.5, 2]) {
    for (const weight of [0.01, 0.02, 0.03, 0.05, 0.08]) {
      const cat = evalCatalog(models, 0.05, { model: reference, margin_sd: margin, cost_weight: weight });
      for (const strength of strengths) settings.push({ strength, margin, weight, ...cvOf(cat, strength) });
    }
  }
  const within = settings.filter((x) => x.cost <= x.refCost * (1 + 1e-9));
  const chosen = (within.length > 0 ? within : settings).reduce((a, b) => (b.mean > a.mean || (b.mean === a.mean && b.cost < a.cost) ? b : a));
  // The plain learned balanced policy: its prior strength by the same cross-validation (best mean within the reference's spend, else best mean).
  const plain = strengths.map((strength) => ({ strength, ...cvOf(catalog, strength) }));
  const plainWithin = plain.filter((x) => x.cost <= x.refCost * (1 + 1e-9));
  const plainChosen = (plainWithin.length > 0 ? plainWithin : plain).reduce((a, b) => (b.mean > a.mean ? b : a));

  console.log(`\nlearned routing (replay): ${feedback.length} queries' outcomes as feedback, ${heldOut.length} held out (split seed routeprofile-split-1)`);
  console.log(`  best single on the feedback half: ${fbBest.name} ${fbBest.mean.toFixed(4)} at $${fbBest.cost.toFixed(4)}; within one paired standard error of it: ${plausible.map((x) => `${x.name} ${x.mean.toFixed(4)} at $${x.cost.toFixed(4)}${x.name === fbBest.name ? '' : ` (SE ${pairedSe(x.name).toFixed(4)})`}`).join(', ')}`);
  console.log(`  reference = the cheapest of those: ${reference}`);
  console.log(`  settings by 5-fold cross-validation x 2 inside the feedback half (reference in CV: ${cvRefMean.toFixed(4)} at $${chosen.refCost.toFixed(4)} per 300 queries):`);
  const top = [...settings].sort((a, b) => b.mean - a.mean);
  for (const x of [...within].sort((a, b) => b.mean - a.mean).slice(0, 5)) {
    console.log(`    within spend: strength ${String(x.strength).padStart(3)} margin_sd ${x.margin.toFixed(1)} cost_weight ${x.weight.toFixed(2)}   CV ${x.mean.toFixed(4)} at $${x.cost.toFixed(4)}`);
  }
  console.log(`    (${within.length} of ${settings.length} settings stay within the reference's CV spend; best overall: strength ${top[0]!.strength} margin_sd ${top[0]!.margin} cost_weight ${top[0]!.weight}, CV ${top[0]!.mean.toFixed(4)} at $${top[0]!.cost.toFixed(4)})`);
  console.log(`  chosen: reference ${reference}, margin_sd ${chosen.margin}, cost_weight ${chosen.weight}, prior strength ${chosen.strength} (CV ${chosen.mean.toFixed(4)} at $${chosen.cost.toFixed(4)} vs reference ${cvRefMean.toFixed(4)} at $${chosen.refCost.toFixed(4)}${chosen.mean > cvRefMean ? '' : ': no setting beats the reference in CV'})`);
  console.log(`  plain learned balanced (cost_per_decade 0.05): prior strength by the same CV: ${plain.map((x) => `${x.strength}: ${x.mean.toFixed(4)} at $${x.cost.toFixed(4)}`).join(', ')} -> ${plainChosen.strength}`);

  // --cv-only: stop before the held-out half is routed (for changing the learner without looking at it).
  if (process.argv.includes('--cv-only')) return;
  const singles = names.map((m) => ({ name: m, ...tally(heldOut, () => m) }));
  const best = singles.reduce((a, b) => (b.mean > a.mean ? b : a));
  const oracle = tally(heldOut, (i) => {
    const q = heldOut[i]!.q.query_idx;
    return names.reduce((a, b) => (get(q, b).performance > get(q, a).performance || (get(q, b).performance === get(q, a).performance && get(q, b).cost < get(q, a).cost) ? b : a));
  });
  const refCatalog = evalCatalog(models, 0.05, { model: reference, margin_sd: chosen.margin, cost_weight: chosen.weight });
  const curve = (label: string, cat: Catalog, strength: number) => {
    console.log(`  ${label.padEnd(40)} mean perf   total cost   vs best single`);
    let last = { mean: 0, cost: 0 };
    for (const share of [0, 0.1, 0.25, 0.5, 1]) {
      const n = Math.round(feedback.length * share);
      const picks = routeWith(cat, heldOut, learn(feedback.slice(0, n), strength));
      last = tally(heldOut, (i) => picks[i]!);
      console.log(`  ${`${n} queries (${Math.round(share * 100)}%)`.padEnd(40)} ${last.mean.toFixed(4)}   $${last.cost.toFixed(4)}   ${last.mean >= best.mean ? '+' : ''}${(last.mean - best.mean).toFixed(4)} / ${(last.cost / best.cost).toFixed(2)}x cost`);
    }
    return last;
  };
  console.log('  held-out half:');
  const plainLast = curve('plain learned balanced, feedback used', catalog, plainChosen.strength);
  const last = curve(`against reference ${reference.slice(0, 14)}…, feedback used`, refCatalog, chosen.strength);
  console.log(`  ${`best single: ${best.name}`.padEnd(40)} ${best.mean.toFixed(4)}   $${best.cost.toFixed(4)}`);
  console.log(`  ${'oracle (per query)'.padEnd(40)} ${oracle.mean.toFixed(4)}   $${oracle.cost.toFixed(4)}`);
  const met = (r: { mean: number; cost: number }) => r.mean > best.mean && r.cost <= best.cost;
  console.log(`target (held-out half): learned routing above the best single model at no more than its cost: against reference ${met(last) ? 'MET' : 'NOT MET'} (${last.mean.toFixed(4)} at $${last.cost.toFixed(4)}); plain balanced ${met(plainLast) ? 'MET' : 'NOT MET'} (${plainLast.mean.toFixed(4)} at $${plainLast.cost.toFixed(4)})`);
}

if (require.main === module) main();
