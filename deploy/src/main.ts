#!/usr/bin/env node
/**
 * CLI of @yardmaster/deploy.
 *
 *   node deploy/dist/main.js up [--no-kafka] [--no-redis]
 *       Starts what KAFKA_BROKERS / REDIS_URL do not already provide, prints
 *       `KAFKA_BROKERS=…` and `REDIS_URL=…` on stdout (progress goes to stderr, so
 *       `eval "$(…)"`-style use works), and runs until SIGINT/SIGTERM, then stops them.
 *   node deploy/dist/main.js fetch
 *       Only downloads the Kafka jars into the cache (e.g. to warm a CI cache).
 */
import { exportLines } from './env-lines';
import { InfraError } from './errors';
import { startInfra } from './infra';
import { ensureKafkaLibs } from './kafka-libs';

const USAGE = 'usage: main.js up [--no-kafka] [--no-redis] | main.js fetch';

function log(line: string): void {
  process.stderr.write(`[deploy] ${line}\n`);
}

async function up(flags: readonly string[]): Promise<number> {
  const unknown = flags.filter((f) => f !== '--no-kafka' && f !== '--no-redis');
  if (unknown.length > 0) {
    log(`unknown option(s) ${unknown.join(' ')}\n${USAGE}`);
    return 2;
  }
  const infra = await startInfra({ needKafka: !flags.includes('--no-kafka'), needRedis: !flags.includes('--no-redis'), log });
  const lines = exportLines({ KAFKA_BROKERS: infra.brokers, REDIS_URL: infra.redisUrl });
  for (const line of lines.stdout) process.stdout.write(`${line}\n`);
  for (const note of lines.notes) log(note);
  log('running; press Ctrl-C (or send SIGTERM) to stop');

  // The child processes are unref'd by design, so something must hold the loop open.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  // A second signal while stopping means "now": exit, and the exit handler SIGKILLs.
  const force = (): never => process.exit(130);
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  log(`${signal}: stopping`);
  try {
    await infra.stop();
  } finally {
    clearInterval(keepAlive);
  }
  log('stopped');
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
      return up(rest);
    case 'fetch': {
      const libs = await ensureKafkaLibs({ log });
      log(`Kafka ${libs.version} jars in ${libs.dir}${libs.downloaded ? '' : ' (already cached)'}`);
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = InfraError.from(err);
    process.stderr.write(`[deploy] error (${e.code}): ${e.message}\n`);
    process.exitCode = 1;
  },
);
