/** OpenAI's error `type`s. */
export type OpenAiErrorType = 'invalid_request_error' | 'authentication_error' | 'permission_error' | 'not_found_error' | 'conflict_error' | 'rate_limit_error' | 'api_error' | 'timeout_error';

/**
 * An error answered in OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`,
 * with its HTTP status and any extra headers (Retry-After, x-ratelimit-*).
 */
export class OpenAiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: OpenAiErrorType,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'OpenAiError';
  }

  /** The response body. */
  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }

  /** 400 `invalid_request_error` naming the offending parameter. */
  static invalid(param: string | null, message: string, code = 'invalid_value'): OpenAiError {
    return new OpenAiError(400, message, 'invalid_request_error', param, code);
  }
}
