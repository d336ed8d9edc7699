import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of a V8 `.cpuprofile` (Chrome DevTools format) the summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number } }[];
  startTime: number;
  endTime: number;
  /** The node id on top of the stack at each sample. */
  samples: number[];
  /** Microseconds since the previous sample (the first: since `startTime`). */
  timeDeltas: number[];
}

/** Self time of one function (all nodes with the same name, script and line). */
export interface FunctionTime {
  functionName: string;
  url: string;
  /** 1-based, as editors show it; 0 when unknown. */
  line: number;
  selfMs: number;
  /** Share of the busy (not idle) time, in percent. */
  percent: number;
}

export interface ProfileSummary {
  /** Sampled time, ms. */
  totalMs: number;
  /** Time in V8's `(idle)` node (the event loop waiting), ms. */
  idleMs: number;
  /** Everything else, ms. */
  busyMs: number;
  /** Functions by self time, largest first (`(idle)` excluded). */
  top: FunctionTime[];
}

/**
 * A time span in the profiles' clock: microseconds of the monotonic clock, which V8's
 * profiler and `process.hrtime` share on one machine, so a span measured by the bench
 * selects the same moments in every service's profile.
 */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/** Now, in the clock of {@link ProfileWindow}. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Self time per function: each sample lasts until the next one (the last until
 * `endTime`) and is charged to the node on top of the stack; nodes are then grouped by
 * function name, script URL and line. With a `window`, only the part of each sample
 * inside it counts (start-up, warm-up and shutdown left out).
 */
export function summarizeProfile(profile: CpuProfile, topN = 10, window?: ProfileWindow): ProfileSummary {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  const stamps = profile.timeDeltas.map((d) => (t += d));
  const from = window?.fromUs ?? Number.NEGATIVE_INFINITY;
  const to = window?.toUs ?? Number.POSITIVE_INFINITY;
  profile.samples.forEach((id, i) => {
    const until = i + 1 < stamps.length ? stamps[i + 1]! : Math.max(profile.endTime, stamps[i]!);
    // The part of this sample's interval inside the window.
    const us = Math.min(until, to) - Math.max(stamps[i]!, from);
    if (us > 0) selfUs.set(id, (selfUs.get(id) ?? 0) + us);
  });
  const byFunction = new Map<string, { functionName: string; url: string; line: number; us: number }>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byNode.get(id);
    if (!frame) continue;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const functionName = frame.functionName || '(anonymous)';
    const line = frame.url ? frame.lineNumber + 1 : 0;
    const key = `${functionName}\u0000${frame.url}\u0000${line}`;
    const entry = byFunction.get(key);
    if (entry) entry.us += us;
    else byFunction.set(key, { functionName, url: frame.url, line, us });
  }
  const busyUs = totalUs - idleUs;
  const top = [...byFunction.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, topN)
    .map((f) => ({ functionName: f.functionName, url: f.url, line: f.line, selfMs: round(f.us / 1000), percent: busyUs > 0 ? round((f.us / busyUs) * 100) : 0 }));
  return { totalMs: round(totalUs / 1000), idleMs: round(idleUs / 1000), busyMs: round(busyUs / 1000), top };
}

/** Reads and summarises every `.cpuprofile` in `dir` (one per process that exited there). */
export function summarizeProfileDir(dir: string, topN = 10, window?: ProfileWindow): { file: string; summary: ProfileSummary }[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return [];
  }
  return files.sort().map((f) => {
    const file = path.join(dir, f);
    return { file, summary: summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, topN, window) };
  });
}

/** A short location for a script URL: relative to `root` when under it, from `node_modules/` for packages, `node:` built-ins as they are. */
export function shortLocation(url: string, line: number, root: string): string {
  if (!url) return '';
  let where = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const nm = where.lastIndexOf('/node_modules/');
  if (nm >= 0) where = where.slice(nm + 1);
  else if (where.startsWith(`${root}/`)) where = where.slice(root.length + 1);
  return line > 0 ? `${where}:${line}` : where;
}
