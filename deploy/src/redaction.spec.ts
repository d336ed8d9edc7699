import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportLines } from './env-lines';
import { startInfra } from './infra';

describe('deploy keeps credentials out of its output', () => {
  it('logs a configured REDIS_URL without its password', async () => {
    const lines: string[] = [];
    // Both configured: nothing is started, so this only exercises the logging.
    const infra = await startInfra({ env: { KAFKA_BROKERS: '127.0.0.1:1', REDIS_URL: 'redis://app:s3cret@127.0.0.1:2' }, log: (l) => lines.push(l) });
    await infra.stop();
    const text = lines.join('\n');
    assert.match(text, /REDIS_URL=redis:\/\/app:\*\*\*@127\.0\.0\.1:2/);
    assert.doesNotMatch(text, /s3cret/);
    // The returned URL is still the real one: services need it to connect.
    assert.equal(infra.redisUrl, 'redis://app:s3cret@127.0.0.1:2');
  });

  it('prints plain values for eval and only a note for one with credentials', () => {
    const out = exportLines({ KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://:s3cret@10.0.0.1:6379', NONE: undefined });
    assert.deepEqual(out.stdout, ['KAFKA_BROKERS=127.0.0.1:9092']);
    assert.equal(out.notes.length, 1);
    assert.match(out.notes[0] ?? '', /^REDIS_URL carries credentials/);
    assert.doesNotMatch(JSON.stringify(out), /s3cret/);
  });
});
