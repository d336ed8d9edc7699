import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlanKind, RoutingDecisionSchema, TargetRole, TargetSchema, create } from '@yardmaster/contracts';
import { followUpTarget } from './follow-up.js';
import type { HealthView, TargetHealthView } from './types.js';

const t = (model: string, role: TargetRole, triggerErrors: string[] = []) => create(TargetSchema, { model, provider: 'p', pool: 'x', role, triggerErrors });
const decision = create(RoutingDecisionSchema, {
  plan: PlanKind.CASCADE,
  targets: [t('cheap', TargetRole.PRIMARY), t('strong', TargetRole.ESCALATION), t('fb-policy', TargetRole.FALLBACK, ['content_policy']), t('fb-outage', TargetRole.FALLBACK, ['unavailable', 'timeout'])],
});
const NOW = 1_000_000;
const down = (model: string): HealthView => ({
  get: (key: string): TargetHealthView | undefined =>
    key === `p/${model}` ? { errorRate: 1, latencyMs: 0, samples: 10, circuitOpenUntilMs: NOW + 5000, cooldownUntilMs: 0, headroom: undefined, reason: 'test' } : undefined,
});

describe('followUpTarget', () => {
  it('keeps a healthy named target', () => {
    assert.deepEqual(followUpTarget(decision, { targetIndex: 1, fallback: false, failedError: '', tried: [0] }, undefined, NOW), { ok: true, targetIndex: 1, note: 'strong as planned' });
  });
  it('replaces a named target whose circuit is open by a healthy fallback', () => {
    const c = followUpTarget(decision, { targetIndex: 1, fallback: false, failedError: '', tried: [0] }, down('strong'), NOW);
    assert.equal(c.ok && c.targetIndex, 3);
    assert.match(c.ok ? c.note : '', /fb-outage instead of strong \(circuit open/);
  });
  it('picks the first untried fallback whose triggers match the error', () => {
    assert.equal(followUpTarget(decision, { targetIndex: 0, fallback: true, failedError: 'timeout', tried: [0] }, undefined, NOW).ok && 3, 3);
    const policy = followUpTarget(decision, { targetIndex: 0, fallback: true, failedError: 'content_policy', tried: [0] }, undefined, NOW);
    assert.equal(policy.ok && policy.targetIndex, 2);
  });
  it('says so when no fallback handles the error or all were tried', () => {
    assert.deepEqual(followUpTarget(decision, { targetIndex: 0, fallback: true, failedError: 'context_length', tried: [0] }, undefined, NOW).ok, false);
    const tried = followUpTarget(decision, { targetIndex: 3, fallback: true, failedError: 'timeout', tried: [0, 3] }, undefined, NOW);
    assert.equal(tried.ok ? '' : tried.code, 'no_fallback');
  });
  it('rejects a target the decision does not have', () => {
    const c = followUpTarget(decision, { targetIndex: 9, fallback: false, failedError: '', tried: [] }, undefined, NOW);
    assert.equal(c.ok ? '' : c.code, 'invalid_follow_up');
  });
});
