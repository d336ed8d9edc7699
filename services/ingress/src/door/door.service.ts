import { Inject, Injectable, Logger } from '@nestjs/common';
import type { InferenceRequest, InferenceResponse } from '@yardmaster/contracts';
import { AdmissionControl, ApiKeys, hashApiKey, type ApiKeyRecord, type DoorLimit, type RateState } from '@yardmaster/store';
import { IngressConfig } from '../config.js';

/** How many request ids charged at the door a replica remembers (about a minute at 1,000 requests/s). */
const CHARGED_HERE_MAX = 65_536;

/** Why the door refused a call; each maps to one gRPC status and one HTTP status. */
export type RefusalKind =
  /** No key, a malformed, unknown or revoked key (gRPC UNAUTHENTICATED, HTTP 401). */
  | 'unauthenticated'
  /** The request id belongs to another tenant (gRPC ALREADY_EXISTS, HTTP 409). */
  | 'conflict'
  /** The tenant reused a request id (an idempotency key) for a different request (gRPC ALREADY_EXISTS, HTTP 422). */
  | 'mismatch'
  /** The body names a tenant other than the key's (gRPC INVALID_ARGUMENT, HTTP 400). */
  | 'tenant_mismatch'
  /** A rate limit or budget (gRPC RESOURCE_EXHAUSTED, HTTP 429 with Retry-After). */
  | 'limited';

/** The door's refusal: a message safe to show the caller (never the key itself). */
export class DoorRefused extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
    /** A stable code for the caller (`invalid_api_key`, `rate_limit_exceeded`…). */
    readonly code: string,
    readonly limit?: {
      readonly limit: DoorLimit;
      readonly retryAfterMs: number;
      readonly requests?: RateState;
      readonly tokens?: RateState;
    },
  ) {
    super(message);
    this.name = 'DoorRefused';
  }
}

/** A caller let in: its tenant, its key (none when authentication is disabled) and the limits' state. */
export interface Admitted {
  readonly tenantId: string;
  readonly key?: ApiKeyRecord;
  /** False when the tenant sent this request id before (a retry). */
  readonly fresh: boolean;
  readonly requests?: RateState;
  readonly tokens?: RateState;
}

const LIMIT_TEXT: Record<DoorLimit, (value: number) => string> = {
  requests_per_minute: (v) => `${v} requests per minute`,
  tokens_per_minute: (v) => `${v} tokens per minute`,
  daily_budget_usd: (v) => `a budget of $${v} per UTC day`,
  monthly_budget_usd: (v) => `a budget of $${v} per UTC month`,
};

/** The refusal of a spent limit: which one, whose, how much was used, when to come back. */
function limitedRefusal(a: { tenantId: string; keyId: string | undefined; limit: DoorLimit; value: number; used: number; retryAfterMs: number; requests?: RateState; tokens?: RateState }): DoorRefused {
  const seconds = Math.ceil(a.retryAfterMs / 1000);
  const usd = a.limit.endsWith('_usd');
  const used = usd ? `$${a.used.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')} spent` : `${a.used} used`;
  const who = a.keyId === undefined ? `tenant ${a.tenantId}` : `API key ${a.keyId} (tenant ${a.tenantId})`;
  const what = usd ? 'budget spent' : 'rate limit reached';
  return new DoorRefused('limited', `${what}: ${who} allows ${LIMIT_TEXT[a.limit](a.value)} (${used}); retry in ${seconds} s`, usd ? 'budget_exceeded' : 'rate_limit_exceeded', {
    limit: a.limit,
    retryAfterMs: a.retryAfterMs,
    ...(a.requests ? { requests: a.requests } : {}),
    ...(a.tokens ? { tokens: a.tokens } : {}),
  });
}

/** What the `Authorization` value carries: `Bearer <key>` (the scheme is case-insensitive). */
export function bearerToken(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(value);
  return m ? m[1] : undefined;
}

/**
 * Both doors' gatekeeper: who is calling (the tenant comes from the API key, never from the
 * body), whether the request id is theirs, and the rate limits and budgets - one Redis round
 * trip per request ({@link AdmissionControl.admit}). With `INGRESS_AUTH=disabled` every caller
 * is the default tenant and no key is needed. Messages never contain a key.
 */
