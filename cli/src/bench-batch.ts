import { setTimeout as sleep } from 'node:timers/promises';
import type { RouterClient } from '@yardmaster/contracts';
import { BatchApi, type BatchObject } from './batch.js';
import { PROMPTS, drive, round, type ScenarioResult } from './bench-drive.js';

/** The targets for batch work beside interactive traffic. */
export const BATCH_TARGETS = Object.freeze({
  /** Interactive p99 while a batch runs, over its value on the idle system. */
  p99RatioMax: 2,
  /** Batch lines per second over the interactive throughput scenario's requests per second. */
  throughputRatioMin: 1,
});

/** What `--batch N` measured. */
export interface BatchScenarioResult {
  lines: number;
  batch_id: string;
  /** The batch's final status (`completed` unless something went wrong). */
  status: string;
  /** From `POST /v1/batches` to the status `completed` (polled every 200 ms). */
  seconds: number;
  lines_per_second: number;
  request_counts: BatchObject['request_counts'];
  /** Lines of the output file (successes) and of the error file. */
  output_lines: number;
  error_lines: number;
  /** Over both files: input custom_ids with no line, with more than one, and lines with a custom_id not in the input. */
  custom_ids: { missing: number; duplicated: number; unknown: number };
  /** One caller over gRPC Infer on the idle system, just before the batch. */
  interactive_idle: ScenarioResult;
  /** The same caller while the batch runs (until it completes). */
  interactive_during: ScenarioResult;
  /** `interactive_during` p99 over `interactive_idle` p99 (target ≤ 2). */
  p99_ratio: number;
  /** The throughput scenario's requests/s in the same run (when it ran), and lines/s over it (target ≥ 1). */
  interactive_throughput_rps?: number;
  throughput_ratio?: number;
  cost_usd: number;
}

/** An N-line batch input file of chat completions (model `auto`, the bench's prompts, custom ids `<runId>-<i>`). */
export function benchBatchFile(runId: string, lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const body = { model: 'auto', messages: [{ role: 'user', content: `${PROMPTS[i % PROMPTS.length]} [batch-${runId}-${i}]` }] };
    out.push(JSON.stringify({ custom_id: `${runId}-${i}`, method: 'POST', url: '/v1/chat/completions', body }));
  }
  return `${out.join('\n')}\n`;
}

/** Counts each input custom_id's lines in the output and error files. */
function tallyCustomIds(runId: string, lines: number, files: readonly string[]): BatchScenarioResult['custom_ids'] {
  const seen = new Uint32Array(lines);
  let unknown = 0;
  for (const text of files) {
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const id = (JSON.parse(line) as { custom_id?: string }).custom_id ?? '';
      const i = id.startsWith(`${runId}-`) ? Number(id.slice(runId.length + 1)) : NaN;
      if (Number.isInteger(i) && i >= 0 && i < lines) seen[i]!++;
      else unknown++;
    }
  }
  let missing = 0;
  let duplicated = 0;
  for (const n of seen) {
    if (n === 0) missing++;
    else if (n > 1) duplicated++;
  }
  return { missing, duplicated, unknown };
}

/**
 * The batch scenario: the one-caller gRPC scenario on the idle system, then an N-line batch
 * uploaded and created over HTTP (`POST /v1/files`, `POST /v1/batches`) with the same caller
 * making the same number of calls beside it once its lines come back; then the output and error files are read back
 * and every custom_id counted.
 */
