import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageLimits, Topics, topicConfigs, workTopic } from './topics.js';

describe('message size limits', () => {
  it('leave room at every hop: request < pipeline topics < dead-letter topic <= broker', () => {
    // What later hops add to a request (classification, decision with candidates, trail, output envelope).
    const headroom = 256 * 1024;
    assert.ok(MessageLimits.maxRequestBytes + headroom <= MessageLimits.topicMaxMessageBytes);
    assert.ok(MessageLimits.topicMaxMessageBytes + headroom <= MessageLimits.dlqMaxMessageBytes);
    assert.ok(MessageLimits.dlqMaxMessageBytes <= MessageLimits.brokerMaxMessageBytes);
  });

  it('gives the dead-letter topic the larger limit and every other topic the pipeline limit', () => {
    assert.equal(topicConfigs(Topics.dlq)['max.message.bytes'], String(MessageLimits.dlqMaxMessageBytes));
    for (const t of [Topics.requests, Topics.classified, Topics.results, Topics.responses, Topics.decisions, workTopic('openai')]) {
      assert.equal(topicConfigs(t)['max.message.bytes'], String(MessageLimits.topicMaxMessageBytes));
    }
  });
});
