import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Bus } from '@switchyard/bus';
import { InferenceResponseSchema, StoreKeys, Topics, fromBinary, timestampNow, type InferenceRequest, type InferenceResponse } from '@switchyard/contracts';
import { Store } from '@switchyard/store';
import { withSpan, Attr } from '@switchyard/telemetry';
import { IngressConfig } from '../config.js';
import { validateRequest } from './validate.js';

/** Thrown when Kafka or Redis cannot take the request right now. */
export class Unavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Unavailable';
  }
}

/**
 * Accepts requests: validates, fills in id/tenant/time, remembers the request_id (so a
 * resubmission is not published twice) and publishes to llm.requests.v1.
 */
@Injectable()
export class AcceptService {
  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(Store) private readonly store: Store,
    @Inject(IngressConfig) private readonly config: IngressConfig,
  ) {}

  /** Validates and fills defaults; throws RequestRejected. */
  prepare(input: InferenceRequest | undefined): InferenceRequest {
    const request = validateRequest(input, this.config.limits);
    if (!request.requestId) request.requestId = randomUUID();
    if (!request.tenantId) request.tenantId = 'default';
    request.createdAt = timestampNow();
    return request;
  }

  /**
   * Publishes a prepared request unless its request_id was accepted before.
   * @returns whether it was new.
   * @throws Unavailable when Kafka or Redis fail (the claim is released so a retry works).
   */
  async accept(request: InferenceRequest): Promise<boolean> {
    return withSpan('ingress accept', { attributes: { [Attr.requestId]: request.requestId, [Attr.tenantId]: request.tenantId } }, async (span) => {
      let fresh: boolean;
      try {
        fresh = await this.store.setIfAbsent(StoreKeys.accepted(request.requestId), '1', this.config.acceptTtlSeconds);
      } catch (err) {
        throw new Unavailable(`cannot record the request: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      span.setAttribute(Attr.duplicate, !fresh);
      if (!fresh) return false;
      try {
        await this.bus.publish(Topics.requests, request.requestId, request);
      } catch (err) {
        await this.store.del(StoreKeys.accepted(request.requestId)).catch(() => undefined);
        throw new Unavailable(`cannot publish the request: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      return true;
    });
  }

  /** The stored final response, or null while the request is in flight. */
  async storedResponse(requestId: string): Promise<InferenceResponse | null> {
    const bytes = await this.store.getBuffer(StoreKeys.response(requestId));
    return bytes ? fromBinary(InferenceResponseSchema, bytes) : null;
  }

  /** Whether a request_id was accepted (and is still remembered). */
  wasAccepted(requestId: string): Promise<boolean> {
    return this.store.exists(StoreKeys.accepted(requestId));
  }
}