export async function driveBatch(opts: {
  client: RouterClient;
  httpUrl: string;
  apiKey: string | undefined;
  lines: number;
  /** One-caller requests on the idle system (the baseline). */
  idleRequests: number;
  runId: string;
  idPrefix: string;
  /** Request ids of the gRPC calls made (for the lost / duplicated count). */
  sent: string[];
  /** The throughput scenario's requests/s in this run, to compare with. */
  interactiveThroughputRps?: number;
  log: (line: string) => void;
}): Promise<BatchScenarioResult> {
  const api = new BatchApi({ url: opts.httpUrl, ...(opts.apiKey ? { apiKey: opts.apiKey } : {}) });
  const text = benchBatchFile(opts.runId, opts.lines);

  opts.log(`batch: one caller on the idle system first (${opts.idleRequests} requests)`);
  const idle = await drive(opts.client, { count: opts.idleRequests, concurrency: 1, idFor: (i) => `${opts.idPrefix}bi-${i}`, sent: opts.sent });

  const form = new FormData();
  form.set('purpose', 'batch');
  form.set('file', new Blob([text], { type: 'application/jsonl' }), `bench-${opts.runId}.jsonl`);
  const file = await api.call<{ id: string }>('POST', '/v1/files', form);
  opts.log(`batch: ${opts.lines} lines uploaded as ${file.id} (${Buffer.byteLength(text)} bytes); creating the batch; one caller beside it once lines come back (${opts.idleRequests} requests)`);
  const started = performance.now();
  let batch = await api.call<BatchObject>('POST', '/v1/batches', { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { bench: opts.runId } });
  let ended = false;
  let seconds = 0;
  const poll = async () => {
    try {
      while (!['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) {
        await sleep(200);
        batch = await api.call<BatchObject>('GET', `/v1/batches/${batch.id}`);
      }
      seconds = (performance.now() - started) / 1000;
    } finally {
      ended = true;
    }
  };
  // The caller joins once lines are coming back (the batch at full speed), makes as many
  // calls as on the idle system (fewer when the batch ends first), and leaves: the batch's
  // rate is measured over the whole batch, the interactive latency while both run.
  const beside = async () => {
    while (!ended && (batch.request_counts?.completed ?? 0) === 0) await sleep(100);
    return drive(opts.client, { count: opts.idleRequests, concurrency: 1, idFor: (i) => `${opts.idPrefix}bd-${i}`, sent: opts.sent, until: () => ended });
  };
  const [during] = await Promise.all([beside(), poll()]);

  const read = async (id: string | null) => (id ? api.call<string>('GET', `/v1/files/${id}/content`) : '');
  const [output, errors] = await Promise.all([read(batch.output_file_id), read(batch.error_file_id)]);
  const count = (t: string) => t.split('\n').filter((l) => l !== '').length;
  const linesPerSecond = round(opts.lines / seconds, 1);
  return {
    lines: opts.lines,
    batch_id: batch.id,
    status: batch.status,
    seconds: round(seconds),
    lines_per_second: linesPerSecond,
    request_counts: batch.request_counts,
    output_lines: count(output),
    error_lines: count(errors),
    custom_ids: tallyCustomIds(opts.runId, opts.lines, [output, errors]),
    interactive_idle: idle,
    interactive_during: during,
    p99_ratio: idle.e2e_ms.p99 > 0 ? round(during.e2e_ms.p99 / idle.e2e_ms.p99) : 0,
    ...(opts.interactiveThroughputRps ? { interactive_throughput_rps: opts.interactiveThroughputRps, throughput_ratio: round(linesPerSecond / opts.interactiveThroughputRps) } : {}),
    cost_usd: batch.yardmaster?.cost_usd ?? 0,
  };
}

/** Whether the batch did what it must: completed with one output line per input line, every custom_id once. */
export function batchScenarioOk(b: BatchScenarioResult): boolean {
  return b.status === 'completed' && b.output_lines === b.lines && b.error_lines === 0 && b.custom_ids.missing === 0 && b.custom_ids.duplicated === 0 && b.custom_ids.unknown === 0;
}

/** The batch scenario's lines of the bench report. */
export function printBatchScenario(b: BatchScenarioResult, out: (line: string) => void): void {
  const p = (s: ScenarioResult) => `p50 ${s.e2e_ms.p50} ms  p95 ${s.e2e_ms.p95} ms  p99 ${s.e2e_ms.p99} ms (${s.requests} requests, failed ${s.failed})`;
  out(`batch scenario: ${b.lines} lines (${b.batch_id}), ${b.status} in ${b.seconds} s`);
  const vs = b.throughput_ratio !== undefined ? ` (interactive throughput ${b.interactive_throughput_rps} requests/s: ${b.throughput_ratio}×, target ≥ ${BATCH_TARGETS.throughputRatioMin}×)` : '';
  out(`  throughput    ${b.lines_per_second} lines/s from create to completed${vs}`);
  const c = b.custom_ids;
  out(`  output        ${b.output_lines} output lines, ${b.error_lines} error lines; custom_ids missing ${c.missing}, duplicated ${c.duplicated}, unknown ${c.unknown}`);
  out(`  one caller    idle: ${p(b.interactive_idle)}`);
  out(`                during the batch: ${p(b.interactive_during)}`);
  out(`  p99 ratio     ${b.p99_ratio}× (target ≤ ${BATCH_TARGETS.p99RatioMax}×)`);
}
