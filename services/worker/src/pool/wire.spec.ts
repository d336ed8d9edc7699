import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ChatMessageSchema,
  ContentPartSchema,
  type GenerationParamsSchema,
  ImagePartSchema,
  InferenceRequestSchema,
  ResponseFormat,
  Role,
  create,
  type ContentPart,
  type MessageInitShape,
} from '@yardmaster/contracts';
import { toChatCompletion } from './wire.js';

const text = (value: string): ContentPart => create(ContentPartSchema, { part: { case: 'text', value } });
const image = (init: MessageInitShape<typeof ImagePartSchema>): ContentPart => create(ContentPartSchema, { part: { case: 'image', value: create(ImagePartSchema, init) } });

function request(messages: MessageInitShape<typeof ChatMessageSchema>[], params?: MessageInitShape<typeof GenerationParamsSchema>) {
  return create(InferenceRequestSchema, { requestId: 'r1', messages, ...(params ? { params } : {}) });
}

describe('toChatCompletion', () => {
  it('maps roles and names, and joins text parts into a string', () => {
    const body = toChatCompletion(
      request([
        { role: Role.SYSTEM, content: [text('Be brief.')] },
        { role: Role.USER, content: [text('first line'), text('second line')], name: 'alice' },
        { role: Role.ASSISTANT, content: [text('ok')] },
        { role: Role.TOOL, content: [text('{"result":4}')] },
        { role: Role.UNSPECIFIED, content: [text('who?')] },
      ]),
      'gpt-4o-mini',
    );
    assert.deepEqual(body, {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'first line\nsecond line', name: 'alice' },
        { role: 'assistant', content: 'ok' },
        { role: 'tool', content: '{"result":4}' },
        { role: 'user', content: 'who?' },
      ],
    });
  });

  it('sends a message with images as parts: URLs as given, inline data as a data: URI', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const body = toChatCompletion(
      request([
        {
          role: Role.USER,
          content: [
            text('What differs?'),
            image({ url: 'https://example.com/a.jpg', mimeType: 'image/jpeg' }),
            image({ data: png, mimeType: 'image/webp' }),
            image({ data: png }),
          ],
        },
      ]),
      'vision-model',
    );
    assert.deepEqual(body.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What differs?' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
          { type: 'image_url', image_url: { url: 'data:image/webp;base64,iVBORw==' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw==' } },
        ],
      },
    ]);
  });

  it('sends no parameters the caller did not set', () => {
    const body = toChatCompletion(request([{ role: Role.USER, content: [text('hi')] }], {}), 'm');
    assert.deepEqual(Object.keys(body).sort(), ['messages', 'model']);
  });

  it('maps generation parameters', () => {
    const body = toChatCompletion(
      request([{ role: Role.USER, content: [text('hi')] }], { temperature: 0, topP: 0.9, maxTokens: 128, stop: ['\n\n', 'END'], seed: 12345678901n, responseFormat: ResponseFormat.JSON }),
      'm',
    );
    const { model, messages, ...params } = body;
    assert.equal(model, 'm');
    assert.equal(messages.length, 1);
    assert.deepEqual(params, { temperature: 0, top_p: 0.9, max_tokens: 128, stop: ['\n\n', 'END'], seed: 12345678901, response_format: { type: 'json_object' } });
    assert.equal(typeof params.seed, 'number', 'JSON.stringify cannot send a bigint');
  });

  it('sends no response_format for text', () => {
    const body = toChatCompletion(request([{ role: Role.USER, content: [text('hi')] }], { responseFormat: ResponseFormat.TEXT }), 'm');
    assert.equal(body.response_format, undefined);
    assert.doesNotThrow(() => JSON.stringify(body));
  });
});
