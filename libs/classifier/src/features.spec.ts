import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BIAS_INDEX,
  DEFAULT_FEATURE_CONFIG,
  DIM,
  FamilyAccumulator,
  FeatureBuffer,
  contextWeight,
  extractConversationFeatures,
  extractMessageFeatures,
  hashString,
  splitInstruction,
  textStats,
} from './features';

function features(text: string, config = DEFAULT_FEATURE_CONFIG): Map<number, number> {
  const buf = new FeatureBuffer(16);
  extractMessageFeatures(text, buf, config);
  const m = new Map<number, number>();
  for (let i = 0; i < buf.n; i++) m.set(buf.idx[i] ?? -1, (m.get(buf.idx[i] ?? -1) ?? 0) + (buf.val[i] ?? 0));
  return m;
}

describe('hashing', () => {
  it('is deterministic and namespace-seeded', () => {
    assert.equal(hashString('translate', 1), hashString('translate', 1));
    assert.notEqual(hashString('translate', 1), hashString('translate', 2));
  });
  it('keeps every index inside the hashed space (buffer grows as needed)', () => {
    const buf = new FeatureBuffer(4);
    extractMessageFeatures('Write a Python function that parses ISO dates. '.repeat(20), buf);
    assert.ok(buf.n > 4);
    for (let i = 0; i < buf.n; i++) assert.ok((buf.idx[i] ?? -1) >= 0 && (buf.idx[i] ?? DIM) < DIM);
  });
});

describe('extractMessageFeatures', () => {
  it('is deterministic', () => {
    assert.deepEqual([...features('Summarize this article, please.')], [...features('Summarize this article, please.')]);
  });
  it('is case-insensitive for words', () => {
    assert.deepEqual([...features('Translate This')], [...features('translate this')]);
  });
  it('normalises each family, so long texts do not get huge activations', () => {
    const short = features('hello there');
    const long = features('hello there '.repeat(300));
    const norm = (m: Map<number, number>): number => Math.sqrt([...m.values()].reduce((s, v) => s + v * v, 0));
    assert.ok(norm(long) < norm(short) * 3, `${norm(long)} vs ${norm(short)}`);
  });
  it('caps the work on huge inputs', () => {
    const t0 = performance.now();
    const buf = new FeatureBuffer();
    extractMessageFeatures('lorem ipsum dolor sit amet '.repeat(20000), buf);
    assert.ok(buf.n < 5000, `${buf.n} features`);
    assert.ok(performance.now() - t0 < 200);
  });
});

describe('textStats', () => {
  it('counts structure: fences, code lines, bullets, question form', () => {
    const st = textStats('Why does this fail?\n```python\ndef f(x):\n    return x +\n```\n- one\n- two');
    assert.equal(st.fences, 2);
    assert.ok(st.codeLines >= 1);
    assert.equal(st.bulletLines, 2);
    assert.equal(st.questionMarks, 1);
  });
  it('detects a provided block introduced by a colon and newline', () => {
    assert.equal(textStats('Summarize the following:\nThe quick brown fox.').colonNewline, true);
  });
  it('estimates counts of very long texts from a sample', () => {
    const text = 'one two three four. '.repeat(2000);
    const st = textStats(text);
    assert.ok(Math.abs(st.words - 8000) / 8000 < 0.05, `words ${st.words}`);
  });
});

