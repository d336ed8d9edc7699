import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Classifier } from './classifier';
import { SecondStage, parseLabel } from './second-stage';

interface Recorded {
  url: string;
  auth: string | undefined;
  body: { model: string; messages: Array<{ role: string; content: string }> };
}

/** A tiny OpenAI-compatible chat completions server on a real local socket. */
function startServer(answer: (body: Recorded['body']) => { status: number; content?: string; delayMs?: number }): Promise<{ server: Server; url: string; calls: Recorded[] }> {
  const calls: Recorded[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(raw) as Recorded['body'];
      calls.push({ url: req.url ?? '', auth: req.headers.authorization, body });
      const a = answer(body);
      setTimeout(() => {
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'chatcmpl-test',
            object: 'chat.completion',
            model: body.model,
            choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: a.content ?? '' } }],
          }),
        );
      }, a.delayMs ?? 0);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, calls });
    });
  });
}

describe('SecondStage over a local OpenAI-compatible server', () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  let mode: 'label' | 'chatty' | 'error' | 'slow' | 'bogus' = 'label';
  before(async () => {
    srv = await startServer(() => {
      if (mode === 'error') return { status: 500 };
      if (mode === 'slow') return { status: 200, content: 'brainstorming', delayMs: 500 };
      if (mode === 'bogus') return { status: 200, content: 'I think this is astrology' };
      if (mode === 'chatty') return { status: 200, content: 'The best label is: Brainstorming.' };
      return { status: 200, content: 'brainstorming' };
    });
  });
  after(() => srv.server.close());

  it('posts a chat completion with the candidates and parses the label', async () => {
    mode = 'label';
    const stage = new SecondStage({ baseUrl: srv.url, model: 'tiny-router', apiKey: 'k-123' });
    const a = await stage.choose([{ role: 'user', content: 'Give me some names for a bakery' }], ['writing', 'brainstorming', 'creative_writing']);
    assert.equal(a.intent, 'brainstorming');
    const call = srv.calls.at(-1);
    assert.ok(call);
    assert.equal(call.url, '/v1/chat/completions');
    assert.equal(call.auth, 'Bearer k-123');
    assert.equal(call.body.model, 'tiny-router');
    assert.match(call.body.messages[0]?.content ?? '', /brainstorming: idea lists/);
    assert.doesNotMatch(call.body.messages[0]?.content ?? '', /image_generation/);
    assert.match(call.body.messages[1]?.content ?? '', /bakery/);
  });

  it('tolerates a chatty answer', async () => {
    mode = 'chatty';
    const stage = new SecondStage({ baseUrl: srv.url, model: 'm' });
    assert.equal((await stage.choose([{ role: 'user', content: 'x' }], ['writing', 'brainstorming'])).intent, 'brainstorming');
  });

  it('keeps the first stage on HTTP errors, timeouts and unusable answers', async () => {
    const stage = new SecondStage({ baseUrl: srv.url, model: 'm', timeoutMs: 100 });
    mode = 'error';
    assert.deepEqual((await stage.choose([{ role: 'user', content: 'x' }], ['writing', 'code'])).error, 'http 500');
    mode = 'slow';
    assert.equal((await stage.choose([{ role: 'user', content: 'x' }], ['writing', 'brainstorming'])).error, 'timeout');
    mode = 'bogus';
    const bogus = await stage.choose([{ role: 'user', content: 'x' }], ['writing', 'code']);
    assert.equal(bogus.intent, null);
    assert.match(bogus.error ?? '', /unusable/);
  });

  it('is used by classifyAsync only below the confidence threshold', async () => {
    mode = 'label';
    const before = srv.calls.length;
    // threshold 1.01: every request goes to the second stage
    const always = Classifier.load({ secondStage: { baseUrl: srv.url, model: 'm', threshold: 1.01, candidates: 15 } });
    const r = await always.classifyAsync({ messages: [{ role: 'user', content: 'Write a limerick about a frog' }] });
    assert.equal(r.intentSource, 'second_stage');
    assert.equal(r.intent, 'brainstorming');
    assert.equal(srv.calls.length, before + 1);
    // threshold 0: never
    const never = Classifier.load({ secondStage: { baseUrl: srv.url, model: 'm', threshold: 0 } });
    const r2 = await never.classifyAsync({ messages: [{ role: 'user', content: 'Write a limerick about a frog' }] });
    assert.equal(r2.intentSource, 'model');
    assert.equal(srv.calls.length, before + 1);
  });

  it('is off by default: classifyAsync without a second stage is the first stage', async () => {
    const r = await Classifier.load().classifyAsync({ messages: [{ role: 'user', content: 'hello!' }] });
    assert.equal(r.intentSource, 'model');
  });
});

describe('parseLabel', () => {
  it('accepts exact labels, spaces for underscores and stray punctuation', () => {
    assert.equal(parseLabel('open_qa', ['open_qa', 'chat']), 'open_qa');
    assert.equal(parseLabel('"Open QA".', ['open_qa', 'chat']), 'open_qa');
    assert.equal(parseLabel('creative writing', ['creative_writing', 'writing']), 'creative_writing');
    assert.equal(parseLabel('image_generation', ['open_qa', 'chat']), null);
  });
});