@Injectable()
export class DoorService {
  private readonly logger = new Logger(DoorService.name);
  /** Request ids this replica charged at the door, oldest first. */
  private readonly charged = new Set<string>();

  constructor(
    @Inject(AdmissionControl) private readonly admission: AdmissionControl,
    @Inject(ApiKeys) private readonly keys: ApiKeys,
    @Inject(IngressConfig) private readonly config: IngressConfig,
  ) {}

  /** Whether callers must present an API key. */
  get authRequired(): boolean {
    return this.config.access.auth === 'required';
  }

  /**
   * Whether the usage consumer charges every final response from llm.responses.v1 (then no
   * other place needs to; charging twice is harmless but costs a round trip).
   */
  get chargesFromTopic(): boolean {
    return this.config.access.usageFromTopic && this.authRequired;
  }

  /** The tenant of responses to requests that named none (published straight to Kafka). */
  get defaultTenant(): string {
    return this.config.access.defaultTenant;
  }

  private missing(where: string): DoorRefused {
    return new DoorRefused('unauthenticated', `missing API key: send it ${where}`, 'missing_api_key');
  }

  /**
   * Authenticates a caller for reads (GetResponse, StreamResponses, GET /v1/models): one
   * round trip when a key is required.
   * @param secret the presented key, undefined when none was sent.
   * @param where how to send a key, for the error message.
   * @throws DoorRefused(unauthenticated)
   */
  async caller(secret: string | undefined, where: string): Promise<{ tenantId: string; key?: ApiKeyRecord }> {
    if (!this.authRequired) return { tenantId: this.defaultTenant };
    if (secret === undefined) throw this.missing(where);
    const key = await this.keys.authenticate(secret);
    if (!key) throw new DoorRefused('unauthenticated', 'invalid API key', 'invalid_api_key');
    if (key.revoked) throw new DoorRefused('unauthenticated', `API key ${key.id} was revoked`, 'revoked_api_key');
    return { tenantId: key.tenantId, key };
  }

