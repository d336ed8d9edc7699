import { ResponseStatus, nowEpochMs, type InferenceResponse } from '@yardmaster/contracts';
import type { ChunkEntry, ChunkMarks } from '@yardmaster/store';
import type { FastifyReply } from 'fastify';
import { answeringModel, extension, openAiFinishReason, openAiToolCalls, pipelineError, yardmasterHeaders } from './chat-response.js';
import type { OpenAiError } from './errors.js';

/** What the SSE response knows before it starts. */
export interface ChatStreamInit {
  readonly requestId: string;
  /** The `model` the caller asked for (until the answering model is known). */
  readonly requestedModel: string;
  /** `stream_options.include_usage`. */
  readonly includeUsage: boolean;
  /** Headers for the response besides the SSE ones (rate limits). */
  readonly headers: Record<string, string>;
  /** When the request reached the ingress's handler (epoch ms, fractional), for {@link firstTokenBreakdown}. */
  readonly arrivedMs?: number;
  /** When the door admitted it (epoch ms). */
  readonly admittedMs?: number;
}

/** What the stream saw of its first token on the way: the ingress's own moments and the worker's marks. */
interface FirstTokenMarks {
  accepted?: number;
  worker?: ChunkMarks;
  relayRead?: number;
  firstWrite?: number;
}

/**
 * Where a streamed request's time to first token went: milliseconds from its arrival at the
 * ingress handler to each step (admitted at the door, accepted on Kafka, each stage's start and
 * end from the response's timings, the worker's provider call and first delta, the ingress's
 * read of that delta from the chunk stream and its first write to the socket). Undefined when
 * no delta came through the chunk stream. Clocks are the processes' epoch clocks, so the steps
 * are exact on one machine and as good as the clocks' agreement across machines.
 */
export function firstTokenBreakdown(init: ChatStreamInit, marks: FirstTokenMarks, response: InferenceResponse): Record<string, number> | undefined {
  const arrived = init.arrivedMs;
  if (arrived === undefined || !marks.worker || marks.relayRead === undefined || marks.firstWrite === undefined) return undefined;
  const at = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : Math.round((ms - arrived) * 1000) / 1000);
  const stage = (name: string) => response.timings.find((t) => t.stage === name && t.startedAt);
  const out: Record<string, number | undefined> = { admitted: at(init.admittedMs), accepted: at(marks.accepted) };
  for (const name of ['classifier', 'router']) {
    const t = stage(name);
    if (!t?.startedAt) continue;
    const start = Number(t.startedAt.seconds) * 1000 + t.startedAt.nanos / 1e6;
    out[`${name}_start`] = at(start);
    out[`${name}_end`] = at(start + Number(t.durationUs) / 1000);
  }
  out['worker_start'] = at(marks.worker.workerStart);
  out['provider_call'] = at(marks.worker.providerCall);
  out['provider_first_delta'] = at(marks.worker.firstDelta);
  out['relay_read'] = at(marks.relayRead);
  out['first_write'] = at(marks.firstWrite);
  return Object.fromEntries(Object.entries(out).filter((e): e is [string, number] => e[1] !== undefined));
}

/**
 * One streamed chat completion as OpenAI sends it: server-sent events of
 * `chat.completion.chunk` objects (the role in the first, then content deltas, then the
 * finish reason, then usage when asked for) and `data: [DONE]`.
 *
 * It takes the worker's deltas from the request's chunk stream ({@link onEntries}) and the
 * final response from Kafka ({@link finish}). Nothing is written before the first delta
 * or the final response, so a request that fails before either still gets a proper HTTP
 * error status (and the pipeline's fallbacks stay free to answer). After that, the answer
 * follows one provider call (the first that streamed); a failure ends the stream with an
 * error event. The final response closes the stream: text the chunk stream did not bring
 * (a non-streaming pool, a plan that must see whole answers, a lost append) is sent from it,
 * as long as the streamed text is the start of it.
 */
export class ChatStream {
  private started = false;
  private ended = false;
  private workId: string | undefined;
  private nextSeq = 0;
  private sent = '';
  protected model: string;
  private finishReason: string | undefined;
  private readonly marks: FirstTokenMarks = {};
  protected readonly created = Math.floor(Date.now() / 1000);
  private markOver: () => void = () => undefined;
  /** Settles when the stream is over (answered, failed, or the connection closed). */
  readonly over = new Promise<void>((resolve) => (this.markOver = resolve));

  constructor(
    private readonly reply: FastifyReply,
    protected readonly init: ChatStreamInit,
  ) {
    this.model = init.requestedModel;
  }

  /** Whether the HTTP response has started (errors then go in the stream). */
  get hasStarted(): boolean {
    return this.started;
  }

  /** Whether the stream is over. */
  get isEnded(): boolean {
    return this.ended;
  }

  /** The request is on Kafka (for the first-token breakdown). */
  accepted(): void {
    this.marks.accepted = nowEpochMs();
  }

