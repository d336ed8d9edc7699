// Runs every test: unit specs beside the code, then integration and end-to-end tests
// under test/. Starts Kafka and Redis once for the whole run unless KAFKA_BROKERS and
// REDIS_URL are set, and stops them at the end. Node's test runner summary is the last
// thing printed.
import { spawn } from 'node:child_process';
import { redactUrl } from '../libs/config/dist/index.js';
import { startInfra } from '../deploy/dist/index.js';

const log = (line) => process.stdout.write(`[test] ${line}\n`);
const started = Date.now();
const infra = await startInfra({ log });
log(`Kafka at ${infra.brokers}, Redis at ${redactUrl(infra.redisUrl)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

const files = process.argv.slice(2);
const patterns = files.length > 0 ? files : [
  'libs/*/dist/**/*.spec.js',
  'services/*/dist/**/*.spec.js',
  'deploy/dist/**/*.spec.js',
  'cli/dist/**/*.spec.js',
  'test/dist/**/*.test.js',
];

const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', '--test-timeout=600000', ...patterns], {
  stdio: 'inherit',
  env: { ...process.env, KAFKA_BROKERS: infra.brokers, REDIS_URL: infra.redisUrl },
});
const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await infra.stop();
process.exit(code);
