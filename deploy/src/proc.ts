import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** How a child process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  error?: Error;
}

/** A long-running child (broker, Redis) that owns a temp dir and is cleaned up however the parent ends. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly dir: string;
  readonly logFile: string;
  /** Resolves when the child has exited. */
  readonly exited: Promise<ExitInfo>;
  /** The exit status once the child has exited, else undefined. */
  exitInfo(): ExitInfo | undefined;
  /**
   * SIGTERM, wait up to `timeoutMs` (then SIGKILL), and remove the temp dir unless
   * `keepDir`. Idempotent: later calls return the first call's promise.
   */
  stop(opts?: { timeoutMs?: number; keepDir?: boolean }): Promise<void>;
}

interface Tracked {
  pid: number;
  dir: string;
  watchdog: ChildProcess | undefined;
}

const tracked = new Set<Tracked>();
const CLEANUP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function killQuietly(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone: nothing to clean up.
  }
}

/** Synchronous, because 'exit' handlers cannot await. */
function killAllSync(): void {
  for (const t of tracked) {
    killQuietly(t.pid, 'SIGKILL');
    try {
      fs.rmSync(t.dir, { recursive: true, force: true });
    } catch {
      // The watchdog removes it again once the child is really gone.
    }
  }
  tracked.clear();
}

function onExit(): void {
  killAllSync();
}

function onSignal(signal: NodeJS.Signals): void {
  // If the application handles this signal itself (main.ts does, to stop cleanly),
  // it is in charge; we only act when we would otherwise have swallowed the signal's
  // default "terminate" behaviour by listening at all.
  if (process.listenerCount(signal) > 1) return;
  killAllSync();
  uninstallHandlers();
  process.kill(process.pid, signal);
}

let handlersInstalled = false;

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', onExit);
  for (const s of CLEANUP_SIGNALS) process.on(s, onSignal);
}

function uninstallHandlers(): void {
  if (!handlersInstalled) return;
  handlersInstalled = false;
  process.removeListener('exit', onExit);
  for (const s of CLEANUP_SIGNALS) process.removeListener(s, onSignal);
}

/**
 * A detached `sh` that holds the read end of a pipe from this process. When this
 * process dies for any reason, SIGKILL included (where no 'exit' handler runs), the
 * pipe closes, `read` returns, and the watchdog kills the child and removes its temp
 * dir. Detached so that a kill of our process group does not take the watchdog too.
 */
