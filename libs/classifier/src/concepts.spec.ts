import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONCEPTS, STEM_RE, findConcepts, findStems } from './concepts';
import { readCorpus } from './train/corpus';

function concepts(text: string): string[] {
  const out: number[] = [];
  findConcepts(text.toLowerCase(), out);
  return out.map((i) => CONCEPTS[i] ?? '?');
}

describe('task concepts', () => {
  it('maps the task verb of many languages to one concept', () => {
    for (const t of ['Translate this into German', 'Traduci questo testo in tedesco', 'Übersetze ins Englische', 'Переведи на немецкий', 'Vertaal naar het Engels', 'ترجم إلى الإنجليزية', '请把这段话翻译成英文', 'この文章を英語に翻訳してください']) {
      assert.deepEqual(concepts(t), ['translate'], t);
    }
    assert.deepEqual(concepts('Нарисуй медведя'), ['draw']);
    assert.deepEqual(concepts('우주복 입은 강아지 그림 그려 줘'), ['draw']);
    assert.deepEqual(concepts('Résume cet article en trois phrases'), ['summarize']);
  });

  it('pools rare domain vocabulary into one concept per domain', () => {
    assert.deepEqual(concepts("what's the difference between a process and a thread"), ['tech']);
    assert.deepEqual(concepts('¿cómo creo un índice en una base de datos?'), ['tech']);
    assert.deepEqual(concepts('is the distribution of primes random?'), ['mathterm']);
  });

  it('reports each concept once, in order of appearance', () => {
    assert.deepEqual(concepts('Hi! Write a poem, then another poem, about the sea'), ['greet', 'poem']);
  });

  it('needs a word start, and short stems need the whole word', () => {
    assert.deepEqual(concepts('the history of rapid transit in Chicago'), []);
    assert.deepEqual(concepts('this is a decoder, not an encoder'), []);
    assert.deepEqual(concepts('write a rap about recycling'), ['song']);
  });

  it('finds exactly the matches of a global scan with STEM_RE', () => {
    // The regex is the definition; findStems reproduces its matches without running it.
    const viaRegex = (lower: string): string => {
      const found: string[] = [];
      STEM_RE.lastIndex = 0;
      for (let m = STEM_RE.exec(lower); m !== null; m = STEM_RE.exec(lower)) found.push(`${m.index}:${m[0]}`);
      return found.join(' ');
    };
    const viaScan = (lower: string): string => findStems(lower).map((m) => `${m.index}:${m.stem}`).join(' ');
    const texts: string[] = [];
    for (const e of readCorpus().examples) for (const t of e.turns) texts.push(t.content.slice(0, 600).toLowerCase());
    // Word starts after letters and marks (also astral ones and surrogate pairs), stems at
    // the very end, CJK stems inside words, overlapping and prefix-sharing stems.
    const edge = ['translate', 'traduci', 'перевести', '翻译', '诗', 'poem', 'rap', 'code', 'hi', 'draw'];
    const before = ['', ' ', 'x', 'é', 'e\u0301', '\u{20000}', '\u{1F600}', '\ud800', '\udc00', '1', '_', '-', '中', 'ж'];
    for (const stem of edge) for (const b of before) texts.push(`${b}${stem}`, `${b}${stem}${b}${stem}x`, `${b}${stem.slice(0, -1)}`);
    texts.push(edge.join(''), edge.join(' '), '翻译诗歌翻譯', 'translatetranslate translat');
    let matches = 0;
    for (const t of texts) {
      const expected = viaRegex(t);
      assert.equal(viaScan(t), expected, JSON.stringify(t));
      if (expected) matches++;
    }
    assert.ok(matches > 1000, `only ${matches} texts with a match`);
  });
});
