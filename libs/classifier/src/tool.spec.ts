import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectCalculator, evaluateToolExpression, mathjsEntry } from './tool';
import { detectDate } from './tool-dates';

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

describe('detectCalculator in the corpus languages and phrasings', () => {
  const cases: Array<[string, string]> = [
    ['What is the square root of 2?', '1.4142135623731'],
    ['12.99 times 7 plus 4.50 shipping', '95.43'],
    ['what is 20% off $80', '64'],
    ['what is 2 to the 10th power', '1024'],
    ['round 3.14159 to 2 decimal places', '3.14'],
    ['22/7 rounded to 3 decimal places', '3.143'],
    ['what is 5² + 3', '28'],
    ['Wie viel sind 15 Prozent von 80?', '12'],
    ['Wie viel ist 144 geteilt durch 12?', '12'],
    ['Berechne die Wurzel aus 81', '9'],
    ['combien font 7 fois 8 ?', '56'],
    ['Combien font 15 pour cent de 200 ?', '30'],
    ['¿Cuánto es 100 dividido entre 4?', '25'],
    ['calcula el 20 por ciento de 150', '30'],
    ['quanto é 6 vezes 7?', '42'],
    ['quanto fa 15 per cento di 60?', '9'],
    ['hoeveel is 12 keer 12', '144'],
    ['сколько будет 7 умножить на 6', '42'],
    ['вычисли 15 процентов от 300', '45'],
    ['123乘以45等于多少', '5535'],
    ['144的平方根是多少', '12'],
    ['３＋４は？', '7'],
    ['12掛ける3は？', '36'],
    ['12 곱하기 3은?', '36'],
  ];
  for (const [text, result] of cases) {
    it(`answers "${text}" exactly`, () => {
      assert.equal(detectCalculator(text)?.result, result);
    });
  }

  it('leaves operator-looking words in running text alone', () => {
    for (const text of ['Janet has 16 eggs and sells 4 each day', 'I need 3 per day for 4 days', 'the meeting is between 3 and 4 pm', 'der Zug fährt 3 mal pro Tag', 'il treno passa 3 volte per ora']) {
      assert.equal(detectCalculator(text), null, text);
    }
  });
});

describe('date arithmetic', () => {
  const now = new Date(Date.UTC(2026, 11, 6, 23, 30));
  const cases: Array<[string, string, string]> = [
    ['how many days between 2026-01-01 and 2026-12-25', 'days_between(2026-01-01, 2026-12-25)', '358 days'],
    ['How many weeks between 1 January 2026 and 25 December 2026?', 'weeks_between(2026-01-01, 2026-12-25)', '51 weeks and 1 day'],
    ['what date is 90 days after March 15, 2026', 'date_add(2026-03-15, 90 days)', '2026-06-13 (Saturday)'],
    ['what day of the week was July 4, 1976?', 'weekday(1976-07-04)', 'Sunday'],
    ['add 3 weeks to 2026-05-01', 'date_add(2026-05-01, 3 weeks)', '2026-05-22 (Friday)'],
    ['what date was 2 months before 2024-03-31', 'date_add(2024-03-31, -2 months)', '2024-01-31 (Wednesday)'],
    ['what date will it be 100 days from today', 'date_add(2026-12-06, 100 days)', '2027-03-16 (Tuesday)'],
    // Across a daylight-saving change in most time zones: calendar days, not 24-hour periods.
    ['how many days between 2026-03-01 and 2026-04-01', 'days_between(2026-03-01, 2026-04-01)', '31 days'],
  ];
  for (const [text, expression, result] of cases) {
    it(`answers "${text}"`, () => {
      const t = detectDate(text, now);
      assert.deepEqual(t, { name: 'calculator', expression, result });
    });
  }

  it('rejects dates that do not exist instead of rolling them over', () => {
    assert.equal(detectDate('what is 2026-02-30 plus 3 days', now), null);
    assert.equal(detectCalculator('what is 2026-02-30 plus 3 days'), null);
  });

  it('finds date questions through detectCalculator (the classifier entry point)', () => {
    assert.equal(detectCalculator('how many days between 2026-01-01 and 2026-01-31')?.result, '30 days');
  });
});

describe('evaluateToolExpression (the calculator pool)', () => {
  it('evaluates what the classifier suggests: arithmetic, units and dates', () => {
    for (const text of ['what is 17.5% of 2,340', 'convert 10 km to miles', 'how many days between 2026-01-01 and 2026-12-25', 'round 3.14159 to 2 decimal places']) {
      const t = detectCalculator(text)!;
      assert.equal(evaluateToolExpression(t.expression), t.result, text);
    }
  });

  it('refuses anything outside the closed languages, as the classifier does', () => {
    for (const expr of ['import({}) + 1', 'a = 5', 'evaluate("1+1")', 'createUnit("foo") + 2', '10 parsecs to km', '9^9^9^9', '1/0', 'weekday(2026-13-01)']) {
      assert.throws(() => evaluateToolExpression(expr), Error, expr);
    }
  });
});

describe('the calculator\'s mathjs', () => {
  it('is built from the dependency maps without loading mathjs\'s default instance', () => {
    assert.equal(detectCalculator('what is 12 times 7 plus 3')?.result, '87');
    assert.equal(mathjsEntry(), 'dependencies');
    // The main entry (mainAny.js) builds an instance with every mathjs function; only the
    // factory maps and create() may be loaded.
    const loaded = Object.keys(require.cache).filter((file) => file.includes(`${'mathjs'}/lib/cjs/entry/mainAny`));
    assert.deepEqual(loaded, []);
  });
});
