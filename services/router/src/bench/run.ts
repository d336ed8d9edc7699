/**
 * `npm run bench:router`: the routing decision's latency in process (classification done
 * beforehand, as the router receives it), on the shipped catalog with live health for
 * every target and a mix of requests that exercises every path: plain chat, code, PII
 * (compliance), images in and out, the calculator (tool plan), JSON output, hints
 * (strategy, plan, providers, max cost), aliases and conversation affinity. Latency is
 * recorded per decision in an HDR histogram (hdr-histogram-js); the target is p99 < 0.2 ms.
 *
 * A second run routes the same requests with learned state (posteriors with scores and
 * answer lengths in every request's cell for every model) and every tier routed against
 * a reference model (`tiers.<name>.reference`), the path learned routing takes.
 *
 * Options: --iterations N (default 200000), --catalog F, --json.
 */
import { Catalog, QualityPosteriors, classificationFromResult, route, type AffinityEntry, type HealthView, type TargetHealthView } from '@yardmaster/catalog';
import { Classifier } from '@yardmaster/classifier';
import { PlanKind, ResponseFormat, RoutingHintsSchema, GenerationParamsSchema, Strategy, bandName, create, intentName, subjectName, textRequest, type Classification, type InferenceRequest } from '@yardmaster/contracts';
import * as hdr from 'hdr-histogram-js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Case {
  request: InferenceRequest;
  classification: Classification;
  affinity?: AffinityEntry;
}

const PROMPTS: { text: string; hints?: Parameters<typeof create<typeof RoutingHintsSchema>>[1]; json?: boolean; conversation?: AffinityEntry; tenant?: string }[] = [
  { text: 'hi! how are you today?' },
  { text: 'Write a Python function that merges two sorted lists and explain its complexity.' },
  { text: 'Refactor this TypeScript to use async/await:\nfunction load(cb) { fs.readFile("a", (e, d) => cb(e, d)); }', hints: { strategy: Strategy.QUALITY } },
  { text: 'My card number is 4111 1111 1111 1111, why was my payment declined?' },
  { text: 'what is 17.5% of 2,340?' },
  { text: 'Draw me a watercolor picture of a lighthouse at dawn' },
  { text: 'Extract the names and dates from: "Ada met Charles on 5 June 1833."', json: true },
  { text: 'Summarise the following article in three bullet points: Kafka is a distributed log...', hints: { strategy: Strategy.COST } },
  { text: 'Prove that the square root of 2 is irrational.', hints: { plan: PlanKind.DRAFT_REVIEW } },
  { text: 'Translate to German: the meeting moved to Thursday.', hints: { pinnedModel: 'auto:fast' } },
  { text: 'Plan a three-day trip to Lisbon on a budget.', hints: { plan: PlanKind.VOTE, deniedProviders: ['anthropic'] } },
  { text: 'Is this review positive or negative? "The battery died in a day."', hints: { maxCostUsd: 0.0005 } },
  { text: 'now make it shorter', conversation: { model: 'gpt-5.4-mini', intent: 'chat' } },
  { text: 'Explain how a hash map works to a beginner.', hints: { pinnedModel: 'auto:best', plan: PlanKind.HEDGE } },
];