  /** Entries of the request's chunk stream, in order. */
  onEntries(entries: readonly ChunkEntry[]): void {
    const readAt = nowEpochMs();
    for (const e of entries) {
      if (this.ended) return;
      // The first call that streams owns the answer; a fallback or a hedge's other call
      // writes under its own work id and is ignored here (its text reaches the caller, if
      // it answers, only when it is the final answer and nothing was streamed before).
      this.workId ??= e.workId;
      if (e.workId !== this.workId) continue;
      if (e.seq !== this.nextSeq) {
        this.fail('stream_interrupted', `Part of the answer was lost on its way (entry ${this.nextSeq} missing); retry the request.`);
        return;
      }
      this.nextSeq++;
      switch (e.kind) {
        case 'delta':
          if (e.model && !this.started) this.model = e.model;
          if (e.marks && !this.marks.worker) {
            this.marks.worker = e.marks;
            this.marks.relayRead = readAt;
          }
          this.content(e.text);
          this.marks.firstWrite ??= nowEpochMs();
          break;
        case 'end':
          this.finishReason = e.finishReason;
          break;
        case 'error':
          this.fail(e.code, `The model failed after it had started answering: ${e.message}`);
          break;
      }
    }
  }

  /**
   * Ends the stream with the final response.
   * @throws OpenAiError when the response is an error and nothing was sent yet (the caller
   *   answers it with its HTTP status).
   */
  finish(response: InferenceResponse): void {
    if (this.ended) return;
    if (response.status !== ResponseStatus.OK) {
      const err = pipelineError(response);
      if (!this.started) throw err;
      this.fail(err.code ?? 'error', err.message);
      return;
    }
    const output = response.output;
    if (!output.startsWith(this.sent)) {
      this.fail('stream_diverged', 'The final answer differs from the text streamed so far; retry the request.');
      return;
    }
    const answering = answeringModel(response)?.model;
    if (!this.started && answering) this.model = answering;
    this.start(yardmasterHeaders(response));
    if (output.length > this.sent.length) this.content(output.slice(this.sent.length));
    this.renderEnd(response, this.finishReason);
    this.done();
  }

  /** Ends a started stream with an error event (OpenAI's error shape), then `[DONE]`. */
  fail(code: string, message: string, type = 'api_error'): void {
    if (this.ended) return;
    this.start({});
    this.renderError(code, message, type);
    this.done();
  }

  /** Ends a started stream with an {@link OpenAiError}. */
  failWith(err: OpenAiError): void {
    this.fail(err.code ?? 'error', err.message, err.type);
  }

  private content(text: string): void {
    this.start({});
    this.sent += text;
    this.renderContent(text);
  }

  /** The first events, once the response has started (OpenAI: the role chunk). */
  protected renderStart(): void {
    this.event(this.chunk({ role: 'assistant', content: '', refusal: null }, null));
  }

  /** One text delta. */
  protected renderContent(text: string): void {
    this.event(this.chunk({ content: text }, null));
  }

  /** The events after the last text: tool calls, the finish reason, usage. */
  protected renderEnd(response: InferenceResponse, streamedReason: string | undefined): void {
    if (response.toolCalls.length) {
      this.event(this.chunk({ tool_calls: openAiToolCalls(response.toolCalls).map((c, index) => ({ index, ...c })) }, null));
    }
    const reason = response.toolCalls.length ? 'tool_calls' : (streamedReason ?? response.finishReason);
    // The decision, cost and timings ride on the last chunk (the usage chunk when asked for).
    this.event({ ...this.chunk({}, openAiFinishReason(reason)), ...(this.init.includeUsage ? {} : { yardmaster: this.extension(response) }) });
    if (this.init.includeUsage) {
      const u = response.usage;
      const prompt = u?.inputTokens ?? 0;
      const completion = u?.outputTokens ?? 0;
      this.event({
        id: `chatcmpl-${this.init.requestId}`,
        object: 'chat.completion.chunk',
        created: this.created,
        model: this.model,
        system_fingerprint: null,
        choices: [],
        usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: u?.totalTokens || prompt + completion },
        yardmaster: this.extension(response),
      });
    }
  }

  /** The `yardmaster` extension, with `first_token_ms` when the answer streamed from the worker. */
  protected extension(response: InferenceResponse): Record<string, unknown> {
    const breakdown = firstTokenBreakdown(this.init, this.marks, response);
    return { ...extension(response), ...(breakdown ? { first_token_ms: breakdown } : {}) };
  }

  /** An error event. */
  protected renderError(code: string, message: string, type: string): void {
    this.event({ error: { message, type, param: null, code } });
  }

  /** The stream's last line (OpenAI: `data: [DONE]`). */
  protected closing(): string {
    return 'data: [DONE]\n\n';
  }

  private chunk(delta: Record<string, unknown>, finishReason: string | null): Record<string, unknown> {
    return {
      id: `chatcmpl-${this.init.requestId}`,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(this.init.includeUsage ? { usage: null } : {}),
    };
  }

  private start(extra: Record<string, string>): void {
    if (this.started) return;
    this.started = true;
    this.reply.hijack();
    this.reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...this.init.headers,
      'x-yardmaster-request-id': this.init.requestId,
      'x-yardmaster-model': this.model,
      ...extra,
    });
    this.renderStart();
  }

  /** Writes one server-sent event (named when `name` is given). */
  protected event(data: unknown, name?: string): void {
    if (this.reply.raw.writableEnded || this.reply.raw.destroyed) return;
    this.reply.raw.write(`${name ? `event: ${name}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
  }

  private done(): void {
    this.ended = true;
    this.markOver();
    if (this.reply.raw.writableEnded || this.reply.raw.destroyed) return;
    this.reply.raw.end(this.closing());
  }
}
