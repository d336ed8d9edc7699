// Time to first token: provider-sim called directly vs through Yardmaster, with the
// breakdown of where the time goes, one streamed request at a time (official openai client).
//
//   npm run build && node test/dist/perf/ttft.js [--requests 100] [--warmup 10] [--per-token-ms 4] [--baseline DIR]
//
// Launches the whole system against KAFKA_BROKERS / REDIS_URL (or Kafka and Redis it starts),
// alternates a direct call and a call through the ingress, and prints p50/p90 of both, of what
// Yardmaster adds, and of each segment of the way (from the `first_token_ms` marks on the last
// chunk). `--baseline DIR` also launches the system built in another checkout (DIR, e.g. a
// worktree of the commit before a change, after `npm ci && npm run build` there) and sends
// every request to both in turn, so a change is compared under the same machine load.
// `--json` prints one JSON line instead.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { RedisApiKeys, Store } from '@yardmaster/store';
import * as hdr from 'hdr-histogram-js';
import OpenAI from 'openai';
import { testInfra, uniquePrefix } from '../support/infra.js';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '10' },
    'per-token-ms': { type: 'string', default: '4' },
    model: { type: 'string', default: 'gpt-5.4-mini' },
    baseline: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const requests = Number(args.requests);
const warmup = Number(args.warmup);

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;

/** Milliseconds to the first content delta, and the `yardmaster` extension of the last chunk. */
async function timeStream(open: () => Promise<AsyncIterable<Chunk>>): Promise<{ firstMs: number; marks: Record<string, number> | undefined }> {
  const started = performance.now();
  let firstMs = -1;
  let last: Chunk | undefined;
  for await (const chunk of await open()) {
    if (firstMs < 0 && chunk.choices[0]?.delta.content) firstMs = performance.now() - started;
    last = chunk;
  }
  const ext = (last as { yardmaster?: { first_token_ms?: Record<string, number> } } | undefined)?.yardmaster;
  return { firstMs, marks: ext?.first_token_ms };
}

/** Segments of the way to the first token: name, from mark, to mark (`client` = the client's first content). */
const SEGMENTS: [string, string, string][] = [
  ['door (auth, limits)', 'start', 'admitted'],
  ['ingress accept → classifier consumes', 'admitted', 'classifier_start'],
  ['classifier', 'classifier_start', 'classifier_end'],
  ['classifier publish → router consumes', 'classifier_end', 'router_start'],
  ['router', 'router_start', 'router_end'],
  ['router publish → worker consumes', 'router_end', 'worker_start'],
  ['worker before the provider call', 'worker_start', 'provider_call'],
  ['provider call → first delta', 'provider_call', 'provider_first_delta'],
  ['chunk append → ingress reads it', 'provider_first_delta', 'relay_read'],
  ['ingress read → first SSE write', 'relay_read', 'first_write'],
  ['handler arrival → first SSE write', 'start', 'first_write'],
  ['rest (HTTP in/out, client)', 'first_write', 'client'],
];

const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
/** p50 and p90 in ms of a histogram of microseconds. */
const pct = (h: hdr.Histogram) => ({ p50: h.getValueAtPercentile(50) / 1000, p90: h.getValueAtPercentile(90) / 1000 });

