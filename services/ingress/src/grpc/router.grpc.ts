import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import {
  FeedbackResponseSchema,
  GetResponseResponseSchema,
  InferResponseSchema,
  ResponseStatus,
  RouterService,
  StreamResponsesResponseSchema,
  SubmitResponseSchema,
  SubmitStreamResponseSchema,
  create,
  grpcServiceDefinition,
  remainingMs,
  type FeedbackRequest,
  type FeedbackResponse,
  type GetResponseRequest,
  type GetResponseResponse,
  type InferRequest,
  type InferResponse,
  type InferenceRequest,
  type InferenceResponse,
  type StreamResponsesRequest,
  type StreamResponsesResponse,
  type SubmitRequest,
  type SubmitResponse,
  type SubmitStreamRequest,
  type SubmitStreamResponse,
} from '@yardmaster/contracts';
import { Readiness } from '@yardmaster/service-kit';
import { StoreError } from '@yardmaster/store';
import { AcceptService, Unavailable } from '../accept/accept.service.js';
import { RequestRejected } from '../accept/validate.js';
import { IngressConfig } from '../config.js';
import { DoorRefused, DoorService, bearerToken, type Admitted, type RefusalKind } from '../door/door.service.js';
import { countRefusal } from '../door/metrics.js';
import { FeedbackRefused, FeedbackService } from '../feedback/feedback.service.js';
import { ResponseWaiters } from '../wait/response-waiters.js';

/** A gRPC error with a status code, as grpc-js expects. */
function status(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

const REFUSAL_STATUS: Record<RefusalKind, grpc.status> = {
  unauthenticated: grpc.status.UNAUTHENTICATED,
  conflict: grpc.status.ALREADY_EXISTS,
  mismatch: grpc.status.ALREADY_EXISTS,
  tenant_mismatch: grpc.status.INVALID_ARGUMENT,
  limited: grpc.status.RESOURCE_EXHAUSTED,
};

/** How a gRPC caller sends its key, for error messages. */
const GRPC_KEY_HINT = 'as gRPC metadata "authorization: Bearer <key>"';

/** A door refusal as a gRPC error; a limit also carries `retry-after` (seconds) and `x-ratelimit-*` in the trailers. */
function refusalError(err: DoorRefused): grpc.ServiceError {
  countRefusal(err.code, 'grpc');
  const e = status(REFUSAL_STATUS[err.kind], err.message);
  if (err.limit) {
    e.metadata.set('retry-after', String(Math.ceil(err.limit.retryAfterMs / 1000)));
    e.metadata.set('x-yardmaster-limit', err.limit.limit);
    for (const [name, state] of [['requests', err.limit.requests], ['tokens', err.limit.tokens]] as const) {
      if (!state) continue;
      e.metadata.set(`x-ratelimit-limit-${name}`, String(state.limit));
      e.metadata.set(`x-ratelimit-remaining-${name}`, String(state.remaining));
      e.metadata.set(`x-ratelimit-reset-${name}`, `${Math.ceil(state.resetMs / 1000)}s`);
    }
  }
  return e;
}

/**
 * The API key a gRPC call presents: `authorization: Bearer <key>` (or `x-api-key: <key>`).
 * @throws DoorRefused when `authorization` is there but is not a bearer token.
 */
export function grpcSecret(metadata: grpc.Metadata): string | undefined {
  const auth = metadata.get('authorization')[0];
  if (auth !== undefined && String(auth).trim() !== '') {
    const token = bearerToken(String(auth));
    if (token === undefined) throw new DoorRefused('unauthenticated', 'the authorization metadata must be "Bearer <key>"', 'invalid_authorization');
    return token;
  }
  const key = metadata.get('x-api-key')[0]?.toString().trim();
  return key ? key : undefined;
}

/** Maps what the handlers throw to gRPC statuses (in one place). */
export function toGrpcError(err: unknown): grpc.ServiceError {
  if (err instanceof DoorRefused) return refusalError(err);
  // Oversized-but-parsable requests are INVALID_ARGUMENT with the limit; grpc-js itself answers
  // RESOURCE_EXHAUSTED beyond its transport limit.
  if (err instanceof RequestRejected) return status(grpc.status.INVALID_ARGUMENT, err.message);
  if (err instanceof Unavailable) return status(grpc.status.UNAVAILABLE, err.message);
  // A Redis read that failed (GetResponse, Infer's stored response): the caller may retry.
  if (err instanceof StoreError) return status(grpc.status.UNAVAILABLE, `cannot read stored state: ${err.message}`);
  if (typeof err === 'object' && err !== null && 'code' in err && typeof (err).code === 'number' && 'details' in err) return err as grpc.ServiceError;
  return status(grpc.status.INTERNAL, err instanceof Error ? err.message : String(err));
}

function unary<Req, Res>(fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    fn(call.request, call).then(
      (res) => callback(null, res),
      (err: unknown) => callback(toGrpcError(err)),
    );
  };
}

