import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QualityPosteriors, learnedQuality, levels } from './posteriors.js';

const cell = { intent: 'math', band: 'high', subject: 'mathematics' };

describe('QualityPosteriors', () => {
  it('is the prior until there is evidence, then moves towards the scores in proportion to their number', () => {
    const p = new QualityPosteriors({ priorStrength: 8 });
    assert.equal(p.mean(cell, 'small', 0.6), 0.6);
    p.observe({ ...cell, subject: 'physics' }, 'other-model', 1);
    assert.ok(Math.abs(p.mean(cell, 'small', 0.6) - 0.6) < 1e-12, 'evidence about another model changes nothing');
    for (let i = 0; i < 8; i++) p.observe(cell, 'small', 0);
    const after8 = p.mean(cell, 'small', 0.6);
    for (let i = 0; i < 200; i++) p.observe(cell, 'small', 0);
    const after208 = p.mean(cell, 'small', 0.6);
    assert.ok(after8 < 0.6 && after8 > 0.05, `8 failures move it part of the way: ${after8}`);
    assert.ok(after208 < 0.05, `208 failures move it almost all the way: ${after208}`);
  });

  it('backs a sparse cell off to its coarser levels', () => {
    const p = new QualityPosteriors({ priorStrength: 4 });
    for (let i = 0; i < 100; i++) p.observe({ intent: 'math', band: 'high', subject: 'physics' }, 'm', 1);
    // Same intent and band, a subject never seen: it leans on math × high.
    const unseen = p.mean(cell, 'm', 0.5);
    assert.ok(unseen > 0.9, `${unseen}`);
    // Another intent entirely: the prior.
    assert.ok(Math.abs(p.mean({ intent: 'chat', band: 'low', subject: 'other' }, 'm', 0.5) - 0.5) < 1e-12);
    assert.deepEqual(levels(cell), ['math', 'math|high', 'math|high|mathematics']);
  });

  it('samples reproducibly from a seed, around the mean, with less spread as evidence grows', () => {
    const draws = (p: QualityPosteriors) => Array.from({ length: 400 }, () => p.sample(cell, 'm', 0.5));
    const a = new QualityPosteriors({ seed: 's', priorStrength: 4 });
    const b = new QualityPosteriors({ seed: 's', priorStrength: 4 });
    assert.deepEqual(draws(a).slice(0, 5), draws(b).slice(0, 5));
    const sd = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + (x - xs.reduce((t, y) => t + y, 0) / xs.length) ** 2, 0) / xs.length);
    const wide = sd(draws(new QualityPosteriors({ seed: 't', priorStrength: 4 })));
    const sure = new QualityPosteriors({ seed: 't', priorStrength: 4 });
    for (let i = 0; i < 500; i++) sure.observe(cell, 'm', i % 4 === 0 ? 0 : 1);
    const narrow = draws(sure);
    assert.ok(sd(narrow) < wide / 3, `spread ${sd(narrow)} vs ${wide}`);
    const mean = narrow.reduce((s, x) => s + x, 0) / narrow.length;
    assert.ok(Math.abs(mean - 0.75) < 0.03, `${mean}`);
  });

  it('round-trips its evidence through rows (persistence)', () => {
    const p = new QualityPosteriors();
    p.observe(cell, 'm', 0.7);
    p.observe(cell, 'm', 0.1);
    const q = new QualityPosteriors();
    q.load(p.rows());
    assert.equal(q.mean(cell, 'm', 0.5), p.mean(cell, 'm', 0.5));
    assert.equal(q.count(cell, 'm'), 2);
  });

  it('is used by scoring only when given: mean normally, a draw when exploring', () => {
    const p = new QualityPosteriors({ seed: 'x' });
    for (let i = 0; i < 50; i++) p.observe(cell, 'm', 1);
    assert.equal(learnedQuality(undefined, 'm', 0.4), 0.4);
    assert.equal(learnedQuality({ posteriors: p, cell, explore: false }, 'm', 0.4), p.mean(cell, 'm', 0.4));
    const draw = learnedQuality({ posteriors: p, cell, explore: true }, 'm', 0.4);
    assert.ok(draw > 0 && draw <= 1 && draw !== p.mean(cell, 'm', 0.4));
  });
});

describe('QualityPosteriors: answer length and uncertainty', () => {
  it('learns a model\'s output tokens per cell, shrunk towards the catalog figure and backed off to coarser levels', () => {
    const p = new QualityPosteriors();
    assert.equal(p.outputTokens(cell, 'm', 300), 300);
    for (let i = 0; i < 2; i++) p.observe(cell, 'm', 1, 1, 1000);
    const few = p.outputTokens(cell, 'm', 300);
    assert.ok(few > 300 && few < 1000, `${few}`);
    for (let i = 0; i < 400; i++) p.observe(cell, 'm', 1, 1, 1000);
    assert.ok(Math.abs(p.outputTokens(cell, 'm', 300) - 1000) < 20);
    // Same intent and band, another subject: backed off to math × high.
    assert.ok(p.outputTokens({ ...cell, subject: 'physics' }, 'm', 300) > 950);
    // Scores without a length leave the learned length alone.
    const before = p.outputTokens(cell, 'm', 300);
    for (let i = 0; i < 50; i++) p.observe(cell, 'm', 0);
    assert.equal(p.outputTokens(cell, 'm', 300), before);
    assert.equal(p.outputTokens(cell, 'other', 300), 300, 'another model keeps the catalog figure');
  });

  it('round-trips answer lengths through rows', () => {
    const p = new QualityPosteriors();
    p.observe(cell, 'm', 0.5, 1, 120);
    p.observe(cell, 'm', 0.5, 1, 80);
    const q = new QualityPosteriors();
    q.load(p.rows());
    assert.equal(q.outputTokens(cell, 'm', 1000), p.outputTokens(cell, 'm', 1000));
    assert.deepEqual(
      q.rows().find((r) => r.level === 'math|high|mathematics'),
      { level: 'math|high|mathematics', model: 'm', sum: 1, n: 2, tokens: 200, tokensN: 2 },
    );
  });

  it('narrows its standard deviation as scores come in', () => {
    const p = new QualityPosteriors({ priorStrength: 8 });
    const prior = p.sd(cell, 'm', 0.5);
    assert.ok(Math.abs(prior - Math.sqrt(0.25 / 9)) < 1e-12, `${prior}`);
    for (let i = 0; i < 100; i++) p.observe(cell, 'm', i % 2);
    const after = p.sd(cell, 'm', 0.5);
    assert.ok(after < prior / 3, `${after} vs ${prior}`);
  });
});
