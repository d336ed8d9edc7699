import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Linux /proc readers for the bench: memory, CPU time and who listens on a port. Everything returns undefined (or empty) where /proc is missing or the process is gone. */

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** VmRSS (resident now) and VmHWM (resident peak since start) of a process, in KiB. */
export function memoryKb(pid: number): { rssKb: number; hwmKb: number } | undefined {
  const status = read(`/proc/${pid}/status`);
  if (!status) return undefined;
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
  const rssKb = field('VmRSS');
  const hwmKb = field('VmHWM');
  return Number.isFinite(rssKb) ? { rssKb, hwmKb: Number.isFinite(hwmKb) ? hwmKb : rssKb } : undefined;
}

/** utime + stime of a process (all its threads), in clock ticks. */
export function cpuTicks(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) may contain spaces and parentheses: fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : undefined;
}

/** Parent pid of a process. */
export function parentPid(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** Clock ticks per second (`getconf CLK_TCK`), 100 when that cannot be asked. */
export function clockTicksPerSecond(): number {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

function pids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return [];
  }
}

/** The command line of a process, arguments joined by spaces. */
export function commandLine(pid: number): string | undefined {
  return read(`/proc/${pid}/cmdline`)?.split('\0').join(' ').trim();
}

/** One environment variable of a process (readable for our own processes, or as root). */
export function environmentOf(pid: number, name: string): string | undefined {
  const env = read(`/proc/${pid}/environ`);
  if (!env) return undefined;
  const entry = env.split('\0').find((e) => e.startsWith(`${name}=`));
  return entry?.slice(name.length + 1);
}

/** The pid of the process listening on a TCP port of this machine (IPv4 or IPv6), if we may see its sockets. */
export function listeningPid(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (read(table) ?? '').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT; st 0A is LISTEN; inode is column 10.
      if (cols.length < 10 || cols[3] !== '0A') continue;
      if (parseInt(cols[1]!.split(':').pop()!, 16) === port) inodes.add(cols[9]!);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const pid of pids()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

const SERVICE_SCRIPT = /services\/([a-z-]+)\/dist\/main\.js/;

/**
 * The service processes of a running Yardmaster found from its ingress: the process
 * listening on the gRPC port, and the other service processes started by the same
 * parent (`npm start` / launchSystem spawns them all). Ids as launchSystem names them
 * (`worker-<pool>` from each worker's WORKER_POOL).
 */
export function findSystemProcesses(grpcPort: number): Map<string, number> {
  const found = new Map<string, number>();
  const ingress = listeningPid(grpcPort);
  if (ingress === undefined || !SERVICE_SCRIPT.test(commandLine(ingress) ?? '')) return found;
  const parent = parentPid(ingress);
  const siblings = parent === undefined || parent <= 1 ? [ingress] : pids().filter((p) => parentPid(p) === parent);
  for (const pid of siblings) {
    const name = SERVICE_SCRIPT.exec(commandLine(pid) ?? '')?.[1];
    if (!name) continue;
    let id = name === 'worker' ? `worker-${environmentOf(pid, 'WORKER_POOL') ?? pid}` : name;
    if (found.has(id)) id = `${id}-${pid}`;
    found.set(id, pid);
  }
  return found;
}

/** The port of a `host:port` (first of a comma-separated list) or URL on this machine, when the host is loopback or localhost. */
export function localPort(address: string | undefined): number | undefined {
  if (!address) return undefined;
  const first = address.split(',')[0]!.trim();
  let host: string;
  let port: string;
  try {
    const url = new URL(first.includes('://') ? first : `tcp://${first}`);
    host = url.hostname;
    port = url.port;
  } catch {
    return undefined;
  }
  if (!['127.0.0.1', 'localhost', '[::1]', '::1', '0.0.0.0'].includes(host)) return undefined;
  const n = Number(port || (first.startsWith('redis') ? 6379 : NaN));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
