import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import { Bus, LAGGING_READER_FETCH, type RunningConsumer } from '@yardmaster/bus';
import { GetResponseRequestSchema, PlanKind, Topics, create, createRouterClient, type RouterClient } from '@yardmaster/contracts';
import { grpcAuthOptions, launchSystem, readDevKey, startInfra } from '@yardmaster/deploy';
import { batchScenarioOk, driveBatch, printBatchScenario, type BatchScenarioResult } from './bench-batch.js';
import { drive, round, type CpuPerRequest, type Percentiles, type ScenarioResult } from './bench-drive.js';
import { driveHttp, type HttpScenarioResult } from './bench-http.js';
import { clockTicksPerSecond, cpuTicks, findSystemProcesses, listeningPid, localPort, memoryKb } from './procfs.js';
import { monotonicUs, shortLocation, summarizeProfileDir, type FunctionTime, type ProfileWindow } from './profile-summary.js';

/** Targets from the pipeline-core issue, printed beside the figures. */
const TARGETS = { rssMb: 150, idleCores: 0.1, latencyP50Ms: 4, latencyP99Ms: 10 };

export type Scenario = 'throughput' | 'latency' | 'all';
export type { Percentiles, ScenarioResult } from './bench-drive.js';

/** Plans `--plan` accepts (besides single, the baseline it is compared with). */
export const BENCH_PLANS: Readonly<Record<string, PlanKind>> = {
  cascade: PlanKind.CASCADE,
  hedge: PlanKind.HEDGE,
  vote: PlanKind.VOTE,
  judge: PlanKind.JUDGE,
  draft_review: PlanKind.DRAFT_REVIEW,
  chain: PlanKind.CHAIN,
  tool: PlanKind.TOOL,
};

/** `--plan`: the plan against `single`, same requests and concurrency, one after the other. */
export interface PlanComparison {
  plan: string;
  single: ScenarioResult;
  planned: ScenarioResult;
  /** End-to-end latency the plan adds over single, per percentile (ms; negative = faster). */
  added_latency_ms: Percentiles;
  /** Cost per request of the plan divided by single's. */
  cost_ratio: number;
  /** Requests whose decision was not the plan asked for (it could not be formed: single). */
  not_planned: number;
}

/** Everything `npm run bench` measures; `--json` prints it as one line. */
export interface BenchReport {
  run_id: string;
  /** `started`: the bench launched the services itself; `running`: it drove a system already running. */
  system: 'started' | 'running';
  responses_topic: string;
  /** The throughput scenario (default concurrency 64), when it ran. */
  throughput?: ScenarioResult;
  /** The one-caller-at-a-time scenario, when it ran. */
  latency?: ScenarioResult;
  /** With `--http`: the same scenarios over `POST /v1/chat/completions` (autocannon), in the same run. */
  http?: { url: string; throughput?: HttpScenarioResult; latency?: HttpScenarioResult };
  /** `--plan`: the plan compared with single. */
  plan?: PlanComparison;
  /** `--batch N`: an N-line batch over HTTP, and one-caller latency beside it against the idle system. */
  batch?: BatchScenarioResult;
  /** Requests sent with a bench request id (warm-up included) and what `llm.responses.v1` held for them. */
  sent: number;
  answered: number;
  lost: number;
  duplicated: number;
  /** Peak resident memory (VmHWM) per service process, MB; empty when the processes could not be found. */
  rss_peak_mb: Record<string, number>;
  /** Cores busy with no traffic, per process (services, and `kafka` / `redis` when found on this machine). */
  idle_cores?: { seconds: number; per_process: Record<string, number>; services_total: number; total: number };
  notes: string[];
  /**
   * When the measured scenarios ran (after the warm-up and the at-rest measurement, before
   * responses are counted), in the monotonic clock of the services' CPU profiles.
   */
  measured_window_us?: ProfileWindow;
  profiles?: { dir: string; top: Record<string, { busy_ms: number; sampled_ms: number; functions: FunctionTime[] }> };
}

