import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@yardmaster/config';
import { WorkerConfig } from './config.js';

const BASE = { WORKER_POOL: 'openai', PROVIDER_BASE_URL: 'http://sim:8090' };

function problems(env: Record<string, string>): string[] {
  try {
    WorkerConfig.fromEnv(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return [...err.problems];
  }
  assert.fail('expected a ConfigError');
}

describe('WorkerConfig', () => {
  it('defaults: openai-chat, streamed, 15 s to first byte within 60 s attempts, no shared limits', () => {
    const c = WorkerConfig.fromEnv(BASE);
    assert.equal(c.provider.api, 'openai-chat');
    assert.equal(c.provider.stream, true);
    assert.deepEqual([c.provider.firstByteTimeoutMs, c.provider.timeoutMs, c.provider.maxAttempts, c.provider.fallbackShare], [15000, 60000, 3, 0.5]);
    assert.deepEqual(c.limits.provider, { rpm: 0, tpm: 0, maxInFlight: 0 });
    assert.deepEqual(c.provider.apiKeys, []);
  });

  it('the tool pool needs no URL; every other API does', () => {
    assert.equal(WorkerConfig.fromEnv({ WORKER_POOL: 'calculator', PROVIDER_API: 'tool' }).provider.api, 'tool');
    assert.deepEqual(problems({ WORKER_POOL: 'claude', PROVIDER_API: 'anthropic-messages' }), ['PROVIDER_BASE_URL: required for PROVIDER_API=anthropic-messages']);
  });

  it('an http-tool pool reads its tool, path template, method, headers and timeout, and lists what is missing or malformed', () => {
    const c = WorkerConfig.fromEnv({
      WORKER_POOL: 'weather',
      PROVIDER_API: 'http-tool',
      PROVIDER_BASE_URL: 'http://sim:8090',
      PROVIDER_TOOL_NAME: 'weather',
      PROVIDER_TOOL_PATH: '/tools/weather?location={location}',
      PROVIDER_TOOL_HEADERS: '{"x-api-key":"{credential}"}',
      PROVIDER_TOOL_TIMEOUT_MS: '1500',
      PROVIDER_API_KEY: 'wx-secret',
    });
    assert.deepEqual(c.provider.httpTool, { tool: 'weather', path: '/tools/weather?location={location}', method: 'GET', headers: { 'x-api-key': '{credential}' }, timeoutMs: 1500, notFound: 'error' });
    assert.equal(WorkerConfig.fromEnv({ ...BASE, WORKER_POOL: 'orders', PROVIDER_API: 'http-tool', PROVIDER_BASE_URL: 'http://sim:8090', PROVIDER_TOOL_NAME: 'order_lookup', PROVIDER_TOOL_PATH: '/tools/orders/{order_id}', PROVIDER_TOOL_NOT_FOUND: 'answer' }).provider.httpTool?.notFound, 'answer');
    assert.deepEqual(c.provider.apiKeys, ['wx-secret']);
    assert.equal(WorkerConfig.fromEnv(BASE).provider.httpTool, undefined);
    assert.deepEqual(problems({ WORKER_POOL: 'weather', PROVIDER_API: 'http-tool' }).sort(), [
      'PROVIDER_BASE_URL: required for PROVIDER_API=http-tool',
      'PROVIDER_TOOL_NAME: required for PROVIDER_API=http-tool (the tool it serves, e.g. weather)',
      'PROVIDER_TOOL_PATH: required for PROVIDER_API=http-tool (e.g. /tools/weather?location={location}&when={when})',
    ]);
    const bad = problems({ WORKER_POOL: 'weather', PROVIDER_API: 'http-tool', PROVIDER_BASE_URL: 'http://sim:8090', PROVIDER_TOOL_NAME: 'weather', PROVIDER_TOOL_PATH: '/w', PROVIDER_TOOL_HEADERS: '["x"]' });
    assert.deepEqual(bad, ['PROVIDER_TOOL_HEADERS: expected a JSON object of header names to strings, e.g. {"x-api-key": "{credential}"}']);
  });

  it('reads several keys and per-model limits, and lists every bad variable without key values', () => {
    const c = WorkerConfig.fromEnv({ ...BASE, PROVIDER_API_KEYS: 'sk-a,sk-b', RATE_LIMIT_MODELS: '{"gpt-4o":{"rpm":100,"tpm":30000},"*":{"maxInFlight":8}}' });
    assert.deepEqual(c.provider.apiKeys, ['sk-a', 'sk-b']);
    assert.deepEqual(c.limits.models['gpt-4o'], { rpm: 100, tpm: 30000 });
    const found = problems({ ...BASE, PROVIDER_API: 'openai-chat', PROVIDER_API_KEY_FILE: '/nonexistent/k', RATE_LIMIT_MODELS: '{"gpt-4o":{"rpm":"lots"}}', BREAKER_OPEN_MS: '5000', BREAKER_MAX_OPEN_MS: '100' });
    assert.equal(found.length, 3, found.join('\n'));
    assert.match(found.join('\n'), /PROVIDER_API_KEY_FILE: cannot read the API key file \/nonexistent\/k/);
    assert.match(found.join('\n'), /RATE_LIMIT_MODELS: expected JSON/);
    assert.match(found.join('\n'), /BREAKER_MAX_OPEN_MS/);
  });

  it('rejects an unknown API kind', () => {
    assert.match(problems({ ...BASE, PROVIDER_API: 'soap' }).join('\n'), /PROVIDER_API/);
  });
});
