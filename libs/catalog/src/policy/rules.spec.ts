import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatalogRule } from '../schema.js';
import { evaluateRules, ruleMatches, type RuleFacts } from './rules.js';

const facts: RuleFacts = {
  intent: 'code',
  band: 'high',
  complexity: 0.8,
  language: 'de',
  tenant: 'acme',
  tier: 'enterprise',
  alias: 'auto:best',
  metadata: { team: 'research', env: 'prod' },
  pii: ['email'],
  tool: '',
  imageInput: true,
  imageOutput: false,
  injection: false,
  inputTokens: 1200,
};

describe('ruleMatches: every condition', () => {
  const cases: [string, CatalogRule['when'], boolean][] = [
    ['no conditions', {}, true],
    ['intent', { intent: ['code', 'math'] }, true],
    ['intent (other)', { intent: ['chat'] }, false],
    ['band', { band: ['high'] }, true],
    ['band (other)', { band: ['low'] }, false],
    ['complexity_min', { complexity_min: 0.8 }, true],
    ['complexity_min (above)', { complexity_min: 0.81 }, false],
    ['complexity_max', { complexity_max: 0.5 }, false],
    ['language', { language: ['de', 'fr'] }, true],
    ['language (other)', { language: ['en'] }, false],
    ['tenant', { tenant: ['acme'] }, true],
    ['tenant (other)', { tenant: ['globex'] }, false],
    ['tier', { tier: ['enterprise'] }, true],
    ['tier (other)', { tier: ['free'] }, false],
    ['alias', { alias: ['auto:best'] }, true],
    ['alias (other)', { alias: ['auto:cheap'] }, false],
    ['metadata value', { metadata: { team: 'research' } }, true],
    ['metadata list', { metadata: { team: ['science', 'research'], env: 'prod' } }, true],
    ['metadata (other value)', { metadata: { team: 'sales' } }, false],
    ['metadata (absent label)', { metadata: { region: 'eu' } }, false],
    ['pii true', { pii: true }, true],
    ['pii false', { pii: false }, false],
    ['pii kinds', { pii: ['payment_card', 'email'] }, true],
    ['pii kinds (other)', { pii: ['iban'] }, false],
    ['tool false', { tool: false }, true],
    ['tool true', { tool: true }, false],
    ['tool name', { tool: 'calculator' }, false],
    ['image_input', { image_input: true }, true],
    ['image_output', { image_output: true }, false],
    ['injection', { injection: false }, true],
    ['tokens_min', { tokens_min: 1000 }, true],
    ['tokens_max', { tokens_max: 1000 }, false],
    ['all together', { intent: ['code'], band: ['high'], tier: ['enterprise'], pii: true, metadata: { env: 'prod' } }, true],
    ['all but one', { intent: ['code'], band: ['high'], tier: ['free'] }, false],
  ];
  for (const [name, when, expected] of cases) it(name, () => assert.equal(ruleMatches(when, facts), expected));

  it('a tool name matches the classifier’s tool', () => {
    assert.equal(ruleMatches({ tool: 'calculator' }, { ...facts, tool: 'calculator' }), true);
    assert.equal(ruleMatches({ tool: true }, { ...facts, tool: 'calculator' }), true);
  });
});

describe('evaluateRules', () => {
  const rule = (name: string, when: CatalogRule['when'], then: CatalogRule['then']): CatalogRule => ({ name, when, then });

  it('applies rules in order: the first rule that sets an action wins it, every match is listed', () => {
    const out = evaluateRules(
      [
        rule('a', { intent: ['chat'] }, { model: 'x' }),
        rule('b', { intent: ['code'] }, { plan: 'vote', strategy: 'cost' }),
        rule('c', {}, { plan: 'judge', quality_floor: 0.9, models: ['m1', 'm2'] }),
        rule('d', {}, { model: 'y', pool: 'local' }),
      ],
      facts,
    );
    assert.deepEqual(out.applied, ['b', 'c', 'd']);
    assert.deepEqual([out.plan?.name, out.plan?.rule], ['vote', 'b']);
    assert.equal(out.strategy?.name, 'cost');
    assert.equal(out.floor?.value, 0.9);
    assert.deepEqual([...out.models!.names], ['m1', 'm2']);
    assert.deepEqual([out.model?.name, out.pool?.name], ['y', 'local']);
    assert.equal(out.deny, undefined);
  });

  it('stops at a deny', () => {
    const out = evaluateRules([rule('allow', {}, { plan: 'vote' }), rule('no', { pii: true }, { deny: 'no PII here' }), rule('after', {}, { model: 'z' })], facts);
    assert.deepEqual(out.applied, ['allow', 'no']);
    assert.deepEqual(out.deny, { rule: 'no', reason: 'no PII here' });
    assert.equal(out.model, undefined);
  });
});
