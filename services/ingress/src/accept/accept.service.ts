import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Bus } from '@yardmaster/bus';
import {
  InferenceResponseSchema,
  Topics,
  fromBinary,
  remainingMs,
  timestampFromMs,
  timestampNow,
  type InferenceRequest,
  type InferenceResponse,
} from '@yardmaster/contracts';
import { PipelineState } from '@yardmaster/store';
import { withSpan, Attr } from '@yardmaster/telemetry';
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
    @Inject(PipelineState) private readonly state: PipelineState,
    @Inject(IngressConfig) private readonly config: IngressConfig,
  ) {}

  /**
   * Validates and fills defaults; throws RequestRejected.
   * @param options.callDeadlineMs the caller's own deadline (epoch ms), e.g. an Infer call's
   *   gRPC deadline: it becomes the request's deadline when the request has none or a later one.
   */
  prepare(input: InferenceRequest | undefined, options: { callDeadlineMs?: number } = {}): InferenceRequest {
    const request = validateRequest(input, this.config.limits);
    if (!request.requestId) request.requestId = randomUUID();
    if (!request.tenantId) request.tenantId = 'default';
    request.createdAt = timestampNow();
    const callDeadline = options.callDeadlineMs;
    // Nobody waits for the answer after the caller's deadline, so every stage should drop the
    // work then (stages check request.deadline) instead of spending on it.
    if (callDeadline !== undefined && Number.isFinite(callDeadline) && callDeadline - Date.now() < remainingMs(request.deadline)) {
      request.deadline = timestampFromMs(callDeadline);
    }
    return request;
  }

  /**
   * Publishes a prepared request unless its request_id was accepted before.
   * @param options.fresh the door has just given this request id to its caller for the first
   *   time (`Admitted.fresh`, from the same atomic script that records ownership): no earlier
   *   attempt can have published it, so the `pending` marker is written beside the publish
   *   rather than before it, one Redis round trip fewer before the request reaches Kafka.
   * @returns whether it was new.
   * @throws Unavailable when Kafka or Redis fail (the claim is released so a retry works).
   */
  async accept(request: InferenceRequest, options: { fresh?: boolean } = {}): Promise<boolean> {
    return withSpan('ingress accept', { attributes: { [Attr.requestId]: request.requestId, [Attr.tenantId]: request.tenantId } }, async (span) => {
      const ttl = this.config.acceptTtlSeconds;
      // The marker is `pending` until the request is on Kafka, then `published`. A
      // resubmission that finds `pending` publishes again: an earlier attempt may have
      // failed (or timed out on Redis) before publishing, and downstream stages drop a
      // second copy of a request_id, so publishing twice is safe and losing it is not.
      if (options.fresh) {
        // Sent before the publish on the same connection, so it lands before `published`.
        const marking = this.state.beginAccept(request.requestId, ttl).then(
          () => undefined,
          // Not fatal: without the marker a resubmission publishes a copy that downstream drops.
          () => undefined,
        );
        span.setAttribute(Attr.duplicate, false);
        try {
          await this.bus.publish(Topics.requests, request.requestId, request);
        } catch (err) {
          await marking;
          throw new Unavailable(`cannot publish the request: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
        await marking;
      } else {
        let state;
        try {
          state = await this.state.beginAccept(request.requestId, ttl);
        } catch (err) {
          throw new Unavailable(`cannot record the request: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
        span.setAttribute(Attr.duplicate, state === 'duplicate');
        if (state === 'duplicate') return false;
        try {
          await this.bus.publish(Topics.requests, request.requestId, request);
        } catch (err) {
          throw new Unavailable(`cannot publish the request: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
      }
      try {
        await this.state.markAccepted(request.requestId, ttl);
      } catch {
        // The request is on Kafka and will be answered; a resubmission while the marker
        // still says pending only publishes a copy that downstream stages drop.
      }
      return true;
    });
  }

  /** The stored final response, or null while the request is in flight. */
  async storedResponse(requestId: string): Promise<InferenceResponse | null> {
    const bytes = await this.state.storedResponse(requestId);
    return bytes ? fromBinary(InferenceResponseSchema, bytes) : null;
  }

  /**
   * Records that the caller of `requestId` cancelled it (the `cancelled:` marker, kept as long
   * as the accept marker, one Redis `set`), so the pipeline can stop spending on it.
   * @throws StoreError when Redis fails.
   */
  cancel(requestId: string): Promise<void> {
    return this.state.markCancelled(requestId, this.config.acceptTtlSeconds);
  }

  /** Whether a request_id was accepted (and is still remembered). */
  wasAccepted(requestId: string): Promise<boolean> {
    return this.state.wasAccepted(requestId);
  }
}
