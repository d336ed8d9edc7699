import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  DEFAULT_DEPTH_MODEL,
  DEPTH_FEATURES,
  complexityBand,
  complexityFeatures,
  complexityScore,
  oneHot,
  predictDifficulty,
  type DepthModel,
} from './complexity';
import { textStats } from './features';
import { defaultModelPath, type ModelFile } from './model';
import {
  SEMANTIC_TRAPS,
  crossValidate,
  difficultyTarget,
  exampleVector,
  fitDepthModel,
  readStepExamples,
} from './train/complexity-fit';

const features = (text: string): ReturnType<typeof complexityFeatures> => complexityFeatures(text, textStats(text));
const difficulty = (text: string, model: DepthModel = DEFAULT_DEPTH_MODEL): number =>
  predictDifficulty(features(text), textStats(text).sentences, model);
const score = (text: string, intent: Parameters<typeof oneHot>[0] = 'math'): number =>
  complexityScore(features(text), oneHot(intent), DEFAULT_DEPTH_MODEL, textStats(text).sentences);

describe('complexity features', () => {
  it('counts quantities in digits and words, fractions, clock times and currency', () => {
    const f = features('At 9:40 a.m. Ana had $12 and a dozen eggs. She used 3/4 of them and half of the rest. How many are left?');
    assert.equal(f.clock, 1);
    assert.equal(f.money, 1);
    assert.ok(f.fractions >= 2, `fractions ${f.fractions}`);
    assert.ok(f.quantities >= 6, `quantities ${f.quantities}`);
    assert.ok(f.remainder >= 2, `remainder ${f.remainder}`);
    assert.equal(f.quantityQuestions, 1);
  });

  it('finds relations between quantities, including "more X than" with words in between', () => {
    assert.equal(features('Ella has 5 more stamps than Finn.').relational, 1);
    // "times as" and "as many" both count: the same phrase is counted the same way in training.
    assert.equal(features('Jordan has 3 fewer caps than four times as many as Reese.').relational, 3);
    assert.equal(features('Ella has 5 stamps. Finn has more. Than what?').relational, 0, 'a sentence end stops the window');
  });

  it('tells a given total (work backwards) from an asked total', () => {
    assert.equal(features('Together they weigh 50 pounds. The red box weighs 8 more. How much does it weigh?').givenTotals, 1);
    assert.equal(features('Ana has 5 and Ben has 7. How many do they have together?').givenTotals, 0);
  });
});

describe('difficulty model (fitted on complexity/*.jsonl)', () => {
  const examples = readStepExamples();

  it('has a substantial, valid set of our own annotated word problems', () => {
    assert.ok(examples.length >= 500, `${examples.length} problems`);
    const traps = examples.filter((e) => e.tags.some((t) => SEMANTIC_TRAPS.includes(t))).length;
    assert.ok(traps >= 200 && traps <= examples.length - 150, `${traps} problems with traps: keep a mix`);
    const steps = new Set(examples.map((e) => Math.min(e.steps, 7)));
    for (let s = 1; s <= 7; s++) assert.ok(steps.has(s), `no problem with ${s} steps`);
  });

  it('fits deterministically and the committed model carries exactly this fit (run `npm run train` after editing complexity/)', () => {
    const a = fitDepthModel();
    const b = fitDepthModel();
    assert.deepEqual(a, b);
    assert.deepEqual(a.features, DEPTH_FEATURES);
    const committed = JSON.parse(readFileSync(defaultModelPath(), 'utf8')) as ModelFile;
    assert.deepEqual(committed.complexity?.weights, a.weights);
    assert.equal(committed.meta['depthExamples'], a.examples);
  });

  it('generalises within our data (5-fold cross-validation)', () => {
    const cv = crossValidate(examples);
    assert.ok(cv.r >= 0.65, `cross-validated r = ${cv.r.toFixed(3)}`);
  });

  it('keeps DEFAULT_DEPTH_MODEL (used without a model file) close to the fit', () => {
    const fit = fitDepthModel();
    let worst = 0;
    for (const e of examples) {
      const x = exampleVector(e.text);
      const d = x.reduce((s, v, j) => s + v * ((fit.weights[j] ?? 0) - (DEFAULT_DEPTH_MODEL.weights[j] ?? 0)), 0);
      worst = Math.max(worst, Math.abs(d));
    }
    assert.ok(worst < 0.15, `default differs from the fit by up to ${worst.toFixed(3)}: copy the weights from the model file`);
  });

  it('ranks harder problems higher', () => {
    const easy = 'Tom has 7 apples and buys 5 more. How many apples does he have now?';
    const plain = 'Maya buys 3 notebooks at $4 each, 2 pens at $1.50 each and a bag for $12. She pays with a $50 bill. How much change does she get?';
    const trap =
      'Ella has 5 more than twice as many stamps as Finn. Together they have 83 stamps. Ella gives a third of hers to her sister and then half of the rest to a friend. How many stamps does Ella have left?';
    assert.ok(difficulty(easy) < difficulty(plain), `${difficulty(easy)} < ${difficulty(plain)}`);
    assert.ok(difficulty(plain) < difficulty(trap), `${difficulty(plain)} < ${difficulty(trap)}`);
    assert.ok(score(easy) < score(plain) && score(plain) < score(trap));
    assert.equal(complexityBand(score(easy)), 'low');
    assert.equal(complexityBand(score(trap)), 'high');
    // The target itself: one trap weighs like doubling 1 + steps.
    assert.ok(Math.abs(difficultyTarget({ steps: 3, tags: ['relational'] }) - difficultyTarget({ steps: 7, tags: [] })) < 1e-9);
  });

  it('falls back to the default for a model file with another feature layout', () => {
    const old: DepthModel = { features: ['bias', 'log2_words'], weights: [-2.6, 0.75] };
    const text = 'A box holds 12 pencils. How many pencils are in 6 boxes?';
    assert.equal(difficulty(text, old), difficulty(text));
  });
});

describe('complexity score outside word problems', () => {
  it('keeps the general model for open-ended requests', () => {
    assert.equal(complexityBand(score('hey, good morning!', 'chat')), 'low');
    const proof = score('Prove that there are infinitely many primes, and explain why the proof by contradiction works.', 'math');
    assert.ok(proof >= 0.35, `proof ${proof}`);
    const design = score(
      'Design a distributed rate limiter for a multi-region API. Compare token bucket and sliding window approaches, analyse the trade-offs and justify your choice.',
      'reasoning',
    );
    assert.equal(complexityBand(design), 'high');
  });

  it('does not treat numbers in a non-quantitative request as a word problem', () => {
    const essay = score('Write a 3 paragraph essay about the 1960s, about 500 words, for 10th grade students.', 'writing');
    assert.ok(essay < 0.5, `essay ${essay}`);
  });
});
