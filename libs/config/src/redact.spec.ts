import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeConfigValue, isSecretName, redactUrl, redactUrlsIn, scrubSecrets, splitUrlCredentials } from './redact.js';

describe('redactUrl', () => {
  it('replaces the password of the userinfo and keeps the rest', () => {
    assert.equal(redactUrl('redis://app:s3cret@10.0.0.5:6379/2'), 'redis://app:***@10.0.0.5:6379/2');
    assert.equal(redactUrl('rediss://:s3cret@redis.internal:6380'), 'rediss://:***@redis.internal:6380');
    assert.equal(redactUrl('https://user:p%40ss@gw.example.com/v1?x=1'), 'https://user:***@gw.example.com/v1?x=1');
  });

  it('hides a lone userinfo, which is often a token', () => {
    assert.equal(redactUrl('https://ghp_abcdef123456@github.example/x'), 'https://***@github.example/x');
  });

  it('hides a password holding unencoded "@" or "/" completely', () => {
    const out = redactUrl('redis://u:ab/c@d@host:6379');
    assert.equal(out, 'redis://u:***@host:6379');
    assert.doesNotMatch(out, /ab|c@d/);
  });

  it('leaves URLs without credentials and non-URLs unchanged', () => {
    for (const s of ['redis://127.0.0.1:6379', 'http://localhost:8000/v1/chat', '127.0.0.1:9092,k2:9092', 'user@example.com', '']) {
      assert.equal(redactUrl(s), s);
    }
  });
});

describe('redactUrlsIn', () => {
  it('redacts every URL inside free text', () => {
    const msg = 'Request cannot be constructed from a URL that includes credentials: http://bob:hunter22@127.0.0.1:9/v1/chat/completions (also tried "redis://:pw1234@r:1")';
    const out = redactUrlsIn(msg);
    assert.doesNotMatch(out, /hunter22|pw1234/);
    assert.match(out, /http:\/\/bob:\*\*\*@127\.0\.0\.1:9\/v1\/chat\/completions/);
    assert.match(out, /redis:\/\/:\*\*\*@r:1/);
  });
});

describe('isSecretName / describeConfigValue', () => {
  it('recognises secret-named variables', () => {
    for (const n of ['PROVIDER_API_KEY', 'CLASSIFIER_SECOND_STAGE_API_KEY', 'GITHUB_TOKEN', 'APP_SECRET', 'DB_PASSWORD', 'INGRESS_DEV_KEY']) assert.ok(isSecretName(n), n);
    for (const n of ['REDIS_KEY_PREFIX', 'KAFKA_BROKERS', 'HTTP_PORT', 'TOKENIZER', 'REDIS_URL']) assert.ok(!isSecretName(n), n);
  });

  it('describes a secret by its length and a URL without its password', () => {
    assert.equal(describeConfigValue('PROVIDER_API_KEY', 'sk-live-123'), 'a value of 11 characters');
    assert.equal(describeConfigValue('REDIS_URL', 'redis://u:s3cret@h'), '"redis://u:***@h"');
    assert.equal(describeConfigValue('HTTP_PORT', '70000'), '"70000"');
  });
});

describe('scrubSecrets', () => {
  it('removes known secret values and URL credentials, ignoring tiny ones', () => {
    const out = scrubSecrets('Incorrect API key provided: sk-abc123XYZ at https://a:b1234@h, id 7', ['sk-abc123XYZ', undefined, '7']);
    assert.equal(out, 'Incorrect API key provided: *** at https://a:***@h, id 7');
  });
});

describe('describeConfigValue on malformed connection strings', () => {
  it('shows a value that still holds "@" by its length only', () => {
    assert.equal(describeConfigValue('BACKUP_URL', 'ftp//u:hunter22@h'), 'a value of 17 characters');
    assert.equal(describeConfigValue('REDIS_URL', 'redis://u:pw@h'), '"redis://u:***@h"');
  });
});

describe('splitUrlCredentials', () => {
  it('moves the userinfo into a Basic authorization value', () => {
    const out = splitUrlCredentials('https://bob:p%40ss@gw.example.com/base/');
    assert.equal(out.url, 'https://gw.example.com/base/');
    assert.equal(out.authorization, `Basic ${Buffer.from('bob:p@ss').toString('base64')}`);
  });

  it('leaves a URL without credentials, or a non-URL, alone', () => {
    assert.deepEqual(splitUrlCredentials('http://127.0.0.1:8000'), { url: 'http://127.0.0.1:8000', authorization: undefined });
    assert.deepEqual(splitUrlCredentials('not a url'), { url: 'not a url', authorization: undefined });
  });
});
