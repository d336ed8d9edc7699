import {
  ClassificationSchema,
  ResponseStatus,
  RoutingDecisionSchema,
  TargetRole,
  timestampMs,
  toJson,
  type InferenceResponse,
  type ModelUsed,
  type ToolCall,
} from '@yardmaster/contracts';
import { OpenAiError } from './errors.js';

/** The model that produced the answer: the last primary/fallback model used (the one that answered). */
export function answeringModel(response: InferenceResponse): ModelUsed | undefined {
  const answering = response.models.filter((m) => m.role === TargetRole.PRIMARY || m.role === TargetRole.FALLBACK || m.role === TargetRole.UNSPECIFIED);
  return answering.at(-1) ?? response.models.at(-1);
}

/** A header value: printable ASCII only (HTTP headers cannot carry newlines or most Unicode), at most 512 characters. */
export function headerSafe(text: string): string {
  const ascii = text
    .replace(/→/g, '->')
    .replace(/≥/g, '>=')
    .replace(/≤/g, '<=')
    .replace(/…/g, '...')
    .replace(/[–—]/g, '-')
    .replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > 512 ? `${ascii.slice(0, 511)}…`.replace(/[^\x20-\x7e]/g, '.') : ascii;
}

/** `x-yardmaster-*` headers of a final response. */
export function yardmasterHeaders(response: InferenceResponse): Record<string, string> {
  const model = answeringModel(response);
  return {
    'x-yardmaster-request-id': response.requestId,
    ...(model ? { 'x-yardmaster-model': model.model } : {}),
    ...(response.decision?.reason ? { 'x-yardmaster-reason': headerSafe(response.decision.reason) } : {}),
    'x-yardmaster-cost-usd': response.costUsd.toFixed(8).replace(/0+$/, '').replace(/\.$/, '.0'),
  };
}

/** The `yardmaster` extension object: what was decided and why, with the classification. */
export function extension(response: InferenceResponse): Record<string, unknown> {
  const model = answeringModel(response);
  return {
    request_id: response.requestId,
    tenant_id: response.tenantId,
    model: model?.model ?? null,
    provider: model?.provider ?? null,
    cost_usd: response.costUsd,
    total_latency_ms: response.totalLatencyMs,
    classification: response.classification ? toJson(ClassificationSchema, response.classification, { useProtoFieldName: true }) : null,
    decision: response.decision ? toJson(RoutingDecisionSchema, response.decision, { useProtoFieldName: true }) : null,
    models: response.models.map((m) => ({ model: m.model, provider: m.provider, role: TargetRole[m.role]?.toLowerCase() ?? 'unspecified', cost_usd: m.costUsd, latency_ms: m.latencyMs })),
    timings_ms: Object.fromEntries(response.timings.map((t) => [t.stage, Number(t.durationUs) / 1000])),
  };
}

/** A provider's finish reason as OpenAI names it. */
export function openAiFinishReason(reason: string): string {
  switch (reason) {
    case 'length':
    case 'max_tokens':
    case 'MAX_TOKENS':
      return 'length';
    case 'content_filter':
    case 'SAFETY':
    case 'refusal':
      return 'content_filter';
    case 'tool_calls':
    case 'tool_use':
      return 'tool_calls';
    default:
      return 'stop';
  }
}

/** Tool calls in OpenAI's shape. */
export function openAiToolCalls(calls: readonly ToolCall[]): { id: string; type: 'function'; function: { name: string; arguments: string } }[] {
  return calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.argumentsJson } }));
}

/** A successful final response in OpenAI's `chat.completion` shape, `model` = the model that answered. */
export function chatCompletion(response: InferenceResponse, requestedModel: string): Record<string, unknown> {
  const usage = response.usage;
  const created = response.completedAt ? Math.floor(timestampMs(response.completedAt) / 1000) : Math.floor(Date.now() / 1000);
  return {
    id: `chatcmpl-${response.requestId}`,
    object: 'chat.completion',
    created,
    model: answeringModel(response)?.model ?? requestedModel,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          // A message that only calls tools has no content (null, as OpenAI sends it).
          content: response.toolCalls.length && response.output === '' ? null : response.output,
          refusal: null,
          ...(response.toolCalls.length ? { tool_calls: openAiToolCalls(response.toolCalls) } : {}),
        },
        logprobs: null,
        finish_reason: response.toolCalls.length ? 'tool_calls' : openAiFinishReason(response.finishReason),
      },
    ],
    usage: {
      prompt_tokens: usage?.inputTokens ?? 0,
      completion_tokens: usage?.outputTokens ?? 0,
      total_tokens: usage?.totalTokens || (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0),
    },
    system_fingerprint: null,
    yardmaster: extension(response),
  };
}

/**
 * The HTTP error for a final response that is not OK: the pipeline's error codes mapped to
 * OpenAI statuses (deadline 504, no eligible model 422, provider outage 502/503…). The
 * `x-yardmaster-*` headers go along, so the caller still sees the request id and decision.
 */
export function pipelineError(response: InferenceResponse): OpenAiError {
  const headers = yardmasterHeaders(response);
  const code = response.error?.code ?? '';
  const detail = response.error?.message || 'no detail';
  const id = response.requestId;
  if (response.status === ResponseStatus.DEADLINE_EXCEEDED || code === 'deadline_exceeded') {
    return new OpenAiError(504, `Request ${id} passed its deadline: ${detail}`, 'timeout_error', null, 'deadline_exceeded', headers);
  }
  switch (code) {
    case 'unknown_model':
      return new OpenAiError(404, detail, 'invalid_request_error', 'model', 'model_not_found', headers);
    case 'no_eligible_model':
    case 'constraints_unsatisfiable':
      return new OpenAiError(422, `No model can serve this request: ${detail}`, 'invalid_request_error', null, code, headers);
    case 'cancelled':
      return new OpenAiError(499, `Request ${id} was cancelled`, 'api_error', null, 'cancelled', headers);
    case 'rate_limited':
      return new OpenAiError(503, `The provider is rate limiting us: ${detail}`, 'api_error', null, 'provider_rate_limited', { ...headers, 'retry-after': '1' });
    case 'timeout':
      return new OpenAiError(504, `The provider did not answer in time: ${detail}`, 'timeout_error', null, 'provider_timeout', headers);
    case 'unavailable':
    case 'network':
    case 'server_error':
      return new OpenAiError(502, `The provider failed: ${detail}`, 'api_error', null, 'provider_unavailable', headers);
    case 'bad_request':
      return new OpenAiError(400, `The provider refused the request: ${detail}`, 'invalid_request_error', null, 'provider_bad_request', headers);
    case 'auth':
    case 'not_found':
    case 'invalid_response':
      return new OpenAiError(502, `The provider failed: ${detail}`, 'api_error', null, `provider_${code}`, headers);
    default:
      if (response.status === ResponseStatus.REJECTED) return new OpenAiError(400, `Request ${id} was rejected: ${detail}`, 'invalid_request_error', null, code || 'rejected', headers);
      return response.error?.retriable
        ? new OpenAiError(503, `Request ${id} failed: ${detail}`, 'api_error', null, code || 'unavailable', { ...headers, 'retry-after': '1' })
        : new OpenAiError(500, `Request ${id} failed: ${detail}`, 'api_error', null, code || 'internal_error', headers);
  }
}
