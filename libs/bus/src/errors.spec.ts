import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BusError } from './errors.js';

describe('BusError', () => {
  it('keeps a BusError as it is', () => {
    const e = new BusError('decode_error', 'bad bytes', false);
    assert.equal(BusError.from(e), e);
  });

  it('keeps the retriable flag drivers put on their errors', () => {
    const kafkaLike = Object.assign(new Error('not leader'), { retriable: true });
    const fatal = Object.assign(new Error('bad config'), { retriable: false });
    assert.equal(BusError.from(kafkaLike).retriable, true);
    assert.equal(BusError.from(fatal).retriable, false);
    assert.equal(BusError.from(fatal).cause, fatal);
  });

  it('treats unknown errors and non-errors as retriable processing errors', () => {
    const e = BusError.from('boom');
    assert.equal(e.code, 'processing_error');
    assert.equal(e.retriable, true);
    assert.equal(e.message, 'boom');
  });

  it('marks permanent failures as non-retriable', () => {
    const e = BusError.permanent('no request_id');
    assert.equal(e.retriable, false);
    assert.equal(e.code, 'invalid_message');
  });
});
