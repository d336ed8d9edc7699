import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Classifier } from './classifier';
import type { SecondStageOptions } from './second-stage';

/** Everything the fake endpoint received, as raw request bodies. */
const received: string[] = [];
const server = createServer((req, res) => {
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
  req.on('end', () => {
    received.push(raw);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'chat' } }] }));
  });
});

const ORDINARY = { role: 'user' as const, content: 'Tell me something about frogs and ponds' };
const WITH_PII = { role: 'user' as const, content: 'Tell me something about frogs, my email is jane.doe@example.com' };

describe('classifyAsync consults the second stage only when the request may leave (real HTTP server)', () => {
  let baseUrl = '';
  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.close();
    await once(server, 'close');
  });
  beforeEach(() => {
    received.length = 0;
  });

  // Threshold above 1: every request would go to the second stage if allowed.
  const load = (extra: Partial<SecondStageOptions> = {}) => Classifier.load({ secondStage: { baseUrl, model: 'm', threshold: 1.01, ...extra } });

  it('sends an ordinary request to an external endpoint', async () => {
    const r = await load().classifyAsync({ messages: [ORDINARY] });
    assert.equal(received.length, 1);
    assert.equal(r.intentSource, 'second_stage');
    assert.equal(r.secondStageSkipped, undefined);
  });

  it('keeps a self-hosted-only request on the first stage and says why', async () => {
    const r = await load().classifyAsync({ messages: [ORDINARY], privacy: 'self_hosted_only' });
    assert.equal(received.length, 0);
    assert.equal(r.intentSource, 'model');
    assert.equal(r.secondStageSkipped, 'self_hosted_only');
  });

  it('keeps a request with PII away from an external endpoint under the default private policy', async () => {
    const r = await load().classifyAsync({ messages: [WITH_PII] });
    assert.deepEqual(r.pii, ['email']);
    assert.equal(received.length, 0);
    assert.equal(r.secondStageSkipped, 'pii_private');
  });

  it('sends a request with PII when the policy allows it, and anything to a self-hosted endpoint', async () => {
    await load({ piiPolicy: 'allow' }).classifyAsync({ messages: [WITH_PII] });
    assert.equal(received.length, 1);
    await load({ selfHosted: true }).classifyAsync({ messages: [WITH_PII], privacy: 'self_hosted_only' });
    assert.equal(received.length, 2);
    assert.match(received[1] ?? '', /jane\.doe@example\.com/);
  });

  it('exposes the two halves: classify first, then refine', async () => {
    const clf = load();
    const first = clf.classify({ messages: [WITH_PII] });
    const refined = await clf.refine({ messages: [WITH_PII] }, first);
    assert.equal(received.length, 0);
    assert.equal(refined.intent, first.intent);
    assert.equal(refined.secondStageSkipped, 'pii_private');
  });

  it('never repeats URL credentials or the API key in its error', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const viaUrl = await load({ baseUrl: `http://u:s3cret-pw@127.0.0.1:${port}` }).classifyAsync({ messages: [ORDINARY] });
    assert.ok(viaUrl.secondStageError, 'the unreachable endpoint is reported');
    assert.doesNotMatch(viaUrl.secondStageError, /s3cret-pw/);
  });
});