  /**
   * Lets a validated request in: authenticates, gives its request id to the caller's tenant,
   * checks the limits, and sets `request.tenantId` to the key's tenant.
   * @param bodyTenant the tenant the body named ('' for none): refused when it is not the caller's.
   * @param fingerprint a digest of the request for idempotency keys (a reused key with another body is refused).
   * @throws DoorRefused
   */
  async admit(secret: string | undefined, request: InferenceRequest, options: { bodyTenant: string; where: string; fingerprint?: string }): Promise<Admitted> {
    const a = await this.admitId(secret, request.requestId, { where: options.where, ttlSeconds: this.config.acceptTtlSeconds, ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}) });
    if (options.bodyTenant !== '' && options.bodyTenant !== a.tenantId) {
      throw new DoorRefused(
        'tenant_mismatch',
        `tenant_id "${options.bodyTenant}" is not the tenant of the ${this.authRequired ? 'API key' : 'caller'}; leave tenant_id empty (the tenant comes from the key)`,
        'tenant_mismatch',
      );
    }
    request.tenantId = a.tenantId;
    return a;
  }

  /**
   * Lets a batch in like a request: its id becomes a request id owned by the caller (key and
   * tenant), for `ttlSeconds` (the completion window and some grace), after the same checks and
   * limits as a request. Its lines, never admitted one by one, are charged through this record.
   * @throws DoorRefused
   */
  admitBatch(secret: string | undefined, batchId: string, options: { where: string; ttlSeconds: number }): Promise<Admitted> {
    return this.admitId(secret, batchId, options);
  }

  /**
   * A running batch's budget: a `limited` refusal (the same words as at the door) when the daily
   * or monthly budget of the key or tenant that created it is spent, else undefined. One round trip.
   */
  async budgetSpent(batchId: string): Promise<DoorRefused | undefined> {
    const b = await this.admission.budget(batchId);
    if (b.outcome !== 'spent') return undefined;
    return limitedRefusal({ ...b, keyId: b.scope === 'key' ? b.keyId : undefined });
  }

  private async admitId(secret: string | undefined, requestId: string, options: { where: string; ttlSeconds: number; fingerprint?: string }): Promise<Admitted> {
    if (this.authRequired && secret === undefined) throw this.missing(options.where);
    const a = await this.admission.admit({
      ...(this.authRequired ? { keyHash: hashApiKey(secret!) } : { tenantId: this.defaultTenant }),
      requestId,
      ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}),
      ttlSeconds: options.ttlSeconds,
    });
    switch (a.outcome) {
      case 'unknown_key':
        throw new DoorRefused('unauthenticated', 'invalid API key', 'invalid_api_key');
      case 'revoked_key':
        throw new DoorRefused('unauthenticated', `API key ${a.key.id} was revoked`, 'revoked_api_key');
      case 'conflict':
        throw new DoorRefused('conflict', `request id "${requestId}" is already in use; choose another`, 'request_id_in_use');
      case 'mismatch':
        throw new DoorRefused('mismatch', `request id "${requestId}" was used before for a different request; an idempotency key may only be retried with the same request`, 'idempotency_key_reused');
      case 'limited':
        throw limitedRefusal({ ...a, keyId: a.scope === 'key' ? a.key?.id : undefined });
      case 'admitted':
        return { tenantId: a.tenantId, fresh: a.fresh, ...(a.key ? { key: a.key } : {}), ...(a.requests ? { requests: a.requests } : {}), ...(a.tokens ? { tokens: a.tokens } : {}) };
    }
  }

  /** Tenants owning these request ids, as far as the door knows (one round trip). */
  owners(requestIds: readonly string[]): Promise<(string | undefined)[]> {
    return this.admission.owners(requestIds);
  }

  /**
   * Whether `tenantId` may read a request's response: the tenant the door gave the id to, or
   * (for requests published straight to Kafka) the tenant the stored response names, the
   * default tenant when it names none. Anyone else is answered as if the id were unknown.
   */
  mayRead(tenantId: string, owner: string | undefined, stored: InferenceResponse | null): boolean {
    if (owner !== undefined) return owner === tenantId;
    if (stored) return (stored.tenantId || this.defaultTenant) === tenantId;
    return false;
  }

  /** Whether a response to stream belongs to `tenantId` (batch streams see every response of a batch id). */
  owns(tenantId: string, response: InferenceResponse): boolean {
    return (response.tenantId || this.defaultTenant) === tenantId;
  }

  /**
   * Charges a final response's tokens and cost to the key that sent it (once per request id,
   * however many replicas or consumers see it). Failures are logged, never thrown: the answer
   * was delivered; only the accounting is late (the usage consumer retries it).
   */
  recordUsage(response: InferenceResponse): Promise<boolean> {
    const tokens = response.usage ? response.usage.totalTokens || response.usage.inputTokens + response.usage.outputTokens : 0;
    if (tokens === 0 && response.costUsd === 0) return Promise.resolve(false);
    // A batch line (request id `<batch id>-<index>`) has no owner record of its own: it is charged to its batch's.
    const batchLine = response.batchId !== '' && response.requestId.startsWith(`${response.batchId}-`);
    return this.admission.recordUsage({ requestId: response.requestId, tokens, costUsd: response.costUsd, ...(batchLine ? { batchId: response.batchId } : {}) });
  }

  /**
   * {@link recordUsage} without waiting; a failure is logged. A request charged here is
   * remembered (the last {@link CHARGED_HERE_MAX}), so this replica's usage consumer skips its
   * response without decoding it or asking Redis again; any other replica's consumer that sees
   * it finds the charge done in Redis.
   */
  recordUsageLater(response: InferenceResponse): void {
    this.recordUsage(response).then(
      () => this.rememberCharged(response.requestId),
      (err: unknown) => {
        this.logger.warn(`cannot record the usage of ${response.requestId}: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  }

  /** Whether this replica charged the request already (its usage consumer may skip the response). */
  chargedHere(requestId: string): boolean {
    return this.charged.has(requestId);
  }

  private rememberCharged(requestId: string): void {
    this.charged.add(requestId);
    if (this.charged.size > CHARGED_HERE_MAX) {
      // A Set iterates in insertion order: drop the oldest.
      const oldest = this.charged.values().next().value;
      if (oldest !== undefined) this.charged.delete(oldest);
    }
  }
}
