import { Command } from 'commander';
import { defaultCatalogPath } from '@yardmaster/deploy';
import { batchCancelCommand, batchListCommand, batchResultsCommand, batchStatusCommand, batchSubmitCommand } from './batch.js';
import { benchCommand } from './bench.js';
import { classifyCommand } from './classify.js';
import { inferCommand } from './infer.js';
import { routerFitCommand, routerStatsCommand } from './router-learning.js';
import { keysCreateCommand, keysListCommand, keysRevokeCommand, keysTenantCommand } from './keys.js';
import { routeCommand } from './route.js';
import { startCommand } from './start.js';

const program = new Command('yardmaster').description('Yardmaster: an event-driven LLM router on Kafka').showHelpAfterError();
const address = process.env['YARDMASTER_GRPC_ADDR'];

program
  .command('infer')
  .description('send one prompt through the running system over gRPC and print the response as JSON')
  .argument('<prompt>', 'the user message')
  .option('--address <host:port>', 'ingress gRPC address', address ?? '127.0.0.1:50051')
  .option('--timeout <ms>', 'how long to wait for the response', '120000')
  .option('--model <name>', 'a catalog model (pinned) or a route alias such as auto:cheap')
  .option('--strategy <name>', 'balanced, cost, quality or latency')
  .option('--request-id <id>', 'request id (idempotency key); random by default')
  .option('--api-key <key>', 'API key (default: YARDMASTER_API_KEY, else the development key npm start saved)')
  .action(async (prompt: string, opts: Parameters<typeof inferCommand>[1]) => {
    process.exitCode = await inferCommand(prompt, opts);
  });

program
  .command('start')
  .description('start Kafka and Redis (unless KAFKA_BROKERS / REDIS_URL are set), create topics and run every service')
  .option('--grpc-port <port>', 'ingress gRPC port', '50051')
  .option('--http-port <port>', 'ingress HTTP port (OpenAI-compatible API, health, metrics)', '8080')
  .option('--sim-latency <ms>', 'provider-sim latency per completion', '0')
  .option('--partitions <n>', 'partitions per topic', '6')
  .option('--catalog <path>', 'model catalog YAML')
  .option('--ready-timeout <seconds>', 'how long each service may take to become ready', '180')
  .action(async (opts: Parameters<typeof startCommand>[0]) => {
    process.exitCode = await startCommand(opts);
  });

program
  .command('bench')
  .description(
    'drive the pipeline over gRPC Infer and print throughput, end-to-end and per-stage latency percentiles, ' +
      'lost and duplicated responses (counted on llm.responses.v1), peak RSS and cores busy at rest per service',
  )
  .option('--scenario <name>', 'throughput (--concurrency callers), latency (one caller at a time) or all (both, in that order)', 'all')
  .option('--plan <name>', 'compare a plan with single (cascade, hedge, vote, judge, draft_review, chain, tool): throughput, latency added, cost per request')
  .option('--requests <n>', 'requests to send in each scenario', '2000')
  .option('--concurrency <n>', 'requests in flight in the throughput scenario and the warm-up', '64')
  .option('--warmup <n>', 'requests sent first and not measured', '200')
  .option('--address <host:port>', 'use the system at this address instead of finding or starting one')
  .option('--api-key <key>', 'API key for a running system (default: YARDMASTER_API_KEY, else the key npm start saved)')
  .option('--brokers <list>', 'Kafka of a running system, to read its responses topic', process.env['KAFKA_BROKERS'] || '127.0.0.1:9092')
  .option('--topic-prefix <prefix>', 'topic prefix of a running system (npm start uses none)', '')
  .option('--idle <seconds>', 'how long to measure CPU at rest after the warm-up (0 skips it)', '5')
  .option('--grace <seconds>', 'how long to wait for responses still missing on the topic after the last call', '30')
  .option('--ready-timeout <seconds>', 'when it starts a system of its own: how long each service may take to become ready', '180')
  .option('--profile', 'start a system of its own with every service under --cpu-prof and summarise the profiles')
  .option('--http', 'also drive the OpenAI-compatible HTTP API with autocannon in the same run (same scenarios), side by side with gRPC')
  .option('--http-url <url>', 'the HTTP API of a running system (with --http or --batch)', 'http://127.0.0.1:8080')
  .option(
    '--batch <lines>',
    'also run a batch of this many chat completion lines through the HTTP Batch API: lines/s from create to completed, ' +
      'one output line per custom_id, and one-caller gRPC latency beside it against the idle system (p99 ratio)',
  )
  .option('--json', 'print the report as one JSON line at the end')
  .action(async (opts: Parameters<typeof benchCommand>[0]) => {
    process.exitCode = await benchCommand(opts);
  });

