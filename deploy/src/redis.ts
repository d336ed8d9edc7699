import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { InfraError } from './errors';
import { freePort, waitUntil } from './ports';
import { run, spawnManaged, tailFile, which } from './proc';

/** Options of {@link startRedis}. */
export interface RedisOptions {
  /** Give up when Redis does not answer PING within this time; default 30 s (installing comes before). */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL; default 10 s. */
  stopTimeoutMs?: number;
  /** Install the Debian `redis-server` package when it is missing and we are root; default true. */
  install?: boolean;
  /** Extra `redis-server` arguments, e.g. `['--maxmemory', '256mb']`. */
  extraArgs?: readonly string[];
  /** Environment for apt-get and redis-server; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** A running local Redis. */
export interface RedisHandle {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Redis version (from `redis-server --version`), or 'unknown'. */
  readonly version: string;
  readonly pid: number;
  /** Temp dir (cwd of redis-server, holds the log); removed by `stop()`. */
  readonly dir: string;
  readonly logFile: string;
  /** Resolves when the process exits, whether stopped or crashed. */
  readonly exited: Promise<void>;
  /** SIGTERM, wait for exit (SIGKILL after the stop timeout), remove the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Sends `PING` over a raw TCP connection (inline command, no client library) and
 * resolves true when the reply is `+PONG`. Never throws.
 */
export function redisPing(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      // "-LOADING ..." or any other error reply means not ready (yet).
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
    socket.once('end', () => done(false));
  });
}

/**
 * Returns the path of `redis-server`, installing the Debian package first when it is
 * missing (`apt-get update`, `apt-get install -y redis-server`, non-interactive), which
 * needs root. Debian may start its own redis service on 6379 after installing; that
 * one is not used.
 * @throws InfraError `REDIS_MISSING` (not installed and cannot install),
 *   `REDIS_INSTALL_FAILED` (apt-get failed; the message has its output).
 */
export async function ensureRedisServer(opts: Pick<RedisOptions, 'install' | 'env' | 'log'> = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const found = findRedisServer(env);
  if (found) return found;

  const isRoot = process.getuid?.() === 0;
  const aptGet = which('apt-get', env);
  if (opts.install === false || !isRoot || aptGet === undefined) {
    const why = opts.install === false ? 'installing is disabled' : !isRoot ? 'installing it needs root' : 'apt-get is not available';
    throw new InfraError(
      'REDIS_MISSING',
      `redis-server is not on PATH and ${why}. Install it (Debian: sudo apt-get install -y redis-server) ` +
        'or set REDIS_URL to an existing Redis.',
    );
  }

  opts.log?.('redis: installing redis-server with apt-get');
  const aptEnv: NodeJS.ProcessEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another process may be installing at the same moment: wait for dpkg's lock
  // instead of failing on it.
  const lockWait = ['-o', 'DPkg::Lock::Timeout=300'];
  for (const args of [
    ['-qq', ...lockWait, 'update'],
    ['-y', '-qq', '--no-install-recommends', ...lockWait, 'install', 'redis-server'],
  ]) {
    const result = await run(aptGet, args, { env: aptEnv, timeoutMs: 15 * 60_000 }).catch((err: unknown) => {
      throw new InfraError('REDIS_INSTALL_FAILED', `apt-get ${args.join(' ')} did not complete: ${String(err)}`, { cause: err });
    });
    if (result.code !== 0) {
      throw new InfraError(
        'REDIS_INSTALL_FAILED',
        `apt-get ${args.join(' ')} failed (exit ${result.code ?? result.signal}):\n${result.output.trim().split('\n').slice(-20).join('\n')}`,
      );
    }
  }
  const installed = findRedisServer(env);
  if (!installed) throw new InfraError('REDIS_INSTALL_FAILED', 'apt-get installed redis-server, but no redis-server binary was found');
  return installed;
}

function findRedisServer(env: NodeJS.ProcessEnv): string | undefined {
  // /usr/bin is where Debian puts it, even when a minimal PATH leaves it out.
  return which('redis-server', env) ?? which('/usr/bin/redis-server', env);
}

const BIND_FAILURE = /Address already in use|Could not create server TCP listening socket/;

/**
 * Starts `redis-server` on a free 127.0.0.1 port, without persistence, installing it
 * first when needed (see {@link ensureRedisServer}); resolves once it answers PING.
 * @throws InfraError `REDIS_MISSING`, `REDIS_INSTALL_FAILED`, or `REDIS_START_FAILED`
 *   (its message has the log path and the log's tail; the temp dir is kept).
 */
export async function startRedis(opts: RedisOptions = {}): Promise<RedisHandle> {
  const env = opts.env ?? process.env;
  const started = Date.now();
  const server = await ensureRedisServer(opts);
  const version = await redisVersion(server, env);
  const startTimeoutMs = opts.startTimeoutMs ?? 30_000;

  for (let attempt = 1; ; attempt++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yardmaster-redis-'));
    const logFile = path.join(dir, 'redis.log');
    const port = await freePort();
    const proc = await spawnManaged({
      name: 'redis',
      command: server,
      // No RDB snapshots and no AOF: this Redis holds short-lived state for one run.
      args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...(opts.extraArgs ?? [])],
      dir,
      logFile,
      env,
    });
    try {
      await waitUntil(() => redisPing('127.0.0.1', port, 500), {
        timeoutMs: startTimeoutMs,
        intervalMs: 25,
        abort: () => {
          const exit = proc.exitInfo();
          if (exit) throw new Error(`redis-server exited during start-up (${exit.error?.message ?? `code ${exit.code}, signal ${exit.signal}`})`);
        },
        timeoutMessage: `redis-server did not answer PING within ${startTimeoutMs} ms`,
      });
    } catch (err: unknown) {
      const bindFailed = BIND_FAILURE.test(tailFile(logFile, 50));
      await proc.stop({ timeoutMs: 5_000, keepDir: !bindFailed });
      if (bindFailed && attempt < 3) {
        opts.log?.(`redis: port ${port} was taken meanwhile, retrying with a new port`);
        continue;
      }
      throw new InfraError(
        'REDIS_START_FAILED',
        `local Redis did not start: ${err instanceof Error ? err.message : String(err)}\n` +
          `log: ${logFile}\n--- last lines ---\n${tailFile(logFile, 40) || '(empty)'}`,
        { cause: err },
      );
    }

    const url = `redis://127.0.0.1:${port}`;
    opts.log?.(`redis: Redis ${version} ready at ${url} in ${((Date.now() - started) / 1000).toFixed(2)} s (log ${logFile})`);
    const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
    return {
      url,
      port,
      version,
      pid: proc.pid,
      dir,
      logFile,
      exited: proc.exited.then(() => undefined),
      stop: () => proc.stop({ timeoutMs: stopTimeoutMs }),
    };
  }
}

async function redisVersion(server: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { output } = await run(server, ['--version'], { env, timeoutMs: 10_000 });
    return /v=(\S+)/.exec(output)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
