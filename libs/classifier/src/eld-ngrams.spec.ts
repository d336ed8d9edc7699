import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ELD_DATABASE, eldPackage, loadPackedNgrams, ngramScores, packNgrams, packedEld, packedNgramsPath } from './eld-ngrams';
import { installedEldDatabase } from './train/eld-pack';
import { corpusTexts } from './train/token-fit';

/** ELD's detector with the part of its result compared here. */
type Detector = { detect(text: string): { language: string; getScores(): Record<string, number> } };

const { db, version } = installedEldDatabase();
const packed = loadPackedNgrams();

describe('the packed ELD database (model/eld-ngrams.json)', () => {
  it(`holds every n-gram of the installed eld's ${ELD_DATABASE} database with the same scores (run \`npm run pack:eld\` after upgrading eld)`, () => {
    assert.equal(packed.type, db.type);
    assert.deepEqual(Object.fromEntries(packed.languages.map((code, i) => [String(i), code])), db.languages);
    assert.equal(packed.index.size, Object.keys(db.ngrams).length);
    let compared = 0;
    for (const [key, scores] of Object.entries(db.ngrams)) {
      assert.deepEqual(ngramScores(packed, key), scores, key);
      compared++;
    }
    assert.ok(compared > 40_000, `${compared} n-grams`);
    assert.equal(ngramScores(packed, 'not an n-gram'), undefined);
  });

  it('is what packing the installed database writes, byte for byte', () => {
    const file = packNgrams(db, version);
    assert.equal(file.eld, version);
    assert.equal(readFileSync(packedNgramsPath(), 'utf8'), `${JSON.stringify(file)}\n`);
  });

  it('refuses values that do not fit its bytes', () => {
    assert.throws(() => packNgrams({ ...db, ngrams: { ab: { 0: 300 } } }, version), /does not fit a byte/);
    assert.throws(() => packNgrams({ ...db, ngrams: { 'a\0b': { 0: 3 } } }, version), /contains NUL/);
  });

  it('makes ELD answer exactly as ELD over its own module does, on every corpus text and their pieces', () => {
    const { dir } = eldPackage();
    const own = (require(path.join(dir, 'src', 'entries', `static.${ELD_DATABASE}.js`)) as { eld: Detector }).eld;
    const ours = packedEld(packed) as Detector;
    const texts = corpusTexts().filter((_, i) => i % 2 === 0);
    let n = 0;
    for (const text of texts) {
      for (const t of [text, text.slice(0, 40), text.slice(text.length >> 1)]) {
        const a = own.detect(t);
        const b = ours.detect(t);
        assert.equal(b.language, a.language, t);
        assert.deepEqual(b.getScores(), a.getScores(), t);
        n++;
      }
    }
    assert.ok(n > 15_000, `${n} texts`);
  });
});
