import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countTokens } from 'gpt-tokenizer';
import { SIM_REFUSAL, completionFor, contentText, promptTokens, shapeOutput, type WireMessage } from './completion.js';

const user = (content: WireMessage['content']): WireMessage => ({ role: 'user', content });
const CHAT: WireMessage[] = [{ role: 'system', content: 'Be brief.' }, user('What is the capital of France?')];

describe('completionFor', () => {
  it('gives the same text for the same messages', () => {
    const a = completionFor('sim', CHAT, undefined);
    const b = completionFor('sim', structuredClone(CHAT), undefined);
    assert.deepEqual(a, b);
    assert.equal(a.finishReason, 'stop');
    assert.equal(a.tokens, countTokens(a.text));
    assert.match(a.text, /^\[sim\] .+\.$/);
  });

  it('gives different text for different messages, roles or models', () => {
    const base = completionFor('sim', CHAT, undefined).text;
    const others = [
      completionFor('sim', [CHAT[0]!, user('What is the capital of Spain?')], undefined).text,
      completionFor('sim', [CHAT[0]!, { role: 'assistant', content: 'What is the capital of France?' }], undefined).text,
      completionFor('sim', [CHAT[1]!], undefined).text,
      completionFor('other', CHAT, undefined).text.replace('[other]', '[sim]'),
    ];
    for (const text of others) assert.notEqual(text, base);
  });

  it('ignores a max_tokens the text fits in', () => {
    const full = completionFor('sim', CHAT, undefined);
    assert.deepEqual(completionFor('sim', CHAT, full.tokens), full);
  });

  it('truncates to max_tokens with finish_reason length', () => {
    const full = completionFor('sim', CHAT, undefined);
    assert.ok(full.tokens > 12, `need a long enough completion, got ${full.tokens} tokens`);
    for (const max of [full.tokens - 1, 10, 6]) {
      const cut = completionFor('sim', CHAT, max);
      assert.equal(cut.finishReason, 'length');
      assert.ok(cut.tokens <= max, `${cut.tokens} tokens for max_tokens ${max}`);
      assert.equal(cut.tokens, countTokens(cut.text));
      assert.ok(full.text.startsWith(cut.text), 'a prefix of the full completion');
    }
  });

  it('never exceeds a max_tokens smaller than the model tag', () => {
    for (const max of [1, 2, 3]) {
      const cut = completionFor('provider-sim', CHAT, max);
      assert.equal(cut.finishReason, 'length');
      assert.ok(cut.tokens >= 1 && cut.tokens <= max, `${cut.tokens} tokens for max_tokens ${max}`);
      assert.ok('[provider-sim]'.startsWith(cut.text));
    }
  });

  it('counts special-token strings in a prompt as text (a real provider accepts them)', () => {
    const n = promptTokens([{ role: 'user', content: 'what does <|endoftext|> mean?' }]);
    assert.ok(n > promptTokens([{ role: 'user', content: 'what does mean?' }]) + 1);
  });
  it('treats content parts like the same text', () => {
    const parts = completionFor('sim', [user([{ type: 'text', text: 'Describe' }, { type: 'image_url' }, { type: 'text', text: 'this' }])], undefined);
    const flat = completionFor('sim', [user('Describe\n\nthis')], undefined);
    assert.deepEqual(parts, flat);
  });
});

describe('contentText', () => {
  it('joins text parts, skipping images, and handles null', () => {
    assert.equal(contentText('plain'), 'plain');
    assert.equal(contentText(null), '');
    assert.equal(contentText([{ type: 'text', text: 'a' }, { type: 'text' }, { type: 'text', text: 'b' }]), 'a\n\nb');
    assert.equal(contentText([{ type: 'image_url' }]), '');
  });
});

describe('promptTokens', () => {
  it('counts content plus a fixed overhead per message', () => {
    assert.equal(promptTokens([user('')]), 3 + 4);
    assert.equal(promptTokens([user('hello world')]), 3 + 4 + countTokens('hello world'));
    assert.equal(promptTokens(CHAT), 3 + 8 + countTokens('Be brief.') + countTokens('What is the capital of France?'));
  });

  it('grows with the content', () => {
    const short = promptTokens([user('Summarise this.')]);
    const long = promptTokens([user(`Summarise this. ${'The quick brown fox jumps over the lazy dog. '.repeat(20)}`)]);
    assert.ok(long > short + 150, `${short} → ${long}`);
  });

  it('counts the text of content-part arrays', () => {
    assert.equal(promptTokens([user([{ type: 'text', text: 'hello world' }, { type: 'image_url' }])]), promptTokens([user('hello world\n')]));
  });
});

describe('shapeOutput', () => {
  const made = { text: 'one two three four five six', tokens: 6, finishReason: 'stop' as const };
  it('keeps the made-up text without an output profile', () => {
    assert.equal(shapeOutput(undefined, made, 'x'), made);
  });
  it('answers a refusal, nothing, a cut-off text or broken JSON', () => {
    assert.equal(shapeOutput({ kind: 'refusal' }, made, '').text, SIM_REFUSAL);
    assert.deepEqual(shapeOutput({ kind: 'empty' }, made, ''), { text: '', tokens: 0, finishReason: 'stop' });
    const cut = shapeOutput({ kind: 'truncated' }, made, '');
    assert.deepEqual([cut.text, cut.finishReason], ['one two three', 'length']);
    assert.throws(() => JSON.parse(shapeOutput({ kind: 'invalid_json' }, made, '').text) as unknown);
  });
  it('answers from a table by the first key found in the prompt, else the default, else the made-up text', () => {
    const spec = { kind: 'table' as const, answers: { 'S1-OUT': 'second', 'question': 'first' } };
    assert.equal(shapeOutput(spec, made, 'the QUESTION, then S1-out').text, 'second');
    assert.equal(shapeOutput(spec, made, 'a question').text, 'first');
    assert.equal(shapeOutput(spec, made, 'nothing').text, made.text);
    assert.equal(shapeOutput({ ...spec, default: 'dflt' }, made, 'nothing').text, 'dflt');
    assert.equal(shapeOutput({ kind: 'fixed', text: 'Paris.' }, made, '').tokens, countTokens('Paris.'));
  });
});
