import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBench } from '@yardmaster/cli/dist/bench.js';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { testInfra, uniquePrefix } from '../support/infra.js';

describe('npm run bench (runBench against a launched system)', () => {
  let system: RunningSystem;
  let infra: Awaited<ReturnType<typeof testInfra>>;

  before(async () => {
    infra = await testInfra();
    system = await launchSystem({
      brokers: infra.brokers,
      redisUrl: infra.redisUrl,
      topicPrefix: uniquePrefix('bench'),
      partitions: 3,
      serviceEnv: { ingress: { FILE_STORE_DIR: mkdtempSync(path.join(tmpdir(), 'ym-bench-files-')) } },
    });
  });

  after(async () => {
    await system?.stop();
  });

  it('counts every response on the topic once, and reports RSS, CPU per request in each scenario and CPU at rest per service', async () => {
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
    for (const scenario of [report.throughput, report.latency]) {
      const cpu = scenario.cpu_per_request_ms;
      assert.ok(cpu, `CPU per request measured in the ${scenario.concurrency === 1 ? 'latency' : 'throughput'} scenario`);
      for (const id of processes.keys()) assert.ok(cpu.per_process[id]! >= 0, `${id} CPU per request`);
      // The services did work for the requests, and the bench's own share is reported apart.
      assert.ok(cpu.services_total > 0);
      assert.ok(cpu.per_process['bench']! > 0);
      assert.ok(cpu.total >= cpu.services_total);
    }
  });

  it('--batch: runs an N-line batch over HTTP, reads back one line per custom_id, and measures one caller idle and beside it', async () => {
    const lines = 300;
    const report = await runBench({
      address: system.grpcAddress,
      ...(system.apiKey ? { apiKey: system.apiKey } : {}),
      brokers: infra.brokers,
      topicPrefix: system.topicPrefix,
      scenario: 'throughput',
      requests: 20,
      concurrency: 4,
      warmup: 0,
      idleMs: 0,
      graceMs: 20000,
      processes: new Map(),
      batch: { lines, httpUrl: system.httpUrl },
    });
    const b = report.batch;
    assert.ok(b, 'the batch scenario ran');
    assert.equal(b.status, 'completed');
    assert.deepEqual(b.request_counts, { total: lines, completed: lines, failed: 0 });
    assert.equal(b.output_lines, lines);
    assert.equal(b.error_lines, 0);
    assert.deepEqual(b.custom_ids, { missing: 0, duplicated: 0, unknown: 0 });
    assert.ok(b.seconds > 0 && b.lines_per_second > 0);
    assert.equal(b.interactive_idle.requests, 20, 'the idle baseline is --requests one-caller calls');
    assert.equal(b.interactive_idle.concurrency, 1);
    assert.equal(b.interactive_idle.failed, 0);
    assert.ok(b.interactive_during.requests >= 1, 'the caller ran beside the batch');
    assert.equal(b.interactive_during.failed, 0);
    assert.equal(b.p99_ratio, Math.round((b.interactive_during.e2e_ms.p99 / b.interactive_idle.e2e_ms.p99) * 100) / 100);
    assert.equal(b.interactive_throughput_rps, report.throughput?.requests_per_second);
    assert.ok(b.throughput_ratio !== undefined && b.throughput_ratio > 0);
    assert.ok(b.cost_usd > 0);
    // Every gRPC call (throughput, idle baseline, beside the batch) answered once on the topic.
    assert.equal(report.sent, 20 + 20 + b.interactive_during.requests);
    assert.equal(report.lost, 0);
    assert.equal(report.duplicated, 0);
  });
});
