import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bus } from '@yardmaster/bus';
import { InferRequestSchema, ResponseStatus, Topics, create, createRouterClient, textRequest, workTopic, type RouterClient } from '@yardmaster/contracts';
import { launchSystem, type RunningSystem, type ServiceProcess } from '@yardmaster/deploy';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { scrape, select, total, type Sample } from '../support/prometheus.js';

const PROMPTS = ['Write a Python function that reverses a linked list.', 'What is the capital of Australia?', 'Write a short poem about autumn leaves.', 'hi there!'];

describe('Prometheus metrics on every service (real Kafka, real Redis, HTTP scrapes)', () => {
  let system: RunningSystem;
  let bus: Bus;
  let client: RouterClient;

  const topic = (name: string) => bus.topicName(name);
  const processesNamed = (name: ServiceProcess['name']) => [...system.processes.values()].filter((p) => p.name === name);
  const one = (name: ServiceProcess['name']) => {
    const [p] = processesNamed(name);
    assert.ok(p, `a ${name} process`);
    return p;
  };
  /** Scrapes every process named `name` and returns all their samples. */
  const samplesOf = async (name: ServiceProcess['name']): Promise<Sample[]> => (await Promise.all(processesNamed(name).map(async (p) => (await scrape(p.httpPort)).samples))).flat();

  before(async () => {
    const infra = await testInfra();
    const prefix = uniquePrefix('metrics');
    system = await launchSystem({ brokers: infra.brokers, redisUrl: infra.redisUrl, topicPrefix: prefix, partitions: 2 });
    bus = await Bus.connect({ brokers: infra.brokers.split(','), clientId: 'metrics-test', topicPrefix: prefix });
    client = createRouterClient(system.grpcAddress, system.clientOptions);
  });

  after(async () => {
    client?.close();
    await bus?.close();
    await system?.stop();
  });

  it('serves /metrics in the Prometheus text format on every service, provider-sim included', async () => {
    for (const p of system.processes.values()) {
      const { contentType, samples } = await scrape(p.httpPort);
      assert.equal(contentType, 'text/plain; version=0.0.4; charset=utf-8', p.id);
      const target = select(samples, 'target_info');
      assert.equal(target.length, 1, `${p.id}: one target_info`);
      assert.equal(target[0]!.labels['service_name'], `yardmaster-${p.name}`);
    }
  });

  it('counts messages consumed and sent per topic, handler durations, lag and GenAI calls after requests go through', async () => {
    const n = 12;
    for (let i = 0; i < n; i++) {
      const res = await client.infer(create(InferRequestSchema, { request: textRequest(`${PROMPTS[i % PROMPTS.length]} (#${i})`, { requestId: `metrics-${i}` }) }), { deadlineMs: 30000 });
      assert.equal(res.response?.status, ResponseStatus.OK, res.response?.error?.message);
    }
    const requests = topic(Topics.requests.name);
    const classified = topic(Topics.classified.name);
    const results = topic(Topics.results.name);
    const responses = topic(Topics.responses.name);
    const workTopics = system.pools.map((pool) => topic(workTopic(pool).name));

    // A handler's duration is recorded just after it returns, which may be after the response reached the caller.
    const classifier = await waitFor(
      'classifier metrics for every request',
      async () => {
        const s = (await scrape(one('classifier').httpPort)).samples;
        return total(s, 'messaging_process_duration_count', { messaging_destination_name: requests }) >= n ? s : undefined;
      },
      20000,
    );
    assert.ok(total(classifier, 'messaging_client_consumed_messages_total', { messaging_destination_name: requests, messaging_consumer_group_name: bus.groupName('yardmaster-classifier') }) >= n);
    assert.ok(total(classifier, 'messaging_client_sent_messages_total', { messaging_destination_name: classified }) >= n);
    assert.equal(total(classifier, 'messaging_client_sent_messages_total', { error_type: 'publish_failed' }), 0);
    // The seconds buckets: +Inf holds everything, and the half-millisecond bucket exists.
    assert.ok(total(classifier, 'messaging_process_duration_bucket', { messaging_destination_name: requests, le: '+Inf' }) >= n);
    assert.ok(select(classifier, 'messaging_process_duration_bucket', { messaging_destination_name: requests, le: '0.0005' }).length > 0);
    assert.ok(total(classifier, 'messaging_process_duration_sum', { messaging_destination_name: requests }) > 0);
    const lag = select(classifier, 'yardmaster_consumer_lag', { messaging_destination_name: requests, messaging_consumer_group_name: bus.groupName('yardmaster-classifier') });
    assert.ok(lag.length > 0, 'lag gauge for llm.requests.v1');
    assert.ok(lag.every((s) => s.labels['messaging_destination_partition_id'] !== undefined && s.value >= 0));
    assert.equal(total(classifier, 'yardmaster_consumer_inflight', { messaging_destination_name: requests }), 0, 'nothing in flight once all is answered');

    const router = await samplesOf('router');
    assert.ok(total(router, 'messaging_client_consumed_messages_total', { messaging_destination_name: classified }) >= n);
    assert.ok(workTopics.reduce((sum, t) => sum + total(router, 'messaging_client_sent_messages_total', { messaging_destination_name: t }), 0) >= n);

    const workers = await samplesOf('worker');
    assert.ok(workTopics.reduce((sum, t) => sum + total(workers, 'messaging_client_consumed_messages_total', { messaging_destination_name: t }), 0) >= n);
    assert.ok(total(workers, 'messaging_client_sent_messages_total', { messaging_destination_name: results }) >= n);
    // GenAI client metrics: one duration sample per provider call, input and output token histograms.
    assert.ok(total(workers, 'gen_ai_client_operation_duration_count', { gen_ai_operation_name: 'chat' }) >= n);
    const calls = select(workers, 'gen_ai_client_operation_duration_count');
    assert.ok(calls.every((s) => s.labels['gen_ai_request_model'] && s.labels['gen_ai_provider_name']));
    assert.ok(total(workers, 'gen_ai_client_token_usage_sum', { gen_ai_token_type: 'input' }) > 0);
    assert.ok(total(workers, 'gen_ai_client_token_usage_sum', { gen_ai_token_type: 'output' }) > 0);
    assert.ok(total(workers, 'gen_ai_client_token_usage_count', { gen_ai_token_type: 'output' }) >= n);

    const aggregator = await samplesOf('aggregator');
    assert.ok(total(aggregator, 'messaging_client_consumed_messages_total', { messaging_destination_name: results }) >= n);
    assert.ok(total(aggregator, 'messaging_client_sent_messages_total', { messaging_destination_name: responses }) >= n);

    const ingress = await samplesOf('ingress');
    assert.ok(total(ingress, 'messaging_client_sent_messages_total', { messaging_destination_name: requests }) >= n);
    assert.ok(total(ingress, 'messaging_client_consumed_messages_total', { messaging_destination_name: responses }) >= n);
  });

  it('counts a dead letter with its reason code on the stage that gave up', async () => {
    const requests = topic(Topics.requests.name);
    const letters = (s: Sample[]) => total(s, 'yardmaster_dlq_messages_total', { messaging_destination_name: requests, error_type: 'decode_error', messaging_consumer_group_name: bus.groupName('yardmaster-classifier') });
    const before = letters((await scrape(one('classifier').httpPort)).samples);
    await bus.publishRaw(requests, { key: 'metrics-garbage-1', value: Buffer.from([0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]) });
    await waitFor('the decode_error dead letter counted on the classifier', async () => letters((await scrape(one('classifier').httpPort)).samples) === before + 1, 20000);
    // The letter itself went out through the producer, so llm.dlq.v1 counts as sent.
    const after = (await scrape(one('classifier').httpPort)).samples;
    assert.ok(total(after, 'messaging_client_sent_messages_total', { messaging_destination_name: topic(Topics.dlq.name) }) >= 1);
  });
});
