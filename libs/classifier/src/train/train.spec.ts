import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultModelPath, type ModelFile } from '../model';
import { readCorpus } from './corpus';
import { DEFAULT_TRAIN_OPTIONS, mulberry32, trainModel } from './trainer';

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
});
