import assert from 'node:assert/strict';
import { ProviderError } from './errors.js';

/** For specs: awaits `promise`, asserts it rejects with a ProviderError, and returns that error. */
export async function expectProviderError(promise: Promise<unknown>): Promise<ProviderError & { attempts?: number }> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}
