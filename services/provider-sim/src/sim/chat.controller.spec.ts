import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpException } from '@nestjs/common';
import { validateBody } from './chat.controller.js';

/** Asserts `body` is refused with a 400 in OpenAI's error format naming `param`. */
function refused(body: unknown, param: string | null, message: RegExp): void {
  assert.throws(
    () => validateBody(body),
    (err: unknown) => {
      assert.ok(err instanceof HttpException, `expected an HttpException, got ${String(err)}`);
      assert.equal(err.getStatus(), 400);
      const response = err.getResponse() as { error: { message: string; type: string; param: string | null; code: null } };
      assert.deepEqual(Object.keys(response), ['error']);
      assert.equal(response.error.type, 'invalid_request_error');
      assert.equal(response.error.param, param);
      assert.equal(response.error.code, null);
      assert.match(response.error.message, message);
      return true;
    },
  );
}

const MESSAGES = [{ role: 'user', content: 'hi' }];

describe('validateBody', () => {
  it('accepts a minimal body and returns model, messages and max_tokens', () => {
    assert.deepEqual(validateBody({ model: 'm', messages: MESSAGES, temperature: 0.5 }), { model: 'm', messages: MESSAGES });
    assert.deepEqual(validateBody({ model: 'm', messages: MESSAGES, max_tokens: 7 }), { model: 'm', messages: MESSAGES, max_tokens: 7 });
    assert.deepEqual(validateBody({ model: 'm', messages: MESSAGES, max_completion_tokens: 9 }).max_tokens, 9);
    // OpenAI documents max_tokens as "integer or null"; null means no limit.
    assert.equal('max_tokens' in validateBody({ model: 'm', messages: MESSAGES, max_tokens: null }), false);
  });

  it('accepts every OpenAI role and content shape', () => {
    const messages = [
      { role: 'developer', content: 'rules' },
      { role: 'system', content: 'be brief' },
      { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
      { role: 'assistant', content: null },
      { role: 'tool', content: '42' },
    ];
    assert.equal(validateBody({ model: 'm', messages }).messages.length, 5);
  });

  it('requires a JSON object', () => {
    refused(null, null, /must be a JSON object/);
    refused([], null, /must be a JSON object/);
    refused('{"model":"m"}', null, /must be a JSON object/);
  });

  it('requires a model', () => {
    refused({ messages: MESSAGES }, 'model', /you must provide a model parameter/);
    refused({ model: '', messages: MESSAGES }, 'model', /model/);
    refused({ model: 3, messages: MESSAGES }, 'model', /model/);
  });

  it('requires a non-empty messages array', () => {
    refused({ model: 'm' }, 'messages', /'messages' must be a non-empty array/);
    refused({ model: 'm', messages: [] }, 'messages', /non-empty/);
    refused({ model: 'm', messages: { role: 'user', content: 'hi' } }, 'messages', /non-empty/);
  });

  it('requires a known role on every message', () => {
    refused({ model: 'm', messages: [...MESSAGES, { role: 'robot', content: 'x' }] }, 'messages[1].role', /messages\[1\]\.role is invalid/);
    refused({ model: 'm', messages: [{ content: 'x' }] }, 'messages[0].role', /role is invalid/);
    refused({ model: 'm', messages: [null] }, 'messages[0].role', /role is invalid/);
  });

  it('requires string, array or null content', () => {
    refused({ model: 'm', messages: [{ role: 'user', content: 42 }] }, 'messages[0].content', /messages\[0\]\.content must be a string or an array/);
    refused({ model: 'm', messages: [{ role: 'user' }] }, 'messages[0].content', /content/);
  });

  it('requires max_tokens to be a positive integer', () => {
    for (const max_tokens of [0, -1, 1.5, '10']) {
      refused({ model: 'm', messages: MESSAGES, max_tokens }, 'max_tokens', /max_tokens must be a positive integer/);
    }
    refused({ model: 'm', messages: MESSAGES, max_completion_tokens: 0 }, 'max_tokens', /positive integer/);
  });
});
