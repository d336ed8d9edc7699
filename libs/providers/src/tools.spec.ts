import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AnthropicMessagesClient, anthropicBody } from './anthropic.js';
import { geminiBody } from './gemini.js';
import { openAIChatBody } from './openai.js';
import type { GenerationRequest } from './types.js';

const conversation: GenerationRequest = {
  model: 'm',
  messages: [
    { role: 'user', parts: [{ type: 'text', text: 'weather in Oslo?' }] },
    { role: 'assistant', parts: [{ type: 'text', text: '' }], toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] },
    { role: 'tool', parts: [{ type: 'text', text: 'rain' }], toolCallId: 'call_1' },
  ],
  tools: [{ name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
  toolChoice: { mode: 'function', name: 'get_weather', disableParallel: true },
  jsonSchema: { name: 'answer', schema: { type: 'object' }, strict: true },
  json: true,
};

describe('tools and JSON schemas in each provider format', () => {
  it('OpenAI: tools, tool_choice, parallel_tool_calls, json_schema, tool calls and tool results', () => {
    const body = openAIChatBody(conversation);
    assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'get_weather', description: 'weather', parameters: conversation.tools![0]!.parameters } }]);
    assert.deepEqual(body.tool_choice, { type: 'function', function: { name: 'get_weather' } });
    assert.equal(body.parallel_tool_calls, false);
    assert.deepEqual(body.response_format, { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } });
    assert.deepEqual(body.messages[1], { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] });
    assert.deepEqual(body.messages[2], { role: 'tool', content: 'rain', tool_call_id: 'call_1' });
  });

  it('Anthropic: tools with input_schema, tool_choice tool, tool_use and tool_result blocks, the schema in the system prompt', () => {
    const body = anthropicBody(conversation, 100);
    assert.deepEqual(body.tools, [{ name: 'get_weather', description: 'weather', input_schema: conversation.tools![0]!.parameters }]);
    assert.deepEqual(body.tool_choice, { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true });
    assert.deepEqual(body.messages[1], { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Oslo' } }] });
    assert.deepEqual(body.messages[2], { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'rain' }] });
    assert.match(body.system ?? '', /JSON schema:\n\{"type":"object"\}/);
    assert.deepEqual(anthropicBody({ ...conversation, toolChoice: { mode: 'required' } }, 100).tool_choice, { type: 'any' });
  });

  it('Gemini: functionDeclarations, toolConfig, functionCall and functionResponse parts, responseJsonSchema', () => {
    const body = geminiBody(conversation);
    assert.deepEqual(body.tools, [{ functionDeclarations: [{ name: 'get_weather', description: 'weather', parametersJsonSchema: conversation.tools![0]!.parameters }] }]);
    assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
    assert.deepEqual(body.contents[1], { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }] });
    assert.deepEqual(body.contents[2], { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { content: 'rain' } } }] });
    assert.deepEqual([body.generationConfig?.responseMimeType, body.generationConfig?.responseJsonSchema], ['application/json', { type: 'object' }]);
  });

  describe('Anthropic tool calls read back', () => {
    let server: Server;
    let url = '';
    before(async () => {
      server = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const events = [
            { type: 'message_start', message: { model: 'claude-x', usage: { input_tokens: 9, output_tokens: 1 } } },
            { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } },
            { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"city":' } },
            { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '"Oslo"}' } },
            { type: 'content_block_stop', index: 0 },
            { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 12 } },
            { type: 'message_stop' },
          ];
          for (const e of events) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
          res.end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => server.close());

    it('assembles a streamed tool_use block into a tool call', async () => {
      const answer = await new AnthropicMessagesClient({ baseUrl: url }).generate(conversation, { signal: AbortSignal.timeout(5000), stream: true });
      assert.deepEqual(answer.toolCalls, [{ id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }]);
      assert.equal(answer.finishReason, 'tool_calls');
      assert.equal(answer.outputTokens, 12);
    });
  });
});
