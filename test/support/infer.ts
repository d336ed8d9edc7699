import assert from 'node:assert/strict';
import { InferRequestSchema, RoutingHintsSchema, create, textRequest, timestampFromMs, type InferenceResponse, type PlanKind, type RouterClient } from '@yardmaster/contracts';

let seq = 0;

/**
 * One gRPC Infer of a text prompt with a fresh request id (`<idPrefix>-<n>-<ms>`), a 30 s
 * request deadline and a 40 s call deadline; optionally with a plan hint. Returns the final response.
 */
export async function inferText(client: RouterClient, text: string, options: { idPrefix: string; plan?: PlanKind }): Promise<InferenceResponse> {
  const request = textRequest(text, { requestId: `${options.idPrefix}-${++seq}-${Date.now()}` });
  if (options.plan) request.hints = create(RoutingHintsSchema, { plan: options.plan });
  request.deadline = timestampFromMs(Date.now() + 30_000);
  const res = await client.infer(create(InferRequestSchema, { request }), { deadlineMs: 40_000 });
  assert.ok(res.response, 'a response');
  return res.response;
}