const router = program.command('router').description('what the router learned from feedback, in the Redis of REDIS_URL (key prefix REDIS_KEY_PREFIX, default ym:)');
router
  .command('stats')
  .description('scores and mean score per cell (intent|band|subject) and model, as the router learns them from llm.feedback.v1')
  .option('--level <prefix>', 'only cells starting with this, e.g. math or math|high')
  .option('--json', 'one JSON line per row')
  .action(async (opts: Parameters<typeof routerStatsCommand>[0]) => {
    process.exitCode = await routerStatsCommand(opts);
  });
router
  .command('fit')
  .description('bootstrap the learned evidence from an outcomes CSV (prompt, model, score in [0, 1], cost)')
  .requiredOption('--outcomes <file>', 'the CSV file')
  .option('--dry-run', 'classify and count, write nothing')
  .action(async (opts: Parameters<typeof routerFitCommand>[0]) => {
    process.exitCode = await routerFitCommand(opts);
  });

const keys = program.command('keys').description('API keys per tenant, in the Redis of REDIS_URL (key prefix REDIS_KEY_PREFIX, default ym:)');
keys
  .command('create')
  .description('create a key for a tenant and print its secret (shown once; stored hashed)')
  .requiredOption('--tenant <id>', 'the tenant the key acts as')
  .option('--tier <name>', 'free, standard or enterprise', 'standard')
  .option('--name <label>', 'a label shown by keys list')
  .option('--rpm <n>', 'requests per minute (default: no limit)')
  .option('--tpm <n>', 'tokens per minute (default: no limit)')
  .option('--budget-usd <usd>', 'USD per UTC day (default: no limit)')
  .option('--monthly-budget-usd <usd>', 'USD per UTC month (default: no limit)')
  .option('--json', 'print the key and its record as one JSON line')
  .action(async (opts: Parameters<typeof keysCreateCommand>[0]) => {
    process.exitCode = await keysCreateCommand(opts);
  });
keys
  .command('list')
  .description('list keys (ids, hints, tenants, limits; never secrets)')
  .option('--tenant <id>', 'only this tenant\'s keys')
  .option('--json', 'one JSON line per key')
  .action(async (opts: Parameters<typeof keysListCommand>[0]) => {
    process.exitCode = await keysListCommand(opts);
  });
keys
  .command('tenant')
  .description("show or set a tenant's own limits, shared by all its keys (options given are set, 0 removes one), with its spend")
  .requiredOption('--tenant <id>', 'the tenant')
  .option('--rpm <n>', 'requests per minute across the tenant\'s keys')
  .option('--tpm <n>', 'tokens per minute across the tenant\'s keys')
  .option('--budget-usd <usd>', 'USD per UTC day across the tenant\'s keys')
  .option('--monthly-budget-usd <usd>', 'USD per UTC month across the tenant\'s keys')
  .option('--json', 'print as one JSON line')
  .action(async (opts: Parameters<typeof keysTenantCommand>[0]) => {
    process.exitCode = await keysTenantCommand(opts);
  });
keys
  .command('revoke')
  .description('revoke a key by its id; it stops authenticating at once')
  .argument('<id>', 'the key id (key_…), as keys list shows it')
  .action(async (id: string) => {
    process.exitCode = await keysRevokeCommand(id);
  });

