import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Bus, type RunningConsumer } from '@yardmaster/bus';
import { ResponseStatus, Topics, timestampFromMs, type InferenceResponse } from '@yardmaster/contracts';
import { FINAL_BATCH_STATUSES, RedisBatches, type BatchRecord, type BatchSpec } from '@yardmaster/store';
import { AcceptService } from '../accept/accept.service.js';
import { IngressConfig } from '../config.js';
import { DoorService } from '../door/door.service.js';
import { jsonlLines } from '../files/batch-file.js';
import { FileStore, type FileWriter } from '../files/file-store.js';
import type { CatalogModels } from '../openai/catalog.js';
import { translateChatRequest } from '../openai/chat-request.js';
import { answeringModel, chatCompletion, pipelineError } from '../openai/chat-response.js';
import { CATALOG_MODELS } from '../openai/chat.controller.js';
import { OpenAiError } from '../openai/errors.js';
import { httpRefusal } from '../openai/http-door.js';
import { BatchConfig } from './config.js';
import { MostExpensivePrice } from './pricing.js';

const nowS = () => Math.floor(Date.now() / 1000);

/** Result lines read from Redis and written out at a time when a batch is finalised. */
const FINALIZE_CHUNK = 1000;

/** The request id of a batch line: deterministic, so a line published twice is one request. */
export function lineRequestId(batchId: string, index: number): string {
  return `${batchId}-${index}`;
}

/** A fresh id with OpenAI's prefixes (`batch_`, `file-`). */
export function newId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

/** Output and error file ids of a batch: deterministic, so finalising again after a crash rewrites the same files. */
export const outputFileId = (batchId: string) => `file-${batchId}-output`;
export const errorFileId = (batchId: string) => `file-${batchId}-errors`;

/**
 * Runs batches on the bus. Every replica runs a feeder: for each open batch it holds the lease
 * of, it keeps at most BATCH_LINES_IN_FLIGHT lines in the pipeline (the batch lane: interactive
 * requests never queue behind more than that many batch lines per batch), moving a durable
 * cursor in Redis only after the lines are on Kafka. A consumer of llm.responses.v1 (one group
 * shared by every replica) records each line's result once per custom_id. When every line is
 * answered (or the window passes, or a cancelled batch's in-flight lines are done) the lease
 * holder writes the output and error files from Redis, in input order. Nothing depends on one
 * process's memory: a killed replica's batches continue on another (or on its restart) when
 * its lease lapses.
 *
 * Budgets: the batch id is admitted at the door when the batch is created, and each line's
 * usage is charged through that owner record. Before each step that would send lines, the
 * feeder checks (one round trip) the daily and monthly budgets of the key and tenant that
 * created it; once one is spent it halts the batch: lines in flight finish, lines never sent
 * are answered with the door's `budget_exceeded` refusal (429), and the batch completes.
 */
