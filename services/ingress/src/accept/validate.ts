import { InferenceRequestSchema, Role, RoutingMode, timestampMs, toBinary, type InferenceRequest } from '@yardmaster/contracts';

/** Why a request was refused; `code` picks the gRPC status. */
export class RequestRejected extends Error {
  constructor(
    readonly code: 'invalid_argument' | 'too_large',
    message: string,
  ) {
    super(message);
    this.name = 'RequestRejected';
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TENANT_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Limits {@link validateRequest} enforces. */
export interface RequestLimits {
  maxRequestBytes: number;
  maxMessages: number;
  maxDeadlineMs: number;
}

/**
 * Checks a request before it is accepted: size, messages and their content, ids,
 * deadline, pinned model.
 * @throws RequestRejected with a message naming the offending field.
 */
export function validateRequest(request: InferenceRequest | undefined, limits: RequestLimits, now = Date.now()): InferenceRequest {
  if (!request) throw new RequestRejected('invalid_argument', 'request is required');
  const size = toBinary(InferenceRequestSchema, request).byteLength;
  if (size > limits.maxRequestBytes) throw new RequestRejected('too_large', `request is ${size} bytes; the limit is ${limits.maxRequestBytes}`);
  if (request.requestId !== '' && !REQUEST_ID.test(request.requestId)) {
    throw new RequestRejected('invalid_argument', 'request.request_id must be 1-128 characters of letters, digits, ".", "_", ":" or "-"');
  }
  if (request.tenantId !== '' && !TENANT_ID.test(request.tenantId)) {
    throw new RequestRejected('invalid_argument', 'request.tenant_id must be 1-64 characters of letters, digits, ".", "_" or "-"');
  }
  if (request.messages.length === 0) throw new RequestRejected('invalid_argument', 'request.messages must not be empty');
  if (request.messages.length > limits.maxMessages) throw new RequestRejected('invalid_argument', `request.messages has ${request.messages.length} messages; the limit is ${limits.maxMessages}`);
  request.messages.forEach((m, i) => {
    if (m.role === Role.UNSPECIFIED) throw new RequestRejected('invalid_argument', `request.messages[${i}].role must be set`);
    if (m.content.length === 0) throw new RequestRejected('invalid_argument', `request.messages[${i}].content must not be empty`);
    m.content.forEach((p, j) => {
      if (p.part.case === undefined) throw new RequestRejected('invalid_argument', `request.messages[${i}].content[${j}] has neither text nor image`);
      if (p.part.case === 'image' && !p.part.value.url && p.part.value.data.byteLength === 0) {
        throw new RequestRejected('invalid_argument', `request.messages[${i}].content[${j}].image needs a url or data`);
      }
    });
  });
  const hasText = request.messages.some((m) => m.content.some((p) => p.part.case === 'text' && p.part.value.trim() !== '') || m.content.some((p) => p.part.case === 'image'));
  if (!hasText) throw new RequestRejected('invalid_argument', 'request.messages contain no text or image');
  if (request.deadline) {
    const deadline = timestampMs(request.deadline);
    if (deadline <= now) throw new RequestRejected('invalid_argument', 'request.deadline is in the past');
    if (deadline - now > limits.maxDeadlineMs) throw new RequestRejected('invalid_argument', `request.deadline is more than ${limits.maxDeadlineMs} ms away`);
  }
  if (request.hints?.mode === RoutingMode.PINNED && !request.hints.pinnedModel) {
    throw new RequestRejected('invalid_argument', 'request.hints.pinned_model is required when mode is PINNED');
  }
  const p = request.params;
  if (p?.temperature !== undefined && !(p.temperature >= 0 && p.temperature <= 2)) throw new RequestRejected('invalid_argument', 'request.params.temperature must be within [0, 2]');
  if (p?.topP !== undefined && !(p.topP > 0 && p.topP <= 1)) throw new RequestRejected('invalid_argument', 'request.params.top_p must be within (0, 1]');
  if (p?.maxTokens !== undefined && p.maxTokens === 0) throw new RequestRejected('invalid_argument', 'request.params.max_tokens must be positive');
  return request;
}
