import type { FastifyRequest } from 'fastify';
import { DoorRefused, bearerToken, type DoorService } from '../door/door.service.js';
import { countRefusal } from '../door/metrics.js';
import { OpenAiError } from '../openai/errors.js';

const HINT = 'in the "Authorization: Bearer <key>" header (or "x-api-key: <key>")';

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The tenant of an HTTP caller of the files and batches API (the same keys and door as chat
 * completions).
 * @throws OpenAiError 401 without a valid key, 503 when the key store cannot answer.
 */
export async function httpTenant(door: DoorService, req: FastifyRequest): Promise<string> {
  let secret: string | undefined;
  const auth = header(req, 'authorization');
  if (auth !== undefined && auth.trim() !== '') {
    secret = bearerToken(auth);
    if (secret === undefined) throw new OpenAiError(401, 'the Authorization header must be "Bearer <API key>".', 'invalid_request_error', null, 'invalid_authorization');
  } else secret = header(req, 'x-api-key')?.trim() || undefined;
  try {
    return (await door.caller(secret, HINT)).tenantId;
  } catch (err) {
    if (err instanceof DoorRefused) {
      countRefusal(err.code, 'http');
      throw new OpenAiError(401, `${err.message}.`, 'invalid_request_error', null, err.code);
    }
    throw new OpenAiError(503, `The service cannot take the request right now: ${err instanceof Error ? err.message : String(err)}. Retry later.`, 'api_error', null, 'unavailable', { 'retry-after': '1' });
  }
}
