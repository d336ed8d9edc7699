import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { OpenAIChatClient, type ChatCompletionRequest } from './openai.js';
import { callWithRetries } from './retry.js';
import { expectProviderError } from './test-helpers.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** What the fake provider received. */
interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * A fake OpenAI-compatible server: each call takes the next handler from `script`
 * (the last one repeats) and records what it received.
 */
class FakeProvider {
  readonly received: Received[] = [];
  script: Handler[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      this.received.push({ method: req.method, url: req.url, headers: req.headers, body: text ? JSON.parse(text) : undefined });
      const handler = this.script[Math.min(this.received.length - 1, this.script.length - 1)];
      if (!handler) throw new Error('no handler scripted');
      handler(req, res);
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

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

const completion = (content: string | null, extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
  ...extra,
});

const REQUEST: ChatCompletionRequest = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] },
  ],
  temperature: 0.2,
  max_tokens: 64,
  response_format: { type: 'json_object' },
};


const signal = () => AbortSignal.timeout(5000);

describe('OpenAIChatClient against a real HTTP server', () => {
  const provider = new FakeProvider();
  let baseUrl = '';
  let client: OpenAIChatClient;

  before(async () => {
    baseUrl = await provider.start();
    client = new OpenAIChatClient({ baseUrl: `${baseUrl}/v1/`, apiKey: 'sk-test', headers: { 'openai-organization': 'org-1' } });
  });
  after(() => provider.stop());
  beforeEach(() => {
    provider.received.length = 0;
    provider.script = [];
  });

  it('sends the request and parses the completion', async () => {
    provider.script = [json(200, { ...completion('{"answer":"a cat"}'), choices: [{ index: 0, message: { role: 'assistant', content: '{"answer":"a cat"}' }, finish_reason: 'length' }] })];
    const result = await client.complete(REQUEST, signal());
    assert.deepEqual(result, { output: '{"answer":"a cat"}', finishReason: 'length', inputTokens: 12, outputTokens: 5, providerModel: 'gpt-4o-mini-2024-07-18' });
    const [got] = provider.received;
    assert.equal(got?.method, 'POST');
    assert.equal(got?.url, '/v1/chat/completions', 'a trailing /v1/ in baseUrl is not doubled');
    assert.equal(got?.headers.authorization, 'Bearer sk-test');
    assert.equal(got?.headers['content-type'], 'application/json');
    assert.equal(got?.headers['openai-organization'], 'org-1');
    assert.deepEqual(got?.body, REQUEST);
  });

  it('sends no Authorization header without an API key, and fills in missing fields', async () => {
    provider.script = [json(200, { choices: [{ message: { content: null } }] })];
    const result = await new OpenAIChatClient({ baseUrl }).complete(REQUEST, signal());
    assert.deepEqual(result, { output: '', finishReason: 'stop', inputTokens: 0, outputTokens: 0, providerModel: 'gpt-4o-mini' });
    assert.equal(provider.received[0]?.headers.authorization, undefined);
    assert.equal(provider.received[0]?.url, '/v1/chat/completions');
  });

  it('maps 429 with Retry-After to a retriable rate_limited error', async () => {
    provider.script = [json(429, { error: { message: 'slow down' } }, { 'retry-after': '2' })];
    const err = await expectProviderError(client.complete(REQUEST, signal()));
    assert.equal(err.code, 'rate_limited');
    assert.equal(err.retriable, true);
    assert.equal(err.status, 429);
    assert.equal(err.retryAfterMs, 2000);
    assert.match(err.message, /HTTP 429: .*slow down/);
  });

  it('reads an HTTP-date Retry-After', async () => {
    provider.script = [json(429, {}, { 'retry-after': new Date(Date.now() + 60_000).toUTCString() })];
    const err = await expectProviderError(client.complete(REQUEST, signal()));
    assert.ok(err.retryAfterMs !== undefined && err.retryAfterMs > 55_000 && err.retryAfterMs <= 60_000, String(err.retryAfterMs));
  });

  it('maps 400 to a non-retriable bad_request error', async () => {
    provider.script = [json(400, { error: { message: 'bad temperature', type: 'invalid_request_error' } })];
    const err = await expectProviderError(client.complete(REQUEST, signal()));
    assert.equal(err.code, 'bad_request');
    assert.equal(err.retriable, false);
    assert.equal(err.status, 400);
    assert.equal(err.retryAfterMs, undefined);
  });

  it('maps 401, 404, 500 and 503 by status', async () => {
    const cases = [
      [401, 'auth', false],
      [404, 'not_found', false],
      [500, 'server_error', true],
      [503, 'unavailable', true],
    ] as const;
    for (const [status, code, retriable] of cases) {
      provider.script = [json(status, { error: { message: 'nope' } })];
      const err = await expectProviderError(client.complete(REQUEST, signal()));
      assert.deepEqual([err.code, err.retriable, err.status], [code, retriable, status]);
    }
  });

  it('rejects a body that is not JSON, or has no message, as invalid_response', async () => {
    provider.script = [json(200, '<html>gateway</html>')];
    const err = await expectProviderError(client.complete(REQUEST, signal()));
    assert.equal(err.code, 'invalid_response');
    assert.equal(err.retriable, false);
    assert.match(err.message, /invalid JSON: <html>gateway/);
    provider.script = [json(200, { choices: [] })];
    assert.equal((await expectProviderError(client.complete(REQUEST, signal()))).code, 'invalid_response');
  });

  it('maps an attempt timeout to a retriable timeout error', async () => {
    provider.script = [() => {}]; // never answers
    const started = Date.now();
    const err = await expectProviderError(client.complete(REQUEST, AbortSignal.timeout(50)));
    assert.equal(err.code, 'timeout');
    assert.equal(err.retriable, true);
    assert.ok(Date.now() - started < 2000);
  });

  it('maps a refused connection to a retriable network error', async () => {
    const closed = new FakeProvider();
    const url = await closed.start();
    await closed.stop();
    const err = await expectProviderError(new OpenAIChatClient({ baseUrl: url }).complete(REQUEST, signal()));
    assert.equal(err.code, 'network');
    assert.equal(err.retriable, true);
    assert.match(err.message, /ECONNREFUSED/);
  });

  it('retries 503s through callWithRetries until the provider answers', async () => {
    provider.script = [json(503, 'overloaded'), json(503, 'overloaded'), json(200, completion('hello'))];
    const { value, attempts } = await callWithRetries((s) => client.complete(REQUEST, s), {
      maxAttempts: 5,
      baseDelayMs: 1,
      maxDelayMs: 5,
      attemptTimeoutMs: 2000,
      deadlineMs: Date.now() + 5000,
    });
    assert.equal(value.output, 'hello');
    assert.equal(attempts, 3);
    assert.equal(provider.received.length, 3);
  });
});
