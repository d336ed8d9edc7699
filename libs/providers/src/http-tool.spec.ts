import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createAdapter } from './registry.js';
import { HttpTool, fillPath, toolArguments, type HttpToolOptions } from './http-tool.js';
import { expectProviderError } from './test-helpers.js';
import type { GenerationRequest } from './types.js';

const KEY = 'sk-weather-0123456789abcdef';

/** What the test server saw of the last request. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

function ask(tool: string, args: Record<string, unknown>): GenerationRequest {
  return { model: tool, messages: [{ role: 'user', parts: [{ type: 'text', text: 'q' }] }], tool: { name: tool, expression: JSON.stringify(args) } };
}

describe('HttpTool against a real local HTTP server', () => {
  let server: Server;
  let base = '';
  let seen: Seen | undefined;
  const sockets = new Set<Socket>();

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        if (path === '/hang') return; // accepted, never answered
        if (path === '/status/500') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}');
        if (path === '/status/503') return void res.writeHead(503).end('down');
        if (path === '/status/400') return void res.writeHead(400).end('{"error":"unknown location"}');
        // A gateway that quotes the rejected key back.
        if (path === '/status/401') return void res.writeHead(401).end(`invalid key ${String(req.headers['x-api-key'])}`);
        if (path === '/big') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(5000));
        if (path === '/empty') return void res.writeHead(200).end('  ');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ path, query: Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams), temperature_c: 18 }));
      });
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const tool = (over: Partial<HttpToolOptions> = {}) => new HttpTool({ baseUrl: `${base}/`, tool: 'weather', method: 'GET', path: '/weather?location={location}&when={when}', timeoutMs: 2000, ...over });
  const call = { signal: new AbortController().signal };

  it('GET: fills the template with URL-encoded arguments, sends the credential header, returns the raw JSON answer', async () => {
    const t = tool({ headers: { 'x-api-key': '{credential}', accept: 'application/json' } });
    const answer = await t.generate(ask('weather', { location: 'São Paulo & Co/?', when: 'tomorrow' }), { ...call, apiKey: KEY });
    assert.equal(seen?.method, 'GET');
    assert.equal(seen?.url, '/weather?location=S%C3%A3o%20Paulo%20%26%20Co%2F%3F&when=tomorrow');
    assert.equal(seen?.headers['x-api-key'], KEY);
    assert.deepEqual(JSON.parse(answer.output), { path: '/weather', query: { location: 'São Paulo & Co/?', when: 'tomorrow' }, temperature_c: 18 });
    assert.deepEqual([answer.inputTokens, answer.outputTokens, answer.providerModel, answer.streamed], [0, 0, 'weather', false]);
  });

  it('POST: sends the arguments as a JSON body', async () => {
    const t = tool({ method: 'POST', path: '/lookup/{id}', tool: 'company' });
    const answer = await t.generate(ask('company', { id: 'ACME 1', country: 'FR' }), call);
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.url, '/lookup/ACME%201');
    assert.equal(seen?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(seen?.body ?? ''), { id: 'ACME 1', country: 'FR' });
    assert.equal((JSON.parse(answer.output) as { path: string }).path, '/lookup/ACME%201');
  });

  it('a query parameter whose argument is absent is left out; a missing path argument is bad_request', async () => {
    const t = tool({ tool: 'currency', path: '/fx?from={from}&to={to}&amount={amount}' });
    await t.generate(ask('currency', { from: 'EUR', to: 'USD' }), call);
    assert.equal(seen?.url, '/fx?from=EUR&to=USD');
    await t.generate(ask('currency', { from: 'EUR', to: 'USD', amount: '100' }), call);
    assert.equal(seen?.url, '/fx?from=EUR&to=USD&amount=100');
    const e = await expectProviderError(tool({ path: '/w/{location}' }).generate(ask('weather', { when: 'now' }), call));
    assert.equal(e.code, 'bad_request');
    assert.match(e.message, /argument "location"/);
  });

  it('5xx is server_error / unavailable (retriable), 4xx is bad_request (not retriable)', async () => {
    const e500 = await expectProviderError(tool({ path: '/status/500' }).generate(ask('weather', {}), call));
    assert.deepEqual([e500.code, e500.status, e500.retriable], ['server_error', 500, true]);
    const e503 = await expectProviderError(tool({ path: '/status/503' }).generate(ask('weather', {}), call));
    assert.deepEqual([e503.code, e503.retriable], ['unavailable', true]);
    const e400 = await expectProviderError(tool({ path: '/status/400' }).generate(ask('weather', {}), call));
    assert.deepEqual([e400.code, e400.retriable], ['bad_request', false]);
    assert.match(e400.message, /unknown location/);
  });

  it('times out after timeout_ms when the endpoint never answers', async () => {
    const started = performance.now();
    const e = await expectProviderError(tool({ path: '/hang', timeoutMs: 200 }).generate(ask('weather', {}), call));
    const elapsed = performance.now() - started;
    assert.deepEqual([e.code, e.retriable], ['timeout', true]);
    assert.ok(elapsed >= 190 && elapsed < 1500, `timed out after ${elapsed} ms`);
  });

  it('the caller aborting ends the call with its reason', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('deadline')), 50);
    const e = await expectProviderError(tool({ path: '/hang', timeoutMs: 5000 }).generate(ask('weather', {}), { signal: ac.signal }));
    assert.notEqual(e.code, 'invalid_response');
  });

  it('never puts the credential in an error, even when the endpoint quotes it', async () => {
    const e = await expectProviderError(tool({ path: '/status/401', headers: { 'x-api-key': '{credential}' } }).generate(ask('weather', {}), { ...call, apiKey: KEY }));
    assert.equal(e.code, 'auth');
    assert.ok(!e.message.includes(KEY), e.message);
    const missing = await expectProviderError(tool({ headers: { 'x-api-key': '{credential}' } }).generate(ask('weather', { location: 'x', when: 'now' }), call));
    assert.equal(missing.code, 'auth');
  });

  it('refuses another tool, no arguments, non-object arguments, an oversized or empty answer', async () => {
    assert.equal((await expectProviderError(tool().generate(ask('currency', {}), call))).code, 'bad_request');
    assert.equal((await expectProviderError(tool().generate({ model: 'weather', messages: [] }, call))).code, 'bad_request');
    assert.equal((await expectProviderError(tool().generate({ model: 'weather', messages: [], tool: { name: 'weather', expression: '[1]' } }, call))).code, 'bad_request');
    assert.equal((await expectProviderError(tool({ path: '/big', maxBytes: 1000 }).generate(ask('weather', {}), call))).code, 'invalid_response');
    assert.equal((await expectProviderError(tool({ path: '/empty' }).generate(ask('weather', {}), call))).code, 'invalid_response');
  });

  it('createAdapter builds it for http-tool, and refuses http-tool without its options', async () => {
    const a = createAdapter('http-tool', { baseUrl: base, httpTool: { tool: 'weather', method: 'GET', path: '/w?l={location}', timeoutMs: 1000 } });
    assert.equal(a.api, 'http-tool');
    assert.equal((JSON.parse((await a.generate(ask('weather', { location: 'Oslo' }), call)).output) as { query: { l: string } }).query.l, 'Oslo');
    assert.throws(() => createAdapter('http-tool', { baseUrl: base }), /needs its tool/);
  });
});

describe('toolArguments and fillPath', () => {
  it('reads scalar arguments and rejects the rest', () => {
    assert.deepEqual(toolArguments('{"a":"x","n":2,"b":true,"z":null}'), { a: 'x', n: '2', b: 'true' });
    assert.throws(() => toolArguments('not json'), /not JSON/);
    assert.throws(() => toolArguments('{"a":{"b":1}}'), /argument "a"/);
  });
  it('encodes every placeholder and keeps literal text', () => {
    assert.equal(fillPath('/v1/{a}/x?q={b}&fixed=1', { a: 'a b', b: 'é' }), '/v1/a%20b/x?q=%C3%A9&fixed=1');
    assert.equal(fillPath('/x?only={gone}', {}), '/x');
  });
});
