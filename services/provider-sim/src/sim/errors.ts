import type { Outcome } from './faults.js';

type Failure = Exclude<Outcome, { kind: 'ok' } | { kind: 'hang' }>;

/** The HTTP status of a failure (Gemini renders its safety block as a 200 itself). */
export function failureStatus(f: Failure): number {
  switch (f.kind) {
    case 'error':
      return f.status;
    case 'rate_limited':
      return 429;
    case 'unauthorized':
      return 401;
    case 'context_length':
    case 'content_policy':
      return 400;
  }
}

/** `Retry-After` for a 429. */
export function retryHeaders(f: Failure): Record<string, string> | undefined {
  return f.kind === 'rate_limited' ? { 'retry-after': String(f.retryAfterS) } : undefined;
}

/** A message like the provider's own for each failure. */
export function failureMessage(f: Failure, promptTokens: number): string {
  switch (f.kind) {
    case 'error':
      return f.status === 503 || f.status === 529 ? 'The server is overloaded or not ready yet.' : 'The server had an error while processing your request.';
    case 'rate_limited':
      return `Rate limit reached. Please try again in ${f.retryAfterS}s.`;
    case 'unauthorized':
      return 'Incorrect API key provided.';
    case 'context_length':
      return `This model's maximum context length is ${f.limit} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`;
    case 'content_policy':
      return 'Your request was rejected as a result of our safety system.';
  }
}
