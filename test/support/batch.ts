import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { Store } from '@yardmaster/store';
import OpenAI, { toFile } from 'openai';
import { testInfra, uniquePrefix, waitFor } from './infra.js';

/** A batch as ingress answers it: OpenAI's object and Yardmaster's extension. */
export type Batch = OpenAI.Batches.Batch & {
  yardmaster: {
    lines_dispatched: number;
    lines_live: number;
    cost_usd: number;
    most_expensive_model_cost_usd: number;
    by_model: Record<string, { requests: number; cost_usd: number; most_expensive_model_cost_usd: number }>;
    halted: { code: string; message: string } | null;
  };
};

/** One line of a batch's output or error file. */
export interface BatchLine {
  id: string;
  custom_id: string;
  response: { status_code: number; request_id: string; body: Record<string, unknown> } | null;
  error: { code: string; message: string } | null;
}

export const PROMPTS = ['Summarise the plot of Hamlet in two sentences.', 'Translate "good morning" into French.', 'Write a haiku about freight trains.', 'What is the capital of Australia?', 'Explain what a hash map is.'];

/** A batch file of `n` chat completions lines, custom ids `<tag>-<i>`. */
export function batchFile(tag: string, n: number): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ custom_id: `${tag}-${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'auto', messages: [{ role: 'user', content: `${PROMPTS[i % PROMPTS.length]} (${i})` }], max_tokens: 64 } })).join('\n') + '\n';
}

/** An OpenAI API error's status, code, param and message (fails the test for anything else). */
export function apiError(err: unknown): { status: number; code: unknown; param: unknown; message: string; headers: Headers | undefined } {
  assert.ok(err instanceof OpenAI.APIError, `expected an OpenAI APIError, got ${String(err)}`);
  return { status: err.status as number, code: err.code, param: err.param, message: err.message, headers: err.headers as Headers | undefined };
}

/** What `p` rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

/** The p-th percentile (nearest rank). */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** The official OpenAI client against a system's HTTP door. */
export function openAiClient(system: RunningSystem, apiKey: string): OpenAI {
  return new OpenAI({ apiKey, baseURL: `${system.httpUrl}/v1`, maxRetries: 2, timeout: 60_000 });
}

/** Uploads `text` as a batch file and creates a batch of it. */
export async function submitBatch(c: OpenAI, text: string, window = '24h'): Promise<{ file: OpenAI.FileObject; batch: Batch }> {
  const file = await c.files.create({ file: await toFile(Buffer.from(text), 'input.jsonl'), purpose: 'batch' });
  const batch = (await c.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: window as '24h', metadata: { job: 'test' } })) as Batch;
  return { file, batch };
}

/** Polls a batch until it reaches a final status. */
export async function settledBatch(c: OpenAI, id: string, timeoutMs = 240_000): Promise<Batch> {
  return waitFor(`batch ${id} to end`, async () => {
    const b = (await c.batches.retrieve(id)) as Batch;
    return ['completed', 'failed', 'expired', 'cancelled'].includes(b.status) ? b : undefined;
  }, timeoutMs, 250);
}

/** The lines of a batch's output or error file (none when there is no file). */
export async function batchLines(c: OpenAI, fileId: string | null | undefined): Promise<BatchLine[]> {
  if (!fileId) return [];
  const text = await (await c.files.content(fileId)).text();
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as BatchLine);
}

/**
 * The whole pipeline for batch tests, in its own topics and Redis keys: ingress with a file
 * store in a temporary directory, the lane's widths, short completion windows for tests, and
 * `ingress` variables on top; a store connection on the same keys (to create API keys).
 */
export async function launchBatchSystem(name: string, options: { lane?: number; busyLane?: number; simLatencyMs?: number; ingress?: Record<string, string> } = {}): Promise<{ system: RunningSystem; store: Store }> {
  const infra = await testInfra();
  const prefix = uniquePrefix(name);
  const system = await launchSystem({
    brokers: infra.brokers,
    redisUrl: infra.redisUrl,
    topicPrefix: prefix,
    partitions: 2,
    simLatencyMs: options.simLatencyMs ?? 20,
    logs: { kind: 'file', dir: mkdtempSync(path.join(tmpdir(), `ym-${name}-logs-`)) },
    serviceEnv: {
      ingress: {
        FILE_STORE_DIR: mkdtempSync(path.join(tmpdir(), `ym-${name}-files-`)),
        BATCH_LINES_IN_FLIGHT: String(options.lane ?? 64),
        BATCH_LINES_IN_FLIGHT_BUSY: String(options.busyLane ?? 8),
        BATCH_COMPLETION_WINDOWS: '24h,1s',
        BATCH_LEASE_MS: '1500',
        ...(options.ingress ?? {}),
      },
    },
  });
  const store = await Store.connect({ url: infra.redisUrl, keyPrefix: `ym:${prefix}:` });
  return { system, store };
}
