import type { FastifyRequest } from 'fastify';
import { DoorRefused, type DoorService } from '../door/door.service.js';
import { OpenAiError } from '../openai/errors.js';
import { HTTP_KEY_HINT, httpRefusal, httpSecret } from '../openai/http-door.js';

function unavailable(err: unknown): OpenAiError {
  return new OpenAiError(503, `The service cannot take the request right now: ${err instanceof Error ? err.message : String(err)}. Retry later.`, 'api_error', null, 'unavailable', { 'retry-after': '1' });
}

/**
 * The tenant of an HTTP caller of the files and batches API (the same keys and door as chat
 * completions).
 * @throws OpenAiError 401 without a valid key, 503 when the key store cannot answer.
 */
export async function httpTenant(door: DoorService, req: FastifyRequest): Promise<string> {
  const secret = httpSecret(req);
  try {
    return (await door.caller(secret, HTTP_KEY_HINT)).tenantId;
  } catch (err) {
    throw err instanceof DoorRefused ? httpRefusal(err) : unavailable(err);
  }
}

/**
 * Lets a new batch through the door like a chat completion: the batch id becomes a request id
 * owned by the caller's key for `ttlSeconds`, within its rate limits and budgets (so its lines
 * are charged to that key and a spent budget refuses the batch).
 * @returns the caller's tenant.
 * @throws OpenAiError the door's refusal as chat completions answers it (401, 429 with
 *   Retry-After and `x-ratelimit-*`), 503 when the store cannot answer.
 */
export async function httpAdmitBatch(door: DoorService, req: FastifyRequest, batchId: string, ttlSeconds: number): Promise<string> {
  const secret = httpSecret(req);
  try {
    return (await door.admitBatch(secret, batchId, { where: HTTP_KEY_HINT, ttlSeconds })).tenantId;
  } catch (err) {
    throw err instanceof DoorRefused ? httpRefusal(err) : unavailable(err);
  }
}