/** What {@link runBench} drives. */
export interface BenchConfig {
  address: string;
  /** The API key sent with every call (none for a system with authentication disabled). */
  apiKey?: string;
  brokers: string;
  /** The system's topic prefix ('' for `npm start`). */
  topicPrefix: string;
  scenario: Scenario;
  /** Compare this plan (a {@link BENCH_PLANS} name) with single instead of the scenarios. */
  plan?: string;
  requests: number;
  /** Callers in flight in the throughput scenario (and the warm-up). */
  concurrency: number;
  warmup: number;
  /** Service process ids → pids; found through /proc from the gRPC port when omitted. */
  processes?: ReadonlyMap<string, number>;
  /** The broker and Redis addresses, to find their processes for the at-rest CPU figure. */
  redisUrl?: string;
  /** Quiet time after the warm-up before the at-rest measurement; default 3 s. */
  settleMs?: number;
  /** Length of the at-rest measurement; 0 skips it. Default 5 s. */
  idleMs?: number;
  /** How long to wait for responses still missing from the topic after the last call returned. Default 30 s. */
  graceMs?: number;
  system?: BenchReport['system'];
  /** Also drive the HTTP API at this base URL (`--http`). */
  httpUrl?: string;
  /** `--batch N`: run an N-line batch through the HTTP API at `httpUrl` after the other scenarios. */
  batch?: { lines: number; httpUrl: string };
  log?: (line: string) => void;
  /** Called once per finished measured request (progress bar). */
  onProgress?: (scenario: 'throughput' | 'latency', done: number, total: number) => void;
}

async function isRunning(address: string): Promise<boolean> {
  const client = createRouterClient(address);
  try {
    await client.getResponse(create(GetResponseRequestSchema, { requestId: 'bench-probe' }), { deadlineMs: 1500 });
    return true;
  } catch (err) {
    const code = (err as { code?: number }).code;
    return code === 5 || code === 16; // NOT_FOUND or UNAUTHENTICATED: it answered
  } finally {
    client.close();
  }
}

/**
 * Counts the final responses on `llm.responses.v1` per bench request id. Reads the topic
 * from its beginning in a consumer group of its own, so it may start at any time and
 * still sees every response to this run (other keys are skipped without decoding).
 */
class ResponseTally {
  readonly counts = new Map<string, number>();
  lastSeenAt = 0;
  private consumer: RunningConsumer | undefined;

  private constructor(
    private readonly bus: Bus,
    private readonly idPrefix: string,
  ) {}

