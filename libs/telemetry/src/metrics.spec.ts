import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metrics } from '@opentelemetry/api';
import { SECONDS_BUCKETS, renderMetrics, startTelemetry } from './index.js';

/** The sample line of `name` whose labels include every `label="value"` given and not the label `without`, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>, without?: string): string | undefined {
  return text
    .split('\n')
    .find((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)) && !(without && line.includes(`${without}=`)));
}

function valueOf(line: string | undefined): number {
  assert.ok(line, 'sample line present');
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

// One SDK per process (it registers the global meter provider), so these run in order.
describe('metrics rendering (Prometheus text)', () => {
  it('refuses to render before telemetry is started', async () => {
    await assert.rejects(renderMetrics(), /not started/);
  });

  it('renders counters, up-down counters, histograms and gauges with Prometheus names and labels, whatever the trace exporter', async () => {
    const telemetry = startTelemetry({ serviceName: 'metrics-spec', exporter: 'none' });
    try {
      const meter = metrics.getMeter('metrics-spec');
      const consumed = meter.createCounter('messaging.client.consumed.messages', { unit: '{message}', description: 'consumed' });
      const inflight = meter.createUpDownCounter('yardmaster.consumer.inflight');
      const duration = meter.createHistogram('messaging.process.duration', { unit: 's' });
      const tokens = meter.createHistogram('gen_ai.client.token.usage', { unit: '{token}' });
      let lag = 7;
      meter.createObservableGauge('yardmaster.consumer.lag').addCallback((r) => r.observe(lag, { 'messaging.destination.partition.id': '3' }));

      const topic = { 'messaging.destination.name': 'llm.requests.v1', 'messaging.consumer.group.name': 'g1' };
      consumed.add(2, topic);
      consumed.add(3, topic);
      consumed.add(1, { 'messaging.destination.name': 'llm.results.v1', 'messaging.consumer.group.name': 'g1' });
      inflight.add(2, topic);
      inflight.add(-1, topic);
      duration.record(0.0003, topic);
      duration.record(0.2, topic);
      duration.record(0.2, { ...topic, 'error.type': 'processing_error' });
      tokens.record(50);

      const text = await renderMetrics();
      assert.match(text, /^# TYPE messaging_client_consumed_messages_total counter$/m);
      assert.equal(valueOf(sample(text, 'messaging_client_consumed_messages_total', { messaging_destination_name: 'llm.requests.v1', messaging_consumer_group_name: 'g1' })), 5);
      assert.equal(valueOf(sample(text, 'messaging_client_consumed_messages_total', { messaging_destination_name: 'llm.results.v1' })), 1);
      assert.match(text, /^# TYPE yardmaster_consumer_inflight gauge$/m);
      assert.equal(valueOf(sample(text, 'yardmaster_consumer_inflight', { messaging_destination_name: 'llm.requests.v1' })), 1);
      assert.equal(valueOf(sample(text, 'yardmaster_consumer_lag', { messaging_destination_partition_id: '3' })), 7);

      // Seconds histograms use the seconds buckets (the View), from 0.5 ms to 60 s.
      assert.match(text, /^# TYPE messaging_process_duration histogram$/m);
      const ok = { messaging_destination_name: 'llm.requests.v1' };
      assert.equal(valueOf(sample(text, 'messaging_process_duration_bucket', { ...ok, le: '0.0005' }, 'error_type')), 1);
      assert.equal(valueOf(sample(text, 'messaging_process_duration_bucket', { ...ok, le: '0.1' }, 'error_type')), 1);
      assert.equal(valueOf(sample(text, 'messaging_process_duration_bucket', { ...ok, le: '0.25' }, 'error_type')), 2);
      assert.ok(sample(text, 'messaging_process_duration_bucket', { le: String(SECONDS_BUCKETS.at(-1)) }));
      assert.equal(valueOf(sample(text, 'messaging_process_duration_count', { error_type: 'processing_error' })), 1);
      assert.equal(valueOf(sample(text, 'messaging_process_duration_count', ok, 'error_type')), 2);
      // Other histograms keep their own buckets (the token one is not bucketed in seconds).
      assert.equal(sample(text, 'gen_ai_client_token_usage_bucket', { le: '0.0005' }), undefined);
      assert.equal(valueOf(sample(text, 'gen_ai_client_token_usage_count', {})), 1);
      // The resource (service name) is described once, in target_info.
      assert.ok(sample(text, 'target_info', { service_name: 'metrics-spec' }));

      // Observable gauges are read at each render.
      lag = 0;
      assert.equal(valueOf(sample(await telemetry.renderMetrics(), 'yardmaster_consumer_lag', { messaging_destination_partition_id: '3' })), 0);
    } finally {
      await telemetry.shutdown();
    }
  });
});
