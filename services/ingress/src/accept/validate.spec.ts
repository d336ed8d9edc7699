import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ChatMessageSchema,
  ContentPartSchema,
  GenerationParamsSchema,
  ImagePartSchema,
  InferenceRequestSchema,
  Role,
  RoutingHintsSchema,
  RoutingMode,
  clone,
  create,
  textRequest,
  timestampFromMs,
  type ChatMessage,
  type InferenceRequest,
  type MessageInitShape,
} from '@yardmaster/contracts';
import { RequestRejected, validateRequest, type RequestLimits } from './validate.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const LIMITS: RequestLimits = { maxRequestBytes: 4096, maxMessages: 3, maxDeadlineMs: 60_000 };

const text = (value: string) => create(ContentPartSchema, { part: { case: 'text', value } });
const message = (role: Role, ...content: ReturnType<typeof text>[]): ChatMessage => create(ChatMessageSchema, { role, content });

/** A valid request; `edit` breaks it. */
function request(edit: (r: InferenceRequest) => void = () => {}): InferenceRequest {
  const r = textRequest('What is the capital of France?', { requestId: 'req-1.a:b_c', tenantId: 'acme-corp_1.eu' });
  edit(r);
  return r;
}

function rejects(r: InferenceRequest | undefined, pattern: RegExp, code: RequestRejected['code'] = 'invalid_argument', limits = LIMITS): void {
  assert.throws(
    () => validateRequest(r, limits, NOW),
    (err: unknown) => {
      assert.ok(err instanceof RequestRejected, `expected RequestRejected, got ${String(err)}`);
      assert.equal(err.code, code);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('validateRequest', () => {
  it('returns a valid request unchanged', () => {
    const r = request((r) => {
      r.messages.unshift(message(Role.SYSTEM, text('Be brief.')));
      r.deadline = timestampFromMs(NOW + 30_000);
      r.hints = create(RoutingHintsSchema, { mode: RoutingMode.PINNED, pinnedModel: 'gpt-4o' });
      r.params = create(GenerationParamsSchema, { temperature: 0, topP: 1, maxTokens: 1 });
    });
    const before = clone(InferenceRequestSchema, r);
    assert.equal(validateRequest(r, LIMITS, NOW), r);
    assert.deepEqual(r, before);
  });

  it('accepts the edges of every range', () => {
    for (const params of [{ temperature: 2 }, { topP: 0.0001 }, { maxTokens: 4_000_000_000 }]) {
      assert.doesNotThrow(() => validateRequest(request((r) => (r.params = create(GenerationParamsSchema, params))), LIMITS, NOW));
    }
    assert.doesNotThrow(() => validateRequest(request((r) => (r.deadline = timestampFromMs(NOW + LIMITS.maxDeadlineMs))), LIMITS, NOW));
    assert.doesNotThrow(() => validateRequest(request((r) => (r.requestId = '')), LIMITS, NOW), 'ingress assigns an id when none is given');
  });

  it('requires a request', () => {
    rejects(undefined, /^request is required$/);
  });

  it('rejects a request over the size limit with too_large', () => {
    const big = request((r) => r.messages.push(message(Role.USER, text('x'.repeat(5000)))));
    rejects(big, /^request is \d+ bytes; the limit is 4096$/, 'too_large');
  });

  it('requires messages, and no more than the limit', () => {
    rejects(request((r) => (r.messages = [])), /request\.messages must not be empty/);
    rejects(
      request((r) => r.messages.push(message(Role.ASSISTANT, text('Paris.')), message(Role.USER, text('And Spain?')), message(Role.ASSISTANT, text('Madrid.')))),
      /request\.messages has 4 messages; the limit is 3/,
    );
  });

  it('requires every message to have a role and content', () => {
    rejects(request((r) => r.messages.push(message(Role.UNSPECIFIED, text('hi')))), /request\.messages\[1\]\.role must be set/);
    rejects(request((r) => r.messages.push(message(Role.USER))), /request\.messages\[1\]\.content must not be empty/);
  });

  it('requires each part to be text or an image with a url or data', () => {
    rejects(request((r) => r.messages[0]!.content.push(create(ContentPartSchema, {}))), /request\.messages\[0\]\.content\[1\] has neither text nor image/);
    const emptyImage = create(ContentPartSchema, { part: { case: 'image', value: create(ImagePartSchema, { mimeType: 'image/png' }) } });
    rejects(request((r) => r.messages[0]!.content.push(emptyImage)), /request\.messages\[0\]\.content\[1\]\.image needs a url or data/);
  });

  it('accepts an image-only request, by url or by data', () => {
    for (const image of [{ url: 'https://example.com/cat.png' }, { data: new Uint8Array([0x89, 0x50]), mimeType: 'image/png' }]) {
      const part = create(ContentPartSchema, { part: { case: 'image', value: create(ImagePartSchema, image) } });
      assert.doesNotThrow(() => validateRequest(request((r) => (r.messages = [create(ChatMessageSchema, { role: Role.USER, content: [part] })])), LIMITS, NOW));
    }
  });

  it('rejects messages whose text is only whitespace', () => {
    rejects(request((r) => (r.messages = [message(Role.SYSTEM, text('  ')), message(Role.USER, text('\n\t'), text(''))])), /request\.messages contain no text or image/);
  });

  it('checks the request and tenant ids', () => {
    rejects(request((r) => (r.requestId = 'has space')), /request\.request_id must be/);
    rejects(request((r) => (r.requestId = 'a'.repeat(129))), /request\.request_id must be/);
    rejects(request((r) => (r.tenantId = 'acme:eu')), /request\.tenant_id must be/);
    rejects(request((r) => (r.tenantId = 't'.repeat(65))), /request\.tenant_id must be/);
  });

  it('requires the deadline to be in the future and within the limit', () => {
    rejects(request((r) => (r.deadline = timestampFromMs(NOW))), /request\.deadline is in the past/);
    rejects(request((r) => (r.deadline = timestampFromMs(NOW - 1000))), /request\.deadline is in the past/);
    rejects(request((r) => (r.deadline = timestampFromMs(NOW + LIMITS.maxDeadlineMs + 1))), /request\.deadline is more than 60000 ms away/);
  });

  it('requires a model when the mode is PINNED', () => {
    rejects(request((r) => (r.hints = create(RoutingHintsSchema, { mode: RoutingMode.PINNED }))), /request\.hints\.pinned_model is required when mode is PINNED/);
  });

  it('checks temperature, top_p and max_tokens ranges', () => {
    const withParams = (p: MessageInitShape<typeof GenerationParamsSchema>) => request((r) => (r.params = create(GenerationParamsSchema, p)));
    rejects(withParams({ temperature: -0.1 }), /request\.params\.temperature must be within \[0, 2\]/);
    rejects(withParams({ temperature: 2.01 }), /request\.params\.temperature/);
    rejects(withParams({ temperature: Number.NaN }), /request\.params\.temperature/);
    rejects(withParams({ topP: 0 }), /request\.params\.top_p must be within \(0, 1\]/);
    rejects(withParams({ topP: 1.5 }), /request\.params\.top_p/);
    rejects(withParams({ maxTokens: 0 }), /request\.params\.max_tokens must be positive/);
  });
});