describe('splitInstruction', () => {
  it('separates a short instruction from the text after a blank line', () => {
    const article = 'The city council met on Tuesday to discuss the new park and its budget. '.repeat(4);
    const s = splitInstruction(`Summarize the article below.\n\n${article}`);
    assert.equal(s.instruction, 'Summarize the article below.');
    assert.match(s.operand, /city council/);
    assert.equal(s.head, undefined);
    // older models: a short head is the instruction whatever follows
    const old = splitInstruction('Summarize the article below.\n\nThe city council met on Tuesday.', { ...DEFAULT_FEATURE_CONFIG, roles: false });
    assert.equal(old.instruction, 'Summarize the article below.');
  });
  it('keeps a short head and a short last paragraph together, either may be the request', () => {
    // Arabic background sentences are short in words: the head is not necessarily the task.
    const bg = 'انتقلت مؤخراً للعمل في شركة جديدة، ومديري يرسل الرسائل في منتصف الليل.';
    const ask = 'اكتب لي قصيدة قصيرة عن هذا.';
    const s = splitInstruction(`${bg}\n\nبعض التفاصيل الأخرى هنا عن العمل والزملاء والمكتب.\n\n${ask}`);
    assert.equal(s.instruction, `${bg}\n\n${ask}`);
    assert.equal(s.head, bg);
    assert.match(s.operand, /التفاصيل/);
  });
  it('skips role set-ups in every corpus language, also where the role marker ends the sentence', () => {
    const ctx = 'We run a small bakery with three shops in the same town, and the smallest one is losing its morning customers to a new supermarket that opened across the road.';
    const ask = 'Write me a short poem about it.';
    for (const role of [
      'Play the part of a retired sea captain.',
      'Haz de entrenador personal exigente pero cariñoso.',
      'Fais comme si tu étais une institutrice à la retraite.',
      'Tu so, als wärst du ein pensionierter Schulleiter.',
      'Сыграй роль строгого, но доброго тренера.',
      '引退した校長先生になったつもりで答えてください。',
      '은퇴한 교장 선생님인 척하고 조언해 주세요.',
      'मान लो तुम एक अनुभवी दुकानदार हो।',
    ]) {
      const s = splitInstruction(`${role}\n\n${ctx}\n\n${ask}`);
      assert.equal(s.instruction, ask, role);
      assert.ok(s.operand.includes(role), role);
    }
  });
  it('splits Arabic and Devanagari words at their own punctuation', () => {
    const a = features('ما سبب ملوحة مياه البحر؟');
    const b = features('ما سبب ملوحة مياه البحر');
    const shared = [...a.keys()].filter((k) => b.has(k)).length;
    assert.equal(shared, b.size);
    const old = features('ما سبب ملوحة مياه البحر؟', { ...DEFAULT_FEATURE_CONFIG, roles: false });
    assert.notDeepEqual([...old.keys()].sort(), [...a.keys()].sort());
  });
  it('handles an instruction placed after a long text', () => {
    const body = 'word '.repeat(120);
    const s = splitInstruction(`${body}\n\nTranslate the text above into French.`);
    assert.equal(s.instruction, 'Translate the text above into French.');
  });
  it('moves fenced code into the operand', () => {
    const s = splitInstruction('What does this do?\n```js\nconst x = [1,2,3].map(n => n * 2);\n```');
    assert.doesNotMatch(s.instruction, /map/);
    assert.match(s.operand, /map/);
  });
  it('treats a long quoted span as operand', () => {
    const s = splitInstruction('Classify the sentiment of "I waited forty minutes and the soup was cold when it finally arrived."');
    assert.match(s.operand, /forty minutes/);
    assert.doesNotMatch(s.instruction, /forty/);
  });
  it('takes the short last paragraph after a paragraph of background as the instruction', () => {
    const background =
      'I run a small bakery with two shops and about eleven staff. Every Sunday I work out how many loaves and cakes to bake for the week from last week sales and the forecast, and I still get it wrong.';
    const s = splitInstruction(`${background}\n\nCan you write me a small Python script that does this?`);
    assert.equal(s.instruction, 'Can you write me a small Python script that does this?');
    assert.match(s.operand, /bakery/);
    // An introducing head ending in a colon stays the instruction.
    const intro = splitInstruction(`Please fix the grammar of this paragraph from my report:\n\n${background}`);
    assert.match(intro.instruction, /fix the grammar/);
  });
  it('skips a role set-up and finds the request after it', () => {
    const s = splitInstruction(
      'You are an experienced consultant who gives straight answers.\n\nWe are moving our shop online and sales dropped by a fifth since spring, while costs went up, two staff left and the new website still has no proper search or filters.\n\nDraft an email to my manager explaining this.',
    );
    assert.equal(s.instruction, 'Draft an email to my manager explaining this.');
    assert.match(s.operand, /consultant/);
  });
  it('leaves plain questions alone', () => {
    const q = 'What is the tallest mountain in Africa and how tall is it?';
    assert.deepEqual(splitInstruction(q), { instruction: q, operand: '' });
  });
});

