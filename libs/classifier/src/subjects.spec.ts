import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Classifier } from './classifier';
import { isMultipleChoice } from './complexity';
import { subjectTermCounts } from './features';
import { LEXICON_SUBJECTS } from './subjects';
import { DEMANDS, SUBJECTS } from './types';

function termsOf(text: string): Record<string, number> {
  const counts = subjectTermCounts(text);
  const out: Record<string, number> = {};
  LEXICON_SUBJECTS.forEach((s, i) => {
    if ((counts[i] ?? 0) > 0) out[s] = counts[i] ?? 0;
  });
  return out;
}

describe('subject vocabulary', () => {
  it('pools words of one field across languages, and two-character CJK terms', () => {
    assert.deepEqual(termsOf('My landlord kept the deposit; can I sue him in court?'), { law: 4 });
    assert.deepEqual(termsOf('Mein Vermieter will die Kaution nicht zurückzahlen, brauche ich einen Anwalt?'), { law: 2 });
    assert.deepEqual(termsOf('劳动合同到期公司不续签，需要找律师吗？'), { law: 2, business: 1 });
    assert.deepEqual(termsOf('What should I cook tonight?'), {});
  });
});

describe('subject and demand signals', () => {
  const clf = Classifier.load();
  const cases: Array<[string, string, string]> = [
    ['What are the early warning signs of a stroke, and what should I do if my father shows them?', 'medicine', 'recall'],
    ['How many grams of NaOH do I need to make 250 mL of a 0.4 M solution? Molar mass 40 g/mol.', 'chemistry', 'computation'],
    ['Why did the Roman Republic collapse into an empire? Weigh the economic, military and political causes.', 'history', 'reasoning'],
    ['Implement an LRU cache in Python with O(1) get and put, with unit tests.', 'computer_science', 'generation'],
    ['¿Qué diferencia hay entre un contrato de arrendamiento y un contrato de comodato?', 'law', 'recall'],
    ['write me a bedtime story about a sleepy dragon who is afraid of the dark', 'other', 'generation'],
  ];
  for (const [text, subject, demand] of cases) {
    it(`${subject} / ${demand}: ${text.slice(0, 50)}`, () => {
      const r = clf.classify({ messages: [{ role: 'user', content: text }] });
      assert.equal(r.subject, subject);
      assert.equal(r.demand, demand);
      assert.ok(SUBJECTS.includes(r.subject) && DEMANDS.includes(r.demand));
      assert.ok(r.subjectConfidence > 0 && r.subjectConfidence <= 1);
    });
  }

  it('a calculator answer is a computation', () => {
    const r = clf.classify({ messages: [{ role: 'user', content: 'what is 17.5% of 2,340?' }] });
    assert.equal(r.demand, 'computation');
  });

  it('moves the complexity of multiple-choice questions by subject and demand, not of other requests', () => {
    assert.ok(isMultipleChoice('Which is a noble gas?\nA. Neon\nB. Nitrogen\nC. Oxygen\nD. Chlorine'));
    assert.ok(!isMultipleChoice('Which is a noble gas: neon, nitrogen or oxygen?'));
    const easy = clf.classify({ messages: [{ role: 'user', content: 'What is the capital of Italy?\nA. Milan\nB. Rome\nC. Venice\nD. Naples' }] });
    const hard = clf.classify({
      messages: [{ role: 'user', content: 'What is the pH of a buffer of 0.20 M acetic acid and 0.10 M sodium acetate (pKa 4.74)?\nA. 4.44\nB. 4.74\nC. 5.04\nD. 3.74' }],
    });
    assert.ok(hard.complexity > easy.complexity, `${hard.complexity} > ${easy.complexity}`);
  });
});
