import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProducerStateError } from './bus.js';
import { BusError, isAuthorizationError, isInfrastructureError } from './errors.js';

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

describe('isInfrastructureError', () => {
  it('recognises dependency failures but not bad messages', () => {
    assert.equal(isInfrastructureError(Object.assign(new Error('redis down'), { infrastructure: true })), true);
    assert.equal(isInfrastructureError(new BusError('publish_failed', 'broker gone', true)), true);
    assert.equal(isInfrastructureError(new BusError('connection_failed', 'no broker', true)), true);
    assert.equal(isInfrastructureError(new BusError('processing_error', 'bug', true)), false);
    assert.equal(isInfrastructureError(BusError.permanent('bad')), false);
    assert.equal(isInfrastructureError(new Error('plain')), false);
    assert.equal(isInfrastructureError(undefined), false);
  });
});

describe('isProducerStateError', () => {
  it('recognises the broker rejecting the idempotent producer state, also when wrapped', () => {
    const protocol = Object.assign(new Error('The broker received an out of order sequence number'), { type: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    assert.equal(isProducerStateError(protocol), true);
    assert.equal(isProducerStateError(Object.assign(new Error('wrapped'), { cause: protocol })), true);
    assert.equal(isProducerStateError(Object.assign(new Error('x'), { type: 'UNKNOWN_PRODUCER_ID' })), true);
  });
  it('leaves other errors alone', () => {
    assert.equal(isProducerStateError(Object.assign(new Error('x'), { type: 'REQUEST_TIMED_OUT' })), false);
    assert.equal(isProducerStateError(new Error('connection refused')), false);
    assert.equal(isProducerStateError(undefined), false);
  });
});

describe('isAuthorizationError', () => {
  it('recognises any authorization refusal, also wrapped by kafkajs, and nothing else', () => {
    const refused = Object.assign(new Error('Not authorized to access group'), { type: 'GROUP_AUTHORIZATION_FAILED' });
    assert.equal(isAuthorizationError(refused), true);
    assert.equal(isAuthorizationError(Object.assign(new Error('retries exceeded'), { cause: refused })), true);
    assert.equal(isAuthorizationError(Object.assign(new Error('retries exceeded'), { originalError: { type: 'TOPIC_AUTHORIZATION_FAILED' } })), true);
    assert.equal(isAuthorizationError(Object.assign(new Error('loading'), { type: 'COORDINATOR_LOAD_IN_PROGRESS' })), false);
    assert.equal(isAuthorizationError(new Error('connect ECONNREFUSED')), false);
  });
});
