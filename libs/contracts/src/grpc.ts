import { fromBinary, toBinary, type DescMessage, type DescMethod, type DescService } from '@bufbuild/protobuf';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  type CallOptions,
  type Client,
  type ClientDuplexStream,
  type ClientReadableStream,
  type ServiceError,
} from '@grpc/grpc-js';
import {
  RouterService,
  type FeedbackRequest,
  type FeedbackResponse,
  type GetResponseRequest,
  type GetResponseResponse,
  type InferRequest,
  type InferResponse,
  type StreamResponsesRequest,
  type StreamResponsesResponse,
  type SubmitRequest,
  type SubmitResponse,
  type SubmitStreamRequest,
  type SubmitStreamResponse,
} from './gen/yardmaster/v1/router_service_pb.js';

function methodDefinition(service: DescService, method: DescMethod): MethodDefinition<unknown, unknown> {
  const input: DescMessage = method.input;
  const output: DescMessage = method.output;
  return {
    path: `/${service.typeName}/${method.name}`,
    requestStream: method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
    responseStream: method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
    requestSerialize: (value) => Buffer.from(toBinary(input, value as never)),
    requestDeserialize: (bytes) => fromBinary(input, bytes),
    responseSerialize: (value) => Buffer.from(toBinary(output, value as never)),
    responseDeserialize: (bytes) => fromBinary(output, bytes),
    originalName: method.localName,
  };
}

/**
 * Builds a @grpc/grpc-js service definition from a protoc-gen-es service descriptor,
 * serialising with @bufbuild/protobuf. Handlers are keyed by the method's local
 * (lowerCamelCase) name, e.g. `submit`, `getResponse`.
 */
export function grpcServiceDefinition(service: DescService): ServiceDefinition {
  const def: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) def[method.localName] = methodDefinition(service, method);
  return def;
}


type Unary<Req, Res> = (req: Req, metadata: Metadata, options: Partial<CallOptions>, cb: (err: ServiceError | null, res?: Res) => void) => { cancel(): void };

/** Options of one unary call. */
export interface UnaryCallOptions {
  /** The call's gRPC deadline, in milliseconds from now. */
  deadlineMs?: number;
  /** Cancels the call (the promise rejects with CANCELLED) when aborted. */
  signal?: AbortSignal;
}

/** A typed, promise-based client for the gRPC RouterService. */
export interface RouterClient {
  submit(req: SubmitRequest, options?: UnaryCallOptions): Promise<SubmitResponse>;
  infer(req: InferRequest, options?: UnaryCallOptions): Promise<InferResponse>;
  getResponse(req: GetResponseRequest, options?: UnaryCallOptions): Promise<GetResponseResponse>;
  feedback(req: FeedbackRequest, options?: UnaryCallOptions): Promise<FeedbackResponse>;
  submitStream(): ClientDuplexStream<SubmitStreamRequest, SubmitStreamResponse>;
  streamResponses(req: StreamResponsesRequest): ClientReadableStream<StreamResponsesResponse>;
  close(): void;
}

/**
 * Connects a RouterService client to `address` (host:port, plaintext).
 * Unary calls reject with the grpc-js ServiceError (its `code` is the gRPC status).
 */
export function createRouterClient(address: string, options: Record<string, unknown> = {}): RouterClient {
  const Ctor = makeGenericClientConstructor(grpcServiceDefinition(RouterService), 'RouterService');
  const client = new Ctor(address, credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * 1024 * 1024, ...options }) as Client & Record<string, unknown>;
  const call =
    <Req, Res>(name: string) =>
    (req: Req, opts?: UnaryCallOptions): Promise<Res> =>
      new Promise<Res>((resolve, reject) => {
        const fn = (client[name] as Unary<Req, Res>).bind(client);
        const signal = opts?.signal;
        const onAbort = () => call.cancel();
        const call = fn(req, new Metadata(), opts?.deadlineMs ? { deadline: Date.now() + opts.deadlineMs } : {}, (err, res) => {
          signal?.removeEventListener('abort', onAbort);
          if (err) reject(err);
          else resolve(res as Res);
        });
        if (signal?.aborted) call.cancel();
        else signal?.addEventListener('abort', onAbort, { once: true });
      });
  return {
    submit: call<SubmitRequest, SubmitResponse>('submit'),
    infer: call<InferRequest, InferResponse>('infer'),
    getResponse: call<GetResponseRequest, GetResponseResponse>('getResponse'),
    feedback: call<FeedbackRequest, FeedbackResponse>('feedback'),
    submitStream: () => (client['submitStream'] as () => ClientDuplexStream<SubmitStreamRequest, SubmitStreamResponse>).call(client),
    streamResponses: (req) => (client['streamResponses'] as (r: StreamResponsesRequest) => ClientReadableStream<StreamResponsesResponse>).call(client, req),
    close: () => client.close(),
  };
}
