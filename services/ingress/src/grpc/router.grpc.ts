import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import {
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
  type GetResponseRequest,
  type GetResponseResponse,
  type InferRequest,
  type InferResponse,
  type InferenceResponse,
  type StreamResponsesRequest,
  type StreamResponsesResponse,
  type SubmitRequest,
  type SubmitResponse,
  type SubmitStreamRequest,
  type SubmitStreamResponse,
} from '@yardmaster/contracts';
import { Readiness } from '@yardmaster/service-kit';
import { AcceptService, Unavailable } from '../accept/accept.service.js';
import { RequestRejected } from '../accept/validate.js';
import { IngressConfig } from '../config.js';
import { ResponseWaiters } from '../wait/response-waiters.js';

/** A gRPC error with a status code, as grpc-js expects. */
function status(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

/** Maps what the handlers throw to gRPC statuses (in one place). */
export function toGrpcError(err: unknown): grpc.ServiceError {
  // Oversized-but-parsable requests are INVALID_ARGUMENT with the limit; grpc-js itself answers
  // RESOURCE_EXHAUSTED beyond its transport limit.
  if (err instanceof RequestRejected) return status(grpc.status.INVALID_ARGUMENT, err.message);
  if (err instanceof Unavailable) return status(grpc.status.UNAVAILABLE, err.message);
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

/** Milliseconds until the gRPC call's deadline (Infinity when the client set none). */
function callRemainingMs(call: { getDeadline(): grpc.Deadline }): number {
  const d = call.getDeadline();
  if (d instanceof Date) return d.getTime() - Date.now();
  if (typeof d === 'number' && Number.isFinite(d)) return d - Date.now();
  return Number.POSITIVE_INFINITY;
}

/** The gRPC RouterService over @grpc/grpc-js. */
@Injectable()
export class RouterGrpcServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RouterGrpcServer.name);
  private server: grpc.Server | undefined;
  /** The bound port (useful when configured as 0). */
  port = 0;

  constructor(
    @Inject(AcceptService) private readonly accept: AcceptService,
    @Inject(ResponseWaiters) private readonly waiters: ResponseWaiters,
    @Inject(IngressConfig) private readonly config: IngressConfig,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // grpc-js rejects bigger messages itself (RESOURCE_EXHAUSTED); below that, validation gives the precise error.
    const server = new grpc.Server({ 'grpc.max_receive_message_length': this.config.limits.maxRequestBytes * 2 + 1024 });
    server.addService(grpcServiceDefinition(RouterService), {
      submit: unary((req: SubmitRequest) => this.submit(req)),
      infer: unary((req: InferRequest, call) => this.infer(req, call)),
      getResponse: unary((req: GetResponseRequest) => this.getResponse(req)),
      submitStream: (call: grpc.ServerDuplexStream<SubmitStreamRequest, SubmitStreamResponse>) => this.submitStream(call),
      streamResponses: (call: grpc.ServerWritableStream<StreamResponsesRequest, StreamResponsesResponse>) => this.streamResponses(call),
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

  private async submit(req: SubmitRequest): Promise<SubmitResponse> {
    const request = this.accept.prepare(req.request);
    const fresh = await this.accept.accept(request);
    return create(SubmitResponseSchema, { requestId: request.requestId, acceptedNew: fresh });
  }

  private async infer(req: InferRequest, call: grpc.ServerUnaryCall<InferRequest, InferResponse>): Promise<InferResponse> {
    const request = this.accept.prepare(req.request);
    const waitMs = Math.min(callRemainingMs(call), remainingMs(request.deadline), this.config.inferTimeoutMs);
    const waiter = this.waiters.waitFor(request.requestId);
    try {
      const fresh = await this.accept.accept(request);
      if (!fresh) {
        const stored = await this.accept.storedResponse(request.requestId);
        if (stored) return inferResult(stored);
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(status(grpc.status.DEADLINE_EXCEEDED, `no response within ${Math.round(waitMs)} ms; request ${request.requestId} is still in flight (use GetResponse)`)),
          Math.max(0, waitMs),
        );
      });
      const cancelled = new Promise<never>((_, reject) => call.once('cancelled', () => reject(status(grpc.status.CANCELLED, 'call cancelled by the client'))));
      try {
        const response: InferenceResponse = await Promise.race([waiter.response, timeout, cancelled]);
        return inferResult(response);
      } finally {
        clearTimeout(timer);
      }
    } finally {
      waiter.cancel();
    }
  }

  private async getResponse(req: GetResponseRequest): Promise<GetResponseResponse> {
    if (!req.requestId) throw status(grpc.status.INVALID_ARGUMENT, 'request_id is required');
    const stored = await this.accept.storedResponse(req.requestId);
    if (stored) return create(GetResponseResponseSchema, { ready: true, response: stored });
    if (!(await this.accept.wasAccepted(req.requestId))) throw status(grpc.status.NOT_FOUND, `no request ${req.requestId} is known`);
    return create(GetResponseResponseSchema, { ready: false });
  }

  /** One ack per request, in order; a bad request gets an ack with `error` and the stream goes on. */
  private submitStream(call: grpc.ServerDuplexStream<SubmitStreamRequest, SubmitStreamResponse>): void {
    let chain = Promise.resolve();
    call.on('data', (msg: SubmitStreamRequest) => {
      let ack: Promise<SubmitStreamResponse>;
      try {
        const request = this.accept.prepare(msg.request);
        ack = this.accept.accept(request).then(
          (fresh) => create(SubmitStreamResponseSchema, { requestId: request.requestId, acceptedNew: fresh }),
          (err: unknown) => create(SubmitStreamResponseSchema, { requestId: request.requestId, error: toGrpcError(err).details }),
        );
      } catch (err) {
        ack = Promise.resolve(create(SubmitStreamResponseSchema, { requestId: msg.request?.requestId ?? '', error: toGrpcError(err).details }));
      }
      chain = chain.then(async () => {
        call.write(await ack);
      });
    });
    call.on('end', () => void chain.then(() => call.end()));
    call.on('error', () => undefined);
  }

  /** Streams responses for a batch or a set of request ids; ends when every listed id is answered. */
  private streamResponses(call: grpc.ServerWritableStream<StreamResponsesRequest, StreamResponsesResponse>): void {
    const req = call.request;
    if (!req.batchId && req.requestIds.length === 0) {
      call.destroy(status(grpc.status.INVALID_ARGUMENT, 'give batch_id or request_ids'));
      return;
    }
    const pending = new Set(req.requestIds);
    const sent = new Set<string>();
    const send = (response: InferenceResponse) => {
      if (sent.has(response.requestId)) return;
      sent.add(response.requestId);
      pending.delete(response.requestId);
      call.write(create(StreamResponsesResponseSchema, { response }));
      if (!req.batchId && pending.size === 0) {
        stop();
        call.end();
      }
    };
    const stop = this.waiters.watch({ batchId: req.batchId, requestIds: req.requestIds }, send);
    call.on('cancelled', stop);
    call.on('close', stop);
    // Responses that completed before the call: read them from the store.
    void Promise.all(req.requestIds.map(async (id) => (await this.accept.storedResponse(id)) ?? undefined)).then((done) => {
      for (const r of done) if (r) send(r);
    });
  }
}
