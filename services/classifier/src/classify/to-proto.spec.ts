import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Classifier } from '@yardmaster/classifier';
import { Demand, Intent, Subject, demandName, subjectName } from '@yardmaster/contracts';
import { toClassification } from './to-proto';

describe('toClassification', () => {
  const clf = Classifier.load();

  it('copies the subject and demand signals into the wire message', () => {
    const r = clf.classify({ messages: [{ role: 'user', content: 'How many grams of NaOH do I need to make 250 mL of a 0.4 M solution? Molar mass 40 g/mol.' }] });
    const c = toClassification('req-1', r);
    assert.equal(c.requestId, 'req-1');
    assert.equal(c.intent, Intent.MATH);
    assert.equal(c.subject, Subject.CHEMISTRY);
    assert.equal(subjectName(c.subject), r.subject);
    assert.equal(c.demand, Demand.COMPUTATION);
    assert.equal(demandName(c.demand), r.demand);
    assert.ok(Math.abs(c.subjectConfidence - r.subjectConfidence) < 1e-6);
    assert.ok(Math.abs(c.demandConfidence - r.demandConfidence) < 1e-6);
  });

  it('maps every subject and demand name of the classifier to a wire enum value', () => {
    const r = clf.classify({ messages: [{ role: 'user', content: 'hello there' }] });
    for (const subject of ['law', 'medicine', 'biology', 'chemistry', 'physics', 'mathematics', 'computer_science', 'engineering', 'economics', 'business', 'history', 'philosophy', 'psychology', 'other'] as const) {
      assert.notEqual(toClassification('x', { ...r, subject }).subject, Subject.UNSPECIFIED, subject);
    }
    for (const demand of ['recall', 'reasoning', 'computation', 'generation'] as const) {
      assert.notEqual(toClassification('x', { ...r, demand }).demand, Demand.UNSPECIFIED, demand);
    }
  });
});
