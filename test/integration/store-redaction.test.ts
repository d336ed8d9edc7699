import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { Store, StoreError } from '@yardmaster/store';

/** A loopback port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  return address.port;
}

describe('Store.connect keeps the Redis password out of its error', () => {
  it('names the host but not the password of an unreachable Redis', async () => {
    const port = await closedPort();
    await assert.rejects(Store.connect({ url: `redis://app:s3cret@127.0.0.1:${port}`, commandTimeoutMs: 500, connectTimeoutMs: 0 }), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.code, 'connection_failed');
      assert.match(err.message, new RegExp(`redis://app:\\*\\*\\*@127\\.0\\.0\\.1:${port}`));
      // The whole error as a logger would print it, cause chain and stack included.
      assert.doesNotMatch(inspect(err, { depth: 10 }), /s3cret/);
      assert.doesNotMatch(String(err.stack), /s3cret/);
      return true;
    });
  });
});
