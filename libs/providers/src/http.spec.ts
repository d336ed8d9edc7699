import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { postEventStream } from './http.js';

describe('postEventStream: a stream read up to its last event', () => {
  let server: Server;
  let url = '';
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
  const sockets: Socket[] = [];
  const closed: Socket[] = [];

  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => handler(req, res));
    });
    server.on('connection', (s: Socket) => {
      sockets.push(s);
      s.on('close', () => closed.push(s));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat`;
  });

  after(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  const call = () => {
    const events: string[] = [];
    return postEventStream({ url, headers: {}, body: {}, signal: new AbortController().signal }, (e) => {
      events.push(e.data);
      return e.data === '[DONE]' ? 'stop' : undefined;
    }).then((r) => ({ ...r, events }));
  };

  it('keeps the connection for the next call when the body ends after the last event', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"a":1}\n\n');
      res.end('data: [DONE]\n\n');
    };
    const before = sockets.length;
    const first = await call();
    // The rest of the body (its end) is read just after the call returns.
    await new Promise((r) => setTimeout(r, 20));
    const second = await call();
    assert.deepEqual(first.events, ['{"a":1}', '[DONE]']);
    assert.deepEqual(second.events, ['{"a":1}', '[DONE]']);
    assert.equal(sockets.length - before, 1, 'both calls used one connection');
  });

  it('answers at the last event even when the server goes on sending, and drops that connection after a second', async () => {
    let open: ServerResponse | undefined;
    handler = (_req, res) => {
      open = res;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"a":2}\n\ndata: [DONE]\n\n');
      // Never ends: keeps sending comments.
      const t = setInterval(() => res.write(': still here\n\n'), 50);
      res.on('close', () => clearInterval(t));
    };
    const started = performance.now();
    const result = await call();
    assert.ok(performance.now() - started < 500, 'returned at [DONE], not at the end of the body');
    assert.deepEqual(result.events, ['{"a":2}', '[DONE]']);
    assert.equal(result.status, 200);
    const closedBefore = closed.length;
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(closed.length > closedBefore, 'the connection was dropped');
    assert.ok(open?.destroyed || open?.writableEnded === false);
  });

  it('times out a stream that stalls, counting the wait from its last chunk, and keeps one that goes on within the limit', async () => {
    const stalls = (gapsMs: number[]) => {
      handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"n":0}\n\n');
        let at = 0;
        gapsMs.forEach((gap, i) => {
          at += gap;
          setTimeout(() => {
            if (!res.destroyed) res.write(`data: {"n":${i + 1}}\n\n`);
          }, at);
        });
        setTimeout(() => {
          if (!res.destroyed) res.end('data: [DONE]\n\n');
        }, at + 100);
      };
      const started = Date.now();
      const events: string[] = [];
      return postEventStream({ url, headers: {}, body: {}, signal: new AbortController().signal, firstByteTimeoutMs: 300 }, (e) => {
        events.push(e.data);
        return e.data === '[DONE]' ? 'stop' : undefined;
      }).then(
        () => ({ events, ms: Date.now() - started, error: undefined }),
        (error: unknown) => ({ events, ms: Date.now() - started, error: error as Error & { code?: string } }),
      );
    };
    // Four gaps of 150 ms: 600 ms in all, but never 300 ms without data.
    const steady = await stalls([150, 150, 150, 150]);
    assert.equal(steady.error, undefined, steady.error?.message);
    assert.equal(steady.events.length, 6);
    // Two events 150 ms apart, then silence: the timeout counts from the second.
    const stalled = await stalls([150, 5000]);
    assert.equal(stalled.error?.code, 'timeout');
    assert.match(stalled.error?.message ?? '', /the provider stream stalled: no data within 300 ms/);
    assert.deepEqual(stalled.events, ['{"n":0}', '{"n":1}']);
    assert.ok(stalled.ms >= 440 && stalled.ms < 1500, `${stalled.ms} ms`);
  });
});
