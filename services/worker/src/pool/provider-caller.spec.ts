// Runs against the real Redis that `npm test` starts (REDIS_URL): the gate is the shared one.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { KeyRing, type CallOptions, type GenerationAnswer, type GenerationRequest, type ProviderAdapter } from '@yardmaster/providers';
import { RedisProviderGate, RedisProviderHealth, Store } from '@yardmaster/store';
import type { LimitConfig, ProviderConfig } from '../config.js';
import { PoolMetrics } from './metrics.js';
import { ProviderCaller, type CallPlan } from './provider-caller.js';

const redisUrl = process.env['REDIS_URL'];

/** A provider that answers at once and records when it was called. */
class RecordingAdapter implements ProviderAdapter {
  readonly api = 'openai-chat' as const;
  readonly streams = true;
  readonly calls: number[] = [];

  generate(request: GenerationRequest, options: CallOptions): Promise<GenerationAnswer> {
    this.calls.push(performance.now());
    options.onDelta?.('hi');
    return Promise.resolve({ output: 'hi', finishReason: 'stop', inputTokens: 1, outputTokens: 1, providerModel: request.model, streamed: true, firstByteMs: 0 });
  }
}

const PROVIDER: ProviderConfig = {
  api: 'openai-chat',
  baseUrl: 'http://127.0.0.1:1',
  apiKeys: ['k'],
  stream: true,
  timeoutMs: 5000,
  firstByteTimeoutMs: 5000,
  maxAttempts: 2,
  retryBaseMs: 10,
  retryMaxMs: 50,
  fallbackShare: 0.5,
  maxWaitMs: 1000,
  cooldownMs: 1000,
  defaultMaxTokens: 100,
  reserveOutputTokens: 10,
  imageSize: undefined,
  httpTool: undefined,
};

/** One call in flight at most for the provider: a lease that is not given back blocks the next admission. */
const ONE_IN_FLIGHT: LimitConfig = { provider: { rpm: 0, tpm: 0, maxInFlight: 1 }, models: {}, tenant: { rpm: 0, tpm: 0 }, windowMs: 60_000 };

describe('ProviderCaller precheck (real Redis gate)', { skip: redisUrl ? false : 'REDIS_URL not set' }, () => {
  let store: Store;
  let gate: RedisProviderGate;
  let health: RedisProviderHealth;
  before(async () => {
    store = await Store.connect({ url: redisUrl!, keyPrefix: `t${randomBytes(3).toString('hex')}:` });
    gate = new RedisProviderGate(store);
    health = new RedisProviderHealth(store);
  });
  after(async () => {
    await store.close();
  });

  const plan = (provider: string, extra: Partial<CallPlan> = {}): CallPlan => ({
    target: { provider, model: 'm' },
    request: { model: 'm', messages: [{ role: 'user', parts: [{ type: 'text', text: 'hello' }] }] },
    tenantId: 'acme',
    promptTokens: 1,
    deadlineMs: Date.now() + 5000,
    hasFallback: false,
    signal: new AbortController().signal,
    ...extra,
  });

  it('admits through the gate while the check runs, and calls the provider only after the check passed', async () => {
    const adapter = new RecordingAdapter();
    const admits: number[] = [];
    const watched = Object.assign(Object.create(gate) as RedisProviderGate, {
      admit: (args: Parameters<RedisProviderGate['admit']>[0]) => {
        admits.push(performance.now());
        return gate.admit(args);
      },
    });
    const caller = new ProviderCaller(adapter, new KeyRing(['k']), watched, health, PROVIDER, ONE_IN_FLIGHT, new PoolMetrics());
    let passedAt = 0;
    const precheck = new Promise<void>((resolve) => setTimeout(() => {
      passedAt = performance.now();
      resolve();
    }, 40));
    const { answer, attempts } = await caller.call(plan(`p-${randomBytes(3).toString('hex')}`, { precheck }));
    assert.equal(answer.output, 'hi');
    assert.equal(attempts, 1);
    assert.equal(admits.length, 1);
    assert.ok(admits[0]! < passedAt, 'the admission went out before the check finished');
    assert.equal(adapter.calls.length, 1);
    assert.ok(adapter.calls[0]! >= passedAt, 'the provider was called after the check');
  });

  it('answers without waiting for the lease to go back, and `settled` gives it back', async () => {
    const adapter = new RecordingAdapter();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = Object.assign(Object.create(gate) as RedisProviderGate, {
      settle: async (...args: Parameters<RedisProviderGate['settle']>) => {
        await held;
        return gate.settle(...args);
      },
    });
    const caller = new ProviderCaller(adapter, new KeyRing(['k']), slow, health, PROVIDER, ONE_IN_FLIGHT, new PoolMetrics());
    const provider = `p-${randomBytes(3).toString('hex')}`;
    const { answer, settled } = await caller.call(plan(provider));
    assert.equal(answer.output, 'hi');
    const admit = () => gate.admit({ provider, model: 'm', scopes: caller.scopes(plan(provider)), tokens: 1, leaseMs: 5000 });
    // The answer came back while the settle was still held: the one in-flight slot is taken.
    assert.equal((await admit()).admitted, false);
    release();
    await settled;
    assert.equal((await admit()).admitted, true);
  });

  it('a failed check calls nothing, rejects with its own reason, and gives the lease back', async () => {
    const adapter = new RecordingAdapter();
    const caller = new ProviderCaller(adapter, new KeyRing(['k']), gate, health, PROVIDER, ONE_IN_FLIGHT, new PoolMetrics());
    const provider = `p-${randomBytes(3).toString('hex')}`;
    const reason = new Error('already done');
    const err = await caller.call(plan(provider, { precheck: Promise.reject(reason) })).catch((e: unknown) => e);
    assert.equal(err, reason);
    assert.equal(adapter.calls.length, 0);
    // With one call in flight allowed, the next admission goes through only if the lease was released.
    const admission = await gate.admit({ provider, model: 'm', scopes: caller.scopes(plan(provider)), tokens: 1, leaseMs: 5000 });
    assert.equal(admission.admitted, true, JSON.stringify(admission));
  });
});
