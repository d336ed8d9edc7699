import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '@yardmaster/deploy';
import { serviceScript } from '@yardmaster/deploy';
import { waitFor } from './infra.js';

/** What provider-sim's /admin/stats returns. */
export interface SimStatsSnapshot {
  windowMs: number;
  windows: { startMs: number; models: Record<string, SimCounts>; keys: Record<string, number> }[];
  totals: Record<string, SimCounts>;
  keys: Record<string, number>;
}

export interface SimCounts {
  requests: number;
  tokens: number;
  inputTokens: number;
  outputTokens: number;
  statuses: Record<string, number>;
}

/** A provider-sim process of a test's own, with its admin endpoint at hand. */
export interface SimHandle {
  readonly url: string;
  readonly child: ChildProcess;
  /** Sets one model's fault profile (`*` for every model). */
  faults(model: string, profile: Record<string, unknown>): Promise<void>;
  clearFaults(): Promise<void>;
  stats(): Promise<SimStatsSnapshot>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

async function admin(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
  if (!res.ok) throw new Error(`provider-sim ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/** Starts provider-sim (built) on a free port with `env`, and waits until it answers. */
export async function startProviderSim(env: Record<string, string> = {}): Promise<SimHandle> {
  const port = await freePort();
  const child = spawn(process.execPath, [serviceScript('provider-sim')], {
    env: { ...process.env, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('provider-sim to be ready', async () => {
    if (child.exitCode !== null) throw new Error(`provider-sim exited with ${child.exitCode}`);
    return fetch(`${url}/readyz`).then((r) => r.ok, () => false);
  }, 30000, 100);
  return {
    url,
    child,
    faults: async (model, profile) => void (await admin(url, 'PUT', `/admin/faults/${encodeURIComponent(model)}`, profile)),
    clearFaults: async () => void (await admin(url, 'DELETE', '/admin/faults')),
    stats: async () => (await admin(url, 'GET', '/admin/stats')) as SimStatsSnapshot,
    resetStats: async () => void (await admin(url, 'DELETE', '/admin/stats')),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
