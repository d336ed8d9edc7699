import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, commonConfig, commonEnv, int, list, parseEnv, z } from './index.js';

describe('parseEnv', () => {
  const schema = z.object({ PORT: int(1, 65535).default(8080), HOSTS: list(), MODE: z.enum(['a', 'b']).default('a') });

  it('coerces and defaults', () => {
    const env = parseEnv(schema, { PORT: '9000', HOSTS: 'x:1, y:2' });
    assert.deepEqual(env, { PORT: 9000, HOSTS: ['x:1', 'y:2'], MODE: 'a' });
  });

  it('treats empty strings as unset', () => {
    assert.equal(parseEnv(schema, { PORT: '', HOSTS: 'h' }).PORT, 8080);
  });

  it('lists every bad variable at once', () => {
    assert.throws(
      () => parseEnv(schema, { PORT: '70000', MODE: 'c' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        const text = err.problems.join('\n');
        assert.match(text, /PORT: .*65535.*\(got "70000"\)/);
        assert.match(text, /HOSTS:/);
        assert.match(text, /MODE: .*\(got "c"\)/);
        assert.equal(err.problems.length, 3);
        return true;
      },
    );
  });

  it('never echoes a secret-named value, and redacts URL passwords it echoes', () => {
    const secrets = z.object({ PROVIDER_API_KEY: z.string().min(40), REDIS_URL: commonEnv.REDIS_URL, BACKUP_URL: z.url() });
    assert.throws(
      () => parseEnv(secrets, { PROVIDER_API_KEY: 'sk-live-s3cret', REDIS_URL: 'http://app:pa55word@redis:6379', BACKUP_URL: 'ftp//u:hunter22@h' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        const text = `${err.message}\n${err.problems.join('\n')}`;
        assert.doesNotMatch(text, /s3cret|pa55word|hunter22/);
        assert.match(text, /PROVIDER_API_KEY: .*\(got a value of 14 characters\)/);
        assert.match(text, /REDIS_URL: .*\(got "http:\/\/app:\*\*\*@redis:6379"\)/);
        assert.match(text, /BACKUP_URL: /);
        return true;
      },
    );
  });

  it('builds the nested common config', () => {
    const env = parseEnv(z.object(commonEnv), { KAFKA_BROKERS: 'k1:9092,k2:9092', OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
    const cfg = commonConfig(env, 'router');
    assert.deepEqual(cfg.kafka.brokers, ['k1:9092', 'k2:9092']);
    assert.equal(cfg.kafka.clientId, 'yardmaster-router');
    assert.equal(cfg.telemetry.exporter, 'otlp');
    assert.equal(cfg.redis.url, 'redis://127.0.0.1:6379');
  });

  it('rejects a malformed redis url and topic prefix', () => {
    assert.throws(() => parseEnv(z.object(commonEnv), { REDIS_URL: 'localhost:6379', KAFKA_TOPIC_PREFIX: 'a b' }), /REDIS_URL[\s\S]*KAFKA_TOPIC_PREFIX|KAFKA_TOPIC_PREFIX[\s\S]*REDIS_URL/);
  });
});
