import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ephemeralPortRange, freePort, freePorts, isPortOpen, waitForPort, waitForPortClosed } from './ports';

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

  it("picks ports outside the kernel's range for outgoing connections, which a client's connection could take first", async () => {
    const range = ephemeralPortRange();
    if (range) {
      for (const port of await freePorts(20)) assert.ok(port < range.low || port > range.high, `${port} is inside ${range.low}-${range.high}`);
    }
    // A range given explicitly: ports from 10,000 up to below it, or above it.
    const given = { low: 20000, high: 60999 };
    for (const port of await freePorts(20, '127.0.0.1', given)) {
      assert.ok((port >= 10000 && port < given.low) || port > given.high, `${port} is inside ${given.low}-${given.high} or below 10000`);
    }
  });

  it("takes the kernel's choice when the range leaves too little room outside it, or is unknown", async () => {
    for (const range of [{ low: 1024, high: 65535 }, null]) {
      const ports = await freePorts(3, '127.0.0.1', range);
      assert.equal(new Set(ports).size, 3);
      const servers = await Promise.all(ports.map(listen));
      await Promise.all(servers.map(close));
    }
  });
});

describe('ephemeralPortRange', () => {
  it('reads the kernel file, and says null for a missing or unreadable one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ports-'));
    try {
      const file = path.join(dir, 'ip_local_port_range');
      writeFileSync(file, '32768\t60999\n');
      assert.deepEqual(ephemeralPortRange(file), { low: 32768, high: 60999 });
      writeFileSync(file, '60999 32768\n');
      assert.equal(ephemeralPortRange(file), null);
      writeFileSync(file, 'many\n');
      assert.equal(ephemeralPortRange(file), null);
      assert.equal(ephemeralPortRange(path.join(dir, 'absent')), null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
