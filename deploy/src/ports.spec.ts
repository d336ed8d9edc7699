import assert from 'node:assert/strict';
import * as net from 'node:net';
import { describe, it } from 'node:test';
import { freePort, freePorts, isPortOpen, waitForPort, waitForPortClosed } from './ports';

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((s) => s.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('freePorts', () => {
  it('returns distinct, bindable ports', async () => {
    const ports = await freePorts(5);
    assert.equal(ports.length, 5);
    assert.equal(new Set(ports).size, 5);
    const servers = await Promise.all(ports.map(listen));
    await Promise.all(servers.map(close));
  });

  it('freePort returns one port in the valid range', async () => {
    const port = await freePort();
    assert.ok(Number.isInteger(port) && port > 0 && port < 65536);
  });

  it('rejects a non-positive count', async () => {
    await assert.rejects(freePorts(0), RangeError);
  });
});

describe('isPortOpen / waitForPort', () => {
  it('sees a listener come and go', async () => {
    const port = await freePort();
    assert.equal(await isPortOpen('127.0.0.1', port), false);
    const server = await listen(port);
    await waitForPort('127.0.0.1', port, 5_000);
    assert.equal(await isPortOpen('127.0.0.1', port), true);
    await close(server);
    await waitForPortClosed('127.0.0.1', port, 5_000);
  });

  it('waitForPort times out with a clear message', async () => {
    const port = await freePort();
    await assert.rejects(waitForPort('127.0.0.1', port, 300), /did not accept connections within 300 ms/);
  });
});
