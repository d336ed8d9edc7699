/** What went wrong while starting or stopping local infrastructure. */
export type InfraErrorCode =
  | 'JAVA_MISSING'
  | 'MAVEN_MISSING'
  | 'MAVEN_FAILED'
  | 'KAFKA_FORMAT_FAILED'
  | 'KAFKA_START_FAILED'
  | 'REDIS_MISSING'
  | 'REDIS_INSTALL_FAILED'
  | 'REDIS_START_FAILED'
  | 'LOCK_TIMEOUT'
  | 'BAD_OPTION'
  | 'UNKNOWN';

/**
 * The one error type of `@yardmaster/deploy`. `message` is meant for a human at a
 * terminal: it says what to install or which variable to set, and for a failed
 * broker or Redis it carries the log path and the tail of the log.
 */
export class InfraError extends Error {
  override readonly name = 'InfraError';

  constructor(
    readonly code: InfraErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Normalises anything thrown into an `InfraError` (an `InfraError` passes through). */
  static from(err: unknown, code: InfraErrorCode = 'UNKNOWN'): InfraError {
    if (err instanceof InfraError) return err;
    const message = err instanceof Error ? err.message : String(err);
    return new InfraError(code, message, { cause: err });
  }
}
