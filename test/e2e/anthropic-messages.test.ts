import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { Catalog } from '@yardmaster/catalog';
import { defaultCatalogPath, launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { RedisApiKeys, Store } from '@yardmaster/store';
import { testInfra, uniquePrefix } from '../support/infra.js';

describe('Anthropic Messages API (official @anthropic-ai/sdk, real pipeline)', () => {
  let system: RunningSystem;
  let store: Store;
  let key: string;
  let client: Anthropic;
  const catalog = Catalog.load(defaultCatalogPath);
  const weather = { name: 'get_weather', description: 'The weather in a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };

  before(async () => {
    const infra = await testInfra();
    const prefix = uniquePrefix('anthropic');
    system = await launchSystem({ brokers: infra.brokers, redisUrl: infra.redisUrl, topicPrefix: prefix, partitions: 2, logs: { kind: 'file', dir: mkdtempSync(path.join(tmpdir(), 'ym-anthropic-')) } });
    store = await Store.connect({ url: infra.redisUrl, keyPrefix: `ym:${prefix}:` });
    const keys = new RedisApiKeys(store);
    key = (await keys.create({ tenantId: 'acme' })).secret;
    client = new Anthropic({ apiKey: key, baseURL: system.httpUrl, maxRetries: 0, timeout: 60_000 });
  });

  after(async () => {
    await store?.close();
    await system?.stop();
  });

  it('answers messages.create in Anthropic\'s shape with the model that answered (x-api-key auth; Bearer too)', async () => {
    const { data, response } = await client.messages
      .create({ model: 'auto', max_tokens: 200, system: 'You are terse.', messages: [{ role: 'user', content: 'Write a haiku about freight trains.' }] })
      .withResponse();
    assert.equal(data.type, 'message');
    assert.equal(data.role, 'assistant');
    assert.ok(catalog.model(data.model), `${data.model} is a catalog model`);
    assert.equal(data.stop_reason, 'end_turn');
    const text = data.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
    assert.ok(text.length > 0);
    assert.ok(data.usage.input_tokens > 0 && data.usage.output_tokens > 0);
    const requestId = response.headers.get('x-yardmaster-request-id');
    assert.equal(data.id, `msg_${requestId}`);
    assert.equal(response.headers.get('x-yardmaster-model'), data.model);
    const bearer = new Anthropic({ authToken: key, apiKey: null, baseURL: system.httpUrl, maxRetries: 0 });
    const viaBearer = await bearer.messages.create({ model: 'gpt-5.4-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(viaBearer.model, 'gpt-5.4-mini');
  });

  it('streams: the text deltas assembled equal the final message, with stop reason and usage', async () => {
    const stream = client.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 200, messages: [{ role: 'user', content: 'Tell me about freight trains.' }] });
    let deltas = '';
    let events = 0;
    stream.on('text', (t) => {
      deltas += t;
      events++;
    });
    const final = await stream.finalMessage();
    const text = final.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
    assert.ok(events >= 2, `${events} text events`);
    assert.equal(deltas, text);
    assert.equal(final.model, 'claude-haiku-4-5');
    assert.equal(final.stop_reason, 'end_turn');
    assert.ok(final.usage.output_tokens > 0);
  });

  it('passes tools through and returns tool_use blocks (whole and streamed); tool_result goes back', async () => {
    const first = await client.messages.create({
      model: 'gpt-5.4-mini',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'What is the weather in Oslo?' }],
      tools: [weather],
      tool_choice: { type: 'any' },
    });
    assert.equal(first.stop_reason, 'tool_use');
    const use = first.content.find((b) => b.type === 'tool_use');
    assert.ok(use && use.type === 'tool_use', JSON.stringify(first.content));
    assert.equal(use.name, 'get_weather');
    assert.equal(typeof (use.input as { city: unknown }).city, 'string');
    const second = await client.messages.create({
      model: 'gpt-5.4-mini',
      max_tokens: 200,
      tools: [weather],
      messages: [
        { role: 'user', content: 'What is the weather in Oslo?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'rain all week' }] },
      ],
    });
    assert.equal(second.stop_reason, 'end_turn');
    const streamed = await client.messages
      .stream({ model: 'gpt-5.4-mini', max_tokens: 200, messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools: [weather], tool_choice: { type: 'tool', name: 'get_weather' } })
      .finalMessage();
    const streamedUse = streamed.content.find((b) => b.type === 'tool_use');
    assert.ok(streamedUse && streamedUse.type === 'tool_use' && typeof (streamedUse.input as { city: unknown }).city === 'string', JSON.stringify(streamed.content));
    assert.equal(streamed.stop_reason, 'tool_use');
  });

  it('answers errors in Anthropic\'s shape: 401, 400 with the parameter, 404 for an unknown model', async () => {
    const bad = new Anthropic({ apiKey: 'ym_not_a_key', baseURL: system.httpUrl, maxRetries: 0 });
    const unauth = await bad.messages.create({ model: 'auto', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    assert.ok(unauth instanceof Anthropic.AuthenticationError, String(unauth));
    assert.equal((unauth.error as { type: string; error: { type: string } }).error.type, 'authentication_error');
    const noMax = await client.messages.create({ model: 'auto', messages: [{ role: 'user', content: 'x' }] } as unknown as Anthropic.MessageCreateParamsNonStreaming).catch((e: unknown) => e);
    assert.ok(noMax instanceof Anthropic.BadRequestError, String(noMax));
    const body = noMax.error as { type: string; error: { type: string; message: string; param: string } };
    assert.deepEqual([body.type, body.error.type, body.error.param], ['error', 'invalid_request_error', 'max_tokens']);
    const badBlock = await client.messages
      .create({ model: 'auto', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } }] }] })
      .catch((e: unknown) => e);
    assert.ok(badBlock instanceof Anthropic.BadRequestError && (badBlock.error as { error: { param: string } }).error.param === 'messages.0.content.0.type', String(badBlock));
    const unknown = await client.messages.create({ model: 'claude-9', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    assert.ok(unknown instanceof Anthropic.NotFoundError, String(unknown));
    assert.equal((unknown.error as { error: { type: string } }).error.type, 'not_found_error');
  });
});
