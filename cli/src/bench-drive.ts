import * as hdr from 'hdr-histogram-js';
import { InferRequestSchema, ResponseStatus, RoutingHintsSchema, create, textRequest, type PlanKind, type RouterClient } from '@yardmaster/contracts';

/** The prompts the bench sends, in turn. */
export const PROMPTS = [
  'Write a Python function that checks whether a string is a palindrome.',
  'What causes the seasons on Earth?',
  'Write a haiku about the sea at night.',
  'Translate "where is the train station?" into German.',
  'Summarize: Revenue grew 12% year over year while costs stayed flat, so margins improved.',
  'hello!',
  'If 3 pencils cost $1.20, how much do 10 pencils cost?',
  'Suggest five names for a bicycle repair shop.',
];

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface ScenarioResult {
  requests: number;
  concurrency: number;
  failed: number;
  seconds: number;
  requests_per_second: number;
  e2e_ms: Percentiles;
  stages_ms: Record<string, Percentiles>;
  /** Mean `cost_usd` of the answered requests. */
  cost_per_request_usd: number;
  /**
   * CPU time per request over the scenario (utime + stime from /proc divided by its requests),
   * ms, per process: services, `kafka` / `redis` when found on this machine, and `bench` (this
   * process: the callers and the response tally, which share the cores). Set by the bench
   * when it found the service processes.
   */
  cpu_per_request_ms?: CpuPerRequest;
}

/** See {@link ScenarioResult.cpu_per_request_ms}. */
export interface CpuPerRequest {
  per_process: Record<string, number>;
  /** The services' sum (Kafka, Redis and the bench left out). */
  services_total: number;
  /** With Kafka and Redis (the bench left out). */
  total: number;
}

/** A latency histogram (µs or ms, up to 120 s in µs). */
export const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
/** `x` rounded to `digits` decimals. */
export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** p50/p95/p99/max of a histogram, divided by `scale`. */
export function percentiles(h: hdr.Histogram, scale = 1): Percentiles {
  const at = (p: number) => round(h.getValueAtPercentile(p) / scale);
  return { p50: at(50), p95: at(95), p99: at(99), max: round(h.maxValue / scale) };
}

/**
 * Sends `count` gRPC Infer calls from `concurrency` callers (each waits for its answer before
 * the next) and measures end-to-end and per-stage latency, throughput and cost. With `until`,
 * the callers stop early once it returns true (the result counts the calls made).
 */
export async function drive(
  client: RouterClient,
  opts: { count: number; concurrency: number; idFor: (i: number) => string; sent: string[]; onDone?: (done: number) => void; plan?: PlanKind; mismatched?: { count: number }; until?: () => boolean },
): Promise<ScenarioResult> {
  const e2e = histogram();
  const stages = new Map<string, hdr.Histogram>();
  let next = 0;
  let done = 0;
  let failed = 0;
  let cost = 0;
  let answered = 0;
  const caller = async () => {
    while (next < opts.count && !opts.until?.()) {
      const i = next++;
      const requestId = opts.idFor(i);
      opts.sent.push(requestId);
      const t0 = process.hrtime.bigint();
      try {
        const request = textRequest(`${PROMPTS[i % PROMPTS.length]} [${requestId}]`, { requestId });
        if (opts.plan !== undefined) request.hints = create(RoutingHintsSchema, { plan: opts.plan });
        const res = await client.infer(create(InferRequestSchema, { request }), { deadlineMs: 60000 });
        e2e.recordValue(Math.max(1, Number((process.hrtime.bigint() - t0) / 1000n)));
        if (res.response?.status !== ResponseStatus.OK) failed++;
        else {
          answered++;
          cost += res.response.costUsd;
        }
        if (opts.plan !== undefined && opts.mismatched && res.response?.decision?.plan !== opts.plan) opts.mismatched.count++;
        for (const t of res.response?.timings ?? []) {
          let h = stages.get(t.stage);
          if (!h) stages.set(t.stage, (h = histogram()));
          h.recordValue(Math.max(1, Number(t.durationUs)));
        }
      } catch {
        failed++;
      }
      done++;
      opts.onDone?.(done);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.count) }, caller));
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: done,
    concurrency: Math.min(opts.concurrency, opts.count),
    failed,
    seconds: round(seconds),
    requests_per_second: round(done / seconds, 1),
    e2e_ms: percentiles(e2e, 1000),
    stages_ms: Object.fromEntries([...stages].map(([stage, h]) => [stage, percentiles(h, 1000)])),
    cost_per_request_usd: answered > 0 ? cost / answered : 0,
  };
}