function main(): void {
  const iterations = Number(arg('--iterations') ?? 200_000);
  const catalogPath = arg('--catalog') ?? path.resolve(__dirname, '..', '..', 'catalog.yaml');
  const catalog = Catalog.load(catalogPath);
  const clf = Classifier.load({ allowHeuristicFallback: false, preloadCalculator: true });
  const cases: Case[] = PROMPTS.map((p, i) => {
    const request = textRequest(p.text, { requestId: `bench-${i}`, tenantId: p.tenant ?? 'dev' });
    if (p.hints) request.hints = create(RoutingHintsSchema, p.hints);
    if (p.json) request.params = create(GenerationParamsSchema, { responseFormat: ResponseFormat.JSON });
    if (p.conversation) request.conversationId = `conv-${i}`;
    return { request, classification: classificationFromResult(request.requestId, clf.classify({ messages: [{ role: 'user', content: p.text }] })), ...(p.conversation ? { affinity: p.conversation } : {}) };
  });
  // Live health for every target: some error rate, live latency, one saturated, one circuit open.
  const now = Date.now();
  const entries = new Map<string, TargetHealthView>();
  catalog.models.forEach((m, i) =>
    entries.set(`${m.provider.name}/${m.name}`, {
      errorRate: (i % 4) * 0.02,
      latencyMs: 400 + i * 50,
      samples: 100,
      circuitOpenUntilMs: i === 3 ? now + 3_600_000 : 0,
      cooldownUntilMs: 0,
      headroom: i === 5 ? 0.05 : undefined,
      reason: i === 3 ? 'bench: breaker open' : '',
    }),
  );
  const health: HealthView = { get: (t) => entries.get(t) };

  const decide = (c: Case) => route(catalog, { request: c.request, classification: c.classification, health, nowMs: now, ...(c.affinity ? { affinity: c.affinity } : {}) });
  for (const c of cases) {
    const r = decide(c);
    if (!r.ok && r.code !== 'no_compliant_model') throw new Error(`case ${c.request.requestId}: ${r.code}: ${r.reason}`);
  }
  // Warm-up (JIT), then measure.
  for (let i = 0; i < 20_000; i++) decide(cases[i % cases.length]!);
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 10_000_000, numberOfSignificantValueDigits: 3 });
  const perCase = cases.map(() => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 10_000_000, numberOfSignificantValueDigits: 3 }));
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const k = i % cases.length;
    const t0 = process.hrtime.bigint();
    decide(cases[k]!);
    const ns = Number(process.hrtime.bigint() - t0);
    histogram.recordValue(ns);
    perCase[k]!.recordValue(ns);
  }
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const us = (ns: number) => (ns / 1000).toFixed(1);
  const p = (q: number) => histogram.getValueAtPercentile(q);
  console.log(`routing decision, in process: ${iterations} decisions over ${cases.length} request kinds, catalog ${catalog.version} (${catalog.models.length} models), node ${process.version}`);
  console.log(`  p50 ${us(p(50))} µs   p90 ${us(p(90))} µs   p99 ${us(p(99))} µs   p99.9 ${us(p(99.9))} µs   max ${us(histogram.maxValue)} µs   mean ${us(histogram.mean)} µs`);
  console.log(`  throughput ${Math.round(iterations / wallS)} decisions/s on one core`);
  console.log('  by request kind (p50 / p99 µs):');
  cases.forEach((c, i) => {
    const r = decide(c);
    const what = r.ok ? `${PlanKind[r.decision.plan]?.toLowerCase()} → ${r.decision.targets[0]?.model}` : r.code;
    console.log(`    ${us(perCase[i]!.getValueAtPercentile(50)).padStart(6)} / ${us(perCase[i]!.getValueAtPercentile(99)).padStart(6)}  ${what.padEnd(40)} ${PROMPTS[i]!.text.slice(0, 50).replace(/\n/g, ' ')}`);
  });
  // Learned routing: posteriors with evidence in every case's cell, every tier against a reference model.
  const doc = parseYaml(readFileSync(catalogPath, 'utf8')) as { tiers: Record<string, Record<string, unknown>> };
  const referenceModel = catalog.models.find((m) => m.data.kind === 'chat')!.name;
  for (const t of Object.values(doc.tiers)) t['reference'] = { model: referenceModel, margin_sd: 1, cost_weight: 0.05 };
  const learnedCatalog = Catalog.parse(stringify(doc), 'bench catalog with references');
  const posteriors = new QualityPosteriors({ priorStrength: 32 });
  for (const c of cases) {
    const cell = { intent: intentName(c.classification.intent), band: bandName(c.classification.band), subject: subjectName(c.classification.subject) };
    catalog.models.forEach((m, i) => {
      for (let k = 0; k < 20; k++) posteriors.observe(cell, m.name, (k + i) % 3 === 0 ? 0 : 1, 1, 100 + 40 * i);
    });
  }
  const learned = { posteriors, explore: false };
  const decideLearned = (c: Case) => route(learnedCatalog, { request: c.request, classification: c.classification, health, nowMs: now, learned, ...(c.affinity ? { affinity: c.affinity } : {}) });
  for (let i = 0; i < 20_000; i++) decideLearned(cases[i % cases.length]!);
  const learnedHistogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 10_000_000, numberOfSignificantValueDigits: 3 });
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    decideLearned(cases[i % cases.length]!);
    learnedHistogram.recordValue(Number(process.hrtime.bigint() - t0));
  }
  const lp = (q: number) => learnedHistogram.getValueAtPercentile(q);
  console.log(`  with learned state (${posteriors.rows().length} evidence rows, answer lengths) and every tier against reference ${referenceModel}:`);
  console.log(`  p50 ${us(lp(50))} µs   p90 ${us(lp(90))} µs   p99 ${us(lp(99))} µs   p99.9 ${us(lp(99.9))} µs   max ${us(learnedHistogram.maxValue)} µs   mean ${us(learnedHistogram.mean)} µs`);
  const met = p(99) < 200_000 && lp(99) < 200_000;
  console.log(`target: p99 < 200 µs (priors and learned): ${met ? 'MET' : 'NOT MET'}`);
  if (process.argv.includes('--json')) console.log(JSON.stringify({ iterations, p50_us: p(50) / 1000, p99_us: p(99) / 1000, p999_us: p(99.9) / 1000, max_us: histogram.maxValue / 1000, per_s: iterations / wallS, learned_p50_us: lp(50) / 1000, learned_p99_us: lp(99) / 1000, target_met: met }));
}

main();
