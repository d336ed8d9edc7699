import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Bus, restartDelayMs, type BusLogger } from '@yardmaster/bus';
import { Topics, topicConfigs, workTopic, type Topic } from '@yardmaster/contracts';
import { parse } from 'yaml';
import { DEV_TENANT, provisionApiKey } from './dev-key';
import { grpcAuthOptions } from './grpc-auth';
import { repoRoot } from './paths';
import { freePorts } from './ports';

/** The pipeline's services, in start order (consumers first, the front door last). */
export const SERVICE_NAMES = ['provider-sim', 'aggregator', 'worker', 'router', 'classifier', 'ingress'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The compiled entry point of a service. */
export function serviceScript(name: ServiceName): string {
  return path.join(repoRoot, 'services', name, 'dist', 'main.js');
}

/**
 * V8 flags every service runs with. On a machine with plenty of memory V8 lets the young
 * generation grow to 16-32 MB semi-spaces; 8 MB keeps a service's peak RSS 25-40% lower
 * at the same throughput (`npm run bench`: 557 vs 548 req/s, router 285 -> 171 MB,
 * aggregator 367 -> 221 MB). The Dockerfile sets the same through NODE_OPTIONS.
 */
export const SERVICE_NODE_ARGS: readonly string[] = ['--max-semi-space-size=8'];

/** The default model catalog. */
export const defaultCatalogPath = path.join(repoRoot, 'services', 'router', 'catalog.yaml');

/** The worker pools a catalog sends work to (its providers' `pool` fields). */
export function catalogPools(catalogPath: string): string[] {
  const doc = parse(readFileSync(catalogPath, 'utf8')) as { providers?: { pool?: unknown }[] } | null;
  const pools = (doc?.providers ?? []).map((p) => p.pool).filter((p): p is string => typeof p === 'string');
  if (pools.length === 0) throw new Error(`${catalogPath} names no provider pools`);
  return [...new Set(pools)];
}

/**
 * The provider API each worker pool of a catalog speaks (its providers' `api` field,
 * `openai-chat` when absent), passed to the pool's worker as PROVIDER_API.
 * @throws Error when two providers of one pool name different APIs (one worker speaks one).
 */
export function catalogPoolApis(catalogPath: string): Map<string, string> {
  const doc = parse(readFileSync(catalogPath, 'utf8')) as { providers?: { pool?: unknown; api?: unknown }[] } | null;
  const apis = new Map<string, string>();
  for (const p of doc?.providers ?? []) {
    if (typeof p.pool !== 'string') continue;
    const api = typeof p.api === 'string' && p.api ? p.api : 'openai-chat';
    const seen = apis.get(p.pool);
    if (seen !== undefined && seen !== api) throw new Error(`${catalogPath}: pool ${p.pool} has providers with different APIs (${seen}, ${api})`);
    apis.set(p.pool, api);
  }
  return apis;
}

/**
 * The worker environment of each `http-tool` pool of a catalog: the tool, path template,
 * method, headers, timeout and 404 meaning of its provider's `http_tool` (PROVIDER_TOOL_*), so the
 * launcher starts these pools like the calculator's. The router validates the catalog;
 * this only copies what is there.
 */
export function catalogPoolToolEnv(catalogPath: string): Map<string, Record<string, string>> {
  type HttpToolDoc = { tool?: unknown; path?: unknown; method?: unknown; headers?: unknown; timeout_ms?: unknown; not_found?: unknown };
  const doc = parse(readFileSync(catalogPath, 'utf8')) as { providers?: { pool?: unknown; api?: unknown; http_tool?: HttpToolDoc }[] } | null;
  const env = new Map<string, Record<string, string>>();
  for (const p of doc?.providers ?? []) {
    if (typeof p.pool !== 'string' || p.api !== 'http-tool' || !p.http_tool) continue;
    const t = p.http_tool;
    env.set(p.pool, {
      ...(typeof t.tool === 'string' ? { PROVIDER_TOOL_NAME: t.tool } : {}),
      ...(typeof t.path === 'string' ? { PROVIDER_TOOL_PATH: t.path } : {}),
      ...(typeof t.method === 'string' ? { PROVIDER_TOOL_METHOD: t.method } : {}),
      ...(t.headers && typeof t.headers === 'object' ? { PROVIDER_TOOL_HEADERS: JSON.stringify(t.headers) } : {}),
      ...(typeof t.timeout_ms === 'number' ? { PROVIDER_TOOL_TIMEOUT_MS: String(t.timeout_ms) } : {}),
      ...(typeof t.not_found === 'string' ? { PROVIDER_TOOL_NOT_FOUND: t.not_found } : {}),
    });
  }
  return env;
}

/** Where service output goes. */
export type LogMode = { kind: 'prefix'; write: (line: string) => void } | { kind: 'file'; dir: string } | { kind: 'silent' };

/** Options for {@link launchSystem}. */
export interface SystemOptions {
  brokers: string;
  redisUrl: string;
  /** Topic namespace; tests give each run its own. */
  topicPrefix?: string;
  /** Redis key namespace. */
  redisKeyPrefix?: string;
  catalogPath?: string;
  /** Partitions per topic. Default 6. */
  partitions?: number;
  /** provider-sim base latency. Default 0. */
  simLatencyMs?: number;
  /** Fixed gRPC port for ingress; default a free one. */
  grpcPort?: number;
  /** Fixed HTTP port for (the first) ingress: the OpenAI-compatible API; default a free one. */
  ingressHttpPort?: number;
  /** Fixed provider-sim port; default a free one. */
  simPort?: number;
  /** OTLP/HTTP endpoint for every service's traces. */
  otlpEndpoint?: string;
  /** Extra environment for every service, or per service name (`worker` applies to every pool). */
  env?: Record<string, string>;
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  logs?: LogMode;
  /** Consumer session timeout; short in tests so a killed worker's partitions move quickly. */
  sessionTimeoutMs?: number;
  /** Start only these services (tests of one stage); default all. */
  only?: readonly ServiceName[];
  /** Ingress replicas (each its own process, gRPC port and response consumer group). Default 1. */
  ingressReplicas?: number;
  /** Aggregator replicas (processes `aggregator-<n>` sharing one consumer group). Default 1. */
  aggregatorReplicas?: number;
  /** Per-pool worker environment, e.g. a different PROVIDER_BASE_URL for one pool. */
  poolEnv?: Record<string, Record<string, string>>;
  /** Worker replicas per pool (processes `worker-<pool>-<n>` sharing the pool's consumer group). Default 1. */
  workerReplicas?: Record<string, number>;
  /** Extra Node.js flags for every service process (before the script). */
  nodeArgs?: readonly string[];
  /**
   * CPU-profile every service: each process runs with `--cpu-prof` and writes its
   * `.cpuprofile` into `<cpuProfileDir>/<id>/` when it exits gracefully (after `stop()`).
   */
  cpuProfileDir?: string;
  /**
   * `required` (default): ingress wants an API key on every call; the launcher stores one
   * ({@link apiKey}, else a new key of {@link apiKeyTenant}) and returns it. `disabled`: no keys.
   */
  auth?: 'required' | 'disabled';
  /**
   * How long each service may take to report ready before the launch fails (ms). Default
   * 180 000: on a loaded 2-core machine thirteen processes starting at once can pass 90 s.
   */
  readyTimeoutMs?: number;
  /**
   * Start a process that exits on its own again (npm start), as Kubernetes or Compose
   * would: after 1 s, doubling per exit in a row up to 30 s (the count resets once a process
   * has run for a minute); `onExit` hears of each exit and the wait. Off by default: tests and
   * the bench kill processes on purpose and must see them stay down.
   */
  supervise?: { onExit?: (line: string) => void };
  /** An API key secret to store and return (npm start's saved development key). */
  apiKey?: string;
  /** The tenant of the key the launcher creates. Default `default`. */
  apiKeyTenant?: string;
}

/** One running service process. */
export interface ServiceProcess {
  readonly id: string;
  readonly name: ServiceName;
  readonly httpPort: number;
  child: ChildProcess;
  /** Set by `kill()`: a supervised system leaves this process down. */
  stoppedOnPurpose?: boolean;
}

/** A running Yardmaster: ingress's gRPC address, provider-sim's URL, and process control. */
export interface RunningSystem {
  readonly grpcAddress: string;
  /** ingress's HTTP base URL (OpenAI-compatible API, health, metrics), `http://127.0.0.1:<port>`. */
  readonly httpUrl: string;
  /** One HTTP base URL per ingress replica (the first is `httpUrl`). */
  readonly httpUrls: string[];
  /** The API key the launcher stored (undefined when authentication is disabled). */
  readonly apiKey: string | undefined;
  /** Options for `createRouterClient(address, options)` that send {@link apiKey} on every call. */
  readonly clientOptions: Record<string, unknown>;
  /** One address per ingress replica (the first is `grpcAddress`). */
  readonly grpcAddresses: string[];
  readonly simUrl: string;
  readonly pools: string[];
  readonly topicPrefix: string;
  readonly processes: ReadonlyMap<string, ServiceProcess>;
  /** Sends `signal` to one process (id = service name, or `worker-<pool>`) and waits for it to exit. */
  kill(id: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped process again with the same configuration and waits until ready. */
  restart(id: string): Promise<void>;
  /** Stops everything gracefully (SIGTERM), front door first. */
  stop(): Promise<void>;
}

const quietLogger: BusLogger = { debug() {}, log() {}, warn() {}, error() {} };

/** With silent logs, how many of a process's last output lines are kept, each cut to TAIL_LINE_CHARS. */
const TAIL_LINES = 30;
const TAIL_LINE_CHARS = 500;
/** Colour codes (Nest colours its log lines even into a pipe). */
// eslint-disable-next-line no-control-regex
const ANSI_SGR = /\x1b\[[0-9;]*m/g;

/** Calls `onLine` with each complete line a child process prints on stdout or stderr. */
function eachLine(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
  }
}

/**
 * Creates the pipeline's topics (and the work topics of `pools`), then waits until the
 * broker's group coordinators answer (on a fresh broker, so the services' consumers join
 * at once instead of restarting while the offsets topic loads).
 */
export async function createTopics(opts: { brokers: string; topicPrefix?: string; pools: string[]; partitions?: number }): Promise<void> {
  const bus = await Bus.connect({ brokers: opts.brokers.split(','), clientId: 'yardmaster-setup', topicPrefix: opts.topicPrefix ?? '', logger: quietLogger });
  try {
    const topics: Topic[] = [...Object.values(Topics), ...opts.pools.map(workTopic)];
    await bus.ensureTopics(topics.map((topic) => ({ topic, partitions: opts.partitions ?? 6, configs: topicConfigs(topic) })));
    await bus.awaitGroupCoordinators();
  } finally {
    await bus.close();
  }
}

async function waitReady(proc: ServiceProcess, timeoutMs: number, logHint: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`${proc.id} exited (${proc.child.exitCode ?? proc.child.signalCode}) before it was ready${logHint()}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${proc.httpPort}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${proc.id} was not ready within ${timeoutMs} ms${logHint()}`);
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts provider-sim, the aggregator, one worker per catalog pool, the router, the
 * classifier and ingress as separate processes against the given Kafka and Redis,
 * creates the topics first, and resolves once every process answers `/readyz`.
 */
export async function launchSystem(options: SystemOptions): Promise<RunningSystem> {
  const catalogPath = options.catalogPath ?? defaultCatalogPath;
  const pools = catalogPools(catalogPath);
  const apis = catalogPoolApis(catalogPath);
  const toolEnv = catalogPoolToolEnv(catalogPath);
  const prefix = options.topicPrefix ?? '';
  const readyTimeoutMs = options.readyTimeoutMs ?? 180_000;
  const redisKeyPrefix = options.redisKeyPrefix ?? (prefix ? `ym:${prefix}:` : 'ym:');
  const auth = options.auth ?? 'required';
  const apiKey =
    auth === 'required'
      ? (
          await provisionApiKey({
            redisUrl: options.redisUrl,
            redisKeyPrefix,
            ...(options.apiKey ? { secret: options.apiKey } : {}),
            key: { tenantId: options.apiKeyTenant ?? DEV_TENANT, name: 'launcher key' },
          })
        ).secret
      : undefined;
  await createTopics({ brokers: options.brokers, topicPrefix: prefix, pools, ...(options.partitions !== undefined ? { partitions: options.partitions } : {}) });
  for (const name of options.only ?? SERVICE_NAMES) {
    if (!existsSync(serviceScript(name))) throw new Error(`${serviceScript(name)} is missing: run \`npm run build\` first`);
  }

  const ids: { id: string; name: ServiceName; extra: Record<string, string> }[] = [];
  for (const name of SERVICE_NAMES) {
    if (options.only && !options.only.includes(name)) continue;
    // Every pool but the calculator calls provider-sim, which speaks each pool's API and serves the example HTTP tools.
    if (name === 'worker') {
      for (const pool of pools) {
        const extra = { WORKER_POOL: pool, PROVIDER_API: apis.get(pool) ?? 'openai-chat', ...(toolEnv.get(pool) ?? {}), ...(options.poolEnv?.[pool] ?? {}) };
        const n = Math.max(1, options.workerReplicas?.[pool] ?? 1);
        for (let r = 0; r < n; r++) ids.push({ id: n > 1 ? `worker-${pool}-${r}` : `worker-${pool}`, name, extra });
      }
    }
    else if (name === 'aggregator' && (options.aggregatorReplicas ?? 1) > 1) {
      for (let r = 0; r < options.aggregatorReplicas!; r++) ids.push({ id: `aggregator-${r}`, name, extra: {} });
    } else if (name !== 'ingress') ids.push({ id: name, name, extra: {} });
  }
  const replicas = options.only && !options.only.includes('ingress') ? 0 : Math.max(1, options.ingressReplicas ?? 1);
  const base = ids.length;
  const ports = await freePorts(base + replicas * 2 + 1);
  // Layout: HTTP ports of every process (workers, others, then ingress replicas), provider-sim, gRPC ports.
  const simPort = options.simPort ?? ports[base + replicas]!;
  const grpcPorts: number[] = [];
  for (let r = 0; r < replicas; r++) {
    const grpcPort = r === 0 && options.grpcPort !== undefined ? options.grpcPort : ports[base + replicas + 1 + r]!;
    grpcPorts.push(grpcPort);
    ids.push({ id: replicas > 1 ? `ingress-${r}` : 'ingress', name: 'ingress', extra: { GRPC_PORT: String(grpcPort), ...(replicas > 1 ? { INGRESS_REPLICA_ID: `ingress-${r}-${process.pid}` } : {}) } });
  }
  const grpcPort = grpcPorts[0] ?? 0;
  const simUrl = `http://127.0.0.1:${simPort}`;
  const logs = options.logs ?? { kind: 'silent' };
  const logFiles = new Map<string, WriteStream>();
  /** With silent logs: each process's last lines of output, for the error of a launch that fails. */
  const outputTails = new Map<string, string[]>();
  const specs = new Map<string, { name: ServiceName; env: NodeJS.ProcessEnv; httpPort: number }>();

  const firstIngress = ids.find((x) => x.name === 'ingress')?.id;
  ids.forEach(({ id, name, extra }, i) => {
    const httpPort = name === 'provider-sim' ? simPort : id === firstIngress && options.ingressHttpPort !== undefined ? options.ingressHttpPort : ports[i]!;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_BROKERS: options.brokers,
      REDIS_URL: options.redisUrl,
      KAFKA_TOPIC_PREFIX: prefix,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      INGRESS_AUTH: auth,
      CATALOG_PATH: catalogPath,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      ROUTER_CATALOG_PATH: catalogPath,
      GRPC_PORT: String(grpcPort),
      GRPC_HOST: '127.0.0.1',
      PROVIDER_BASE_URL: simUrl,
      SIM_LATENCY_MS: String(options.simLatencyMs ?? 0),
      ...(options.sessionTimeoutMs ? { KAFKA_SESSION_TIMEOUT_MS: String(options.sessionTimeoutMs) } : {}),
      ...(options.otlpEndpoint ? { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint } : {}),
      ...(options.env ?? {}),
      ...(options.serviceEnv?.[name] ?? {}),
      ...extra,
    };
    specs.set(id, { name, env, httpPort });
  });

  const processes = new Map<string, ServiceProcess>();
  let stopping = false;
  /** Exits in a row per process id, and the pending restarts (supervised only). */
  const exitsInARow = new Map<string, number>();
  const restarts = new Map<string, NodeJS.Timeout>();
  const supervise = (proc: ServiceProcess): void => {
    const startedAt = Date.now();
    proc.child.once('exit', (code, signal) => {
      if (stopping || proc.stoppedOnPurpose || processes.get(proc.id) !== proc) return;
      const n = Date.now() - startedAt > 60_000 ? 1 : (exitsInARow.get(proc.id) ?? 0) + 1;
      exitsInARow.set(proc.id, n);
      const delay = restartDelayMs(n);
      options.supervise?.onExit?.(`${proc.id} exited (${code ?? signal}); starting it again in ${delay / 1000} s`);
      restarts.set(
        proc.id,
        setTimeout(() => {
          restarts.delete(proc.id);
          if (!stopping) spawnOne(proc.id);
        }, delay),
      );
    });
  };
  const spawnOne = (id: string): ServiceProcess => {
    const spec = specs.get(id)!;
    const profileArgs = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(options.cpuProfileDir, id)}`] : [];
    const args = ['--enable-source-maps', ...SERVICE_NODE_ARGS, ...(options.nodeArgs ?? []), ...profileArgs, serviceScript(spec.name)];
    const child = spawn(process.execPath, args, { env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (logs.kind === 'prefix') {
      const tag = `[${id}]`.padEnd(18);
      eachLine(child, (line) => logs.write(`${tag} ${line}`));
    } else if (logs.kind === 'file') {
      let file = logFiles.get(id);
      if (!file) logFiles.set(id, (file = createWriteStream(path.join(logs.dir, `${id}.log`), { flags: 'a' })));
      child.stdout?.pipe(file, { end: false });
      child.stderr?.pipe(file, { end: false });
    } else {
      // Not kept, except the last lines: a launch that fails says why (see logHint).
      const tail = outputTails.get(id) ?? [];
      outputTails.set(id, tail);
      eachLine(child, (raw) => {
        const line = raw.replace(ANSI_SGR, '');
        tail.push(line.length > TAIL_LINE_CHARS ? `${line.slice(0, TAIL_LINE_CHARS)}…` : line);
        if (tail.length > TAIL_LINES) tail.shift();
      });
    }
    const proc: ServiceProcess = { id, name: spec.name, httpPort: spec.httpPort, child };
    processes.set(id, proc);
    if (options.supervise) supervise(proc);
    return proc;
  };
  const logHint = (id: string) => () => {
    if (logs.kind === 'silent') {
      const tail = outputTails.get(id) ?? [];
      return tail.length > 0 ? `\n--- ${id}'s last output ---\n${tail.join('\n')}` : '';
    }
    if (logs.kind !== 'file') return '';
    const file = path.join(logs.dir, `${id}.log`);
    return existsSync(file) ? `\n--- ${file} (tail) ---\n${readFileSync(file, 'utf8').split('\n').slice(-30).join('\n')}` : '';
  };

  const stopAll = async () => {
    stopping = true;
    for (const timer of restarts.values()) clearTimeout(timer);
    for (const id of [...processes.keys()].reverse()) {
      const p = processes.get(id)!;
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    }
    await Promise.all(
      [...processes.values()].map(async (p) => {
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 20000);
        await waitExit(p.child);
        clearTimeout(timer);
      }),
    );
    for (const f of logFiles.values()) f.end();
  };

  try {
    // Start everything at once (2 cores: the processes mostly wait on Kafka joins), then wait for all.
    const started = ids.map(({ id }) => spawnOne(id));
    await Promise.all(started.map((p) => waitReady(p, readyTimeoutMs, logHint(p.id))));
  } catch (err) {
    await stopAll();
    throw err;
  }

  const ingressHttpPorts = [...specs.entries()].filter(([, spec]) => spec.name === 'ingress').map(([, spec]) => spec.httpPort);
  return {
    grpcAddress: `127.0.0.1:${grpcPort}`,
    httpUrl: `http://127.0.0.1:${ingressHttpPorts[0] ?? 0}`,
    httpUrls: ingressHttpPorts.map((p) => `http://127.0.0.1:${p}`),
    apiKey,
    clientOptions: grpcAuthOptions(apiKey),
    grpcAddresses: grpcPorts.map((p) => `127.0.0.1:${p}`),
    simUrl,
    pools,
    topicPrefix: prefix,
    processes,
    async kill(id, signal = 'SIGTERM') {
      const p = processes.get(id);
      if (!p) throw new Error(`no process ${id}`);
      p.stoppedOnPurpose = true;
      p.child.kill(signal);
      await waitExit(p.child);
    },
    async restart(id) {
      const p = processes.get(id);
      if (!p) throw new Error(`no process ${id}`);
      if (p.child.exitCode === null && p.child.signalCode === null) throw new Error(`${id} is still running`);
      const fresh = spawnOne(id);
      await waitReady(fresh, readyTimeoutMs, logHint(id));
    },
    stop: stopAll,
  };
}
