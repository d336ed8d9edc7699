import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secondStageSkipReason, type EgressFacts } from './egress.js';

describe('secondStageSkipReason', () => {
  const base: EgressFacts = { privacy: 'any', piiFound: false, endpointSelfHosted: false, piiPolicy: 'private' };

  it('lets an ordinary request go to an external endpoint', () => {
    assert.equal(secondStageSkipReason(base), null);
  });

  it('keeps a self-hosted-only request away from an external endpoint whatever the PII policy', () => {
    assert.equal(secondStageSkipReason({ ...base, privacy: 'self_hosted_only' }), 'self_hosted_only');
    assert.equal(secondStageSkipReason({ ...base, privacy: 'self_hosted_only', piiPolicy: 'allow' }), 'self_hosted_only');
  });

  it('keeps a request with PII away from an external endpoint under the private policy only', () => {
    assert.equal(secondStageSkipReason({ ...base, piiFound: true }), 'pii_private');
    assert.equal(secondStageSkipReason({ ...base, piiFound: true, piiPolicy: 'allow' }), null);
  });

  it('lets everything go to a self-hosted endpoint', () => {
    assert.equal(secondStageSkipReason({ privacy: 'self_hosted_only', piiFound: true, endpointSelfHosted: true, piiPolicy: 'private' }), null);
  });
});
