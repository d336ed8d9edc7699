import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { startInfra } from './infra';
import { isPortOpen, waitForPortClosed } from './ports';
import { redisPing } from './redis';

/** The environment with KAFKA_BROKERS / REDIS_URL removed, so everything is started locally. */
function envUnset(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['KAFKA_BROKERS'];
  delete env['REDIS_URL'];
  return env;
}

function hostPort(address: string): { host: string; port: number } {
  const m = /^(?:redis:\/\/)?([^:/]+):(\d+)/.exec(address);
  assert.ok(m?.[1] && m[2], `cannot parse ${address}`);
  return { host: m[1], port: Number(m[2]) };
}

/**
 * Sends a raw ApiVersions v0 request and returns the API keys the broker lists, which
 * proves a real Kafka is answering on the port (not just anything that accepts TCP).
 */
function kafkaApiKeys(host: string, port: number, timeoutMs = 5_000): Promise<number[]> {
  const clientId = Buffer.from('yardmaster-deploy-spec');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(18, 0); // ApiVersions
  body.writeInt16BE(0, 2); // version 0
  body.writeInt32BE(4242, 4); // correlation id
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);

  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let data = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error('ApiVersions timed out'));
    });
    socket.once('error', reject);
    socket.once('connect', () => socket.write(Buffer.concat([size, body])));
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.length < 4 || data.length < 4 + data.readInt32BE(0)) return;
      socket.destroy();
      try {
        assert.equal(data.readInt32BE(4), 4242, 'correlation id');
        const errorCode = data.readInt16BE(8);
        // 0, or 35 (UNSUPPORTED_VERSION) if v0 were ever dropped: both carry the list.
        assert.ok(errorCode === 0 || errorCode === 35, `ApiVersions error ${errorCode}`);
        const count = data.readInt32BE(10);
        const keys: number[] = [];
        for (let i = 0; i < count; i++) keys.push(data.readInt16BE(14 + i * 6));
        resolve(keys);
      } catch (err: unknown) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

describe('startInfra with KAFKA_BROKERS / REDIS_URL set', () => {
  it('starts nothing and returns the configured values', async () => {
    const infra = await startInfra({ env: { KAFKA_BROKERS: ' kafka-1:9092,kafka-2:9092 ', REDIS_URL: 'redis://cache:6379/2' } });
    assert.equal(infra.brokers, 'kafka-1:9092,kafka-2:9092');
    assert.equal(infra.redisUrl, 'redis://cache:6379/2');
    assert.deepEqual(infra.started, { kafka: false, redis: false });
    await infra.stop();
  });

  it('returns undefined for what is neither needed nor configured', async () => {
    const infra = await startInfra({ env: {}, needKafka: false, needRedis: false });
    assert.equal(infra.brokers, undefined);
    assert.equal(infra.redisUrl, undefined);
    assert.deepEqual(infra.started, { kafka: false, redis: false });
  });
});

describe('startInfra with nothing configured (integration)', { timeout: 300_000 }, () => {
  it('starts real Kafka and Redis, and stop() closes both', async () => {
    const lines: string[] = [];
    const infra = await startInfra({ env: envUnset(), log: (l) => lines.push(l) });
    let stopped = false;
    try {
      assert.deepEqual(infra.started, { kafka: true, redis: true });
      assert.ok(infra.brokers && infra.redisUrl);
      const kafka = hostPort(infra.brokers);
      const redis = hostPort(infra.redisUrl);
      assert.equal(kafka.host, '127.0.0.1');
      assert.match(infra.redisUrl, /^redis:\/\/127\.0\.0\.1:\d+$/);

      assert.equal(await isPortOpen(kafka.host, kafka.port), true, 'Kafka port open');
      assert.equal(await isPortOpen(redis.host, redis.port), true, 'Redis port open');
      assert.equal(await redisPing(redis.host, redis.port), true, 'Redis answers PONG');
      const keys = await kafkaApiKeys(kafka.host, kafka.port);
      assert.ok(keys.includes(0) && keys.includes(18), `Kafka lists Produce and ApiVersions (got ${keys.length} keys)`);

      const tempDirs = lines.flatMap((l) => /\(log (\S+)\)/.exec(l)?.[1] ?? []).map((f) => path.dirname(f));
      assert.equal(tempDirs.length, 2, `both report a log file: ${lines.join(' | ')}`);

      await infra.stop();
      stopped = true;
      await infra.stop(); // idempotent
      await waitForPortClosed(kafka.host, kafka.port, 5_000);
      await waitForPortClosed(redis.host, redis.port, 5_000);
      for (const dir of tempDirs) assert.equal(fs.existsSync(dir), false, `${dir} removed`);
    } finally {
      if (!stopped) await infra.stop();
    }
  });
});

describe('no leaks when the parent goes away', { timeout: 60_000 }, () => {
  /** Runs a child Node process that starts Redis and prints its port, then `then` (JS source). */
  async function childWithRedis(then: string): Promise<{ port: number; child: ReturnType<typeof spawn> }> {
    const script =
      `require(${JSON.stringify(path.join(__dirname, 'redis.js'))}).startRedis()` +
      `.then((r) => { process.stdout.write(r.port + '\\n'); ${then} })` +
      '.catch((e) => { console.error(e); process.exit(1); });';
    const child = spawn(process.execPath, ['-e', script], { env: envUnset(), stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /^(\d+)\n/.exec(out);
        if (m?.[1]) resolve(Number(m[1]));
      });
      child.once('close', (code) => reject(new Error(`child exited (${code}) before reporting a port`)));
    });
    return { port, child };
  }

  it('kills Redis when the parent exits without stop()', async () => {
    // Nothing else holds the loop, so the child process simply ends.
    const { port } = await childWithRedis('');
    await waitForPortClosed('127.0.0.1', port, 10_000);
  });

  it('kills Redis when the parent is SIGKILLed (watchdog)', async () => {
    const { port, child } = await childWithRedis('setInterval(() => {}, 1000);');
    assert.equal(await redisPing('127.0.0.1', port), true);
    child.kill('SIGKILL');
    await waitForPortClosed('127.0.0.1', port, 10_000);
  });
});
