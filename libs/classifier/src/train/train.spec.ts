import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultModelPath, type ModelFile } from '../model';
import { readCorpus } from './corpus';
import { INTENTS } from '../types';
import { DEFAULT_TRAIN_OPTIONS, mulberry32, trainModel, trainWeights, vectorize } from './trainer';

describe('training', () => {
  const corpus = readCorpus();

  it('reads the corpus deterministically (sorted files, stable hash)', () => {
    const again = readCorpus();
    assert.equal(again.sha256, corpus.sha256);
    assert.equal(again.examples.length, corpus.examples.length);
    assert.ok(corpus.examples.length >= 2000, `${corpus.examples.length} examples`);
  });

  it('reproduces the committed model bit-for-bit from the corpus (run `npm run train` after editing corpus/)', () => {
    const committed = JSON.parse(readFileSync(defaultModelPath(), 'utf8')) as ModelFile;
    const fresh = trainModel(corpus, DEFAULT_TRAIN_OPTIONS);
    assert.equal(committed.meta['corpusSha256'], corpus.sha256, 'corpus changed since the model was trained');
    assert.equal(fresh.sha256, committed.sha256);
  });

  it('is seeded: the same seed gives the same shuffle, another seed a different one', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const sa = [a(), a(), a()];
    assert.deepEqual(sa, [b(), b(), b()]);
    assert.notDeepEqual(sa, [c(), c(), c()]);
  });

  it('feature dropout is seeded, changes the weights, and still learns a separable toy task', () => {
    const texts: Array<[string, 'translation' | 'math']> = [
      ['translate this sentence into french please', 'translation'],
      ['translate the menu into german', 'translation'],
      ['please translate my letter to spanish', 'translation'],
      ['solve the equation for x', 'math'],
      ['solve this integral step by step', 'math'],
      ['what is the derivative of x squared, solve it', 'math'],
    ];
    const vecs = vectorize(texts.map(([t, intent]) => ({ turns: [{ role: 'user' as const, content: t }], intent, lang: 'en', source: 'toy' })), DEFAULT_TRAIN_OPTIONS.featureConfig);
    const opts = { ...DEFAULT_TRAIN_OPTIONS, ensemble: 1, epochs: 8 };
    const w1 = trainWeights(vecs, { ...opts, dropout: 0.2 });
    const w2 = trainWeights(vecs, { ...opts, dropout: 0.2 });
    const w0 = trainWeights(vecs, { ...opts, dropout: 0 });
    assert.deepEqual(w1, w2);
    assert.notDeepEqual(w1, w0);
    const k = INTENTS.length;
    for (const v of vecs) {
      const logits = new Float64Array(k);
      for (let f = 0; f < v.idx.length; f++) for (let c = 0; c < k; c++) logits[c] = (logits[c] ?? 0) + (v.val[f] ?? 0) * (w1[(v.idx[f] ?? 0) * k + c] ?? 0);
      assert.equal(logits.indexOf(Math.max(...logits)), v.y);
    }
  });
});
