import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONCEPTS, findConcepts } from './concepts';

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
});
