import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv, percentile, routingQuality, scoreIntents } from './metrics';

describe('routingQuality (RouteLLM APGR / CPT)', () => {
  const items = Array.from({ length: 100 }, (_, i) => ({ strongCorrect: true, weakCorrect: i % 2 === 0, i }));
  it('gives ~1 for an oracle-like score and 0.5 for a constant score', () => {
    const oracle = routingQuality(items.map((it) => ({ ...it, score: it.weakCorrect ? 0 : 1 })));
    assert.ok(oracle.apgr > 0.74, String(oracle.apgr));
    assert.equal(oracle.cpt50, 0.25);
    const constant = routingQuality(items.map((it) => ({ ...it, score: 0.5 })));
    assert.ok(Math.abs(constant.apgr - 0.5) < 1e-9);
    assert.ok(Math.abs(constant.cpt50 - 0.5) < 0.011);
  });
  it('gives < 0.5 for an inverted score', () => {
    assert.ok(routingQuality(items.map((it) => ({ ...it, score: it.weakCorrect ? 1 : 0 }))).apgr < 0.5);
  });
});

describe('scoreIntents', () => {
  it('counts a prediction as correct when any allowed intent matches', () => {
    const s = scoreIntents([
      { category: 'writing', allowed: new Set(['writing', 'creative_writing']), primary: 'writing', predicted: 'creative_writing' },
      { category: 'coding', allowed: new Set(['code']), primary: 'code', predicted: 'open_qa' },
    ]);
    assert.equal(s.accuracy, 0.5);
    assert.equal(s.confusion.get('coding')?.get('open_qa'), 1);
    assert.ok(s.macroF1 > 0 && s.macroF1 < 1);
  });
});

describe('helpers', () => {
  it('parses quoted CSV fields with commas and newlines', () => {
    assert.deepEqual(parseCsv('a,b\n"x, ""y""","1\n2"\n'), [
      ['a', 'b'],
      ['x, "y"', '1\n2'],
    ]);
  });
  it('computes nearest-rank percentiles', () => {
    assert.equal(percentile([5, 1, 3, 2, 4], 50), 3);
    assert.equal(percentile([5, 1, 3, 2, 4], 100), 5);
  });
});
