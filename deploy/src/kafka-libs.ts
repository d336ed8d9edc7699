import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InfraError } from './errors';
import { kafkaPomPath, resolveCacheDir } from './paths';
import { run, which } from './proc';

/** Options of {@link ensureKafkaLibs}. */
export interface KafkaLibsOptions {
  /** Cache root; default {@link resolveCacheDir} (`$YARDMASTER_CACHE_DIR` or `<repo>/.cache`). */
  cacheDir?: string;
  /** Progress lines (e.g. "resolving jars with Maven"). */
  log?: (line: string) => void;
  /** Environment for locating and running Maven; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The Maven executable; default `mvn` from `$PATH`. */
  mavenCommand?: string;
  /** Give up on Maven (and on waiting for another process's Maven) after this long; default 15 min. */
  timeoutMs?: number;
}

/** The broker classpath on disk. */
export interface KafkaLibs {
  /** Folder holding every jar; the JVM classpath is `<dir>/*`. */
  dir: string;
  /** The Kafka version, read from the `kafka_2.13-<version>.jar` file name. */
  version: string;
  /** True when this call ran Maven, false when the cache was already current. */
  downloaded: boolean;
  /** Time spent in this call, including waiting for another process's download. */
  durationMs: number;
}

const MARKER = '.pom.sha256';

/** SHA-256 of `deploy/kafka/pom.xml`; the cache is valid only for the POM it was made from. */
export function kafkaPomHash(pomPath: string = kafkaPomPath): string {
  return createHash('sha256').update(fs.readFileSync(pomPath)).digest('hex');
}

function readMarker(libsDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(libsDir, MARKER), 'utf8').trim();
  } catch {
    return undefined;
  }
}

function kafkaVersionIn(libsDir: string): string | undefined {
  for (const name of fs.readdirSync(libsDir)) {
    const m = /^kafka_2\.13-(\d[\w.-]*)\.jar$/.exec(name);
    if (m?.[1] !== undefined) return m[1];
  }
  return undefined;
}

function cached(libsDir: string, hash: string): string | undefined {
  if (readMarker(libsDir) !== hash) return undefined;
  return kafkaVersionIn(libsDir);
}

/**
 * Makes sure the Kafka broker jars named by `deploy/kafka/pom.xml` are in
 * `<cacheDir>/kafka-libs`, running `mvn dependency:copy-dependencies` only when the
 * cache is missing or was made from a different POM (a marker file holds the POM's
 * hash). Safe to call from several processes at once: one downloads, the others wait.
 * @throws InfraError `MAVEN_MISSING` when a download is needed and Maven is not installed,
 *   `MAVEN_FAILED` when Maven fails (the message has its output), `LOCK_TIMEOUT`.
 */
export async function ensureKafkaLibs(opts: KafkaLibsOptions = {}): Promise<KafkaLibs> {
  const started = Date.now();
  const env = opts.env ?? process.env;
  const cacheDir = opts.cacheDir ?? resolveCacheDir(env);
  const libsDir = path.join(cacheDir, 'kafka-libs');
  const hash = kafkaPomHash();
  const timeoutMs = opts.timeoutMs ?? 15 * 60_000;

  const hit = cached(libsDir, hash);
  if (hit !== undefined) return { dir: libsDir, version: hit, downloaded: false, durationMs: Date.now() - started };

  fs.mkdirSync(cacheDir, { recursive: true });
  const release = await acquireLock(path.join(cacheDir, 'kafka-libs.lock'), timeoutMs);
  try {
    // Another process may have finished the download while we waited for the lock.
    const hitAfterWait = cached(libsDir, hash);
    if (hitAfterWait !== undefined) {
      return { dir: libsDir, version: hitAfterWait, downloaded: false, durationMs: Date.now() - started };
    }

    const mvn = which(opts.mavenCommand ?? 'mvn', env);
    if (mvn === undefined) {
      throw new InfraError(
        'MAVEN_MISSING',
        'Maven (mvn) and a JDK 17+ are needed to fetch the Kafka broker jars the first time ' +
          '(Debian: apt-get install -y maven openjdk-17-jdk-headless). ' +
          'Alternatively set KAFKA_BROKERS to an existing cluster.',
      );
    }
    opts.log?.(`kafka: resolving broker jars with Maven into ${libsDir} (first run only)`);

    // Copy into a fresh folder and rename it into place, so a half-finished download
    // (Ctrl-C, network error) never looks like a valid cache.
    const tmpDir = `${libsDir}.tmp-${process.pid}`;
    fs.rmSync(tmpDir, { recursive: true, force: true });
    const result = await run(
      mvn,
      ['-q', '-B', '-f', kafkaPomPath, 'dependency:copy-dependencies', `-DoutputDirectory=${tmpDir}`],
      { env, cwd: path.dirname(kafkaPomPath), timeoutMs },
    ).catch((err: unknown) => {
      throw new InfraError('MAVEN_FAILED', `Maven did not complete: ${String(err)}`, { cause: err });
    });
    const version = result.code === 0 && fs.existsSync(tmpDir) ? kafkaVersionIn(tmpDir) : undefined;
    if (version === undefined) {
      fs.rmSync(tmpDir, { recursive: true, force: true });
      throw new InfraError(
        'MAVEN_FAILED',
        `mvn dependency:copy-dependencies failed (exit ${result.code ?? result.signal}) for ${kafkaPomPath}:\n` +
          result.output.split('\n').slice(-30).join('\n'),
      );
    }
    fs.writeFileSync(path.join(tmpDir, MARKER), `${hash}\n`);
    fs.rmSync(libsDir, { recursive: true, force: true });
    fs.renameSync(tmpDir, libsDir);
    const durationMs = Date.now() - started;
    opts.log?.(`kafka: fetched Kafka ${version} jars in ${(durationMs / 1000).toFixed(1)} s`);
    return { dir: libsDir, version, downloaded: true, durationMs };
  } finally {
    release();
  }
}

/**
 * A cross-process lock: `mkdir` is atomic. The owner's pid is written inside, so a
 * lock left by a process that died is recognised and taken over.
 */
async function acquireLock(lockDir: string, timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  const ownerFile = path.join(lockDir, 'owner');
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(ownerFile, String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (err: unknown) {
      if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
    }
    if (lockIsStale(ownerFile)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new InfraError(
        'LOCK_TIMEOUT',
        `gave up waiting for ${lockDir} (another process is fetching the Kafka jars; ` +
          `remove the folder if no such process exists)`,
      );
    }
    await sleep(250);
  }
}

function lockIsStale(ownerFile: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(ownerFile, 'utf8'), 10);
  } catch {
    // The owner has created the folder but not yet written its pid; give it a moment
    // unless the folder is old (then it died in between).
    try {
      return Date.now() - fs.statSync(path.dirname(ownerFile)).mtimeMs > 30_000;
    } catch {
      return false; // Lock just released; the next mkdir will tell.
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err: unknown) {
    // EPERM means the process exists but belongs to someone else.
    return !(err instanceof Error && 'code' in err && err.code === 'EPERM');
  }
}