@Injectable()
export class BatchService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BatchService.name);
  private consumer: RunningConsumer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  /** Set by {@link nudge} while a tick runs: the next one starts as soon as it ends. */
  private nudged = false;
  /** Whether the last tick saw any open batch (then the feeder ticks every BATCH_TICK_MS). */
  private feeding = false;
  private stopped = false;
  private readonly inputs = new Map<string, string[]>();
  private readonly specs = new Map<string, BatchSpec>();
  private readonly prices: MostExpensivePrice;
  /** When this replica's share of llm.responses.v1 last carried an interactive (non-batch) response. */
  private lastInteractiveMs = 0;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(RedisBatches) private readonly batches: RedisBatches,
    @Inject(FileStore) private readonly files: FileStore,
    @Inject(AcceptService) private readonly accept: AcceptService,
    @Inject(IngressConfig) private readonly ingress: IngressConfig,
    @Inject(BatchConfig) private readonly config: BatchConfig,
    @Inject(CATALOG_MODELS) private readonly catalog: CatalogModels,
    @Inject(DoorService) private readonly door: DoorService,
  ) {
    this.prices = new MostExpensivePrice(ingress.catalogPath);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.bus.consume({
      groupId: 'yardmaster-ingress-batches',
      topics: [Topics.responses],
      concurrency: 64,
      traced: false,
      fromBeginning: true,
      // A batch line's key (its request id) starts with its batch id: every other response is
      // interactive traffic, noted for the lane and skipped without decoding.
      acceptKey: (key) => {
        if (key.startsWith('batch_')) return true;
        this.lastInteractiveMs = Date.now();
        return false;
      },
      // Fewer, larger fetches than the pipeline's stages take: a line's answer is collected
      // at most 100 ms late (its slot in the lane is freed that much later), in return the
      // collector is not woken for every interactive response.
      fetch: { minBytes: 16 * 1024, maxWaitMs: 100 },
      handler: (response) => this.collect(response),
    });
    this.schedule(0);
    this.logger.log(
      `batch feeder on (lane: ${this.config.linesInFlight} lines in flight, ${this.config.busy.linesInFlight} while interactive traffic flows; windows ${this.config.completionWindows.join(', ')})`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.consumer?.stop();
  }

  private async spec(batchId: string): Promise<BatchSpec | undefined> {
    let s = this.specs.get(batchId);
    if (!s) {
      const b = await this.batches.get(batchId);
      if (!b) return undefined;
      s = b;
      this.specs.set(batchId, { id: b.id, tenantId: b.tenantId, inputFileId: b.inputFileId, endpoint: b.endpoint, completionWindow: b.completionWindow, metadata: b.metadata, createdAt: b.createdAt, expiresAt: b.expiresAt, total: b.total });
    }
    return s;
  }

  /** Records a batch line's final response (once per custom_id; other responses are ignored). */
  private async collect(response: InferenceResponse): Promise<void> {
    if (!response.batchId.startsWith('batch_') || !response.customId || !response.requestId.startsWith(`${response.batchId}-`)) {
      this.lastInteractiveMs = Date.now();
      return;
    }
    const spec = await this.spec(response.batchId);
    // Only the batch's own lines count (a gRPC caller naming someone's batch id is ignored).
    if (!spec || (response.tenantId || this.ingress.access.defaultTenant) !== spec.tenantId) return;
    const ok = response.status === ResponseStatus.OK;
    const model = answeringModel(response)?.model ?? '';
    let out: Record<string, unknown>;
    if (ok) out = { status_code: 200, request_id: response.requestId, body: chatCompletion(response, model) };
    else {
      const err = pipelineError(response);
      out = { status_code: err.status, request_id: response.requestId, body: err.body() };
    }
    const line = JSON.stringify({ id: `batch_req_${response.requestId}`, custom_id: response.customId, response: out, error: null });
    await this.batches.record(response.batchId, { customId: response.customId, line, ok, model, costUsd: response.costUsd, mostExpensiveCostUsd: model ? this.prices.costOf(response) : 0 });
    // Charged once per line (through the batch's owner record); the usage consumer does it when it runs.
    if (!this.door.chargesFromTopic) await this.door.recordUsage(response);
  }

  /**
   * One feeder round. The lane's width is deployment-wide: lines of every open batch in the
   * pipeline count against BATCH_LINES_IN_FLIGHT (from Redis, so replicas agree), and the room
   * left is shared evenly by the batches this replica holds.
   */
  /**
   * Makes the feeder look at its batches now (a batch was just created on this replica)
   * instead of at its next idle tick.
   */
  nudge(): void {
    if (this.ticking) this.nudged = true;
    else this.schedule(0);
  }

  /**
   * The feeder's clock: every BATCH_TICK_MS while open batches exist, every
   * BATCH_IDLE_TICK_MS when there are none (an idle replica does not ask Redis ten times
   * a second; a batch created on another replica starts within that time).
   */
  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.tick().finally(() => {
        const again = this.nudged;
        this.nudged = false;
        this.schedule(again ? 0 : this.feeding ? this.config.tickMs : this.config.idleTickMs);
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      const records = (await Promise.all((await this.batches.active()).map((id) => this.batches.get(id)))).filter((b): b is BatchRecord => b !== undefined);
      this.feeding = records.length > 0;
      let live = 0;
      for (const b of records) live += Math.max(0, b.dispatched - b.completed - b.failed);
      const held: BatchRecord[] = [];
      for (const b of records) if (await this.batches.lease(b.id, this.ingress.replicaId, this.config.leaseMs)) held.push(b);
      let room = Math.max(0, this.laneWidth() - live);
      for (const [i, b] of held.entries()) {
        if (this.stopped) break;
        const share = Math.ceil(room / (held.length - i));
        try {
          room -= await this.step(b.id, share);
        } catch (err) {
          this.logger.warn(`batch ${b.id}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    } catch (err) {
      this.logger.warn(`batch feeder: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Interactive first: the full lane while no interactive response came for
   * BATCH_INTERACTIVE_QUIET_MS, the narrow one (BATCH_LINES_IN_FLIGHT_BUSY) while they flow.
   * Every replica's collector sees a share of all responses (its partitions), so each sees
   * interactive traffic when there is any.
   */
  laneWidth(): number {
    return Date.now() - this.lastInteractiveMs < this.config.busy.quietMs ? this.config.busy.linesInFlight : this.config.linesInFlight;
  }

  private async input(b: BatchSpec): Promise<string[]> {
    let lines = this.inputs.get(b.id);
    if (!lines) {
      const bytes = await this.files.get(b.inputFileId);
      if (!bytes) throw new Error(`input file ${b.inputFileId} is gone`);
      lines = jsonlLines(bytes.toString('utf8'));
      this.inputs.set(b.id, lines);
    }
    return lines;
  }

  /**
   * One feeder step for a batch this replica holds the lease of: start it, finish it, or send up
   * to `room` more lines.
   * @returns how many lines it sent.
   */
  private async step(id: string, room: number): Promise<number> {
    let b = await this.batches.get(id);
    if (!b) return 0;
    if (FINAL_BATCH_STATUSES.has(b.status)) return 0;
    const now = nowS();
    if (b.status === 'validating') {
      await this.batches.transition(id, ['validating'], 'in_progress', now);
      b = (await this.batches.get(id))!;
    }
    const done = b.completed + b.failed;
    if (b.status === 'finalizing') return this.finalized(b, b.times['expired_at'] !== undefined ? 'expired' : b.times['cancelling_at'] !== undefined ? 'cancelled' : 'completed');
    if (Date.now() >= b.expiresAt * 1000) {
      if ((await this.batches.transition(id, ['in_progress', 'cancelling'], 'finalizing', now)) === 'finalizing') {
        await this.batches.transition(id, ['finalizing'], 'finalizing', now, 'expired_at');
        return this.finalized((await this.batches.get(id))!, 'expired');
      }
      return 0;
    }
    if (b.status === 'cancelling') {
      if (done >= b.dispatched && (await this.batches.transition(id, ['cancelling'], 'finalizing', now)) === 'finalizing') return this.finalized((await this.batches.get(id))!, 'cancelled');
      return 0;
    }
    if (b.status !== 'in_progress') return 0;
    // Every line answered, or (halted) every line sent answered: the rest get the halt's error.
    if (done >= b.total || (b.halted && done >= b.dispatched)) {
      if ((await this.batches.transition(id, ['in_progress'], 'finalizing', now)) === 'finalizing') return this.finalized((await this.batches.get(id))!, 'completed');
      return 0;
    }
    if (b.halted) return 0;
    const n = Math.min(room, b.total - b.dispatched);
    if (n <= 0) return 0;
    const spent = await this.door.budgetSpent(id);
    if (spent) {
      const err = httpRefusal(spent);
      if (await this.batches.halt(id, { statusCode: err.status, body: err.body() })) this.logger.log(`batch ${id} halted after ${b.dispatched} of ${b.total} lines: ${spent.message}`);
      return 0;
    }
    const lines = await this.input(b);
    const from = b.dispatched;
    await Promise.all(Array.from({ length: n }, (_, k) => this.dispatch(b, lines, from + k)));
    await this.batches.advance(id, from, from + n);
    return n;
  }

  private async finalized(b: BatchRecord, final: 'completed' | 'expired' | 'cancelled'): Promise<number> {
    await this.finalize(b, final);
    return 0;
  }

  /** Publishes one line as a request (idempotent: its request id is fixed by batch and line). */
  private async dispatch(b: BatchSpec, lines: readonly string[], index: number): Promise<void> {
    const o = JSON.parse(lines[index]!) as { custom_id: string; body: unknown };
    let t;
    try {
      t = translateChatRequest(o.body, {}, this.catalog, { maxMessages: this.ingress.limits.maxMessages });
    } catch (err) {
      if (!(err instanceof OpenAiError)) throw err;
      // Valid at upload, refused now (the catalog changed: a model is gone): the line fails
      // with the error chat completions would answer, instead of holding the batch up.
      const requestId = lineRequestId(b.id, index);
      const line = JSON.stringify({ id: `batch_req_${requestId}`, custom_id: o.custom_id, response: { status_code: err.status, request_id: requestId, body: err.body() }, error: null });
      await this.batches.record(b.id, { customId: o.custom_id, line, ok: false, model: '', costUsd: 0, mostExpensiveCostUsd: 0 });
      return;
    }
    const request = t.request;
    request.requestId = lineRequestId(b.id, index);
    request.tenantId = b.tenantId;
    request.batchId = b.id;
    request.customId = o.custom_id;
    request.deadline = timestampFromMs(b.expiresAt * 1000);
    const prepared = this.accept.prepare(request, { callDeadlineMs: b.expiresAt * 1000 });
    await this.accept.accept(prepared);
  }

  /**
   * Writes the output file (successful lines) and the error file (failed lines, and
   * `batch_expired` / `batch_cancelled` for lines that never ran), in input order, then closes
   * the batch. Safe to repeat: the file ids are fixed and the results are read from Redis.
   * Streams: results are read and written FINALIZE_CHUNK lines at a time, so memory does not
   * grow with the batch (a 50,000-line output is several hundred MB).
   */
  private async finalize(b: BatchRecord, final: 'completed' | 'expired' | 'cancelled'): Promise<void> {
    const lines = await this.input(b);
    const output = await this.files.writer(outputFileId(b.id));
    const errors = await this.files.writer(errorFileId(b.id));
    let completed = 0;
    let failed = 0;
    const cancelIds: string[] = [];
    try {
      for (let from = 0; from < lines.length; from += FINALIZE_CHUNK) {
        const customIds = lines.slice(from, from + FINALIZE_CHUNK).map((raw) => (JSON.parse(raw) as { custom_id: string }).custom_id);
        const results = await this.batches.resultsOf(b.id, customIds);
        const ok: string[] = [];
        const bad: string[] = [];
        customIds.forEach((customId, k) => {
          const i = from + k;
          const r = results[k];
          if (r !== null && r !== undefined) {
            (r.includes('"status_code":200,') ? ok : bad).push(r);
            return;
          }
          if (b.halted && i >= b.dispatched) {
            const requestId = lineRequestId(b.id, i);
            bad.push(JSON.stringify({ id: `batch_req_${requestId}`, custom_id: customId, response: { status_code: b.halted.statusCode, request_id: requestId, body: b.halted.body }, error: null }));
            return;
          }
          const code = final === 'cancelled' ? 'batch_cancelled' : 'batch_expired';
          const message = final === 'cancelled' ? 'This request was not started before the batch was cancelled.' : 'This request could not be executed before the completion window expired.';
          bad.push(JSON.stringify({ id: `batch_req_${lineRequestId(b.id, i)}`, custom_id: customId, response: null, error: { code, message } }));
          if (i < b.dispatched) cancelIds.push(lineRequestId(b.id, i));
        });
        completed += ok.length;
        failed += bad.length;
        if (ok.length > 0) await output.write(ok.join('\n') + '\n');
        if (bad.length > 0) await errors.write(bad.join('\n') + '\n');
      }
    } catch (err) {
      await Promise.all([output.abort(), errors.abort()]);
      throw err;
    }
    // Lines still in the pipeline when the window closed: stop spending on them.
    await Promise.all(cancelIds.map((rid) => this.accept.cancel(rid).catch(() => undefined)));
    const at = nowS();
    const files: { outputFileId?: string; errorFileId?: string } = {};
    if (completed > 0) files.outputFileId = await this.saveFile(b, output, outputFileId(b.id), `${b.id}_output.jsonl`, completed, at);
    else await output.abort();
    if (failed > 0) files.errorFileId = await this.saveFile(b, errors, errorFileId(b.id), `${b.id}_error.jsonl`, failed, at);
    else await errors.abort();
    await this.batches.finish(b, final, at, { ...files, completed, failed });
    await this.batches.dropResults(b.id);
    this.inputs.delete(b.id);
    this.logger.log(`batch ${b.id} ${final}: ${completed} completed, ${failed} failed of ${b.total}`);
  }

  private async saveFile(b: BatchSpec, writer: FileWriter, id: string, filename: string, lines: number, at: number): Promise<string> {
    await writer.commit();
    await this.batches.saveFile({ id, tenantId: b.tenantId, bytes: writer.bytes, createdAt: at, filename, purpose: 'batch_output', lines });
    return id;
  }
}
