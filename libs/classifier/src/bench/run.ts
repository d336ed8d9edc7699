/**
 * `npm run bench -w libs/classifier` - latency and throughput of Classifier.classify
 * on one core (this process is single-threaded), plus the memory the library and
 * the loaded model take.
 *
 * Prompts are built from the training corpus texts (real, varied language),
 * concatenated up to each target size in o200k tokens. Run with --expose-gc (the
 * npm script does) for accurate memory deltas.
 *
 * `-- --compare <model file>` also loads another model (e.g. the one before a retrain)
 * and measures the two alternately, call by call on the same prompts, so that a
 * machine shared with other work slows both alike: the fair before/after comparison.
 */
 
import * as path from 'node:path';
import type * as LibModule from '../index';
import type * as CorpusModule from '../train/corpus';

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

function mem(): { heap: number; external: number } {
  const m = process.memoryUsage();
  // arrayBuffers is already included in external.
  return { heap: m.heapUsed, external: m.external };
}

function fmtMb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** The classifier's latency target (issue: p99 under 1 ms for a 2,000-token prompt on one core). */
const TARGET_P99_US = 1000;

function pct(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

async function main(): Promise<void> {
  gc();
  const m0 = mem();
  // Import after the baseline so the library's own footprint (tokenizer ranks,
  // language profiles) is measured too.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('../index') as typeof LibModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readCorpus } = require('../train/corpus') as typeof CorpusModule;
  gc();
  const m1 = mem();
  lib.warmLanguageDetector();
  gc();
  const mLang = mem();
  const clf = lib.Classifier.load({ allowHeuristicFallback: false });
  gc();
  const m2 = mem();
  const compareAt = process.argv.indexOf('--compare');
  const comparePath = compareAt >= 0 ? process.argv[compareAt + 1] : undefined;
  const other = comparePath ? lib.Classifier.load({ allowHeuristicFallback: false, modelPath: comparePath }) : undefined;
  // mathjs is loaded lazily on the first arithmetic request; load it now so the
  // one-off cost is not in the latency tail, and report its memory separately.
  lib.warmCalculator();
  gc();
  const mCalc = mem();
  console.log(`classifier ${clf.version} on Node ${process.version}, single thread`);
  console.log(
    `memory: library ${fmtMb(m1.heap - m0.heap)} heap + ${fmtMb(m1.external - m0.external)} external; ` +
      `language detector (ELD) ${fmtMb(mLang.heap - m1.heap)} heap; ` +
      `loaded model ${fmtMb(m2.heap - mLang.heap)} heap + ${fmtMb(m2.external - mLang.external)} external (typed arrays); ` +
      `calculator (mathjs, lazy) ${fmtMb(mCalc.heap - m2.heap)} heap; ` +
      `total ${fmtMb(mCalc.heap - m0.heap + mCalc.external - m0.external)}${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for exact numbers)'}`,
  );

  const corpus = readCorpus(path.resolve(__dirname, '..', '..', 'corpus'));
  const texts = corpus.examples.map((e) => e.turns.filter((t) => t.role === 'user').map((t) => t.content).join('\n')).filter((t) => t.length > 0);

  /** Builds `count` distinct prompts of about `tokens` tokens each. */
  const build = (tokens: number, count: number): string[] => {
    const out: string[] = [];
    let cursor = 0;
    for (let i = 0; i < count; i++) {
      let s = '';
      cursor = (cursor + 7919 * (i + 1)) % texts.length;
      let k = cursor;
      while (lib.countTextTokensExact(s) < tokens) {
        s += (s ? '\n\n' : '') + texts[k % texts.length];
        k++;
      }
      // Trim to the target with a binary search on characters.
      let lo = 1;
      let hi = s.length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lib.countTextTokensExact(s.slice(0, mid)) <= tokens) lo = mid;
        else hi = mid - 1;
      }
      out.push(s.slice(0, lo));
    }
    return out;
  };

  /** Latencies of `clf` (and of `other`, alternating call by call, when comparing). */
  const measure = (prompts: readonly string[], iterations: number): { lat: number[]; otherLat: number[] } => {
    const models = other ? [clf, other] : [clf];
    for (const c of models) for (let i = 0; i < Math.min(500, iterations); i++) c.classify({ messages: [{ role: 'user', content: prompts[i % prompts.length] ?? '' }] });
    const lat: number[] = [];
    const otherLat: number[] = [];
    for (let i = 0; i < iterations; i++) {
      // Which model goes first alternates too: a second call on the same text finds warm caches.
      for (const c of i % 2 === 0 ? models : [...models].reverse()) {
        const t0 = process.hrtime.bigint();
        c.classify({ messages: [{ role: 'user', content: prompts[i % prompts.length] ?? '' }] });
        (c === clf ? lat : otherLat).push(Number(process.hrtime.bigint() - t0) / 1000);
      }
    }
    return { lat: lat.sort((a, b) => a - b), otherLat: otherLat.sort((a, b) => a - b) };
  };
  const row = (size: number | string, prompts: number, iterations: number, lat: readonly number[]): string =>
    `  ${String(size).padStart(6)} ${String(prompts).padStart(9)} ${String(iterations).padStart(6)} ${pct(lat, 50).toFixed(1).padStart(8)} ${pct(lat, 90).toFixed(1).padStart(8)} ${pct(lat, 99).toFixed(1).padStart(8)} ${pct(lat, 100).toFixed(0).padStart(8)}`;

  console.log(`\nlatency per classify() call (wall clock, µs)${other ? `; each size twice: this model, then ${other.version} (${comparePath}) measured alternately` : ''}:`);
  console.log('  tokens   prompts  calls      p50      p90      p99      max');
  let longP99 = 0;
  for (const size of [16, 64, 256, 512, 1000, 2000]) {
    // 256 distinct prompts per size, so that the tail is not decided by a handful of them.
    const prompts = build(size, 256);
    const iterations = size >= 1000 ? 4000 : 8000;
    const { lat, otherLat } = measure(prompts, iterations);
    console.log(row(size, prompts.length, iterations, lat));
    if (other) console.log(row('(cmp)', prompts.length, iterations, otherLat));
    if (size === 2000) longP99 = pct(lat, 99);
  }
  console.log(`  target: p99 < ${TARGET_P99_US} µs at 2,000 tokens: ${longP99.toFixed(1)} µs, ${longP99 < TARGET_P99_US ? 'met' : 'NOT met'}`);

  // Throughput: the corpus prompts as they are (a realistic mix of request sizes),
  // then 2,000-token prompts, each for ~3 s on this one thread.
  const throughput = (label: string, prompts: readonly string[]): void => {
    const msgs = prompts.map((p) => ({ messages: [{ role: 'user' as const, content: p }] }));
    let n = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < 3e9) {
      for (let i = 0; i < 200; i++) clf.classify(msgs[(n + i) % msgs.length] ?? { messages: [] });
      n += 200;
      elapsed = Number(process.hrtime.bigint() - start);
    }
    console.log(`  ${label.padEnd(42)} ${Math.round(n / (elapsed / 1e9)).toLocaleString('en-US').padStart(8)} classifications/s`);
  };
  const avgTokens = Math.round(texts.slice(0, 500).reduce((s, t) => s + lib.countTextTokens(t), 0) / Math.min(500, texts.length));
  console.log('\nthroughput on one core:');
  throughput(`corpus prompts (${texts.length}, mean ~${avgTokens} tokens)`, texts);
  throughput('conversations (3 turns, corpus text)', texts.slice(0, 2000).map((t, i) => t + '\n\n' + (texts[(i + 1) % texts.length] ?? '')));
  throughput('2,000-token prompts', build(2000, 128));
  gc();
  const m3 = mem();
  console.log(`\nheap after benchmark: ${fmtMb(m3.heap)} (rss ${fmtMb(process.memoryUsage().rss)})`);
}

void main();
