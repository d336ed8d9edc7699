import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { readDevKey } from '@yardmaster/deploy';
import { SingleBar } from 'cli-progress';

/** Options every batch command takes: where ingress's HTTP API is and the API key. */
export interface BatchClientOptions {
  url: string;
  apiKey?: string;
  json?: boolean;
}

/** A batch as the API answers it (the fields the CLI reads). */
export interface BatchObject {
  id: string;
  status: string;
  created_at: number;
  completed_at: number | null;
  output_file_id: string | null;
  error_file_id: string | null;
  request_counts: { total: number; completed: number; failed: number };
  yardmaster?: { lines_live: number; cost_usd: number; most_expensive_model_cost_usd: number; by_model: Record<string, { requests: number; cost_usd: number; most_expensive_model_cost_usd: number }> };
}

const FINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

/** Thrown for an HTTP error answer: OpenAI's error message, with the status. */
class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A small client of the files and batches API (fetch, the key as a bearer token). */
export class BatchApi {
  private readonly base: string;
  private readonly key: string | undefined;

  constructor(opts: BatchClientOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    this.key = opts.apiKey || process.env['YARDMASTER_API_KEY'] || readDevKey();
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = this.key ? { authorization: `Bearer ${this.key}` } : {};
    let payload: FormData | string | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${this.base}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    if (!res.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error: { message: string } }).error.message;
      } catch {
        // not an OpenAI error body: show it as it is
      }
      throw new ApiFailure(res.status, `${method} ${path}: ${res.status} ${message}`);
    }
    // File contents are application/jsonl: text, not one JSON value.
    return /^application\/json\s*(;|$)/.test(res.headers.get('content-type') ?? '') ? (JSON.parse(text) as T) : (text as T);
  }
}

function summary(b: BatchObject): string {
  const c = b.request_counts;
  const y = b.yardmaster;
  const spend = y ? ` | $${y.cost_usd.toFixed(6)} spent ($${y.most_expensive_model_cost_usd.toFixed(6)} at the most expensive model)` : '';
  return `${b.id} ${b.status}: ${c.completed} completed, ${c.failed} failed of ${c.total}${spend}${b.output_file_id ? ` | output ${b.output_file_id}` : ''}${b.error_file_id ? ` | errors ${b.error_file_id}` : ''}`;
}

function print(b: BatchObject, json: boolean | undefined): void {
  process.stdout.write(json ? `${JSON.stringify(b)}\n` : `${summary(b)}\n`);
}

async function run(fn: () => Promise<void>): Promise<number> {
  try {
    await fn();
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    if (err instanceof ApiFailure && err.status === 401) process.stderr.write('pass an API key with --api-key or YARDMASTER_API_KEY (`yardmaster keys create` makes one)\n');
    return 1;
  }
}

/** Waits for a batch to end, drawing a progress bar (counts, rate, time left) on a terminal. */
async function waitFor(api: BatchApi, id: string, json: boolean | undefined): Promise<BatchObject> {
  let b = await api.call<BatchObject>('GET', `/v1/batches/${id}`);
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: '{bar} {percentage}% | {value}/{total} lines | {failed} failed | {rate} lines/s | {eta_formatted} left | {status}', hideCursor: true, etaBuffer: 50 })
    : undefined;
  const started = Date.now();
  const first = b.request_counts.completed + b.request_counts.failed;
  bar?.start(b.request_counts.total, first, { failed: 0, rate: '0', status: b.status });
  while (!FINAL.has(b.status)) {
    await new Promise((r) => setTimeout(r, 500));
    b = await api.call<BatchObject>('GET', `/v1/batches/${id}`);
    const done = b.request_counts.completed + b.request_counts.failed;
    const rate = (done - first) / Math.max(0.001, (Date.now() - started) / 1000);
    bar?.setTotal(b.request_counts.total);
    bar?.update(done, { failed: b.request_counts.failed, rate: rate.toFixed(1), status: b.status });
  }
  bar?.stop();
  if (!bar && !json) process.stderr.write(`${summary(b)}\n`);
  return b;
}

