import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, TraceFlags, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { extractTraceContext, headersToStrings, injectTraceHeaders } from './tracing.js';

propagation.setGlobalPropagator(new W3CTraceContextPropagator());

describe('trace context in Kafka headers', () => {
  const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };

  it('injects a W3C traceparent for the active span', () => {
    const ctx = trace.setSpanContext(ROOT_CONTEXT, spanContext);
    const headers = injectTraceHeaders({ other: 'x' }, ctx);
    assert.equal(headers['traceparent'], '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    assert.equal(headers['other'], 'x');
  });

  it('extracts the producer context from Buffer headers as kafkajs delivers them', () => {
    const ctx = extractTraceContext({ traceparent: Buffer.from('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01') });
    const extracted = trace.getSpanContext(ctx);
    assert.equal(extracted?.traceId, spanContext.traceId);
    assert.equal(extracted?.spanId, spanContext.spanId);
    assert.equal(extracted?.isRemote, true);
  });

  it('yields no span context when headers carry none or garbage', () => {
    assert.equal(trace.getSpanContext(extractTraceContext(undefined)), undefined);
    assert.equal(trace.getSpanContext(extractTraceContext({ traceparent: Buffer.from('nonsense') })), undefined);
  });

  it('turns header buffers and arrays into strings', () => {
    assert.deepEqual(headersToStrings({ a: Buffer.from('1'), b: ['x', Buffer.from('y')], c: undefined }), { a: '1', b: 'x,y' });
  });
});
