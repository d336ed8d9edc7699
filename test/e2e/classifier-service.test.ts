import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bus } from '@yardmaster/bus';
import { PiiKind, Topics, intentName, textRequest, timestampFromMs, type InferenceRequest } from '@yardmaster/contracts';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { TopicReader } from '../support/topic-reader.js';

describe('classifier service on real Kafka', () => {
  let system: RunningSystem;
  let bus: Bus;
  let classified: TopicReader<typeof Topics.classified.schema>;
  let results: TopicReader<typeof Topics.results.schema>;

  before(async () => {
    const infra = await testInfra();
    const prefix = uniquePrefix('classifier');
    system = await launchSystem({ brokers: infra.brokers, redisUrl: infra.redisUrl, topicPrefix: prefix, partitions: 2, only: ['classifier'] });
    bus = await Bus.connect({ brokers: infra.brokers.split(','), clientId: 'classifier-test', topicPrefix: prefix });
    classified = await new TopicReader(bus, Topics.classified).start();
    results = await new TopicReader(bus, Topics.results).start();
  });

  after(async () => {
    await classified?.stop();
    await results?.stop();
    await bus?.close();
    await system?.stop();
  });

  const publish = (request: InferenceRequest) => {
    request.createdAt = timestampFromMs(Date.now());
    return bus.publish(Topics.requests, request.requestId, request);
  };

  it('publishes each request with its classification on llm.classified.v1', async () => {
    await publish(textRequest('Write a Rust function that parses an ISO 8601 date and returns a Result.', { requestId: 'c-code' }));
    await publish(textRequest('What is (348*27) - 1960/8?', { requestId: 'c-calc' }));
    await publish(textRequest('Please email jane.doe@example.com, card 4111 1111 1111 1111, about the refund.', { requestId: 'c-pii' }));
    await publish(textRequest('¿Cuál es la capital de Australia y por qué no es Sídney?', { requestId: 'c-es' }));
    const get = (id: string) => classified.messages.find((m) => m.key === id)?.value;
    await waitFor('four classified requests', () => ['c-code', 'c-calc', 'c-pii', 'c-es'].every((id) => get(id)), 30000);

    const code = get('c-code')!;
    assert.equal(code.request?.requestId, 'c-code');
    assert.equal(intentName(code.classification!.intent), 'code');
    assert.ok(code.classification!.intentConfidence > 0 && code.classification!.intentConfidence <= 1);
    assert.notEqual(code.classification!.runnerUp, code.classification!.intent);
    assert.ok(code.classification!.inputTokens > 5);
    assert.match(code.classification!.classifierVersion, /\S/);
    assert.equal(code.trail?.marks[0]?.stage, 'classifier');

    const calc = get('c-calc')!.classification!;
    assert.equal(calc.tool?.name, 'calculator');
    assert.equal(calc.tool?.result, '9151');

    const pii = get('c-pii')!.classification!;
    assert.ok(pii.pii.includes(PiiKind.EMAIL));
    assert.ok(pii.pii.includes(PiiKind.PAYMENT_CARD));

    assert.equal(get('c-es')!.classification!.language, 'es');
  });

  it('ends a request without messages with an error result instead of classifying it', async () => {
    const empty = textRequest('x', { requestId: 'c-empty' });
    empty.messages = [];
    await publish(empty);
    const r = await waitFor('the error result', () => results.messages.find((m) => m.key === 'c-empty'), 30000);
    assert.equal(r.value.error?.code, 'invalid_request');
    assert.equal(classified.messages.filter((m) => m.key === 'c-empty').length, 0);
  });
});

describe('the launcher: the readiness limit and supervision', () => {
  it('fails a launch whose service is not ready in time, naming the service and the limit', async () => {
    const infra = await testInfra();
    const err = await launchSystem({ brokers: infra.brokers, redisUrl: infra.redisUrl, topicPrefix: uniquePrefix('ready'), partitions: 1, only: ['classifier'], readyTimeoutMs: 300 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof Error, 'the launch did not fail');
    assert.match(err.message, /^classifier was not ready within 300 ms/);
  });

  it('fails a launch whose service exits before it is ready with the exit code and what the service printed last', async () => {
    const infra = await testInfra();
    const err = await launchSystem({
      brokers: infra.brokers,
      redisUrl: infra.redisUrl,
      topicPrefix: uniquePrefix('exits'),
      partitions: 1,
      only: ['classifier'],
      serviceEnv: { classifier: { CLASSIFIER_EXACT_TOKEN_CHARS: 'lots' } },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof Error, 'the launch did not fail');
    assert.match(err.message, /^classifier exited \(1\) before it was ready\n--- classifier's last output ---\n/);
    assert.match(err.message, /invalid configuration:[\s\S]*CLASSIFIER_EXACT_TOKEN_CHARS/);
    assert.ok(!err.message.includes('\u001b['), 'colour codes are stripped');
  });

  it('supervised (npm start): a process that dies is started again; one stopped through kill() stays down', async () => {
    const infra = await testInfra();
    const exits: string[] = [];
    const system = await launchSystem({ brokers: infra.brokers, redisUrl: infra.redisUrl, topicPrefix: uniquePrefix('supervise'), partitions: 1, only: ['classifier'], sessionTimeoutMs: 6000, supervise: { onExit: (line) => void exits.push(line) } });
    try {
      const first = system.processes.get('classifier')!;
      const firstPid = first.child.pid;
      first.child.kill('SIGKILL');
      const second = await waitFor('a new classifier process', () => {
        const p = system.processes.get('classifier')!;
        return p.child.pid !== firstPid ? p : undefined;
      }, 15_000);
      assert.deepEqual(exits, ['classifier exited (SIGKILL); starting it again in 1 s']);
      await waitFor('the new classifier ready', async () => ((await fetch(`http://127.0.0.1:${second.httpPort}/readyz`).catch(() => undefined))?.ok ? true : undefined), 60_000);
      await system.kill('classifier');
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(system.processes.get('classifier'), second, 'a process stopped on purpose is not started again');
      assert.equal(exits.length, 1);
    } finally {
      await system.stop();
    }
  });
});
