import { createHash } from 'node:crypto';
import { Controller, Get, Inject, Logger, Param, Post, Req, Res } from '@nestjs/common';
import { ResponseStatus, nowEpochMs, remainingMs, type InferenceResponse } from '@yardmaster/contracts';
import { ChunkStreams } from '@yardmaster/store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AcceptService, Unavailable } from '../accept/accept.service.js';
import { translateMessagesRequest } from '../anthropic/messages-request.js';
import { anthropicMessage } from '../anthropic/messages-response.js';
import { MessagesStream } from '../anthropic/messages-stream.js';
import { RequestRejected } from '../accept/validate.js';
import { IngressConfig } from '../config.js';
import { DoorRefused, DoorService, type Admitted } from '../door/door.service.js';
import { ResponseWaiters } from '../wait/response-waiters.js';
import type { CatalogModels } from './catalog.js';
import { translateChatRequest } from './chat-request.js';
import { chatCompletion, pipelineError, yardmasterHeaders } from './chat-response.js';
import { ChatStream } from './chat-stream.js';
import { OpenAiError } from './errors.js';
import { HTTP_KEY_HINT, header, httpRefusal, httpSecret, rateHeaders } from './http-door.js';

/** The catalog reader, as a DI token. */
export const CATALOG_MODELS = Symbol('CatalogModels');

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** A digest of the request body that ignores key order: an idempotency key's retry must send the same request. */
function fingerprint(body: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex');
}

/**
 * The OpenAI-compatible HTTP API on ingress's HTTP port: `POST /v1/chat/completions` (waits for
 * the final response, like gRPC Infer) and `GET /v1/models`. Requests go through the same door
 * (API key → tenant, request-id ownership, limits) and the same accept path as gRPC.
 */
@Controller('v1')
export class ChatController {
  private readonly logger = new Logger(ChatController.name);
  private waiting = 0;

  constructor(
    @Inject(AcceptService) private readonly accept: AcceptService,
    @Inject(ResponseWaiters) private readonly waiters: ResponseWaiters,
    @Inject(DoorService) private readonly door: DoorService,
    @Inject(IngressConfig) private readonly config: IngressConfig,
    @Inject(CATALOG_MODELS) private readonly catalog: CatalogModels,
    @Inject(ChunkStreams) private readonly chunks: ChunkStreams,
  ) {}

  /** Authenticates a caller (for reads); refusals as OpenAI errors. */
  private async caller(req: FastifyRequest): Promise<{ tenantId: string }> {
    try {
      return await this.door.caller(httpSecret(req), HTTP_KEY_HINT);
    } catch (err) {
      throw err instanceof DoorRefused ? httpRefusal(err) : this.unavailable(err);
    }
  }

  private unavailable(err: unknown): OpenAiError {
    if (err instanceof OpenAiError) return err;
    const message = err instanceof Error ? err.message : String(err);
    return new OpenAiError(503, `The service cannot take the request right now: ${message}. Retry later.`, 'api_error', null, 'unavailable', { 'retry-after': '1' });
  }

  @Get('models')
  async models(@Req() req: FastifyRequest): Promise<Record<string, unknown>> {
    await this.caller(req);
    const created = this.catalog.createdAt;
    const aliases = this.catalog.aliases().map((id) => ({ id, object: 'model', created, owned_by: 'yardmaster' }));
    const models = this.catalog.list().map((m) => ({ id: m.name, object: 'model', created, owned_by: m.provider }));
    return { object: 'list', data: [...aliases, ...models] };
  }

  @Get('models/:model')
  async model(@Req() req: FastifyRequest, @Param('model') id: string): Promise<Record<string, unknown>> {
    await this.caller(req);
    if (this.catalog.isAlias(id)) return { id, object: 'model', created: this.catalog.createdAt, owned_by: 'yardmaster' };
    const m = this.catalog.model(id);
    if (!m) throw new OpenAiError(404, `The model '${id}' does not exist.`, 'invalid_request_error', 'model', 'model_not_found');
    return { id: m.name, object: 'model', created: this.catalog.createdAt, owned_by: m.provider };
  }

  @Post('chat/completions')
  async chat(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.waitingCall(() => this.complete(req, reply, 'openai'));
  }

  /**
   * Anthropic's Messages API (`POST /v1/messages`), for services on the Anthropic SDK: the same
   * door, pipeline and waiting as chat completions, in Anthropic's request, response, stream
   * and error shapes (the exception filter renders errors on this route as Anthropic does).
   */
  @Post('messages')
  async messages(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.waitingCall(() => this.complete(req, reply, 'anthropic'));
  }

  private async waitingCall(fn: () => Promise<void>): Promise<void> {
    if (this.waiting >= this.config.caps.waitingInfer) {
      throw new OpenAiError(429, `Too many requests waiting on this replica (limit ${this.config.caps.waitingInfer}); retry later.`, 'rate_limit_error', null, 'replica_busy', { 'retry-after': '1' });
    }
    this.waiting++;
    try {
      await fn();
    } finally {
      this.waiting--;
    }
  }

