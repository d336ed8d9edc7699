import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PlanKind, Privacy, ResponseFormat, Role, RoutingMode, Strategy, ToolChoiceMode } from '@yardmaster/contracts';
import { CatalogModels } from './catalog.js';
import { translateChatRequest } from './chat-request.js';
import { OpenAiError } from './errors.js';

// The catalog the router ships (services/router/catalog.yaml), read through the catalog library.
const catalog = new CatalogModels(path.resolve(__dirname, '..', '..', '..', 'router', 'catalog.yaml'));
const aModel = catalog.list()[0]!.name;
const limits = { maxMessages: 8 };
const user = (content: unknown) => ({ role: 'user', content });

function refusal(body: unknown, headers: Record<string, string> = {}): OpenAiError {
  try {
    translateChatRequest(body, headers, catalog, limits);
  } catch (err) {
    assert.ok(err instanceof OpenAiError, String(err));
    return err;
  }
  throw new Error('expected a refusal');
}

describe('translateChatRequest (OpenAI chat completions → InferenceRequest)', () => {
  it('passes a route alias to the router to resolve (after the caller\'s own hints) and pins a catalog model', () => {
    const auto = translateChatRequest({ model: 'auto', messages: [user('hi')] }, {}, catalog, limits).request;
    assert.deepEqual([auto.hints?.mode, auto.hints?.pinnedModel, auto.hints?.strategy], [RoutingMode.AUTO, 'auto', Strategy.UNSPECIFIED]);
    const fast = translateChatRequest({ model: 'auto:fast', messages: [user('hi')] }, { 'x-yardmaster-strategy': 'quality' }, catalog, limits).request;
    assert.deepEqual([fast.hints?.mode, fast.hints?.pinnedModel, fast.hints?.strategy], [RoutingMode.AUTO, 'auto:fast', Strategy.QUALITY]);
    const pinned = translateChatRequest({ model: aModel, messages: [user('hi')] }, {}, catalog, limits).request;
    assert.deepEqual([pinned.hints?.mode, pinned.hints?.pinnedModel], [RoutingMode.PINNED, aModel]);
    const e = refusal({ model: 'gpt-9', messages: [user('hi')] });
    assert.deepEqual([e.status, e.param, e.code], [404, 'model', 'model_not_found']);
  });

  it('carries messages with text and image parts (URL and base64 data URL), developer as system', () => {
    const { request } = translateChatRequest(
      {
        model: 'auto',
        messages: [
          { role: 'developer', content: 'be brief' },
          user([
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from([1, 2, 3]).toString('base64')}` } },
          ]),
          { role: 'assistant', content: 'a cat', name: 'bot' },
        ],
      },
      {},
      catalog,
      limits,
    );
    assert.deepEqual(
      request.messages.map((m) => m.role),
      [Role.SYSTEM, Role.USER, Role.ASSISTANT],
    );
    const parts = request.messages[1]!.content;
    assert.equal(parts[0]!.part.case, 'text');
    assert.ok(parts[1]!.part.case === 'image' && parts[1]!.part.value.url === 'https://example.com/cat.png');
    assert.ok(parts[2]!.part.case === 'image' && parts[2]!.part.value.mimeType === 'image/png' && Buffer.from(parts[2]!.part.value.data).equals(Buffer.from([1, 2, 3])));
    assert.equal(request.messages[2]!.name, 'bot');
  });

  it('carries generation parameters, metadata and user', () => {
    const { request } = translateChatRequest(
      { model: 'auto', messages: [user('hi')], temperature: 0, top_p: 0.5, max_completion_tokens: 77, stop: 'END', seed: 42, response_format: { type: 'json_object' }, metadata: { team: 'a' }, user: 'u-1' },
      {},
      catalog,
      limits,
    );
    const p = request.params!;
    assert.deepEqual([p.temperature, p.topP, p.maxTokens, p.stop, p.seed, p.responseFormat], [0, 0.5, 77, ['END'], 42n, ResponseFormat.JSON]);
    assert.deepEqual(request.metadata, { team: 'a', 'yardmaster.user': 'u-1' });
  });

  it('takes routing hints from X-Yardmaster-* headers, the body extension winning', () => {
    const { request } = translateChatRequest(
      { model: 'auto', messages: [user('hi')], yardmaster: { plan: 'cascade' } },
      { 'x-yardmaster-strategy': 'cost', 'x-yardmaster-max-cost-usd': '0.01', 'x-yardmaster-privacy': 'self_hosted', 'x-yardmaster-plan': 'single' },
      catalog,
      limits,
    );
    assert.deepEqual([request.hints?.strategy, request.hints?.maxCostUsd, request.hints?.privacy, request.hints?.plan], [Strategy.COST, 0.01, Privacy.SELF_HOSTED_ONLY, PlanKind.CASCADE]);
    const e = refusal({ model: 'auto', messages: [user('hi')] }, { 'x-yardmaster-max-cost-usd': 'lots' });
    assert.deepEqual([e.status, e.param], [400, 'X-Yardmaster-Max-Cost-Usd']);
    assert.equal(refusal({ model: 'auto', messages: [user('hi')], yardmaster: { strategy: 'fastest' } }).param, 'yardmaster.strategy');
    assert.equal(refusal({ model: 'auto', messages: [user('hi')], yardmaster: { speed: 1 } }).code, 'unknown_parameter');
  });

  it('refuses what the pipeline cannot honour, naming the parameter', () => {
    const base = { model: 'auto', messages: [user('hi')] };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...base, n: 2 }, 'n', 'unsupported_parameter'],
      [{ ...base, tools: [{ type: 'function' }] }, 'tools[0].function', 'invalid_type'],
      [{ ...base, tools: [{ type: 'function', function: { name: 'a b' } }] }, 'tools[0].function.name', 'invalid_value'],
      [{ ...base, tools: [{ type: 'function', function: { name: 'f', parameters: [] } }] }, 'tools[0].function.parameters', 'invalid_type'],
      [{ ...base, tool_choice: 'auto' }, 'tool_choice', 'invalid_value'],
      [{ ...base, tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'sometimes' }, 'tool_choice', 'invalid_value'],
      [{ ...base, messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }] }] }, 'messages[0].tool_calls[0].function.arguments', 'invalid_type'],
      [{ ...base, logprobs: true }, 'logprobs', 'unsupported_parameter'],
      [{ ...base, response_format: { type: 'json_schema', json_schema: {} } }, 'response_format.json_schema.name', 'missing_required_parameter'],
      [{ ...base, response_format: { type: 'json_schema' } }, 'response_format.json_schema', 'missing_required_parameter'],
      [{ ...base, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id', 'missing_required_parameter'],
      [{ ...base, messages: [{ role: 'user', content: 'x', tool_calls: [] }] }, 'messages[0].tool_calls', 'invalid_value'],
      [{ ...base, messages: [user([{ type: 'input_audio', input_audio: {} }])] }, 'messages[0].content[0].type', 'unsupported_parameter'],
      [{ ...base, top_p: 0 }, 'top_p', 'decimal_below_min_value'],
      [{ ...base, max_tokens: 0 }, 'max_tokens', 'integer_below_min_value'],
      [{ ...base, max_tokens: 10, max_completion_tokens: 20 }, 'max_tokens', 'invalid_value'],
      [{ ...base, stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop', 'array_above_max_length'],
      [{ ...base, seed: 1.5 }, 'seed', 'invalid_type'],
      [{ ...base, messages: [] }, 'messages', 'empty_array'],
      [{ ...base, messages: Array.from({ length: 9 }, () => user('x')) }, 'messages', 'array_above_max_length'],
      [{ ...base, messages: [{ role: 'user' }] }, 'messages[0].content', 'missing_required_parameter'],
      [{ ...base, stream_options: { include_usage: true } }, 'stream_options', 'invalid_value'],
      [{ messages: [user('hi')] }, 'model', 'missing_required_parameter'],
    ];
    for (const [body, param, code] of cases) {
      const e = refusal(body);
      assert.deepEqual([e.status, e.param, e.code, e.type], [400, param, code, 'invalid_request_error'], `${JSON.stringify(body)}: ${e.message}`);
    }
    assert.equal(refusal([1, 2]).code, 'invalid_body');
  });

  it('accepts stream:true here (the controller answers it) and ignores tuning parameters it cannot pass on', () => {
    assert.equal(translateChatRequest({ model: 'auto', messages: [user('hi')], stream: true }, {}, catalog, limits).stream, true);
    const { request } = translateChatRequest({ model: 'auto', messages: [user('hi')], frequency_penalty: 1, presence_penalty: 1, store: false, tool_choice: 'none', tools: [] }, {}, catalog, limits);
    assert.equal(request.messages.length, 1);
    assert.equal(request.tools.length, 0);
  });

  it('carries tools, tool choice, tool calls and tool results, and JSON schemas', () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true } }];
    const { request } = translateChatRequest(
      {
        model: 'auto',
        messages: [
          user('weather in Oslo?'),
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: 'rain' },
        ],
        tools,
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        parallel_tool_calls: false,
        response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
      },
      {},
      catalog,
      limits,
    );
    assert.deepEqual(
      request.tools.map((t) => [t.name, t.description, JSON.parse(t.parametersJson) as unknown, t.strict]),
      [['get_weather', 'weather', tools[0]!.function.parameters, true]],
    );
    assert.deepEqual([request.toolChoice?.mode, request.toolChoice?.functionName, request.toolChoice?.disableParallel], [ToolChoiceMode.FUNCTION, 'get_weather', true]);
    assert.deepEqual(
      request.messageTools.map((m) => [m.messageIndex, m.toolCalls.map((c) => [c.id, c.name, c.argumentsJson]), m.toolCallId]),
      [
        [1, [['call_1', 'get_weather', '{"city":"Oslo"}']], ''],
        [2, [], 'call_1'],
      ],
    );
    assert.equal(request.messages[2]!.role, Role.TOOL);
    assert.deepEqual([request.jsonSchema?.name, request.jsonSchema?.schemaJson, request.jsonSchema?.strict, request.params?.responseFormat], ['answer', '{"type":"object"}', true, ResponseFormat.JSON]);
  });
});
