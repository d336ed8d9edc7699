import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectCalculator } from './tool';

describe('detectCalculator', () => {
  const cases: Array<[string, string]> = [
    ['what is 17.5% of 2,340', '409.5'],
    ['What is 17.5% of 2,340?', '409.5'],
    ['(348*27) - 1960/8', '9151'],
    ['sqrt(144) + 3^2', '21'],
    ['how much is 15% tip on $84.50', '12.675'],
    ['calculate 2 to the power of 10', '1024'],
    ['what is 12 times 7 plus 3', '87'],
    ['Compute 10 / 4', '2.5'],
    ['3 × 4 ÷ 2', '6'],
    ['what is 0.1 + 0.2', '0.3'],
    ['5!', '120'],
    ['what is 250 plus 15%', '287.5'],
    ['convert 10 km to miles', '6.21371192237334 mile'],
  ];
  for (const [text, result] of cases) {
    it(`evaluates "${text}" exactly`, () => {
      const t = detectCalculator(text);
      assert.ok(t, `expected a tool suggestion for ${text}`);
      assert.equal(t.name, 'calculator');
      assert.equal(t.result, result);
    });
  }

  it('does not fire on word problems that need reasoning', () => {
    for (const text of [
      'Janet has 16 eggs and eats 3 for breakfast. How many are left after she bakes with 4?',
      'If a train leaves at 3 pm going 60 mph, when does it arrive 150 miles away?',
      'What is 2 + 2 in base 3 and why?',
    ]) {
      assert.equal(detectCalculator(text), null, text);
    }
  });

  it('does not fire on non-arithmetic text, equations with variables, or a bare number', () => {
    for (const text of ['what is the capital of France', 'solve 2x + 3 = 7', 'what is 42', 'version 3.2', 'x = 5 * y']) {
      assert.equal(detectCalculator(text), null, text);
    }
  });

  it('refuses expressions outside the closed arithmetic language (no function definitions, imports, assignments)', () => {
    for (const text of ['f(x) = x^2', 'import({}) + 1', 'a = 5; a * 2', 'evaluate("1+1")', 'createUnit("foo") + 2', '[1,2] * 3']) {
      assert.equal(detectCalculator(text), null, text);
    }
  });

  it('refuses expensive expressions before evaluating them (time box)', () => {
    const t0 = performance.now();
    assert.equal(detectCalculator('9^9^9^9'), null);
    assert.equal(detectCalculator('2^100000'), null);
    assert.equal(detectCalculator('100000!'), null);
    assert.ok(performance.now() - t0 < 1000);
  });

  it('returns null for division by zero (not a finite result)', () => {
    assert.equal(detectCalculator('1/0'), null);
  });
});