  static async start(brokers: string, topicPrefix: string, idPrefix: string, runId: string): Promise<ResponseTally> {
    const bus = await Bus.connect({ brokers: brokers.split(','), clientId: `yardmaster-bench-${runId}`, topicPrefix });
    const tally = new ResponseTally(bus, idPrefix);
    try {
      tally.consumer = await bus.consume({
        groupId: `yardmaster-bench-${runId}`,
        topics: [Topics.responses],
        fromBeginning: true,
        traced: false,
        concurrency: 1024,
        deleteGroupOnStop: true,
        acceptKey: (key) => key.startsWith(idPrefix),
        // The count may lag: fetched in blocks, the tally is not woken for every response, so
        // the bench's own reading costs the broker (measured with the system) less.
        fetch: LAGGING_READER_FETCH,
        handler: async (response) => {
          if (!response.requestId.startsWith(idPrefix)) return;
          tally.counts.set(response.requestId, (tally.counts.get(response.requestId) ?? 0) + 1);
          tally.lastSeenAt = Date.now();
        },
      });
      await tally.consumer.ready;
    } catch (err) {
      await bus.close();
      throw new Error(`cannot read ${bus.topicName(Topics.responses)} at ${brokers} (check --brokers and --topic-prefix): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return tally;
  }

  topicName(): string {
    return this.bus.topicName(Topics.responses);
  }

  /**
   * Polls until every sent id has a response (or `graceMs` passes), then until no
   * further response of this run has arrived for `quietMs` (a late duplicate).
   */
  async settle(sent: readonly string[], graceMs: number, quietMs = 1000): Promise<void> {
    const until = Date.now() + graceMs;
    while (Date.now() < until && sent.some((id) => !this.counts.has(id))) await sleep(100);
    while (Date.now() < until && Date.now() - this.lastSeenAt < quietMs) await sleep(100);
  }

  result(sent: readonly string[]): { answered: number; lost: number; duplicated: number } {
    let answered = 0;
    let lost = 0;
    let duplicated = 0;
    for (const id of sent) {
      const n = this.counts.get(id) ?? 0;
      if (n === 0) lost++;
      else answered++;
      if (n > 1) duplicated++;
    }
    return { answered, lost, duplicated };
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.bus.close();
  }
}

/** Samples VmRSS / VmHWM of each process every `intervalMs`, keeping the peak (also of processes that exit meanwhile). */
class RssSampler {
  readonly peakKb = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly processes: ReadonlyMap<string, number>) {}

  sample(): void {
    for (const [id, pid] of this.processes) {
      const m = memoryKb(pid);
      if (m) this.peakKb.set(id, Math.max(this.peakKb.get(id) ?? 0, m.hwmKb, m.rssKb));
    }
  }

  start(intervalMs = 500): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    return Object.fromEntries([...this.peakKb].map(([id, kb]) => [id, round(kb / 1024, 1)]));
  }
}

/**
 * CPU seconds each process spends while `work` runs: utime+stime deltas from
 * /proc/<pid>/stat (a process gone by the end is left out), and the elapsed seconds.
 */
async function cpuDuring<T>(processes: ReadonlyMap<string, number>, work: () => Promise<T>): Promise<{ result: T; seconds: number; cpuSeconds: Record<string, number> }> {
  const hz = clockTicksPerSecond();
  const before = new Map([...processes].map(([id, pid]) => [id, cpuTicks(pid)]));
  const t0 = performance.now();
  const result = await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds: Record<string, number> = {};
  for (const [id, pid] of processes) {
    const a = before.get(id);
    const b = cpuTicks(pid);
    if (a !== undefined && b !== undefined) cpuSeconds[id] = (b - a) / hz;
  }
  return { result, seconds, cpuSeconds };
}

/** Cores busy per process over `ms`. */
async function measureCores(processes: ReadonlyMap<string, number>, ms: number): Promise<{ seconds: number; per: Record<string, number> }> {
  const { seconds, cpuSeconds } = await cpuDuring(processes, () => sleep(ms));
  const per = Object.fromEntries(Object.entries(cpuSeconds).map(([id, s]) => [id, round(s / seconds, 3)]));
  return { seconds: round(seconds, 1), per };
}

/** Sum of the values whose key is not in `leaveOut`, rounded to `digits`. */
function sumOf(values: Record<string, number>, leaveOut: ReadonlySet<string> = new Set(), digits = 3): number {
  return round(Object.entries(values).reduce((sum, [id, v]) => sum + (leaveOut.has(id) ? 0 : v), 0), digits);
}

/**
 * Drives a running system over gRPC Infer: warm-up, cores busy at rest, the throughput
 * and/or one-caller latency scenario, peak RSS per service, and lost / duplicated
 * responses counted on the responses topic. Does not start or stop anything.
 */
export async function runBench(config: BenchConfig): Promise<BenchReport> {
  const log = config.log ?? (() => undefined);
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const idPrefix = `bench-${runId}-`;
  const notes: string[] = [];
  const sent: string[] = [];

  let processes = config.processes;
  if (!processes) {
    const port = localPort(config.address);
    processes = port === undefined ? new Map() : findSystemProcesses(port);
    if (processes.size === 0) notes.push(`service processes not found on this machine (no service listens on ${config.address}): no RSS or CPU figures for them`);
  }
  const infraPids = new Map<string, number>();
  for (const [name, address] of [['kafka', config.brokers], ['redis', config.redisUrl]] as const) {
    const port = localPort(address);
    const pid = port === undefined ? undefined : listeningPid(port);
    if (pid !== undefined) infraPids.set(name, pid);
    else notes.push(`${name} process not found on this machine${address ? ` (${address})` : ''}: left out of the at-rest CPU figure`);
  }

  const client: RouterClient = createRouterClient(config.address, grpcAuthOptions(config.apiKey));
  const rss = new RssSampler(processes).start();
  let tally: ResponseTally | undefined;
  try {
    // Started first so a wrong --brokers / --topic-prefix fails before any traffic.
    tally = await ResponseTally.start(config.brokers, config.topicPrefix, idPrefix, `${runId}-a`);
    if (config.warmup > 0) {
      log(`warm-up: ${config.warmup} requests, concurrency ${config.concurrency}`);
      await drive(client, { count: config.warmup, concurrency: config.concurrency, idFor: (i) => `${idPrefix}w-${i}`, sent });
    }

    let idle: BenchReport['idle_cores'];
    const idleMs = config.idleMs ?? 5000;
    if (idleMs > 0 && processes.size + infraPids.size > 0) {
      // Our own consumer's fetches would count against the broker: it leaves during the
      // window, and a new group reads the topic from its beginning afterwards, missing nothing.
      await tally.stop();
      tally = undefined;
      const settleMs = config.settleMs ?? 3000;
      log(`at rest: settling ${settleMs / 1000} s, then measuring CPU for ${idleMs / 1000} s with no traffic`);
      await sleep(settleMs);
      const all = new Map([...processes, ...infraPids]);
      const { seconds, per } = await measureCores(all, idleMs);
      idle = { seconds, per_process: per, services_total: sumOf(per, new Set(infraPids.keys())), total: sumOf(per) };
    }

    tally ??= await ResponseTally.start(config.brokers, config.topicPrefix, idPrefix, `${runId}-b`);

    // CPU per request of a scenario: every service, Kafka, Redis and this process, over the scenario.
    const watched = new Map([...processes, ...infraPids, ['bench', process.pid]]);
    const withCpu = async (run: () => Promise<ScenarioResult>): Promise<ScenarioResult> => {
      const { result, cpuSeconds } = await cpuDuring(watched, run);
      if (processes.size === 0) return result;
      const perProcess = Object.fromEntries(Object.entries(cpuSeconds).map(([id, s]) => [id, round((s * 1000) / result.requests, 2)]));
      const cpu: CpuPerRequest = { per_process: perProcess, services_total: sumOf(perProcess, new Set([...infraPids.keys(), 'bench']), 2), total: sumOf(perProcess, new Set(['bench']), 2) };
      return { ...result, cpu_per_request_ms: cpu };
    };
    let throughput: ScenarioResult | undefined;
    let latency: ScenarioResult | undefined;
    let plan: PlanComparison | undefined;
    const measuredFromUs = monotonicUs();
    const planKind = config.plan !== undefined ? BENCH_PLANS[config.plan] : undefined;
    if (config.plan !== undefined && planKind === undefined) throw new Error(`unknown plan ${config.plan}: use ${Object.keys(BENCH_PLANS).join(', ')}`);
    if (planKind !== undefined) {
      log(`plan ${config.plan}: ${config.requests} requests as single, then as ${config.plan}, concurrency ${config.concurrency}`);
      const single = await drive(client, { count: config.requests, concurrency: config.concurrency, idFor: (i) => `${idPrefix}s-${i}`, sent, plan: PlanKind.SINGLE });
      const mismatched = { count: 0 };
      const planned = await drive(client, { count: config.requests, concurrency: config.concurrency, idFor: (i) => `${idPrefix}p-${i}`, sent, plan: planKind, mismatched });
      const diff = (k: keyof Percentiles) => round(planned.e2e_ms[k] - single.e2e_ms[k]);
      plan = {
        plan: config.plan!,
        single,
        planned,
        added_latency_ms: { p50: diff('p50'), p95: diff('p95'), p99: diff('p99'), max: diff('max') },
        cost_ratio: single.cost_per_request_usd > 0 ? round(planned.cost_per_request_usd / single.cost_per_request_usd, 3) : 0,
        not_planned: mismatched.count,
      };
    } else if (config.scenario !== 'latency') {
      log(`throughput: ${config.requests} requests, concurrency ${config.concurrency}`);
      throughput = await withCpu(() =>
        drive(client, {
          count: config.requests,
          concurrency: config.concurrency,
          idFor: (i) => `${idPrefix}t-${i}`,
          sent,
          onDone: (n) => config.onProgress?.('throughput', n, config.requests),
        }),
      );
    }
    if (planKind === undefined && config.scenario !== 'throughput') {
      log(`latency: ${config.requests} requests, one caller`);
      latency = await withCpu(() =>
        drive(client, {
          count: config.requests,
          concurrency: 1,
          idFor: (i) => `${idPrefix}l-${i}`,
          sent,
          onDone: (n) => config.onProgress?.('latency', n, config.requests),
        }),
      );
    }
    let http: BenchReport['http'];
    if (config.httpUrl) {
      http = { url: config.httpUrl };
      if (config.scenario !== 'latency') {
        log(`HTTP throughput: ${config.requests} requests over ${config.concurrency} connections (autocannon, ${config.httpUrl})`);
        http.throughput = await driveHttp({ baseUrl: config.httpUrl, apiKey: config.apiKey, count: config.requests, concurrency: config.concurrency, runId, label: 't' });
      }
      if (config.scenario !== 'throughput') {
        log(`HTTP latency: ${config.requests} requests, one connection`);
        http.latency = await driveHttp({ baseUrl: config.httpUrl, apiKey: config.apiKey, count: config.requests, concurrency: 1, runId, label: 'l' });
      }
      notes.push('HTTP requests get request ids from the ingress, so the lost/duplicated count covers the gRPC requests only');
    }
    let batch: BatchScenarioResult | undefined;
    if (config.batch) {
      batch = await driveBatch({
        client,
        httpUrl: config.batch.httpUrl,
        apiKey: config.apiKey,
        lines: config.batch.lines,
        idleRequests: config.requests,
        runId,
        idPrefix,
        sent,
        ...(throughput ? { interactiveThroughputRps: throughput.requests_per_second } : {}),
        log,
      });
    }
    const measured: ProfileWindow = { fromUs: measuredFromUs, toUs: monotonicUs() };
    const rssPeak = rss.stop();

    const graceMs = config.graceMs ?? 30000;
    log(`counting responses on ${tally.topicName()} (waiting up to ${graceMs / 1000} s for stragglers)`);
    await tally.settle(sent, graceMs);
    const { answered, lost, duplicated } = tally.result(sent);
    return {
      run_id: runId,
      system: config.system ?? 'running',
      responses_topic: tally.topicName(),
      ...(throughput ? { throughput } : {}),
      ...(latency ? { latency } : {}),
      ...(http ? { http } : {}),
      ...(plan ? { plan } : {}),
      ...(batch ? { batch } : {}),
      sent: sent.length,
      answered,
      lost,
      duplicated,
      rss_peak_mb: rssPeak,
      ...(idle ? { idle_cores: idle } : {}),
      notes,
      measured_window_us: measured,
    };
  } finally {
    rss.stop();
    client.close();
    await tally?.stop();
  }
}

function printReport(r: BenchReport, out: (line: string) => void): void {
  const fmt = (p: Percentiles) => `p50 ${p.p50} ms  p95 ${p.p95} ms  p99 ${p.p99} ms  max ${p.max} ms`;
  const scenario = (title: string, s: ScenarioResult) => {
    out(`${title} ${s.requests} requests, ${s.concurrency === 1 ? 'one caller at a time' : `concurrency ${s.concurrency}`}, failed ${s.failed}`);
    out(`  throughput    ${s.requests_per_second} requests/s over ${s.seconds} s`);
    out(`  end to end    ${fmt(s.e2e_ms)}`);
    for (const [stage, p] of Object.entries(s.stages_ms)) out(`    ${stage.padEnd(12)}${fmt(p)}`);
  };
  if (r.throughput) scenario('throughput scenario:', r.throughput);
  if (r.plan) {
    const p = r.plan;
    scenario('single (baseline):', p.single);
    out(`  cost          $${p.single.cost_per_request_usd.toPrecision(3)} per request`);
    scenario(`plan ${p.plan}:`, p.planned);
    out(`  cost          $${p.planned.cost_per_request_usd.toPrecision(3)} per request (${p.cost_ratio}× single)`);
    out(`  added latency p50 ${p.added_latency_ms.p50} ms  p95 ${p.added_latency_ms.p95} ms  p99 ${p.added_latency_ms.p99} ms over single`);
    if (p.not_planned > 0) out(`  note          ${p.not_planned} requests were not routed as ${p.plan} (the plan could not be formed: single)`);
  }
  if (r.latency) {
    scenario('latency scenario:', r.latency);
    out(`  target        p50 ≤ ${TARGETS.latencyP50Ms} ms, p99 ≤ ${TARGETS.latencyP99Ms} ms`);
  }
  if (r.http) {
    const h = r.http;
    const line = (title: string, s: HttpScenarioResult, grpc: ScenarioResult | undefined) => {
      out(`${title} ${s.requests} requests, ${s.concurrency === 1 ? 'one connection' : `${s.concurrency} connections`}, failed ${s.failed} (${h.url}, autocannon)`);
      out(`  throughput    ${s.requests_per_second} requests/s over ${s.seconds} s${grpc ? ` (gRPC ${grpc.requests_per_second}: ${round((s.requests_per_second / grpc.requests_per_second) * 100, 0)}%)` : ''}`);
      out(`  end to end    p50 ${s.e2e_ms.p50} ms  p90 ${s.e2e_ms.p90} ms  p99 ${s.e2e_ms.p99} ms  max ${s.e2e_ms.max} ms${grpc ? ` (gRPC p50 ${grpc.e2e_ms.p50} ms)` : ''}`);
    };
    if (h.throughput) line('HTTP throughput scenario:', h.throughput, r.throughput);
    if (h.latency) line('HTTP latency scenario:', h.latency, r.latency);
  }
  if (r.batch) printBatchScenario(r.batch, out);
  out(`responses     ${r.sent} sent (warm-up included), ${r.answered} answered on ${r.responses_topic}: lost ${r.lost}, duplicated ${r.duplicated}`);
  const rss = Object.entries(r.rss_peak_mb);
  if (rss.length > 0) {
    const max = Math.max(...rss.map(([, mb]) => mb));
    out(`peak RSS      max ${max} MB per service (target ≤ ${TARGETS.rssMb} MB)`);
    for (const [id, mb] of rss) out(`  ${id.padEnd(20)}${String(mb).padStart(8)} MB`);
  }
  const cpu = (['throughput', 'latency'] as const).filter((k) => r[k]?.cpu_per_request_ms);
  if (cpu.length > 0) {
    const per = (k: (typeof cpu)[number]) => r[k]!.cpu_per_request_ms!;
    out(`CPU/request   ms of CPU per request (utime + stime) in the ${cpu.join(' / ')} scenario${cpu.length > 1 ? 's' : ''}`);
    const row = (label: string, pick: (c: CpuPerRequest) => number | undefined) => {
      const values = cpu.map((k) => pick(per(k)));
      if (values.some((v) => v !== undefined)) out(`  ${label.padEnd(20)}${values.map((v) => (v === undefined ? '-' : v.toFixed(2)).padStart(8)).join(' ')}`);
    };
    row('services', (c) => c.services_total);
    row('with Kafka and Redis', (c) => c.total);
    const ids = [...new Set(cpu.flatMap((k) => Object.keys(per(k).per_process)))];
    for (const id of ids) row(id === 'bench' ? 'bench (callers)' : id, (c) => c.per_process[id]);
  }
  if (r.idle_cores) {
    const i = r.idle_cores;
    out(`at rest       ${i.services_total} cores busy in the services over ${i.seconds} s with no traffic (target ≤ ${TARGETS.idleCores}); ${i.total} with Kafka and Redis`);
    for (const [id, c] of Object.entries(i.per_process)) out(`  ${id.padEnd(20)}${c.toFixed(3).padStart(8)} cores`);
  }
  if (r.profiles) {
    const span = r.measured_window_us ? ' while the measured scenarios ran (start-up, warm-up, at rest and shutdown left out)' : '';
    out(`CPU profiles  ${r.profiles.dir}/<service>/*.cpuprofile (open in Chrome DevTools or speedscope); top functions by self time${span}, % of busy time:`);
    for (const [id, p] of Object.entries(r.profiles.top)) {
      out(`  ${id}: busy ${round(p.busy_ms / 1000, 1)} s of ${round(p.sampled_ms / 1000, 1)} s`);
      for (const f of p.functions) out(`    ${f.percent.toFixed(1).padStart(5)}%  ${String(f.selfMs).padStart(8)} ms  ${f.functionName}  ${f.url ? shortLocation(f.url, f.line, process.cwd()) : ''}`);
    }
  }
  for (const note of r.notes) out(`note          ${note}`);
}

/** Options of `yardmaster bench` as commander hands them over. */
export interface BenchCommandOptions {
  requests: string;
  concurrency: string;
  warmup: string;
  scenario: string;
  /** Compare this plan with single (cascade, hedge, vote, judge, draft_review, chain, tool). */
  plan?: string;
  json?: boolean;
  address?: string;
  /** The API key for a running system; default `YARDMASTER_API_KEY`, else the key `npm start` saved. */
  apiKey?: string;
  brokers: string;
  topicPrefix: string;
  profile?: boolean;
  idle: string;
  grace: string;
  /** Also drive the HTTP API (autocannon) in the same run. */
  http?: boolean;
  /** The HTTP API of a running system; default http://127.0.0.1:8080. */
  httpUrl?: string;
  /** Also run a batch of this many lines through the HTTP Batch API, with one-caller latency beside it. */
  batch?: string;
  /** Seconds each service of a system the bench starts may take to become ready. */
  readyTimeout?: string;
}

/**
 * `npm run bench`: finds the running system (or starts its own with provider-sim at 0 ms),
 * runs {@link runBench}, and prints the report (and with `--json` one JSON line at the end).
 * Exit code 1 when a request failed or a response was lost or duplicated.
 */
export async function benchCommand(opts: BenchCommandOptions): Promise<number> {
  const requests = Number(opts.requests);
  const concurrency = Number(opts.concurrency);
  const warmup = Number(opts.warmup);
  const idleMs = Number(opts.idle) * 1000;
  const graceMs = Number(opts.grace) * 1000;
  if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(concurrency) || concurrency < 1 || !Number.isInteger(warmup) || warmup < 0) {
    process.stderr.write('--requests and --concurrency must be positive integers, --warmup a non-negative one\n');
    return 2;
  }
  if (!['throughput', 'latency', 'all'].includes(opts.scenario)) {
    process.stderr.write('--scenario must be throughput, latency or all\n');
    return 2;
  }
  if (opts.plan !== undefined && BENCH_PLANS[opts.plan] === undefined) {
    process.stderr.write(`--plan must be one of ${Object.keys(BENCH_PLANS).join(', ')}\n`);
    return 2;
  }
  const batchLines = opts.batch === undefined ? undefined : Number(opts.batch);
  if (batchLines !== undefined && (!Number.isInteger(batchLines) || batchLines < 1)) {
    process.stderr.write('--batch must be a positive number of lines\n');
    return 2;
  }
  if (!(idleMs >= 0) || !(graceMs >= 0)) {
    process.stderr.write('--idle and --grace must be non-negative numbers of seconds\n');
    return 2;
  }
  const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  let address = opts.address ?? '127.0.0.1:50051';
  let httpUrl = opts.httpUrl ?? 'http://127.0.0.1:8080';
  let apiKey = opts.apiKey || process.env['YARDMASTER_API_KEY'] || readDevKey();
  let brokers = opts.brokers;
  let topicPrefix = opts.topicPrefix;
  let redisUrl = process.env['REDIS_URL'];
  let processes: Map<string, number> | undefined;
  let profileDir: string | undefined;
  let stop: (() => Promise<void>) | undefined;
  const startOwn = !opts.address && (opts.profile === true || !(await isRunning(address)));
  if (opts.profile && opts.address) {
    process.stderr.write('--profile needs the bench to start the services itself: leave out --address\n');
    return 2;
  }
  if (startOwn) {
    say(`${opts.profile ? '--profile: starting a system of its own' : 'no running Yardmaster found; starting'} (Kafka and Redis unless configured, the services, provider-sim at 0 ms)`);
    const infra = await startInfra({ log: say });
    const logDir = mkdtempSync(path.join(tmpdir(), 'yardmaster-bench-'));
    profileDir = opts.profile ? path.join(logDir, 'profiles') : undefined;
    brokers = infra.brokers!;
    redisUrl = infra.redisUrl!;
    topicPrefix = `bench-${Date.now()}`;
    let system: Awaited<ReturnType<typeof launchSystem>>;
    try {
      // Batch files in the run's directory, and room for a batch of --batch lines.
      const ingress = { FILE_STORE_DIR: path.join(logDir, 'files'), BATCH_MAX_FILE_LINES: String(Math.max(50_000, batchLines ?? 0)) };
      system = await launchSystem({ brokers, redisUrl, simLatencyMs: 0, logs: { kind: 'file', dir: logDir }, topicPrefix, serviceEnv: { ingress }, ...(profileDir ? { cpuProfileDir: profileDir } : {}), ...(opts.readyTimeout ? { readyTimeoutMs: Number(opts.readyTimeout) * 1000 } : {}) });
    } catch (err) {
      await infra.stop();
      throw err;
    }
    say(`services up (logs in ${logDir})`);
    address = system.grpcAddress;
    httpUrl = system.httpUrl;
    apiKey = system.apiKey;
    processes = new Map([...system.processes].flatMap(([id, p]) => (p.child.pid === undefined ? [] : [[id, p.child.pid] as const])));
    stop = async () => {
      await system.stop();
      await infra.stop();
    };
  } else {
    say(`driving the system at ${address} (responses read from ${topicPrefix ? `${topicPrefix}.` : ''}${Topics.responses.name} at ${brokers})`);
  }

  const bar = process.stderr.isTTY ? new SingleBar({ format: '[bench] {scenario} {bar} {value}/{total} requests | {eta}s left', hideCursor: true }) : undefined;
  let barScenario = '';
  let report: BenchReport;
  try {
    report = await runBench({
      address,
      ...(apiKey ? { apiKey } : {}),
      brokers,
      topicPrefix,
      scenario: opts.scenario as Scenario,
      ...(opts.plan !== undefined ? { plan: opts.plan } : {}),
      requests,
      concurrency,
      warmup,
      idleMs,
      graceMs,
      system: startOwn ? 'started' : 'running',
      ...(opts.http ? { httpUrl } : {}),
      ...(batchLines !== undefined ? { batch: { lines: batchLines, httpUrl } } : {}),
      ...(processes ? { processes } : {}),
      ...(redisUrl ? { redisUrl } : {}),
      log: say,
      onProgress: (scenario, done, total) => {
        if (!bar) return;
        if (scenario !== barScenario) {
          if (barScenario) bar.stop();
          barScenario = scenario;
          bar.start(total, 0, { scenario });
        }
        bar.update(done, { scenario });
        if (done === total) {
          bar.stop();
          barScenario = '';
        }
      },
    });
  } finally {
    bar?.stop();
    if (stop) say('stopping the services');
    await stop?.();
  }

  if (profileDir) {
    const top: NonNullable<BenchReport['profiles']>['top'] = {};
    for (const id of processes?.keys() ?? []) {
      for (const { file, summary } of summarizeProfileDir(path.join(profileDir, id), 10, report.measured_window_us)) {
        const key = top[id] ? `${id} (${path.basename(file)})` : id;
        top[key] = { busy_ms: summary.busyMs, sampled_ms: summary.totalMs, functions: summary.top };
      }
      if (!top[id]) report.notes.push(`no CPU profile from ${id} (it did not exit gracefully?)`);
    }
    report.profiles = { dir: profileDir, top };
    // V8's sampling profiler wakes every process about a thousand times a second.
    report.notes.push('with --profile every service runs under the V8 sampling profiler, whose own work is in the CPU figures (at rest about 0.03 cores per process instead of 0.002-0.01): compare CPU, throughput and latency only between runs without it');
  }

  printReport(report, (line) => process.stdout.write(`${line}\n`));
  if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  const failed =
    (report.throughput?.failed ?? 0) +
    (report.latency?.failed ?? 0) +
    (report.http?.throughput?.failed ?? 0) +
    (report.http?.latency?.failed ?? 0) +
    (report.plan ? report.plan.single.failed + report.plan.planned.failed : 0) +
    (report.batch ? report.batch.interactive_idle.failed + report.batch.interactive_during.failed : 0);
  return failed === 0 && (!report.batch || batchScenarioOk(report.batch)) && report.lost === 0 && report.duplicated === 0 ? 0 : 1;
}
