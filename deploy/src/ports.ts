import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Returns `count` distinct TCP ports that were free on `host` a moment ago.
 *
 * All listeners are held open until every port is known, so the ports differ from
 * each other; another process can still take one before the caller binds it, which
 * is why the starters retry on "address already in use".
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: 0, host, exclusive: true }, () => resolve());
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('listen(0) returned no TCP address');
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
