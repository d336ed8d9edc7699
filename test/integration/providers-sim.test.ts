import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { createAdapter, keyFingerprint, type GenerationRequest, type ProviderAdapter, type ProviderApi } from '@yardmaster/providers';
import { providerFailure as failure } from '../support/http-tools.js';
import { startProviderSim, type SimHandle } from '../support/provider-sim.js';

const KEY = 'sk-proj-Yx81kfQ2lL0aZbPq7TnW3vR9sC4dE6fG';

function request(model: string, text = 'Explain how a rail yard sorts freight cars.'): GenerationRequest {
  return {
    model,
    messages: [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text }] },
    ],
    maxTokens: 64,
  };
}

const signal = () => AbortSignal.timeout(10_000);

/** Each adapter over real HTTP against provider-sim speaking that protocol. */
describe('provider adapters against provider-sim', () => {
  let sim: SimHandle;
  const adapters = new Map<ProviderApi, ProviderAdapter>();

  before(async () => {
    sim = await startProviderSim({ SIM_API_KEYS: KEY });
    for (const api of ['openai-chat', 'anthropic-messages', 'gemini', 'openai-images'] as const) adapters.set(api, createAdapter(api, { baseUrl: sim.url }));
  });
  after(() => sim?.stop());

  for (const api of ['openai-chat', 'anthropic-messages', 'gemini'] as const) {
    it(`${api}: the whole answer and the streamed one agree, with usage and the answering model`, async () => {
      const adapter = adapters.get(api)!;
      const model = `${api}-model`;
      const whole = await adapter.generate(request(model), { signal: signal(), apiKey: KEY });
      assert.equal(whole.streamed, false);
      assert.match(whole.output, new RegExp(`^\\[${model}\\] `));
      assert.ok(whole.inputTokens > 10 && whole.outputTokens > 5, JSON.stringify(whole));
      assert.equal(whole.providerModel, model);
      const deltas: string[] = [];
      const streamed = await adapter.generate(request(model), { signal: signal(), apiKey: KEY, stream: true, onDelta: (d) => deltas.push(d) });
      assert.equal(streamed.streamed, true);
      assert.ok(deltas.length > 3, `${deltas.length} deltas`);
      assert.equal(deltas.join(''), streamed.output);
      assert.deepEqual(
        { output: streamed.output, finishReason: streamed.finishReason, inputTokens: streamed.inputTokens, outputTokens: streamed.outputTokens, providerModel: streamed.providerModel },
        { output: whole.output, finishReason: whole.finishReason, inputTokens: whole.inputTokens, outputTokens: whole.outputTokens, providerModel: whole.providerModel },
      );
      // A small max_tokens cuts the answer: finish reason `length` in every protocol.
      const cut = await adapter.generate({ ...request(model), maxTokens: 3 }, { signal: signal(), apiKey: KEY, stream: true });
      assert.equal(cut.finishReason, 'length');
      assert.ok(cut.outputTokens <= 3);
    });

    it(`${api}: 429 with Retry-After, 503, context length and content policy map to stable codes, whole and streamed`, async () => {
      const adapter = adapters.get(api)!;
      for (const stream of [false, true]) {
        const model = `${api}-faults-${stream}`;
        await sim.faults(model, { rateLimit: { rate: 1, retryAfterS: 2 } });
        const limited = await failure(adapter.generate(request(model), { signal: signal(), apiKey: KEY, stream }));
        assert.deepEqual([limited.code, limited.retriable, limited.retryAfterMs], ['rate_limited', true, 2000]);
        await sim.faults(model, { errors: { '503': 1 } });
        assert.equal((await failure(adapter.generate(request(model), { signal: signal(), apiKey: KEY, stream }))).code, 'unavailable');
        await sim.faults(model, { contextWindow: 5 });
        const long = await failure(adapter.generate(request(model), { signal: signal(), apiKey: KEY, stream }));
        assert.deepEqual([long.code, long.retriable], ['context_length', false], long.message);
        await sim.faults(model, { contentPolicy: 1 });
        const refused = await failure(adapter.generate(request(model), { signal: signal(), apiKey: KEY, stream }));
        assert.deepEqual([refused.code, refused.retriable], ['content_policy', false], refused.message);
      }
    });
  }

  it('openai-images: a PNG, whole (b64_json) and streamed (image_generation.completed)', async () => {
    const adapter = adapters.get('openai-images')!;
    for (const stream of [false, true]) {
      const answer = await adapter.generate({ model: 'gpt-image-1', messages: [{ role: 'user', parts: [{ type: 'text', text: 'a red caboose' }] }] }, { signal: signal(), apiKey: KEY, stream });
      assert.equal(answer.streamed, stream);
      const png = answer.images?.[0]?.data;
      assert.ok(png && Buffer.from(png).subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'a PNG');
      assert.equal(answer.images?.[0]?.mimeType, 'image/png');
      assert.ok(answer.inputTokens > 0 && answer.outputTokens > 0);
    }
    await sim.faults('dall-e-3', { contentPolicy: 1 });
    assert.equal((await failure(adapter.generate({ model: 'dall-e-3', messages: [{ role: 'user', parts: [{ type: 'text', text: 'x' }] }] }, { signal: signal(), apiKey: KEY }))).code, 'content_policy');
  });

  it('a hung provider costs the first-byte timeout, not the attempt timeout, whole and streamed', async () => {
    for (const api of ['openai-chat', 'anthropic-messages', 'gemini'] as const) {
      const model = `${api}-hang`;
      await sim.faults(model, { hang: 1 });
      for (const stream of [false, true]) {
        const started = Date.now();
        const err = await failure(adapters.get(api)!.generate(request(model), { signal: AbortSignal.timeout(30_000), apiKey: KEY, stream, firstByteTimeoutMs: 300 }));
        const took = Date.now() - started;
        assert.equal(err.code, 'timeout', `${api} stream=${stream}: ${err.message}`);
        assert.ok(took >= 290 && took < 2000, `${api} stream=${stream}: ${took} ms`);
      }
    }
  });

  it('a rejected key never appears in the error, whatever the provider quotes back', async () => {
    const wrong = 'sk-ant-api03-Zq1W2e3R4t5Y6u7I8o9P0aSdFgHjKl';
    for (const api of ['openai-chat', 'anthropic-messages', 'gemini', 'openai-images'] as const) {
      const err = await failure(adapters.get(api)!.generate(request('gpt-image-1'), { signal: signal(), apiKey: wrong }));
      assert.equal(err.code, 'auth', `${api}: ${err.message}`);
      assert.doesNotMatch(inspect(err, { depth: 10 }), new RegExp(wrong));
    }
  });

  it('provider-sim counts requests per model, window and key fingerprint (never the key)', async () => {
    await sim.resetStats();
    await adapters.get('openai-chat')!.generate(request('counted'), { signal: signal(), apiKey: KEY });
    await adapters.get('openai-chat')!.generate(request('counted'), { signal: signal(), apiKey: KEY, stream: true });
    const stats = await sim.stats();
    assert.equal(stats.totals['counted']?.requests, 2);
    assert.equal(stats.totals['counted']?.statuses['200'], 2);
    assert.ok((stats.totals['counted']?.tokens ?? 0) > 20);
    assert.equal(stats.keys[keyFingerprint(KEY)], 2);
    assert.doesNotMatch(JSON.stringify(stats), new RegExp(KEY));
  });

  it('the calculator tool computes exactly and fails as a normal error result', async () => {
    const tool = createAdapter('tool', { baseUrl: '' });
    const ok = await tool.generate({ model: 'calculator', messages: [], tool: { name: 'calculator', expression: '2^64 + 0.1 + 0.2' } }, { signal: signal() });
    assert.deepEqual([ok.output, ok.inputTokens, ok.outputTokens], ['18446744073709551616.3', 0, 0]);
    const date = await tool.generate({ model: 'calculator', messages: [], tool: { name: 'calculator', expression: 'date_add(2026-03-15, 90 days)' } }, { signal: signal() });
    assert.equal(date.output, '2026-06-13 (Saturday)', 'date arithmetic through the same evaluator as the classifier');
    const bad = await failure(tool.generate({ model: 'calculator', messages: [], tool: { name: 'calculator', expression: 'import("fs")' } }, { signal: signal() }));
    assert.deepEqual([bad.code, bad.retriable], ['tool_error', false]);
  });
});
