import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Bus } from '@yardmaster/bus';
import { PiiKind, Privacy, RoutingHintsSchema, Topics, create, textRequest, timestampFromMs, type InferenceRequest } from '@yardmaster/contracts';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { Attr } from '@yardmaster/telemetry';
import { TraceCollector } from '../support/collector.js';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { TopicReader } from '../support/topic-reader.js';

/**
 * An OpenAI-compatible endpoint standing in for an external provider: it records every
 * request body it receives and answers with a label.
 */
class FakeEndpoint {
  readonly bodies: string[] = [];
  private readonly server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      this.bodies.push(raw);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'open_qa' } }] }));
    });
  });

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

describe('classifier second stage on real Kafka: nothing private leaves', () => {
  const endpoint = new FakeEndpoint();
  const collector = new TraceCollector();
  let system: RunningSystem;
  let bus: Bus;
  let classified: TopicReader<typeof Topics.classified.schema>;

  before(async () => {
    const infra = await testInfra();
    const prefix = uniquePrefix('second-stage');
    const url = await endpoint.start();
    const otlp = await collector.start();
    system = await launchSystem({
      brokers: infra.brokers,
      redisUrl: infra.redisUrl,
      topicPrefix: prefix,
      partitions: 2,
      only: ['classifier'],
      otlpEndpoint: otlp,
      // Threshold 1: every request is low-confidence enough to go, if it may. The endpoint
      // is external and the PII policy private by default (not set here on purpose).
      serviceEnv: { classifier: { CLASSIFIER_SECOND_STAGE_URL: url, CLASSIFIER_SECOND_STAGE_THRESHOLD: '1', CLASSIFIER_SECOND_STAGE_TIMEOUT_MS: '5000' } },
    });
    bus = await Bus.connect({ brokers: infra.brokers.split(','), clientId: 'second-stage-test', topicPrefix: prefix });
    classified = await new TopicReader(bus, Topics.classified).start();
  });

  after(async () => {
    await classified?.stop();
    await bus?.close();
    await system?.stop();
    await endpoint.stop();
    await collector.stop();
  });

  const publish = (request: InferenceRequest) => {
    request.createdAt = timestampFromMs(Date.now());
    return bus.publish(Topics.requests, request.requestId, request);
  };

  it('sends an ordinary request to the external endpoint, but neither a self-hosted-only one nor one with PII', async () => {
    const privateText = 'Tell me about the Zanzibar-quokka merger plans';
    const piiText = 'Tell me about frogs; reach me at mo.ruiz@example.org or card 4111 1111 1111 1111';
    const ordinaryText = 'Tell me about the ponds of Wimbledon-pelican';
    const selfHostedOnly = textRequest(privateText, { requestId: 's-private' });
    selfHostedOnly.hints = create(RoutingHintsSchema, { privacy: Privacy.SELF_HOSTED_ONLY });
    await publish(selfHostedOnly);
    await publish(textRequest(piiText, { requestId: 's-pii' }));
    await publish(textRequest(ordinaryText, { requestId: 's-ordinary' }));

    const get = (id: string) => classified.messages.find((m) => m.key === id)?.value;
    // The consumer publishes only after the second stage answered (or was skipped), so once
    // all three are classified, whatever was going to reach the endpoint has reached it.
    await waitFor('three classified requests', () => ['s-private', 's-pii', 's-ordinary'].every((id) => get(id)), 30000);
    assert.ok(get('s-pii')!.classification!.pii.includes(PiiKind.EMAIL));

    assert.ok(endpoint.bodies.some((b) => b.includes('Wimbledon-pelican')), 'the ordinary request reached the endpoint');
    assert.equal(endpoint.bodies.length, 1, 'exactly one request reached the endpoint');
    for (const b of endpoint.bodies) {
      assert.doesNotMatch(b, /Zanzibar-quokka|mo\.ruiz@example\.org|4111/);
    }

    // The classify spans say why the second stage was skipped, and carry no prompt text.
    const skipOf = (id: string) =>
      collector.spans.find((s) => s.service === 'yardmaster-classifier' && s.attributes[Attr.requestId] === id && s.attributes[Attr.secondStageSkipped] !== undefined);
    const [priv, pii] = await waitFor('spans of the skipped requests', () => {
      const a = skipOf('s-private');
      const b = skipOf('s-pii');
      return a && b ? [a, b] : undefined;
    }, 30000);
    assert.equal(priv.attributes[Attr.secondStageSkipped], 'self_hosted_only');
    assert.equal(pii.attributes[Attr.secondStageSkipped], 'pii_private');
    const spanText = JSON.stringify(collector.spans);
    assert.doesNotMatch(spanText, /Zanzibar-quokka|mo\.ruiz@example\.org|Wimbledon-pelican/);
  });
});