/**
 * Infer's answer for a final response. A request whose deadline passed ends the call
 * with gRPC DEADLINE_EXCEEDED whichever comes first - Infer's own timer at the deadline,
 * or the pipeline's DEADLINE_EXCEEDED final response - so a client sees one outcome.
 */
function inferResult(response: InferenceResponse): InferResponse {
  if (response.status === ResponseStatus.DEADLINE_EXCEEDED) {
    throw status(
      grpc.status.DEADLINE_EXCEEDED,
      `request ${response.requestId} passed its deadline: ${response.error?.message ?? 'no detail'} (the final response is stored; use GetResponse)`,
    );
  }
  return create(InferResponseSchema, { response });
}

/** The gRPC call's deadline in epoch milliseconds (Infinity when the client set none). */
function callDeadlineMs(call: { getDeadline(): grpc.Deadline }): number {
  const d = call.getDeadline();
  if (d instanceof Date) return d.getTime();
  if (typeof d === 'number' && Number.isFinite(d)) return d;
  return Number.POSITIVE_INFINITY;
}

/** Milliseconds until the gRPC call's deadline (Infinity when the client set none). */
function callRemainingMs(call: { getDeadline(): grpc.Deadline }): number {
  return callDeadlineMs(call) - Date.now();
}

/**
 * Ends a streaming call with an error status. grpc-js turns an 'error' event on a server
 * stream into the call's status (destroying the stream would skip sending it).
 */
function failStream(call: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>, err: grpc.ServiceError): void {
  if (call.cancelled) return;
  call.emit('error', err);
}

/** A counter of held slots with a limit; `take` returns the release function, or undefined when full. */
class Slots {
  private held = 0;
  constructor(readonly limit: number) {}

  take(): (() => void) | undefined {
    if (this.held >= this.limit) return undefined;
    this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
    };
  }
}

/**
 * The most recent `capacity` ids: remembers what a batch stream sent lately (to absorb a
 * redelivered response) without growing with the batch.
 */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      // A Set iterates in insertion order: the first id is the oldest.
      for (const oldest of this.ids) {
        this.ids.delete(oldest);
        break;
      }
    }
  }
}