  private async complete(req: FastifyRequest, reply: FastifyReply, dialect: 'openai' | 'anthropic'): Promise<void> {
    const arrivedMs = nowEpochMs();
    const secret = httpSecret(req);
    // Authentication comes first: a caller without a key learns nothing about its request.
    if (this.door.authRequired && secret === undefined) throw httpRefusal(new DoorRefused('unauthenticated', `missing API key: send it ${HTTP_KEY_HINT}`, 'missing_api_key'));
    let translated;
    try {
      const translate = dialect === 'openai' ? translateChatRequest : translateMessagesRequest;
      translated = translate(req.body, req.headers, this.catalog, { maxMessages: this.config.limits.maxMessages });
    } catch (err) {
      if (this.door.authRequired) await this.caller(req);
      throw err;
    }
    const request = translated.request;

    // An Idempotency-Key names the request: a retry gets the first answer, never a second one.
    // It is scoped to the tenant (two tenants' equal keys are two requests).
    const idempotencyKey = header(req, 'idempotency-key');
    let fp: string | undefined;
    if (idempotencyKey !== undefined) {
      if (!IDEMPOTENCY_KEY.test(idempotencyKey)) throw OpenAiError.invalid('Idempotency-Key', 'The Idempotency-Key header must be 1-255 printable ASCII characters without spaces.');
      const { tenantId } = await this.caller(req);
      request.requestId = `idem-${createHash('sha256').update(`${tenantId}\n${idempotencyKey}`).digest('base64url').slice(0, 32)}`;
      fp = fingerprint(req.body);
    }

    const timeoutHeader = header(req, 'x-yardmaster-timeout-ms');
    let waitMs = this.config.inferTimeoutMs;
    if (timeoutHeader !== undefined) {
      const t = Number(timeoutHeader);
      if (!Number.isInteger(t) || t < 1 || t > this.config.limits.maxDeadlineMs) {
        throw OpenAiError.invalid('X-Yardmaster-Timeout-Ms', `X-Yardmaster-Timeout-Ms must be a whole number of milliseconds from 1 to ${this.config.limits.maxDeadlineMs}.`);
      }
      waitMs = t;
    }

    let prepared;
    try {
      // Nobody waits past waitMs, so the pipeline drops the work then (like Infer's call deadline).
      prepared = this.accept.prepare(request, { callDeadlineMs: Date.now() + waitMs });
    } catch (err) {
      if (err instanceof RequestRejected) {
        if (this.door.authRequired) await this.caller(req);
        throw err.code === 'too_large'
          ? new OpenAiError(413, err.message, 'invalid_request_error', 'messages', 'request_too_large')
          : OpenAiError.invalid(null, err.message);
      }
      throw err;
    }

    let admitted: Admitted;
    try {
      admitted = await this.door.admit(secret, prepared, { bodyTenant: '', where: HTTP_KEY_HINT, ...(fp ? { fingerprint: fp } : {}) });
    } catch (err) {
      throw err instanceof DoorRefused ? httpRefusal(err) : this.unavailable(err);
    }
    const limitHeaders = rateHeaders(admitted.requests, admitted.tokens);
    if (translated.stream) {
      const init = { requestId: prepared.requestId, requestedModel: translated.model, includeUsage: translated.includeUsage, headers: limitHeaders, arrivedMs, admittedMs: nowEpochMs() };
      const stream = dialect === 'openai' ? new ChatStream(reply, init) : new MessagesStream(reply, init);
      await this.streamResponse(prepared.requestId, prepared, waitMs, reply, stream, limitHeaders, admitted.fresh);
      return;
    }
    const response = await this.waitForResponse(prepared.requestId, prepared, waitMs, reply, admitted.fresh);
    if (!response) return; // the client went away
    this.door.recordUsageLater(response);
    const headers = { ...limitHeaders, ...yardmasterHeaders(response), 'x-request-id': response.requestId };
    if (response.status !== ResponseStatus.OK) {
      const err = pipelineError(response);
      throw new OpenAiError(err.status, err.message, err.type, err.param, err.code, { ...headers, ...err.headers });
    }
    await reply
      .status(200)
      .headers(headers)
      .send(dialect === 'openai' ? chatCompletion(response, translated.model) : anthropicMessage(response, translated.model));
  }

