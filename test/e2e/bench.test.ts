import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runBench } from '@yardmaster/cli/dist/bench.js';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { testInfra, uniquePrefix } from '../support/infra.js';

describe('npm run bench (runBench against a launched system)', () => {
  let system: RunningSystem;
  let infra: Awaited<ReturnType<typeof testInfra>>;

  before(async () => {
    infra = await testInfra();
    system = await launchSystem({ brokers: infra.brokers, redisUrl: infra.redisUrl, topicPrefix: uniquePrefix('bench'), partitions: 3 });
  });

  after(async () => {
    await system?.stop();
  });

  it('counts every response on the topic once, and reports RSS and CPU at rest per service', async () => {
    const processes = new Map([...system.processes].map(([id, p]) => [id, p.child.pid!]));
    const report = await runBench({
      address: system.grpcAddress,
      ...(system.apiKey ? { apiKey: system.apiKey } : {}),
      brokers: infra.brokers,
      redisUrl: infra.redisUrl,
      topicPrefix: system.topicPrefix,
      scenario: 'all',
      requests: 20,
      concurrency: 4,
      warmup: 5,
      settleMs: 0,
      idleMs: 1000,
      graceMs: 20000,
      processes,
    });
    assert.equal(report.responses_topic, `${system.topicPrefix}.llm.responses.v1`);
    assert.equal(report.sent, 45);
    assert.equal(report.answered, 45);
    assert.equal(report.lost, 0);
    assert.equal(report.duplicated, 0);
    assert.equal(report.throughput?.failed, 0);
    assert.equal(report.throughput?.concurrency, 4);
    assert.equal(report.latency?.failed, 0);
    assert.equal(report.latency?.concurrency, 1);
    assert.ok(report.latency.e2e_ms.p50 > 0);
    assert.ok(Object.keys(report.throughput.stages_ms).length > 0);
    assert.deepEqual(Object.keys(report.rss_peak_mb).sort(), [...processes.keys()].sort());
    for (const [id, mb] of Object.entries(report.rss_peak_mb)) assert.ok(mb > 0, `${id} RSS ${mb}`);
    assert.ok(report.idle_cores, 'at-rest CPU measured');
    for (const id of processes.keys()) assert.ok(report.idle_cores.per_process[id]! >= 0, `${id} idle cores`);
    assert.ok(report.idle_cores.total >= report.idle_cores.services_total);
  });
});