/** `batch submit FILE [--wait]`: uploads a JSONL file, creates a batch, optionally waits for it. */
export function batchSubmitCommand(file: string, opts: BatchClientOptions & { wait?: boolean; window: string; metadata?: string[] }): Promise<number> {
  return run(async () => {
    const api = new BatchApi(opts);
    const form = new FormData();
    form.set('purpose', 'batch');
    form.set('file', new Blob([await readFile(file)], { type: 'application/jsonl' }), basename(file));
    const uploaded = await api.call<{ id: string }>('POST', '/v1/files', form);
    const metadata = Object.fromEntries((opts.metadata ?? []).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    let b = await api.call<BatchObject>('POST', '/v1/batches', { input_file_id: uploaded.id, endpoint: '/v1/chat/completions', completion_window: opts.window, ...(opts.metadata ? { metadata } : {}) });
    if (!opts.json) process.stderr.write(`uploaded ${file} as ${uploaded.id}; batch ${b.id}\n`);
    if (opts.wait) b = await waitFor(api, b.id, opts.json);
    print(b, opts.json);
    if (opts.wait && b.status !== 'completed') process.exitCode = 2;
  });
}

/** `batch status ID [--wait]`. */
export function batchStatusCommand(id: string, opts: BatchClientOptions & { wait?: boolean }): Promise<number> {
  return run(async () => {
    const api = new BatchApi(opts);
    const b = opts.wait ? await waitFor(api, id, opts.json) : await api.call<BatchObject>('GET', `/v1/batches/${id}`);
    if (opts.json) print(b, true);
    else {
      process.stdout.write(`${summary(b)}\n`);
      for (const [model, s] of Object.entries(b.yardmaster?.by_model ?? {})) {
        process.stdout.write(`  ${model}: ${s.requests} lines, $${s.cost_usd.toFixed(6)} (at the most expensive model: $${s.most_expensive_model_cost_usd.toFixed(6)})\n`);
      }
    }
  });
}

/** `batch results ID -o FILE [--errors FILE]`: the output (and error) lines of a finished batch. */
export function batchResultsCommand(id: string, opts: BatchClientOptions & { output?: string; errors?: string }): Promise<number> {
  return run(async () => {
    const api = new BatchApi(opts);
    const b = await api.call<BatchObject>('GET', `/v1/batches/${id}`);
    if (!FINAL.has(b.status)) throw new Error(`batch ${id} is ${b.status}; its results are written when it ends (wait with: yardmaster batch status ${id} --wait)`);
    const output = b.output_file_id ? await api.call<string>('GET', `/v1/files/${b.output_file_id}/content`) : '';
    if (opts.output) await writeFile(opts.output, output);
    else process.stdout.write(output);
    if (b.error_file_id) {
      const errors = await api.call<string>('GET', `/v1/files/${b.error_file_id}/content`);
      if (opts.errors) await writeFile(opts.errors, errors);
      else process.stderr.write(`${errors.split('\n').filter(Boolean).length} lines failed; write them with --errors FILE\n`);
    }
    if (opts.output) process.stderr.write(`${output.split('\n').filter(Boolean).length} output lines written to ${opts.output}\n`);
  });
}

/** `batch cancel ID`. */
export function batchCancelCommand(id: string, opts: BatchClientOptions): Promise<number> {
  return run(async () => print(await new BatchApi(opts).call<BatchObject>('POST', `/v1/batches/${id}/cancel`), opts.json));
}

/** `batch list [--limit N] [--after ID]`. */
export function batchListCommand(opts: BatchClientOptions & { limit: string; after?: string }): Promise<number> {
  return run(async () => {
    const q = new URLSearchParams({ limit: opts.limit, ...(opts.after ? { after: opts.after } : {}) });
    const page = await new BatchApi(opts).call<{ data: BatchObject[]; has_more: boolean }>('GET', `/v1/batches?${q.toString()}`);
    for (const b of page.data) print(b, opts.json);
    if (page.has_more && !opts.json) process.stderr.write(`more: --after ${page.data.at(-1)!.id}\n`);
  });
}
