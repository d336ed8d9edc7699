import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Bus } from '@yardmaster/bus';
import { Topics } from '@yardmaster/contracts';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { RedisApiKeys, Store } from '@yardmaster/store';
import OpenAI from 'openai';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { TopicReader } from '../support/topic-reader.js';

/** The median of some numbers. */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Milliseconds from sending a streamed request to its first content delta, and to its end. */
async function timeStream(
  open: () => Promise<AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>>,
): Promise<{ firstMs: number; lastMs: number; deltas: number; totalMs: number; text: string }> {
  const started = performance.now();
  let firstMs = -1;
  let lastMs = -1;
  let deltas = 0;
  let text = '';
  for await (const chunk of await open()) {
    const content = chunk.choices[0]?.delta.content;
    if (content) {
      lastMs = performance.now() - started;
      if (firstMs < 0) firstMs = lastMs;
      deltas++;
    }
    text += content ?? '';
  }
  return { firstMs, lastMs, deltas, totalMs: performance.now() - started, text };
}

describe('streaming, JSON mode, JSON schemas and tools through chat completions (official openai client, real pipeline)', () => {
  let system: RunningSystem;
  let bus: Bus;
  let store: Store;
  let acme: OpenAI;
  let responses: TopicReader<typeof Topics.responses.schema>;
  const pinned = { model: 'gpt-5.4-mini', messages: [{ role: 'user' as const, content: 'Tell me about freight trains in a few sentences.' }] };

  before(async () => {
    const infra = await testInfra();
    const prefix = uniquePrefix('stream');
    // 4 ms per output token: an answer takes long enough that streaming is visible.
    system = await launchSystem({
      brokers: infra.brokers,
      redisUrl: infra.redisUrl,
      topicPrefix: prefix,
      partitions: 2,
      logs: { kind: 'file', dir: mkdtempSync(path.join(tmpdir(), 'ym-stream-')) },
      serviceEnv: { 'provider-sim': { SIM_LATENCY_PER_TOKEN_MS: '4' } },
    });
    store = await Store.connect({ url: infra.redisUrl, keyPrefix: `ym:${prefix}:` });
    const key = (await new RedisApiKeys(store).create({ tenantId: 'acme' })).secret;
    acme = new OpenAI({ apiKey: key, baseURL: `${system.httpUrl}/v1`, maxRetries: 0, timeout: 60_000 });
    bus = await Bus.connect({ brokers: infra.brokers.split(','), clientId: 'openai-stream-test', topicPrefix: prefix });
    responses = await new TopicReader(bus, Topics.responses).start();
  });

  after(async () => {
    await responses?.stop();
    await bus?.close();
    await store?.close();
    await system?.stop();
  });

  it('streams chunks in OpenAI\'s format: role first, deltas that assemble the whole answer, finish_reason, usage last, one final response', async () => {
    const { data: stream, response } = await acme.chat.completions.create({ ...pinned, stream: true, stream_options: { include_usage: true } }).withResponse();
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const requestId = response.headers.get('x-yardmaster-request-id')!;
    assert.ok(requestId);
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    const arrivals: number[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      arrivals.push(performance.now());
    }
    assert.ok(chunks.length >= 5, `${chunks.length} chunks`);
    for (const c of chunks) {
      assert.equal(c.object, 'chat.completion.chunk');
      assert.equal(c.id, `chatcmpl-${requestId}`);
      assert.equal(c.model, 'gpt-5.4-mini');
    }
    assert.equal(chunks[0]!.choices[0]!.delta.role, 'assistant');
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta.content);
    assert.ok(contentChunks.length >= 3, `the answer came in pieces (${contentChunks.length})`);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    const finishes = chunks.filter((c) => c.choices[0]?.finish_reason);
    assert.equal(finishes.length, 1);
    assert.equal(finishes[0]!.choices[0]!.finish_reason, 'stop');
    const last = chunks.at(-1)!;
    assert.deepEqual(last.choices, [], 'the usage chunk has no choices');
    assert.ok(last.usage && last.usage.prompt_tokens > 0 && last.usage.completion_tokens > 0);
    assert.equal(last.usage.total_tokens, last.usage.prompt_tokens + last.usage.completion_tokens);
    for (const c of chunks.slice(0, -1)) assert.equal(c.usage, null, 'usage is null on every other chunk');
    // Where the time to the first token went, in order along the way (ms from the ingress
    // handler; the processes' clocks agree to well under a millisecond on one machine).
    const ft = (last as unknown as { yardmaster: { first_token_ms?: Record<string, number> } }).yardmaster.first_token_ms;
    const steps = ['admitted', 'classifier_start', 'classifier_end', 'router_start', 'router_end', 'worker_start', 'provider_call', 'provider_first_delta', 'relay_read', 'first_write'];
    assert.deepEqual(Object.keys(ft ?? {}).sort(), [...steps, 'accepted'].sort(), JSON.stringify(ft));
    for (let i = 1; i < steps.length; i++) assert.ok(ft![steps[i]!]! >= ft![steps[i - 1]!]! - 1, `${steps[i - 1]} before ${steps[i]}: ${JSON.stringify(ft)}`);
    assert.ok(ft!['admitted']! >= 0 && ft!['first_write']! < 10_000, JSON.stringify(ft));
    // The text streamed is the final response's text, and there is exactly one final response.
    const final = await waitFor('the final response', () => responses.messages.find((m) => m.key === requestId));
    assert.equal(text, final.value.output);
    assert.equal(last.usage.completion_tokens, final.value.usage?.outputTokens);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(responses.messages.filter((m) => m.key === requestId).length, 1);
    // It streamed: the first content arrived well before the end (≈4 ms per token at the provider).
    const firstContent = arrivals[chunks.indexOf(contentChunks[0]!)]!;
    assert.ok(arrivals.at(-1)! - firstContent > 40, `first content ${Math.round(arrivals.at(-1)! - firstContent)} ms before the end`);
  });

  it('a client that disconnects mid-stream cancels its request: the worker stops, the final response says cancelled', async () => {
    // gpt-5.4-nano answers at 100 ms per token: its call is still running when the client goes away.
    const slow = await fetch(`${system.simUrl}/admin/faults/gpt-5.4-nano`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ perTokenMs: 100 }) });
    assert.equal(slow.status, 200);
    const abort = new AbortController();
    const stream = await acme.chat.completions.create({ ...pinned, model: 'gpt-5.4-nano', messages: [{ role: 'user', content: `Write a long essay about shunting yards (${Date.now()}).` }], stream: true }, { signal: abort.signal }).withResponse();
    const requestId = stream.response.headers.get('x-yardmaster-request-id')!;
    for await (const chunk of stream.data) {
      if (chunk.choices[0]?.delta.content) break; // leaving the loop closes the connection
    }
    abort.abort();
    await waitFor('the cancelled: marker', async () => (await store.run(() => store.connection().get(store.key(`cancelled:${requestId}`)))) === '1');
    const final = await waitFor('the final response', () => responses.messages.find((m) => m.key === requestId), 20_000);
    assert.equal(final.value.error?.code, 'cancelled', JSON.stringify(final.value.error));
    await fetch(`${system.simUrl}/admin/faults`, { method: 'DELETE' });
  });

  it('the whole answer and the streamed one agree for the same request through the non-streaming path', async () => {
    const whole = await acme.chat.completions.create({ ...pinned, seed: 3 });
    const streamed = await timeStream(() => acme.chat.completions.create({ ...pinned, seed: 3, stream: true }));
    assert.equal(streamed.text, whole.choices[0]!.message.content);
    // Without include_usage the decision rides on the finish chunk.
    let last: OpenAI.Chat.Completions.ChatCompletionChunk | undefined;
    for await (const c of await acme.chat.completions.create({ ...pinned, stream: true })) last = c;
    assert.equal(last?.choices[0]?.finish_reason, 'stop');
    assert.equal((last as unknown as { yardmaster: { tenant_id: string } }).yardmaster.tenant_id, 'acme');
  });

  it('streams a request no pool streams (the calculator tool) as one delta from the final response', async () => {
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of await acme.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'What is 12 * 34?' }], stream: true })) chunks.push(c);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    assert.match(text, /408/);
    assert.equal(chunks.at(-1)!.choices[0]!.finish_reason, 'stop');
  });

  it('refuses bad stream_options precisely and answers errors before the first chunk with their HTTP status', async () => {
    const bad = await acme.chat.completions.create({ ...pinned, stream: true, stream_options: { include_usage: 'yes' as unknown as boolean } }).catch((e: unknown) => e);
    assert.ok(bad instanceof OpenAI.APIError && bad.status === 400 && bad.param === 'stream_options.include_usage', String(bad));
    const unknownModel = await acme.chat.completions.create({ ...pinned, model: 'no-such-model', stream: true }).catch((e: unknown) => e);
    assert.ok(unknownModel instanceof OpenAI.APIError && unknownModel.status === 404, String(unknownModel));
  });

  it('relays each delta as the provider sends it (not gathered to the end), and reports the time added to the first token over calling provider-sim directly (p50)', async () => {
    const direct = new OpenAI({ apiKey: 'sim', baseURL: `${system.simUrl}/v1`, maxRetries: 0 });
    const viaYm: Array<Awaited<ReturnType<typeof timeStream>>> = [];
    const viaSim: Array<Awaited<ReturnType<typeof timeStream>>> = [];
    for (let i = 0; i < 20; i++) {
      const content = `Tell me about freight trains, take ${i}.`;
      viaSim.push(await timeStream(() => direct.chat.completions.create({ model: 'gpt-5.4-mini', messages: [{ role: 'user', content }], stream: true })));
      viaYm.push(await timeStream(() => acme.chat.completions.create({ model: 'gpt-5.4-mini', messages: [{ role: 'user', content }], stream: true })));
    }
    const first = (runs: typeof viaYm): number => median(runs.map((r) => r.firstMs));
    const spread = (runs: typeof viaYm): number => median(runs.map((r) => r.lastMs - r.firstMs));
    console.log(
      `time to first token p50: provider-sim ${first(viaSim).toFixed(1)} ms, through Yardmaster ${first(viaYm).toFixed(1)} ms, ` +
        `added ${(first(viaYm) - first(viaSim)).toFixed(1)} ms (npm run bench:ttft breaks it down); first to last delta p50 ` +
        `${spread(viaSim).toFixed(1)} ms direct, ${spread(viaYm).toFixed(1)} ms through Yardmaster`,
    );
    // provider-sim paces its deltas (4 ms per token), so a relay that passes each delta on
    // keeps them about as far apart as the provider sent them, whatever the machine's load
    // adds before the first one; a relay that gathered the answer would deliver every delta
    // at once. (Time to first token is a benchmark figure, not asserted here.)
    assert.ok(median(viaSim.map((r) => r.deltas)) >= 5, `provider-sim sent ${median(viaSim.map((r) => r.deltas))} deltas per answer`);
    assert.ok(
      spread(viaYm) >= 0.25 * spread(viaSim),
      `first to last delta p50 ${spread(viaYm).toFixed(1)} ms through Yardmaster vs ${spread(viaSim).toFixed(1)} ms from provider-sim directly`,
    );
  });

  const weather: OpenAI.Chat.Completions.ChatCompletionTool = {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'The weather in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'] },
    },
  };

  it('JSON mode and JSON schemas reach the provider: the answer parses and follows the schema', async () => {
    const jsonMode = await acme.chat.completions.create({ ...pinned, response_format: { type: 'json_object' } });
    assert.equal(typeof JSON.parse(jsonMode.choices[0]!.message.content!), 'object');
    const schema = {
      type: 'object',
      properties: { title: { type: 'string' }, year: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['title', 'year', 'tags'],
      additionalProperties: false,
    };
    const shaped = await acme.chat.completions.create({ ...pinned, response_format: { type: 'json_schema', json_schema: { name: 'film', schema, strict: true } } });
    const film = JSON.parse(shaped.choices[0]!.message.content!) as { title: unknown; year: unknown; tags: unknown };
    assert.equal(typeof film.title, 'string');
    assert.ok(Number.isInteger(film.year));
    assert.ok(Array.isArray(film.tags));
    const routed = (shaped as unknown as { yardmaster: { decision: { reason: string } } }).yardmaster.decision;
    assert.ok(routed, 'routed');
    const bad = await acme.chat.completions.create({ ...pinned, response_format: { type: 'json_schema', json_schema: { name: 'no spaces allowed', schema } } }).catch((e: unknown) => e);
    assert.ok(bad instanceof OpenAI.APIError && bad.status === 400 && bad.param === 'response_format.json_schema.name', String(bad));
  });

  it('passes tools through and returns the tool call; the tool result goes back in a second turn', async () => {
    const first = await acme.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'What is the weather in Oslo this week?' }], tools: [weather], tool_choice: 'required' });
    const choice = first.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, null);
    const call = choice.message.tool_calls?.[0];
    assert.ok(call && call.type === 'function', JSON.stringify(choice.message));
    assert.equal(call.function.name, 'get_weather');
    const args = JSON.parse(call.function.arguments) as { city: unknown; days: unknown };
    assert.equal(typeof args.city, 'string');
    assert.ok(Number.isInteger(args.days));
    assert.ok(call.id.length > 0);
    // The router chose a model that calls tools.
    const catalogTools = (first as unknown as { yardmaster: { decision: { targets: { model: string }[] } } }).yardmaster.decision.targets[0]!.model;
    assert.notEqual(catalogTools, 'llama-3.1-8b-instruct');
    const second = await acme.chat.completions.create({
      model: first.model,
      messages: [
        { role: 'user', content: 'What is the weather in Oslo this week?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"forecast": "rain all week"}' },
      ],
      tools: [weather],
    });
    assert.equal(second.choices[0]!.finish_reason, 'stop');
    assert.ok((second.choices[0]!.message.content ?? '').length > 0);
    // A named function is called; a tool message without its call id is refused precisely.
    const named = await acme.chat.completions.create({ ...pinned, tools: [weather], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    assert.equal(named.choices[0]!.message.tool_calls?.[0]?.type === 'function' ? named.choices[0]!.message.tool_calls[0].function.name : '', 'get_weather');
    const noId = await acme.chat.completions
      .create({ ...pinned, messages: [{ role: 'tool', content: 'x' } as unknown as OpenAI.Chat.Completions.ChatCompletionMessageParam] })
      .catch((e: unknown) => e);
    assert.ok(noId instanceof OpenAI.APIError && noId.status === 400 && noId.param === 'messages[0].tool_call_id', String(noId));
    const unknownChoice = await acme.chat.completions.create({ ...pinned, tools: [weather], tool_choice: { type: 'function', function: { name: 'nope' } } }).catch((e: unknown) => e);
    assert.ok(unknownChoice instanceof OpenAI.APIError && unknownChoice.status === 400 && unknownChoice.param === 'tool_choice.function.name', String(unknownChoice));
  });

  it('a request with tools needs a model that calls tools: pinned to one that does not, it is refused', async () => {
    const err = await acme.chat.completions.create({ model: 'llama-3.1-8b-instruct', messages: [{ role: 'user', content: 'weather?' }], tools: [weather] }).catch((e: unknown) => e);
    assert.ok(err instanceof OpenAI.APIError && err.status === 422, String(err));
    assert.match(err.message, /tools/);
  });

  it('streams a tool call as OpenAI does: tool_calls deltas, finish_reason tool_calls', async () => {
    const stream = await acme.chat.completions.create({ ...pinned, tools: [weather], tool_choice: 'required', stream: true });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    assert.equal(calls[0]?.function?.name, 'get_weather');
    assert.ok(calls[0]?.id);
    const args = calls.map((c) => c.function?.arguments ?? '').join('');
    assert.equal(typeof (JSON.parse(args) as { city: unknown }).city, 'string');
    assert.equal(chunks.at(-1)!.choices[0]!.finish_reason, 'tool_calls');
  });
});
