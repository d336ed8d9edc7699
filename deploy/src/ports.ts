import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Lowest port {@link freePorts} picks outside the ephemeral range (below it sit well-known and registered services). */
const OUTSIDE_RANGE_FLOOR = 10_000;
/** Fewer usable ports than this outside the ephemeral range: fall back to the kernel's choice. */
const OUTSIDE_RANGE_MIN = 1_000;

/**
 * The local ports the kernel gives outgoing connections (Linux's
 * `net.ipv4.ip_local_port_range`), or null where that is unknown.
 */
export function ephemeralPortRange(file = '/proc/sys/net/ipv4/ip_local_port_range'): { low: number; high: number } | null {
  try {
    const [low, high] = readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
    if (low !== undefined && high !== undefined && Number.isInteger(low) && Number.isInteger(high) && low >= 1 && low <= high && high <= 65535) return { low, high };
  } catch {
    // Not Linux, or /proc is not mounted.
  }
  return null;
}

/** Listens on `port` (0: the kernel's choice); resolves the server, or null when the port is taken. */
function tryListen(port: number, host: string): Promise<net.Server | null> {
  const server = net.createServer();
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => (port !== 0 && (err.code === 'EADDRINUSE' || err.code === 'EACCES') ? resolve(null) : reject(err)));
    server.listen({ port, host, exclusive: true }, () => resolve(server));
  });
}

/**
 * Returns `count` distinct TCP ports that were free on `host` a moment ago.
 *
 * They are picked at random outside the kernel's range for outgoing connections
 * ({@link ephemeralPortRange}) when it is known and leaves room: a port from inside it
 * (what `listen(0)` hands out) can become the local port of any connection some process
 * opens before the caller binds it (thirteen services opening Kafka and Redis connections
 * while the launcher's ports wait to be bound), and the bind then fails with "address
 * already in use". All listeners are held open until every port is known, so the ports
 * differ from each other; a process binding one explicitly can still take it first, which
 * is why the starters retry on "address already in use".
 */
export async function freePorts(count: number, host = '127.0.0.1', range: { low: number; high: number } | null = ephemeralPortRange()): Promise<number[]> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  const below = range ? Math.max(0, range.low - OUTSIDE_RANGE_FLOOR) : 0;
  const above = range ? 65535 - range.high : 0;
  const outside = range !== null && below + above >= OUTSIDE_RANGE_MIN;
  const pick = (): number => {
    const i = Math.floor(Math.random() * (below + above));
    return i < below ? OUTSIDE_RANGE_FLOOR + i : range!.high + 1 + (i - below);
  };
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let tries = 0; ports.length < count; tries++) {
      // Outside the range while the tries last (a few taken ports are skipped), then the kernel's choice.
      const server = await tryListen(outside && tries < count * 50 ? pick() : 0, host);
      if (!server) continue;
      servers.push(server);
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('listen returned no TCP address');
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** Returns one TCP port that was free on `host` a moment ago (see {@link freePorts}). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const [port] = await freePorts(1, host);
  if (port === undefined) throw new Error('freePorts returned nothing');
  return port;
}

/** True when a TCP connection to `host:port` succeeds within `timeoutMs`. Never throws. */
export function isPortOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean): void => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Polls `check` every `intervalMs` until it returns true. Before each attempt `abort`
 * may throw (e.g. because the child process died), which ends the wait at once.
 * @throws Error with `timeoutMessage` when `timeoutMs` passes first.
 */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  opts: { timeoutMs: number; intervalMs?: number; abort?: () => void; timeoutMessage?: string },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 100;
  for (;;) {
    opts.abort?.();
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(opts.timeoutMessage ?? `condition not met within ${opts.timeoutMs} ms`);
    await sleep(interval);
  }
}

/**
 * Waits until `host:port` accepts TCP connections.
 * @throws Error when it does not within `timeoutMs` (default 30 s).
 */
export async function waitForPort(host: string, port: number, timeoutMs = 30_000): Promise<void> {
  await waitUntil(() => isPortOpen(host, port, 500), {
    timeoutMs,
    timeoutMessage: `${host}:${port} did not accept connections within ${timeoutMs} ms`,
  });
}

/** Waits until nothing accepts TCP connections on `host:port` any more. */
export async function waitForPortClosed(host: string, port: number, timeoutMs = 30_000): Promise<void> {
  await waitUntil(async () => !(await isPortOpen(host, port, 500)), {
    timeoutMs,
    timeoutMessage: `${host}:${port} still accepts connections after ${timeoutMs} ms`,
  });
}
