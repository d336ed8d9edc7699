import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import * as hdr from 'hdr-histogram-js';
import { GetResponseRequestSchema, InferRequestSchema, ResponseStatus, create, createRouterClient, textRequest, type RouterClient } from '@yardmaster/contracts';
import { launchSystem, startInfra } from '@yardmaster/deploy';

const PROMPTS = [
  'Write a Python function that checks whether a string is a palindrome.',
  'What causes the seasons on Earth?',
  'Write a haiku about the sea at night.',
  'Translate "where is the train station?" into German.',
  'Summarize: Revenue grew 12% year over year while costs stayed flat, so margins improved.',
  'hello!',
  'If 3 pencils cost $1.20, how much do 10 pencils cost?',
  'Suggest five names for a bicycle repair shop.',
];

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function percentiles(h: hdr.Histogram, scale = 1): Percentiles {
  const at = (p: number) => Math.round((h.getValueAtPercentile(p) / scale) * 100) / 100;
  return { p50: at(50), p95: at(95), p99: at(99), max: Math.round((h.maxValue / scale) * 100) / 100 };
}

async function isRunning(address: string): Promise<boolean> {
  const client = createRouterClient(address);
  try {
    await client.getResponse(create(GetResponseRequestSchema, { requestId: 'bench-probe' }), { deadlineMs: 1500 });
    return true;
  } catch (err) {
    return (err as { code?: number }).code === 5; // NOT_FOUND: it answered
  } finally {
    client.close();
  }
}

/**
 * `npm run bench`: drives the pipeline over gRPC Infer with `concurrency` callers and
 * prints requests/s, end-to-end latency percentiles and per-stage latency from the
 * responses' timings. Uses the running system, or starts its own (provider-sim at zero latency).
 */
export async function benchCommand(opts: { requests: string; concurrency: string; json?: boolean; address?: string; warmup: string }): Promise<number> {
  const total = Number(opts.requests);
  const concurrency = Number(opts.concurrency);
  const warmup = Number(opts.warmup);
  if (!Number.isInteger(total) || total < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
    process.stderr.write('--requests and --concurrency must be positive integers\n');
    return 2;
  }
  const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  let address = opts.address ?? '127.0.0.1:50051';
  let stop: (() => Promise<void>) | undefined;
  if (!opts.address && !(await isRunning(address))) {
    say('no running Yardmaster found; starting Kafka, Redis and the services (provider-sim at 0 ms)');
    const infra = await startInfra({ log: say });
    const logDir = mkdtempSync(path.join(tmpdir(), 'yardmaster-bench-'));
    const system = await launchSystem({ brokers: infra.brokers!, redisUrl: infra.redisUrl!, simLatencyMs: 0, logs: { kind: 'file', dir: logDir }, topicPrefix: `bench-${Date.now()}` });
    say(`services up (logs in ${logDir})`);
    address = system.grpcAddress;
    stop = async () => {
      await system.stop();
      await infra.stop();
    };
  }
  const client: RouterClient = createRouterClient(address);
  try {
    const run = async (count: number, tag: string, onDone?: () => void) => {
      const e2e = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
      const stages = new Map<string, hdr.Histogram>();
      let next = 0;
      let failed = 0;
      const caller = async () => {
        while (next < count) {
          const i = next++;
          const t0 = process.hrtime.bigint();
          try {
            const res = await client.infer(create(InferRequestSchema, { request: textRequest(`${PROMPTS[i % PROMPTS.length]} [${tag}-${i}]`) }), { deadlineMs: 60000 });
            const us = Number((process.hrtime.bigint() - t0) / 1000n);
            e2e.recordValue(Math.max(1, us));
            if (res.response?.status !== ResponseStatus.OK) failed++;
            for (const t of res.response?.timings ?? []) {
              let h = stages.get(t.stage);
              if (!h) stages.set(t.stage, (h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 })));
              h.recordValue(Math.max(1, Number(t.durationUs)));
            }
          } catch {
            failed++;
          }
          onDone?.();
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: Math.min(concurrency, count) }, caller));
      const seconds = (performance.now() - started) / 1000;
      return { e2e, stages, failed, seconds };
    };
    if (warmup > 0) {
      say(`warm-up: ${warmup} requests`);
      await run(warmup, 'warmup');
    }
    const bar = process.stderr.isTTY ? new SingleBar({ format: '[bench] {bar} {value}/{total} requests | {eta}s left', hideCursor: true }) : undefined;
    bar?.start(total, 0);
    const result = await run(total, 'bench', () => bar?.increment());
    bar?.stop();
    const summary = {
      requests: total,
      concurrency,
      failed: result.failed,
      seconds: Math.round(result.seconds * 100) / 100,
      requests_per_second: Math.round((total / result.seconds) * 10) / 10,
      e2e_ms: percentiles(result.e2e, 1000),
      stages_ms: Object.fromEntries([...result.stages].map(([stage, h]) => [stage, percentiles(h, 1000)])),
    };
    const fmt = (p: Percentiles) => `p50 ${p.p50} ms  p95 ${p.p95} ms  p99 ${p.p99} ms  max ${p.max} ms`;
    process.stdout.write(`requests      ${summary.requests} (concurrency ${concurrency}, failed ${summary.failed})\n`);
    process.stdout.write(`throughput    ${summary.requests_per_second} requests/s over ${summary.seconds} s\n`);
    process.stdout.write(`end to end    ${fmt(summary.e2e_ms)}\n`);
    for (const [stage, p] of Object.entries(summary.stages_ms)) process.stdout.write(`  ${stage.padEnd(12)}${fmt(p)}\n`);
    if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    return summary.failed === 0 ? 0 : 1;
  } finally {
    client.close();
    await stop?.();
  }
}
