import type { RateState } from '@yardmaster/store';
import type { FastifyRequest } from 'fastify';
import { DoorRefused, bearerToken } from '../door/door.service.js';
import { countRefusal } from '../door/metrics.js';
import { OpenAiError } from './errors.js';

/** How an HTTP caller sends its key, for the errors that ask for one. */
export const HTTP_KEY_HINT = 'in the "Authorization: Bearer <key>" header (or "x-api-key: <key>")';

/** A request header's (first) value. */
export function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The API key an HTTP request presents: `Authorization: Bearer <key>`, or `x-api-key: <key>`.
 * @throws OpenAiError 401 when `Authorization` is there but not a bearer token.
 */
export function httpSecret(req: FastifyRequest): string | undefined {
  const auth = header(req, 'authorization');
  if (auth !== undefined && auth.trim() !== '') {
    const token = bearerToken(auth);
    if (token === undefined) throw httpRefusal(new DoorRefused('unauthenticated', 'the Authorization header must be "Bearer <API key>"', 'invalid_authorization'));
    return token;
  }
  const key = header(req, 'x-api-key')?.trim();
  return key ? key : undefined;
}

/** A door refusal as OpenAI answers it (401, 409, 422, 400, 429 with Retry-After and x-ratelimit-*). */
export function httpRefusal(err: DoorRefused): OpenAiError {
  countRefusal(err.code, 'http');
  switch (err.kind) {
    case 'unauthenticated':
      return new OpenAiError(401, `${err.message}.`.replace('..', '.'), 'invalid_request_error', null, err.code);
    case 'conflict':
      return new OpenAiError(409, err.message, 'invalid_request_error', null, err.code);
    case 'mismatch':
      return new OpenAiError(422, err.message, 'invalid_request_error', 'Idempotency-Key', err.code);
    case 'tenant_mismatch':
      return OpenAiError.invalid(null, err.message, err.code);
    case 'limited': {
      const l = err.limit!;
      const headers: Record<string, string> = { 'retry-after': String(Math.ceil(l.retryAfterMs / 1000)), ...rateHeaders(l.requests, l.tokens) };
      return new OpenAiError(429, err.message, 'rate_limit_error', null, err.code === 'budget_exceeded' ? 'budget_exceeded' : 'rate_limit_exceeded', headers);
    }
  }
}

/** OpenAI's `x-ratelimit-*` headers for the limits a key has. */
export function rateHeaders(requests: RateState | undefined, tokens: RateState | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, s] of [['requests', requests], ['tokens', tokens]] as const) {
    if (!s) continue;
    out[`x-ratelimit-limit-${name}`] = String(s.limit);
    out[`x-ratelimit-remaining-${name}`] = String(s.remaining);
    out[`x-ratelimit-reset-${name}`] = `${(s.resetMs / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
  }
  return out;
}
