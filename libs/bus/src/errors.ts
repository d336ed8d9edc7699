/** Stable codes for {@link BusError}. */
export type BusErrorCode =
  | 'decode_error'
  | 'processing_error'
  | 'publish_failed'
  | 'publish_rejected'
  | 'connection_failed'
  | 'deadline_exceeded'
  | 'invalid_message'
  | 'closed';

/**
 * The one error type of the bus library. `retriable` tells the consumer whether trying
 * the same message again may succeed; a non-retriable failure goes straight to the
 * dead-letter topic.
 */
export class BusError extends Error {
  constructor(
    readonly code: BusErrorCode,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BusError';
  }

  /** A failure that retrying cannot fix (bad input, violated invariant). */
  static permanent(message: string, cause?: unknown): BusError {
    return new BusError('invalid_message', message, false, { cause });
  }

  /**
   * Normalises anything thrown into a BusError. Errors that carry a boolean
   * `retriable` (kafkajs does) keep it; other errors count as retriable.
   */
  static from(err: unknown, code: BusErrorCode = 'processing_error'): BusError {
    if (err instanceof BusError) return err;
    if (err instanceof Error) {
      const retriable = (err as { retriable?: unknown }).retriable;
      return new BusError(code, err.message, typeof retriable === 'boolean' ? retriable : true, { cause: err });
    }
    return new BusError(code, String(err), true, { cause: err });
  }
}

/**
 * True for failures of a dependency rather than of the message: errors marked
 * `infrastructure: true` (the store's Redis errors) and the bus's own publish and
 * connection failures. Consumers retry these without limit instead of dead-lettering.
 */
export function isInfrastructureError(err: unknown): boolean {
  if (err instanceof BusError) return err.code === 'publish_failed' || err.code === 'connection_failed';
  return typeof err === 'object' && err !== null && (err as { infrastructure?: unknown }).infrastructure === true;
}

/** Broker error types after which the same produce can never succeed. */
const PERMANENT_PUBLISH_ERRORS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'INVALID_TOPIC_EXCEPTION',
  'UNSUPPORTED_COMPRESSION_TYPE',
  'POLICY_VIOLATION',
  'INVALID_REQUIRED_ACKS',
]);

/**
 * True when a kafkajs error, or an error it wraps, carries a broker error type that
 * `match` accepts. kafkajs wraps the broker's error in its own (`cause` /
 * `originalError`, e.g. "number of retries exceeded" around a protocol error), so the
 * chain is walked, five deep.
 */
export function hasKafkaErrorType(err: unknown, match: (type: string) => boolean): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && match(type)) return true;
    e = (e as { cause?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}

/**
 * True when a produce failed for a reason that retrying cannot fix (the broker refused
 * the record: too large for its topic, corrupt, not authorized). Broker outages,
 * timeouts and lost connections are not permanent: the bus retries those.
 */
export function isPermanentPublishError(err: unknown): boolean {
  return hasKafkaErrorType(err, (type) => PERMANENT_PUBLISH_ERRORS.has(type));
}

/** True when the broker refused a request because this client is not authorized (any `*_AUTHORIZATION_FAILED`). */
export function isAuthorizationError(err: unknown): boolean {
  return hasKafkaErrorType(err, (type) => type.endsWith('_AUTHORIZATION_FAILED'));
}