describe('conversation features', () => {
  it('reads task concepts at the end of a long instruction when configured', () => {
    const background = 'We moved to a new town last spring and the kids started at a new school in the autumn. '.repeat(6);
    const withPoem = `${background}Could you put all of that into a short rhyming poem?`;
    const withPlain = `${background}Could you put all of that into a short rhyming answer?`;
    // Without tail concepts the two differ only in their words; with them, also in the concept family.
    const off = { ...DEFAULT_FEATURE_CONFIG, tailConcepts: false };
    const diff = (a: Map<number, number>, b: Map<number, number>): number => [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).length;
    assert.ok(diff(features(withPoem), features(withPlain)) > diff(features(withPoem, off), features(withPlain, off)));
    assert.deepEqual([...features('Write a poem about rain.', off)], [...features('Write a poem about rain.')]);
  });
  it('always includes the bias feature', () => {
    const buf = new FeatureBuffer();
    extractConversationFeatures([{ role: 'user', content: 'hi' }], buf);
    assert.equal(buf.idx[0], BIAS_INDEX);
  });
  it('leans on context for short follow-ups, not for long self-contained requests', () => {
    const short = 'and in Greek?';
    const long = 'Please write a detailed comparison of PostgreSQL and MySQL for a write-heavy analytics workload with many concurrent users.';
    assert.ok(contextWeight(short, textStats(short)) >= 0.5);
    assert.ok(contextWeight(long, textStats(long)) <= 0.1);
  });
  it('adds earlier turns to a follow-up (more features than the last turn alone)', () => {
    const alone = new FeatureBuffer();
    extractConversationFeatures([{ role: 'user', content: 'make it shorter' }], alone);
    const inConvo = new FeatureBuffer();
    const info = extractConversationFeatures(
      [
        { role: 'user', content: 'Write a poem about the sea' },
        { role: 'assistant', content: 'The sea is wide, the sea is deep...' },
        { role: 'user', content: 'make it shorter' },
      ],
      inConvo,
    );
    assert.equal(info.lastIndex, 2);
    assert.ok(inConvo.n > alone.n);
  });
});

describe('FamilyAccumulator', () => {
  it('emits each distinct index once, in first-seen order, as 1 + ln(count) scaled to the given L2 norm, across table growth', () => {
    const acc = new FamilyAccumulator();
    const counts = new Map<number, number>();
    // 6,000 distinct indices (past the table's initial capacity, so it rehashes), spread
    // over the hash space, with repeats interleaved.
    for (let i = 0; i < 6000; i++) {
      const index = (i * 7919) % DIM;
      for (let r = 0; r <= i % 3; r++) {
        acc.add(index);
        counts.set(index, (counts.get(index) ?? 0) + 1);
      }
    }
    const out = new FeatureBuffer(16);
    acc.flush(out, 2);
    assert.equal(out.n, 6000);
    const expected = [...counts.entries()].map(([index, n]) => [index, 1 + Math.log(n)] as const);
    const norm = Math.sqrt(expected.reduce((s, [, v]) => s + v * v, 0));
    expected.forEach(([index, v], i) => {
      assert.equal(out.idx[i], index);
      assert.ok(Math.abs((out.val[i] ?? 0) - (v * 2) / norm) < 1e-6, `value of index ${index}`);
    });
    // Flushing resets: the next family starts empty.
    acc.add(5);
    acc.add(5);
    const next = new FeatureBuffer(4);
    acc.flush(next, 1);
    assert.equal(next.n, 1);
    assert.equal(next.idx[0], 5);
    assert.ok(Math.abs((next.val[0] ?? 0) - 1) < 1e-6);
  });
});