/** The gRPC RouterService over @grpc/grpc-js. */
@Injectable()
export class RouterGrpcServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RouterGrpcServer.name);
  private server: grpc.Server | undefined;
  /** The bound port (useful when configured as 0). */
  port = 0;
  private readonly inferSlots: Slots;
  private readonly streamSlots: Slots;

  constructor(
    @Inject(AcceptService) private readonly accept: AcceptService,
    @Inject(ResponseWaiters) private readonly waiters: ResponseWaiters,
    @Inject(IngressConfig) private readonly config: IngressConfig,
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(DoorService) private readonly door: DoorService,
    @Inject(FeedbackService) private readonly feedback: FeedbackService,
  ) {
    this.inferSlots = new Slots(config.caps.waitingInfer);
    this.streamSlots = new Slots(config.caps.streams);
  }

  async onApplicationBootstrap(): Promise<void> {
    // grpc-js rejects bigger messages itself (RESOURCE_EXHAUSTED); below that, validation gives the precise error.
    const server = new grpc.Server({ 'grpc.max_receive_message_length': this.config.limits.maxRequestBytes * 2 + 1024 });
    server.addService(grpcServiceDefinition(RouterService), {
      submit: unary((req: SubmitRequest, call) => this.submit(req, call.metadata)),
      infer: unary((req: InferRequest, call) => this.infer(req, call)),
      getResponse: unary((req: GetResponseRequest, call) => this.getResponse(req, call.metadata)),
      submitStream: (call: grpc.ServerDuplexStream<SubmitStreamRequest, SubmitStreamResponse>) => this.submitStream(call),
      streamResponses: (call: grpc.ServerWritableStream<StreamResponsesRequest, StreamResponsesResponse>) => this.streamResponses(call),
      feedback: unary((req: FeedbackRequest, call) => this.scoreAnswer(req, call.metadata)),
    });
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${this.config.grpc.host}:${this.config.grpc.port}`, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
    this.server = server;
    this.readiness.register('grpc', () => this.server !== undefined);
    this.logger.log(`gRPC RouterService listening on ${this.config.grpc.host}:${this.port}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // Stop taking calls; give in-flight ones a moment to finish, then cut them off.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, Math.min(5000, this.config.common.shutdownTimeoutMs / 2));
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Validates a request and lets it through the door (key, tenant, request-id ownership,
   * limits): the tenant comes from the key. An invalid request from a caller without a valid
   * key is refused as unauthenticated (authentication first, as HTTP does); the extra round
   * trip happens only on that error path.
   */
  private async admitted(metadata: grpc.Metadata, input: InferenceRequest | undefined, options: { callDeadlineMs?: number } = {}): Promise<{ request: InferenceRequest; admitted: Admitted }> {
    const secret = grpcSecret(metadata);
    let request: InferenceRequest;
    const bodyTenant = input?.tenantId ?? '';
    try {
      request = this.accept.prepare(input, options);
    } catch (err) {
      if (err instanceof RequestRejected) await this.door.caller(secret, GRPC_KEY_HINT);
      throw err;
    }
    const admitted = await this.door.admit(secret, request, { bodyTenant, where: GRPC_KEY_HINT });
    return { request, admitted };
  }

  private async submit(req: SubmitRequest, metadata: grpc.Metadata): Promise<SubmitResponse> {
    const { request, admitted } = await this.admitted(metadata, req.request);
    const fresh = await this.accept.accept(request, { fresh: admitted.fresh });
    return create(SubmitResponseSchema, { requestId: request.requestId, acceptedNew: fresh });
  }

  /** Infer, bounded by the number of calls waiting on this replica. */
  private async infer(req: InferRequest, call: grpc.ServerUnaryCall<InferRequest, InferResponse>): Promise<InferResponse> {
    const release = this.inferSlots.take();
    if (!release) {
      throw status(
        grpc.status.RESOURCE_EXHAUSTED,
        `too many waiting Infer calls on this replica (limit ${this.inferSlots.limit}); retry later or use Submit + GetResponse`,
      );
    }
    try {
      return await this.inferAndWait(req, call);
    } finally {
      release();
    }
  }

  private async inferAndWait(req: InferRequest, call: grpc.ServerUnaryCall<InferRequest, InferResponse>): Promise<InferResponse> {
    const { request, admitted } = await this.admitted(call.metadata, req.request, { callDeadlineMs: callDeadlineMs(call) });
    const waitMs = Math.min(callRemainingMs(call), remainingMs(request.deadline), this.config.inferTimeoutMs);
    // Listen from the start: the client may go away while the request is being accepted.
    let onCancel: () => void = () => undefined;
    const cancelled = new Promise<never>((_, reject) => {
      onCancel = () => reject(status(grpc.status.CANCELLED, 'call cancelled by the client'));
    });
    // It may reject before (or without) being raced below; the race reports it.
    cancelled.catch(() => undefined);
    if (call.cancelled) onCancel();
    else call.once('cancelled', onCancel);
    const waiter = this.waiters.waitFor(request.requestId);
    let fresh = false;
    let answered = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      fresh = await this.accept.accept(request, { fresh: admitted.fresh });
      if (!fresh) {
        const stored = await this.accept.storedResponse(request.requestId);
        if (stored) {
          answered = true;
          return inferResult(stored);
        }
      }
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(status(grpc.status.DEADLINE_EXCEEDED, `no response within ${Math.round(waitMs)} ms; request ${request.requestId} is still in flight (use GetResponse)`)),
          Math.max(0, waitMs),
        );
      });
      const response: InferenceResponse = await Promise.race([waiter.response, timeout, cancelled]);
      answered = true;
      // Charged now, so the caller's next request sees it (the usage consumer finds it done).
      this.door.recordUsageLater(response);
      return inferResult(response);
    } finally {
      clearTimeout(timer);
      waiter.cancel();
      call.removeListener('cancelled', onCancel);
      // grpc-js also reports a call that passed its deadline as cancelled; that request carries
      // the deadline itself, so only a client's cancellation (or disconnect) is recorded.
      if (fresh && !answered && call.cancelled && callRemainingMs(call) > 0) this.recordCancel(request.requestId);
    }
  }

  /** Records a caller's cancellation; a Redis failure only costs the saving, so it is logged. */
  private recordCancel(requestId: string): void {
    this.accept.cancel(requestId).catch((err: unknown) => {
      this.logger.warn(`cannot record the cancellation of ${requestId}: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  /** Feedback on the answer to one of the caller's own requests (llm.feedback.v1). */
  private async scoreAnswer(req: FeedbackRequest, metadata: grpc.Metadata): Promise<FeedbackResponse> {
    const { tenantId } = await this.door.caller(grpcSecret(metadata), GRPC_KEY_HINT);
    try {
      const { model } = await this.feedback.submit(tenantId, { requestId: req.requestId, score: req.score, label: req.label, source: req.source });
      return create(FeedbackResponseSchema, { model });
    } catch (err) {
      if (!(err instanceof FeedbackRefused)) throw err;
      const code = err.kind === 'invalid' ? grpc.status.INVALID_ARGUMENT : err.kind === 'not_found' ? grpc.status.NOT_FOUND : grpc.status.FAILED_PRECONDITION;
      throw status(code, err.message);
    }
  }

  /**
   * The stored response of one of the caller's own requests. Another tenant's request id is
   * answered exactly like an unknown one (NOT_FOUND).
   */
  private async getResponse(req: GetResponseRequest, metadata: grpc.Metadata): Promise<GetResponseResponse> {
    const { tenantId } = await this.door.caller(grpcSecret(metadata), GRPC_KEY_HINT);
    if (!req.requestId) throw status(grpc.status.INVALID_ARGUMENT, 'request_id is required');
    // Three reads, pipelined into one round trip by the Redis client.
    const [stored, [owner], accepted] = await Promise.all([this.accept.storedResponse(req.requestId), this.door.owners([req.requestId]), this.accept.wasAccepted(req.requestId)]);
    const unknown = status(grpc.status.NOT_FOUND, `no request ${req.requestId} is known`);
    if (!this.door.mayRead(tenantId, owner, stored)) throw unknown;
    if (stored) return create(GetResponseResponseSchema, { ready: true, response: stored });
    if (!accepted) throw unknown;
    return create(GetResponseResponseSchema, { ready: false });
  }

  /**
   * One ack per request, in order; a bad request gets an ack with `error` and the stream goes
   * on. At most `caps.submitStreamInFlight` submissions are unacknowledged at once: reading
   * pauses at that many (and while the client is not reading its acks), so a fast producer is
   * held back by HTTP/2 flow control instead of filling this replica's memory.
   */
  private submitStream(call: grpc.ServerDuplexStream<SubmitStreamRequest, SubmitStreamResponse>): void {
    call.on('error', () => undefined);
    const release = this.streamSlots.take();
    if (!release) {
      failStream(call, status(grpc.status.RESOURCE_EXHAUSTED, `too many open streams on this replica (limit ${this.streamSlots.limit}); retry later`));
      return;
    }
    const maxInFlight = this.config.caps.submitStreamInFlight;
    let inFlight = 0;
    let writeBlocked = false;
    let paused = false;
    let closed = false;
    let chain = Promise.resolve();
    const close = () => {
      closed = true;
      release();
    };
    const flow = () => {
      const hold = !closed && (inFlight >= maxInFlight || writeBlocked);
      if (hold && !paused) call.pause();
      else if (!hold && paused) call.resume();
      paused = hold;
    };
    const then = (step: () => Promise<void> | void) => {
      chain = chain.then(step).catch((err: unknown) => this.logger.warn(`SubmitStream: ${err instanceof Error ? err.message : String(err)}`));
    };
    call.on('data', (msg: SubmitStreamRequest) => {
      inFlight++;
      flow();
      const ack = this.submitAck(msg, call.metadata);
      then(async () => {
        const response = await ack;
        inFlight--;
        // A write to a cancelled call is never flushed; it would only sit in memory.
        if (closed || call.cancelled) return;
        if (!call.write(response)) {
          writeBlocked = true;
          call.once('drain', () => {
            writeBlocked = false;
            flow();
          });
        }
        flow();
      });
    });
    call.on('end', () =>
      then(() => {
        if (!closed && !call.cancelled) call.end();
        close();
      }),
    );
    call.on('cancelled', close);
    call.on('close', close);
  }

  /** The ack of one SubmitStream message; never rejects (a failure is the ack's `error`). */
  private async submitAck(msg: SubmitStreamRequest, metadata: grpc.Metadata): Promise<SubmitStreamResponse> {
    let requestId = msg.request?.requestId ?? '';
    try {
      const { request, admitted } = await this.admitted(metadata, msg.request);
      requestId = request.requestId;
      const fresh = await this.accept.accept(request, { fresh: admitted.fresh });
      return create(SubmitStreamResponseSchema, { requestId, acceptedNew: fresh });
    } catch (err) {
      return create(SubmitStreamResponseSchema, { requestId, error: toGrpcError(err).details });
    }
  }

  /**
   * Streams responses for a batch or a set of request ids; ends when every listed id is
   * answered. Each listed id is tracked until it is sent (then dropped), a batch stream
   * remembers only recent ids, and a client that stops reading is cut off once
   * `caps.streamResponsesBuffered` responses wait for it.
   */
  private streamResponses(call: grpc.ServerWritableStream<StreamResponsesRequest, StreamResponsesResponse>): void {
    call.on('error', () => undefined);
    const req = call.request;
    const caps = this.config.caps;
    if (!req.batchId && req.requestIds.length === 0) {
      failStream(call, status(grpc.status.INVALID_ARGUMENT, 'give batch_id or request_ids'));
      return;
    }
    if (req.requestIds.length > caps.streamResponsesIds) {
      failStream(
        call,
        status(grpc.status.INVALID_ARGUMENT, `request_ids lists ${req.requestIds.length} ids; the limit is ${caps.streamResponsesIds} per StreamResponses call (split them over several calls)`),
      );
      return;
    }
    const release = this.streamSlots.take();
    if (!release) {
      failStream(call, status(grpc.status.RESOURCE_EXHAUSTED, `too many open streams on this replica (limit ${this.streamSlots.limit}); retry later`));
      return;
    }
    const pending = new Set(req.requestIds);
    const recent = req.batchId ? new RecentIds(1024) : undefined;
    let done = false;
    let stop: () => void = () => undefined;
    const finish = (err?: grpc.ServiceError) => {
      if (done) return;
      done = true;
      stop();
      release();
      if (call.cancelled) return;
      if (err) failStream(call, err);
      else call.end();
    };
    const send = (response: InferenceResponse) => {
      if (done) return;
      const id = response.requestId;
      // A listed id is sent once: it leaves `pending` when sent, so nothing grows with what was sent.
      if (!pending.delete(id) && (!recent || recent.has(id))) return;
      recent?.add(id);
      if (call.cancelled) return finish();
      if (call.writableLength >= caps.streamResponsesBuffered) {
        return finish(
          status(grpc.status.RESOURCE_EXHAUSTED, `the client is not reading: ${call.writableLength} responses are queued (limit ${caps.streamResponsesBuffered}); read faster or use GetResponse`),
        );
      }
      call.write(create(StreamResponsesResponseSchema, { response }));
      if (!req.batchId && pending.size === 0) finish();
    };
    // Only the caller's own responses are sent: another tenant's request ids are treated like
    // unknown ones (never answered), and a batch stream skips other tenants' responses. Until the
    // caller is known (one round trip), responses that arrive wait here.
    let allowed: ((response: InferenceResponse) => boolean) | undefined;
    const early: InferenceResponse[] = [];
    const deliver = (response: InferenceResponse) => {
      if (!allowed) early.push(response);
      else if (allowed(response)) send(response);
    };
    stop = this.waiters.watch({ batchId: req.batchId, requestIds: req.requestIds }, deliver);
    call.on('cancelled', () => finish());
    call.on('close', () => finish());
    const start = async () => {
      const { tenantId } = await this.door.caller(grpcSecret(call.metadata), GRPC_KEY_HINT);
      const owners = new Map<string, string | undefined>();
      const listed = [...pending];
      (await this.door.owners(listed)).forEach((owner, i) => owners.set(listed[i]!, owner));
      allowed = (response) =>
        owners.has(response.requestId) ? this.door.mayRead(tenantId, owners.get(response.requestId), response) : req.batchId !== '' && this.door.owns(tenantId, response);
      for (const r of early.splice(0)) if (allowed(r)) send(r);
      // Responses that completed before the call: read them from the store.
      const stored = await Promise.all(listed.map((id) => this.accept.storedResponse(id)));
      for (const r of stored) if (r && allowed(r)) send(r);
    };
    // A refused caller or a Redis failure ends this call (the client may retry), never the process.
    start().catch((err: unknown) =>
      finish(err instanceof DoorRefused ? refusalError(err) : status(grpc.status.UNAVAILABLE, `cannot read stored responses: ${err instanceof Error ? err.message : String(err)}; retry the call`)),
    );
  }
}
