import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { bool, commonConfig, commonEnv, int, parseEnv, z, type CommonConfig } from '@yardmaster/config';
import { MessageLimits } from '@yardmaster/contracts';

/** The router's catalog in this checkout (`services/router/catalog.yaml`); this file compiles to `services/ingress/dist/`. */
export const defaultCatalogPath = resolve(__dirname, '..', '..', 'router', 'catalog.yaml');

const schema = z.object({
  ...commonEnv,
  GRPC_PORT: int(0, 65535).default(50051),
  GRPC_HOST: z.string().default('0.0.0.0'),
  /** Largest encoded request accepted. */
  // At most MessageLimits.maxRequestBytes: the topics leave room for what later hops add.
  MAX_REQUEST_BYTES: int(1024, MessageLimits.maxRequestBytes).default(1024 * 1024),
  MAX_MESSAGES: int(1, 10000).default(512),
  /** How long Infer waits when neither the call nor the request sets a deadline. */
  INFER_TIMEOUT_MS: int(100, 3600000).default(120000),
  /** Furthest in the future a request deadline may be. */
  MAX_DEADLINE_MS: int(1000, 7 * 24 * 3600 * 1000).default(24 * 3600 * 1000),
  /** How long a request_id is remembered for idempotent resubmission. */
  ACCEPT_TTL_S: int(60, 30 * 24 * 3600).default(24 * 3600),
  /** Names this replica's response consumer group; defaults to host name and pid. */
  INGRESS_REPLICA_ID: z.string().regex(/^[A-Za-z0-9._-]+$/).optional(),
  /** Infer calls waiting at once on this replica; more are refused with RESOURCE_EXHAUSTED. */
  MAX_WAITING_INFER: int(1, 1_000_000).default(10000),
  /** SubmitStream and StreamResponses calls open at once on this replica. */
  MAX_STREAMS: int(1, 100_000).default(1000),
  /** Unacknowledged submissions per SubmitStream call; reading pauses at this many. */
  SUBMIT_STREAM_MAX_IN_FLIGHT: int(1, 100_000).default(256),
  /** request_ids one StreamResponses call may list. */
  STREAM_RESPONSES_MAX_IDS: int(1, 1_000_000).default(10000),
  /** Responses queued for a StreamResponses client that does not read; beyond it the call ends. */
  STREAM_RESPONSES_MAX_BUFFERED: int(1, 1_000_000).default(1000),
  /** `required`: every call needs an API key; `disabled`: no keys, every caller is INGRESS_DEFAULT_TENANT (local development only). */
  INGRESS_AUTH: z.enum(['required', 'disabled']).default('required'),
  /** The tenant of callers when authentication is disabled, and of responses to requests that name no tenant. */
  INGRESS_DEFAULT_TENANT: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, '1-64 letters, digits, ".", "_" or "-"').default('default'),
  /** Charge the usage of every final response (fire-and-forget Submit included) from llm.responses.v1, in one shared consumer group. */
  INGRESS_USAGE_FROM_TOPIC: bool().default(true),
  /** The model catalog (for GET /v1/models and for checking `model` at the door). */
  CATALOG_PATH: z.string().default(defaultCatalogPath),
});

/** Who may call, and as which tenant. */
export interface IngressAccess {
  /** `required`: an API key on every call; `disabled`: none, every caller is `defaultTenant`. */
  auth: 'required' | 'disabled';
  defaultTenant: string;
  /** Charge usage from llm.responses.v1 (covers Submit, whose caller does not wait). */
  usageFromTopic: boolean;
}

/** The defaults of {@link IngressAccess}. */
export const defaultAccess: Readonly<IngressAccess> = Object.freeze({ auth: 'required', defaultTenant: 'default', usageFromTopic: true });

/** Caps that bound what one replica holds in memory for its callers. */
export interface IngressCaps {
  waitingInfer: number;
  streams: number;
  submitStreamInFlight: number;
  streamResponsesIds: number;
  streamResponsesBuffered: number;
}

/** The defaults of {@link IngressCaps} (what the environment gives when unset). */
export const defaultCaps: Readonly<IngressCaps> = Object.freeze({
  waitingInfer: 10000,
  streams: 1000,
  submitStreamInFlight: 256,
  streamResponsesIds: 10000,
  streamResponsesBuffered: 1000,
});

/** Ingress's validated configuration. */
export class IngressConfig {
  constructor(
    readonly common: CommonConfig,
    readonly grpc: { host: string; port: number },
    readonly limits: { maxRequestBytes: number; maxMessages: number; maxDeadlineMs: number },
    readonly inferTimeoutMs: number,
    readonly acceptTtlSeconds: number,
    readonly replicaId: string,
    readonly caps: IngressCaps = { ...defaultCaps },
    readonly access: IngressAccess = { ...defaultAccess },
    readonly catalogPath: string = defaultCatalogPath,
  ) {}

  /** @throws ConfigError listing every invalid variable. */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): IngressConfig {
    const e = parseEnv(schema, env);
    return new IngressConfig(
      commonConfig(e, 'ingress'),
      { host: e.GRPC_HOST, port: e.GRPC_PORT },
      { maxRequestBytes: e.MAX_REQUEST_BYTES, maxMessages: e.MAX_MESSAGES, maxDeadlineMs: e.MAX_DEADLINE_MS },
      e.INFER_TIMEOUT_MS,
      e.ACCEPT_TTL_S,
      e.INGRESS_REPLICA_ID ?? `${hostname()}-${process.pid}`,
      {
        waitingInfer: e.MAX_WAITING_INFER,
        streams: e.MAX_STREAMS,
        submitStreamInFlight: e.SUBMIT_STREAM_MAX_IN_FLIGHT,
        streamResponsesIds: e.STREAM_RESPONSES_MAX_IDS,
        streamResponsesBuffered: e.STREAM_RESPONSES_MAX_BUFFERED,
      },
      { auth: e.INGRESS_AUTH, defaultTenant: e.INGRESS_DEFAULT_TENANT, usageFromTopic: e.INGRESS_USAGE_FROM_TOPIC },
      e.CATALOG_PATH,
    );
  }
}
