import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { OpenAIChatClient, type ChatCompletionRequest } from './openai.js';
import { expectProviderError } from './test-helpers.js';

const REQUEST: ChatCompletionRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
const KEY = 'sk-live-0123456789abcdef';

describe('OpenAIChatClient keeps credentials out of its errors (real HTTP server)', () => {
  const seen: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];
  let status = 401;
  const server = createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers });
    req.resume();
    res.writeHead(status, { 'content-type': 'application/json' });
    // Some gateways quote the rejected credential back in full.
    res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${String(req.headers.authorization)}` } }));
  });
  let port = 0;

  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  it('does not repeat the API key a provider quotes back', async () => {
    const err = await expectProviderError(new OpenAIChatClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY }).complete(REQUEST, AbortSignal.timeout(5000)));
    assert.equal(err.code, 'auth');
    assert.match(err.message, /HTTP 401: .*Incorrect API key provided/);
    assert.doesNotMatch(inspect(err, { depth: 10 }), new RegExp(KEY));
  });

  it('sends URL credentials as Basic auth, never in the URL, and never repeats them', async () => {
    seen.length = 0;
    status = 200;
    const client = new OpenAIChatClient({ baseUrl: `http://gw:s3cret-pw@127.0.0.1:${port}/v1` });
    // 200 with an unusable body: an invalid_response error, but the request went out.
    const err = await expectProviderError(client.complete(REQUEST, AbortSignal.timeout(5000)));
    assert.equal(err.code, 'invalid_response');
    assert.equal(seen[0]?.url, '/v1/chat/completions');
    assert.equal(seen[0]?.headers.authorization, `Basic ${Buffer.from('gw:s3cret-pw').toString('base64')}`);
    assert.doesNotMatch(inspect(err, { depth: 10 }), /s3cret-pw|Z3c6czNjcmV0LXB3/);
    status = 401;
  });

  it('names no password when a provider URL with credentials is unreachable', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const closedPort = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const err = await expectProviderError(new OpenAIChatClient({ baseUrl: `http://gw:s3cret-pw@127.0.0.1:${closedPort}` }).complete(REQUEST, AbortSignal.timeout(5000)));
    assert.equal(err.code, 'network');
    assert.doesNotMatch(inspect(err, { depth: 10 }), /s3cret-pw/);
  });
});