program
  .command('classify')
  .description('classify JSONL prompts offline (no Kafka): one JSON line per input')
  .option('--file <path>', 'JSONL input (each line has "prompt" or "messages"); stdin when omitted')
  .option('--exact-tokens <chars>', 'count messages of up to this many characters exactly with the o200k tokenizer (default: every count estimated, as the classifier service does)')
  .action(async (opts: Parameters<typeof classifyCommand>[0]) => {
    process.exitCode = await classifyCommand(opts);
  });

program
  .command('route')
  .description('dry-run the routing policy on JSONL prompts offline (no Kafka, no Redis): classification and decision per line')
  .option('--catalog <path>', 'model catalog YAML', defaultCatalogPath)
  .option('--file <path>', 'JSONL input (each line has "prompt" or "messages", optionally tenant, model, strategy, plan, max_tokens, json, privacy, metadata); stdin when omitted')
  .option('--summary', 'print the share of traffic per model and plan and the expected cost against the most expensive model, instead of one line per input')
  .option('--compare <path>', 'another catalog: show what it would change')
  .option('--tenant <id>', 'tenant of lines that name none (selects the tier)')
  .option('--exact-tokens <chars>', 'count messages of up to this many characters exactly with the o200k tokenizer (default: every count estimated, as the classifier service does)')
  .action(async (opts: Omit<Parameters<typeof routeCommand>[0], 'defaultCatalog'>) => {
    process.exitCode = await routeCommand({ ...opts, defaultCatalog: defaultCatalogPath });
  });

const batch = program.command('batch').description('the OpenAI Batch API of a running system (ingress HTTP): submit JSONL, follow, fetch results, cancel, list');
const httpUrl = process.env['YARDMASTER_URL'] || 'http://127.0.0.1:8080';
const common = (c: Command) =>
  c
    .option('--url <url>', 'ingress HTTP base URL (default: YARDMASTER_URL, else http://127.0.0.1:8080)', httpUrl)
    .option('--api-key <key>', 'API key (default: YARDMASTER_API_KEY, else the development key npm start saved)')
    .option('--json', 'print batch objects as JSON lines');
common(batch.command('submit').argument('<file>', 'JSONL in OpenAI batch format (custom_id, method, url, body)'))
  .description('upload a batch file and create a batch')
  .option('--wait', 'wait for the batch to end, with a progress bar (counts, rate, time left)')
  .option('--window <duration>', 'completion window', '24h')
  .option('--metadata <key=value...>', 'metadata of the batch')
  .action(async (file: string, opts: Parameters<typeof batchSubmitCommand>[1]) => {
    process.exitCode = (await batchSubmitCommand(file, opts)) || process.exitCode;
  });
common(batch.command('status').argument('<id>'))
  .description('a batch\'s status, counts and spend per model')
  .option('--wait', 'wait for it to end, with a progress bar')
  .action(async (id: string, opts: Parameters<typeof batchStatusCommand>[1]) => {
    process.exitCode = await batchStatusCommand(id, opts);
  });
common(batch.command('results').argument('<id>'))
  .description('the output lines of a finished batch (stdout, or -o FILE)')
  .option('-o, --output <file>', 'write the output lines here')
  .option('--errors <file>', 'write the error lines here')
  .action(async (id: string, opts: Parameters<typeof batchResultsCommand>[1]) => {
    process.exitCode = await batchResultsCommand(id, opts);
  });
common(batch.command('cancel').argument('<id>'))
  .description('cancel a batch: lines not started never run; lines in flight finish')
  .action(async (id: string, opts: Parameters<typeof batchCancelCommand>[1]) => {
    process.exitCode = await batchCancelCommand(id, opts);
  });
common(batch.command('list'))
  .description('your batches, newest first')
  .option('--limit <n>', 'how many', '20')
  .option('--after <id>', 'start after this batch')
  .action(async (opts: Parameters<typeof batchListCommand>[0]) => {
    process.exitCode = await batchListCommand(opts);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