  /**
   * Accepts a streaming request and relays its answer as server-sent events: the worker's
   * deltas from the request's chunk stream (subscribed before the request is published, so
   * no entry is missed), then the final response from the responses topic, which ends the
   * stream. A client that goes away cancels the request.
   * @throws OpenAiError before anything was sent (then the caller gets a plain HTTP error).
   */
  private async streamResponse(
    requestId: string,
    request: Parameters<AcceptService['accept']>[0],
    waitMs: number,
    reply: FastifyReply,
    stream: ChatStream,
    limitHeaders: Record<string, string>,
    admittedFresh: boolean,
  ): Promise<void> {
    let onClose: () => void = () => undefined;
    const closed = new Promise<'closed'>((resolve) => {
      onClose = () => {
        if (!reply.raw.writableFinished) resolve('closed');
      };
    });
    reply.raw.once('close', onClose);
    const subscription = this.chunks.subscribe(requestId, (entries) => stream.onEntries(entries));
    const waiter = this.waiters.waitFor(requestId);
    let fresh = false;
    let answered = false;
    let gone = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      let response: InferenceResponse | undefined;
      ({ fresh, stored: response } = await this.acceptOrStored(request, requestId, admittedFresh));
      stream.accepted();
      if (!response) {
        const wait = Math.max(0, Math.min(waitMs, remainingMs(request.deadline)));
        const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), wait)));
        const outcome = await Promise.race([waiter.response, timeout, closed, stream.over.then(() => 'over' as const)]);
        if (outcome === 'timeout') {
          const err = noResponseWithin(requestId, wait);
          if (!stream.hasStarted) throw err;
          stream.failWith(err);
          return;
        }
        if (outcome === 'closed') gone = true;
        if (outcome === 'closed' || outcome === 'over') return;
        response = outcome;
      }
      answered = true;
      if (fresh) this.door.recordUsageLater(response);
      try {
        stream.finish(response);
      } catch (err) {
        if (err instanceof OpenAiError) throw new OpenAiError(err.status, err.message, err.type, err.param, err.code, { ...limitHeaders, ...err.headers, 'x-request-id': response.requestId });
        throw err;
      }
    } finally {
      clearTimeout(timer);
      subscription.close();
      waiter.cancel();
      reply.raw.removeListener('close', onClose);
      // Nobody reads the answer any more (the client went away, or the stream failed part
      // way): stop the pipeline spending on it.
      if (fresh && !answered && (gone || stream.isEnded)) this.cancelLater(requestId);
      // A started stream must end even when something above threw.
      if (stream.hasStarted && !stream.isEnded) stream.fail('internal_error', 'The stream ended unexpectedly.');
    }
  }

  /**
   * Accepts the request and waits for its final response: the stored one for a retry, else the
   * one the responses topic brings. Undefined when the client disconnected first (then the
   * request is marked cancelled, so the pipeline stops spending on it).
   * @throws OpenAiError 504 when no response came within `waitMs` (the request goes on).
   */
  private async waitForResponse(requestId: string, request: Parameters<AcceptService['accept']>[0], waitMs: number, reply: FastifyReply, admittedFresh: boolean): Promise<InferenceResponse | undefined> {
    let onClose: () => void = () => undefined;
    const closed = new Promise<undefined>((resolve) => {
      onClose = () => {
        if (!reply.raw.writableFinished) resolve(undefined);
      };
    });
    reply.raw.once('close', onClose);
    const waiter = this.waiters.waitFor(requestId);
    let fresh = false;
    let answered = false;
    let gone = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      let stored: InferenceResponse | undefined;
      ({ fresh, stored } = await this.acceptOrStored(request, requestId, admittedFresh));
      if (stored) {
        answered = true;
        return stored;
      }
      const wait = Math.max(0, Math.min(waitMs, remainingMs(request.deadline)));
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(noResponseWithin(requestId, wait)), wait);
      });
      const response = await Promise.race([waiter.response, timeout, closed]);
      if (response === undefined) gone = true;
      else answered = true;
      return response;
    } finally {
      clearTimeout(timer);
      waiter.cancel();
      reply.raw.removeListener('close', onClose);
      if (fresh && !answered && gone) this.cancelLater(requestId);
    }
  }

  /**
   * Accepts the request (publishes it once); for a retry of an answered request, its stored
   * response. `admittedFresh`: the door saw this request id for the first time.
   * @throws OpenAiError 503 when Redis or Kafka cannot take it.
   */
  private async acceptOrStored(request: Parameters<AcceptService['accept']>[0], requestId: string, admittedFresh: boolean): Promise<{ fresh: boolean; stored: InferenceResponse | undefined }> {
    let fresh: boolean;
    try {
      fresh = await this.accept.accept(request, { fresh: admittedFresh });
    } catch (err) {
      throw err instanceof Unavailable ? this.unavailable(err) : err;
    }
    if (fresh) return { fresh, stored: undefined };
    const stored = await this.accept.storedResponse(requestId).catch((err: unknown) => {
      throw this.unavailable(err);
    });
    return { fresh, stored: stored ?? undefined };
  }

  /** Records that nobody reads the answer any more, so the pipeline stops spending on it; a failure is logged. */
  private cancelLater(requestId: string): void {
    this.accept.cancel(requestId).catch((err: unknown) => this.logger.warn(`cannot record the cancellation of ${requestId}: ${err instanceof Error ? err.message : String(err)}`));
  }
}

/** The 504 for a request still in flight when the caller's wait ends. */
function noResponseWithin(requestId: string, waitMs: number): OpenAiError {
  return new OpenAiError(504, `No response within ${Math.round(waitMs)} ms; request ${requestId} is still in flight (retry with the same Idempotency-Key to get its answer).`, 'timeout_error', null, 'timeout', {
    'x-yardmaster-request-id': requestId,
  });
}