function startWatchdog(pid: number, dir: string): ChildProcess | undefined {
  // After the kill, wait (at most 5 s) until the child is gone or a zombie: an init
  // that reaps lazily must not keep the temp dir alive, nor a dying JVM refill it.
  const script =
    'read -r _ || true; kill -KILL "$1" 2>/dev/null; i=0; ' +
    'while kill -0 "$1" 2>/dev/null && ! grep -qs "^State:[[:space:]]*Z" "/proc/$1/status" && [ "$i" -lt 50 ]; ' +
    'do sleep 0.1; i=$((i+1)); done; rm -rf -- "$2"';
  try {
    const w = spawn('/bin/sh', ['-c', script, 'yardmaster-watchdog', String(pid), dir], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    w.on('error', () => undefined);
    w.stdin?.on('error', () => undefined);
    // Neither the watchdog nor its pipe may keep the event loop alive.
    w.unref();
    const stdinHandle: unknown = w.stdin;
    if (stdinHandle !== null && typeof stdinHandle === 'object' && 'unref' in stdinHandle && typeof stdinHandle.unref === 'function') {
      (stdinHandle as { unref(): void }).unref();
    }
    return w;
  } catch {
    return undefined; // No /bin/sh: the 'exit' and signal handlers still apply.
  }
}

/**
 * Starts `command` with stdout and stderr appended to `logFile`, registers it for
 * cleanup on process exit, SIGINT/SIGTERM/SIGHUP (when nobody else handles them) and
 * parent death (watchdog), and returns once the process exists.
 *
 * The child is unref'd: a test that forgets `stop()` still exits, and cleanup kills
 * the child. Callers that must stay alive (the `up` CLI) keep their own handle open.
 * @throws Error when the process cannot be spawned (e.g. the command is missing).
 */
export async function spawnManaged(opts: {
  name: string;
  command: string;
  args: readonly string[];
  dir: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}): Promise<ManagedProcess> {
  const logFd = fs.openSync(opts.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(opts.command, [...opts.args], {
      cwd: opts.cwd ?? opts.dir,
      env: opts.env ?? process.env,
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    fs.closeSync(logFd); // The child has its own copy of the descriptor.
  }

  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo ??= { code, signal };
      resolve(exitInfo);
    });
    child.once('error', (error) => {
      exitInfo ??= { code: null, signal: null, error };
      resolve(exitInfo);
    });
  });

  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (err) => reject(new Error(`cannot start ${opts.command}: ${err.message}`, { cause: err })));
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot start ${opts.command}: no pid`);
  child.unref();

  const entry: Tracked = { pid, dir: opts.dir, watchdog: startWatchdog(pid, opts.dir) };
  tracked.add(entry);
  installHandlers();

  let stopping: Promise<void> | undefined;
  const untrack = (): void => {
    killQuietly(entry.watchdog?.pid, 'SIGKILL');
    entry.watchdog?.stdin?.destroy();
    tracked.delete(entry);
    if (tracked.size === 0) uninstallHandlers();
  };
  // A child that dies on its own needs no cleanup on exit; its dir (with the log that
  // says why it died) stays until stop() or forever, which beats deleting the evidence.
  void exited.then(() => {
    if (!stopping) untrack();
  });

  const stop = (stopOpts: { timeoutMs?: number; keepDir?: boolean } = {}): Promise<void> => {
    stopping ??= (async () => {
      // Keep the loop alive until the child is really gone, or the process could exit
      // mid-shutdown and the 'exit' handler would SIGKILL what we asked to stop cleanly.
      child.ref();
      try {
        // Watchdog first, so it cannot SIGKILL the child or delete a kept dir.
        killQuietly(entry.watchdog?.pid, 'SIGKILL');
        if (exitInfo === undefined) {
          killQuietly(pid, 'SIGTERM');
          const timeoutMs = stopOpts.timeoutMs ?? 30_000;
          let timer: NodeJS.Timeout | undefined;
          const timedOut = await Promise.race([
            exited.then(() => false),
            new Promise<boolean>((resolve) => {
              timer = setTimeout(() => resolve(true), timeoutMs);
            }),
          ]);
          clearTimeout(timer);
          if (timedOut) {
            killQuietly(pid, 'SIGKILL');
            await exited;
          }
        }
      } finally {
        untrack();
        child.unref();
      }
      if (!stopOpts.keepDir) await fs.promises.rm(opts.dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  return {
    name: opts.name,
    pid,
    dir: opts.dir,
    logFile: opts.logFile,
    exited,
    exitInfo: () => exitInfo,
    stop,
  };
}

/** The last `lines` lines of a text file (reads at most its last 64 KiB); '' when unreadable. */
export function tailFile(file: string, lines = 40): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const length = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(length);
      fs.readSync(fd, buf, 0, length, size - length);
      return buf.toString('utf8').split('\n').slice(-lines - 1).join('\n').trimEnd();
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** The absolute path of `command` on `$PATH`, or undefined. */
export function which(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (command.includes('/')) return isExecutable(command) ? command : undefined;
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Result of {@link run}. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved; only the last 64 KiB are kept. */
  output: string;
}

/**
 * Runs a short-lived command to completion, capturing its output.
 * Never throws for a non-zero exit (check `code`); throws when it cannot be spawned
 * or runs longer than `timeoutMs` (then it is killed).
 */
export async function run(
  command: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const child = spawn(command, [...args], { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const limit = 64 * 1024;
  let output = '';
  const append = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.length > 2 * limit) output = output.slice(-limit);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<RunResult>((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`cannot run ${command}: ${err.message}`, { cause: err })));
      child.once('close', (code, signal) => resolve({ code, signal, output: output.slice(-limit) }));
      if (opts.timeoutMs !== undefined) {
        const ms = opts.timeoutMs;
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`${command} ${args.join(' ')} did not finish within ${ms} ms\n${output.slice(-4096)}`));
        }, ms);
      }
    });
  } finally {
    clearTimeout(timer);
  }
}
