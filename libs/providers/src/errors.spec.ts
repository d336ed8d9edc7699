import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProviderError } from './errors.js';
import { backoffDelay } from './retry.js';

describe('ProviderError.fromStatus classifies what providers say', () => {
  it('context length, in each provider\'s words', () => {
    for (const body of [
      '{"error":{"message":"This model\'s maximum context length is 8192 tokens.","code":"context_length_exceeded"}}',
      '{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}',
      '{"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}',
      'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096',
    ]) {
      const e = ProviderError.fromStatus(400, body);
      assert.deepEqual([e.code, e.retriable], ['context_length', false], body);
    }
    assert.equal(ProviderError.fromStatus(413, 'Request Entity Too Large').code, 'context_length');
  });

  it('content policy refusals', () => {
    for (const body of ['{"error":{"code":"content_policy_violation","message":"Your request was rejected as a result of our safety system."}}', '{"error":{"code":"content_filter"}}']) {
      assert.equal(ProviderError.fromStatus(400, body).code, 'content_policy', body);
    }
  });

  it('other statuses as before; 529 (Anthropic overloaded) is unavailable', () => {
    assert.equal(ProviderError.fromStatus(400, '{"error":{"message":"temperature must be <= 2"}}').code, 'bad_request');
    assert.equal(ProviderError.fromStatus(529, 'overloaded').code, 'unavailable');
    assert.equal(ProviderError.fromStatus(403, 'forbidden').code, 'auth');
    assert.equal(ProviderError.fromStatus(429, 'refused').code, 'rate_limited', 'a 429 stays a 429 whatever it says');
  });
});

describe('backoffDelay', () => {
  it('is full jitter: uniform up to base·2^(n-1), capped, and never below Retry-After', () => {
    const draws = Array.from({ length: 2000 }, () => backoffDelay(3, 100, 10_000));
    assert.ok(draws.every((d) => d >= 0 && d <= 400));
    assert.ok(Math.min(...draws) < 40 && Math.max(...draws) > 360, 'spread over the whole range');
    assert.ok(Array.from({ length: 100 }, () => backoffDelay(20, 100, 1000)).every((d) => d <= 1000));
    assert.ok(Array.from({ length: 100 }, () => backoffDelay(1, 100, 1000, 2500)).every((d) => d === 2500));
  });
});
