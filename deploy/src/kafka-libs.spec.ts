import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { InfraError } from './errors';
import { ensureKafkaLibs, kafkaPomHash } from './kafka-libs';
import { resolveCacheDir } from './paths';

describe('ensureKafkaLibs cache', () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yardmaster-libs-spec-'));
  after(() => fs.rmSync(cacheDir, { recursive: true, force: true }));
  // A Maven that does not exist: any attempt to download fails with MAVEN_MISSING.
  const noMaven = { cacheDir, mavenCommand: path.join(cacheDir, 'no-such-mvn') };

  it('skips Maven when the marker matches the POM hash', async () => {
    const libs = path.join(cacheDir, 'kafka-libs');
    fs.mkdirSync(libs, { recursive: true });
    fs.writeFileSync(path.join(libs, 'kafka_2.13-9.8.7.jar'), '');
    fs.writeFileSync(path.join(libs, '.pom.sha256'), `${kafkaPomHash()}\n`);
    const result = await ensureKafkaLibs(noMaven);
    assert.equal(result.dir, libs);
    assert.equal(result.version, '9.8.7');
    assert.equal(result.downloaded, false);
  });

  it('wants Maven again when the POM changed', async () => {
    fs.writeFileSync(path.join(cacheDir, 'kafka-libs', '.pom.sha256'), 'stale\n');
    await assert.rejects(ensureKafkaLibs(noMaven), (e: unknown) => e instanceof InfraError && e.code === 'MAVEN_MISSING');
    // The lock must have been released despite the failure.
    assert.equal(fs.existsSync(path.join(cacheDir, 'kafka-libs.lock')), false);
  });

  it('takes over a lock left behind by a dead process', async () => {
    const lock = path.join(cacheDir, 'kafka-libs.lock');
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'owner'), '2147483646'); // no such pid
    await assert.rejects(ensureKafkaLibs({ ...noMaven, timeoutMs: 2_000 }), (e: unknown) => e instanceof InfraError && e.code === 'MAVEN_MISSING');
  });
});

describe('resolveCacheDir', () => {
  it('honours YARDMASTER_CACHE_DIR and defaults to <repo>/.cache', () => {
    assert.equal(resolveCacheDir({ YARDMASTER_CACHE_DIR: '/var/cache/sy' }), '/var/cache/sy');
    assert.equal(path.basename(resolveCacheDir({})), '.cache');
    assert.ok(fs.existsSync(path.join(path.dirname(resolveCacheDir({})), 'deploy', 'kafka', 'pom.xml')));
  });
});
