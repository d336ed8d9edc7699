// Time to first token: provider-sim called directly vs through Yardmaster, with the
// breakdown of where the time goes, one streamed request at a time (official openai client).
//
//   npm run build && node test/dist/perf/ttft.js [--requests 100] [--warmup 10] [--per-token-ms 4]
//
// Launches the whole system against KAFKA_BROKERS / REDIS_URL (or Kafka and Redis it starts),
// alternates a direct call and a call through the ingress, and prints p50/p90 of both, of what
// Yardmaster adds, and of each segment of the way (from the `first_token_ms` marks on the last
// chunk). `--json` prints one JSON line instead.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchSystem } from '@yardmaster/deploy';
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
  const prefix = uniquePrefix('ttft');
  const system = await launchSystem({
    brokers: infra.brokers,
    redisUrl: infra.redisUrl,
    topicPrefix: prefix,
    partitions: 2,
    logs: { kind: 'file', dir: mkdtempSync(path.join(tmpdir(), 'ym-ttft-')) },
    serviceEnv: { 'provider-sim': { SIM_LATENCY_PER_TOKEN_MS: args['per-token-ms'] } },
  });
  const store = await Store.connect({ url: infra.redisUrl, keyPrefix: `ym:${prefix}:` });
  try {
    const key = (await new RedisApiKeys(store).create({ tenantId: 'acme' })).secret;
    const viaYm = new OpenAI({ apiKey: key, baseURL: `${system.httpUrl}/v1`, maxRetries: 0, timeout: 60_000 });
    const direct = new OpenAI({ apiKey: 'sim', baseURL: `${system.simUrl}/v1`, maxRetries: 0, timeout: 60_000 });
    const hDirect = histogram();
    const hVia = histogram();
    const segs = new Map(SEGMENTS.map(([name]) => [name, histogram()]));
    let missing = 0;
    for (let i = 0; i < warmup + requests; i++) {
      const body = { model: args.model, messages: [{ role: 'user' as const, content: `Tell me about freight trains, take ${i}.` }], stream: true as const };
      const d = await timeStream(() => direct.chat.completions.create(body));
      const v = await timeStream(() => viaYm.chat.completions.create(body));
      if (i < warmup) continue;
      hDirect.recordValue(Math.max(1, Math.round(d.firstMs * 1000)));
      hVia.recordValue(Math.max(1, Math.round(v.firstMs * 1000)));
      if (!v.marks) {
        missing++;
        continue;
      }
      const at = { start: 0, client: v.firstMs, ...v.marks } as Record<string, number | undefined>;
      for (const [name, from, to] of SEGMENTS) {
        const a = at[from];
        const b = at[to];
        if (a !== undefined && b !== undefined) segs.get(name)!.recordValue(Math.max(1, Math.round((b - a) * 1000)));
      }
    }
    const result = {
      requests,
      direct: pct(hDirect),
      via_yardmaster: pct(hVia),
      added_p50_ms: pct(hVia).p50 - pct(hDirect).p50,
      segments: Object.fromEntries([...segs].map(([name, h]) => [name, pct(h)])),
      without_marks: missing,
    };
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      const f = (x: { p50: number; p90: number }) => `p50 ${x.p50.toFixed(2).padStart(7)} ms   p90 ${x.p90.toFixed(2).padStart(7)} ms`;
      process.stdout.write(`time to first token, ${requests} sequential streamed requests (${args['per-token-ms']} ms per token at provider-sim)\n`);
      process.stdout.write(`  provider-sim directly                 ${f(result.direct)}\n`);
      process.stdout.write(`  through Yardmaster                    ${f(result.via_yardmaster)}\n`);
      process.stdout.write(`  added (p50 − p50)                     ${result.added_p50_ms.toFixed(2)} ms\n`);
      process.stdout.write(`where the time goes (through Yardmaster; ms from the ingress handler's arrival)\n`);
      for (const [name, x] of Object.entries(result.segments)) process.stdout.write(`  ${name.padEnd(38)}${f(x)}\n`);
      if (missing) process.stdout.write(`  (${missing} requests without marks)\n`);
    }
  } finally {
    await store.close();
    await system.stop();
    await (await testInfra()).stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