async function main(): Promise<void> {
  const infra = await testInfra();
  const launch = async (launcher: typeof launchSystem, name: string): Promise<{ name: string; system: RunningSystem; prefix: string }> => {
    const prefix = uniquePrefix(`ttft-${name}`);
    const system = await launcher({
      brokers: infra.brokers,
      redisUrl: infra.redisUrl,
      topicPrefix: prefix,
      partitions: 2,
      logs: { kind: 'file', dir: mkdtempSync(path.join(tmpdir(), `ym-ttft-${name}-`)) },
      serviceEnv: { 'provider-sim': { SIM_LATENCY_PER_TOKEN_MS: args['per-token-ms'] } },
    });
    return { name, system, prefix };
  };
  const launched = [await launch(launchSystem, 'head')];
  if (args.baseline) {
    const other = (await import(path.resolve(args.baseline, 'deploy/dist/index.js'))) as { launchSystem: typeof launchSystem };
    launched.unshift(await launch(other.launchSystem, 'baseline'));
  }
  const stores: Store[] = [];
  try {
    const targets = [];
    for (const l of launched) {
      const store = await Store.connect({ url: infra.redisUrl, keyPrefix: `ym:${l.prefix}:` });
      stores.push(store);
      const key = (await new RedisApiKeys(store).create({ tenantId: 'acme' })).secret;
      targets.push({
        name: l.name,
        client: new OpenAI({ apiKey: key, baseURL: `${l.system.httpUrl}/v1`, maxRetries: 0, timeout: 60_000 }),
        direct: new OpenAI({ apiKey: 'sim', baseURL: `${l.system.simUrl}/v1`, maxRetries: 0, timeout: 60_000 }),
        hDirect: histogram(),
        hVia: histogram(),
        segs: new Map(SEGMENTS.map(([name]) => [name, histogram()])),
        missing: 0,
      });
    }
    for (let i = 0; i < warmup + requests; i++) {
      const body = { model: args.model, messages: [{ role: 'user' as const, content: `Tell me about freight trains, take ${i}.` }], stream: true as const };
      // Every system in turn (the order alternates), each after a direct call to its provider-sim.
      for (const t of i % 2 ? [...targets].reverse() : targets) {
        const d = await timeStream(() => t.direct.chat.completions.create(body));
        const v = await timeStream(() => t.client.chat.completions.create(body));
        if (i < warmup) continue;
        t.hDirect.recordValue(Math.max(1, Math.round(d.firstMs * 1000)));
        t.hVia.recordValue(Math.max(1, Math.round(v.firstMs * 1000)));
        if (!v.marks) {
          t.missing++;
          continue;
        }
        const at = { start: 0, client: v.firstMs, ...v.marks } as Record<string, number | undefined>;
        for (const [name, from, to] of SEGMENTS) {
          const a = at[from];
          const b = at[to];
          if (a !== undefined && b !== undefined) t.segs.get(name)!.recordValue(Math.max(1, Math.round((b - a) * 1000)));
        }
      }
    }
    const results = targets.map((t) => ({
      system: t.name,
      requests,
      direct: pct(t.hDirect),
      via_yardmaster: pct(t.hVia),
      added_p50_ms: Math.round((pct(t.hVia).p50 - pct(t.hDirect).p50) * 1000) / 1000,
      segments: Object.fromEntries([...t.segs].map(([name, h]) => [name, pct(h)])),
      without_marks: t.missing,
    }));
    if (args.json) {
      process.stdout.write(`${JSON.stringify(results.length === 1 ? results[0] : results)}\n`);
      return;
    }
    const f = (x: { p50: number; p90: number }) => `p50 ${x.p50.toFixed(2).padStart(7)} ms   p90 ${x.p90.toFixed(2).padStart(7)} ms`;
    for (const r of results) {
      const title = results.length > 1 ? ` [${r.system}]` : '';
      process.stdout.write(`time to first token${title}, ${requests} sequential streamed requests (${args['per-token-ms']} ms per token at provider-sim)\n`);
      process.stdout.write(`  provider-sim directly                 ${f(r.direct)}\n`);
      process.stdout.write(`  through Yardmaster                    ${f(r.via_yardmaster)}\n`);
      process.stdout.write(`  added (p50 − p50)                     ${r.added_p50_ms.toFixed(2)} ms\n`);
      process.stdout.write(`where the time goes (through Yardmaster; ms from the ingress handler's arrival)\n`);
      for (const [name, x] of Object.entries(r.segments)) process.stdout.write(`  ${name.padEnd(38)}${f(x)}\n`);
      if (r.without_marks) process.stdout.write(`  (${r.without_marks} requests without marks)\n`);
    }
  } finally {
    for (const store of stores) await store.close();
    for (const l of launched) await l.system.stop();
    await infra.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
