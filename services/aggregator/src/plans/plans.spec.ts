import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChatMessageSchema, ContentPartSchema, Role, create } from '@yardmaster/contracts';
import { runChecks } from './checks.js';
import { judgeMessages, messageText, parseJudgeChoice, reviewMessages, chainMessages } from './prompts.js';
import { normaliseAnswer, tally } from './vote.js';

const ok = (output: string, finishReason = 'stop') => ({ output, finishReason });

describe('cascade checks', () => {
  it('accepts a good answer', () => {
    assert.deepEqual(runChecks(ok('Paris is the capital of France.'), ['non_empty', 'no_refusal', 'not_truncated']), []);
  });

  it('rejects empty, refused and truncated answers, saying why', () => {
    assert.equal(runChecks(ok('   '), ['non_empty'])[0]?.check, 'non_empty');
    for (const refusal of ["I'm sorry, but I can't help with that.", 'I cannot assist with this request.', 'As an AI language model, I cannot browse.', 'Lo siento, no puedo ayudar con eso.', 'Es tut mir leid, dabei kann ich nicht helfen.', '抱歉，我无法回答。']) {
      assert.equal(runChecks(ok(refusal), ['no_refusal'])[0]?.check, 'no_refusal', refusal);
    }
    assert.deepEqual(runChecks(ok('The fix is simple: I cannot stress enough how important tests are.'), ['no_refusal']), [], 'mentioning "cannot" is not a refusal');
    assert.equal(runChecks(ok('The story begins', 'length'), ['not_truncated'])[0]?.check, 'not_truncated');
  });

  it('checks JSON, fenced or not, and against the requested schema', () => {
    assert.deepEqual(runChecks(ok('```json\n{"a": 1}\n```'), ['valid_json']), []);
    assert.match(runChecks(ok('{"a": 1'), ['valid_json'])[0]?.detail ?? '', /not JSON/);
    const schema = { type: 'object', required: ['name', 'age'], properties: { name: { type: 'string' }, age: { type: 'integer' } } };
    assert.deepEqual(runChecks(ok('{"name": "Ada", "age": 36}'), ['valid_json'], { jsonSchema: schema }), []);
    assert.match(runChecks(ok('{"name": "Ada", "age": "36"}'), ['valid_json'], { jsonSchema: schema })[0]?.detail ?? '', /\/age must be integer/);
  });

  it('checks confidence only when log-probabilities exist', () => {
    assert.deepEqual(runChecks({ output: 'x', finishReason: 'stop' }, ['min_confidence']), []);
    assert.equal(runChecks({ output: 'x', finishReason: 'stop', meanLogprob: Math.log(0.3) }, ['min_confidence'])[0]?.check, 'min_confidence');
    assert.deepEqual(runChecks({ output: 'x', finishReason: 'stop', meanLogprob: Math.log(0.9) }, ['min_confidence']), []);
  });

  it('reports an unknown check instead of ignoring it', () => {
    assert.equal(runChecks(ok('x'), ['spellcheck'])[0]?.check, 'unknown_check');
  });
});

describe('vote', () => {
  it('normalises whitespace, case, number formats and JSON', () => {
    assert.equal(normaliseAnswer('  The answer is 1,000.50. '), normaliseAnswer('1000.5'));
    assert.equal(normaliseAnswer('42.0'), normaliseAnswer('42'));
    assert.equal(normaliseAnswer('Paris'), normaliseAnswer('  paris. '));
    assert.equal(normaliseAnswer('{"b": 2, "a": 1}'), normaliseAnswer('```json\n{"a":1,"b":2.0}\n```'));
    assert.notEqual(normaliseAnswer('42%'), normaliseAnswer('42'));
  });

  it('elects the majority answer', () => {
    const t = tally([
      { target: 0, output: '12', expectedQuality: 0.9 },
      { target: 1, output: 'The answer is 12.', expectedQuality: 0.5 },
      { target: 2, output: '13', expectedQuality: 0.95 },
    ]);
    assert.equal(t.winner.target, 0, 'the best voter of the majority answer');
    assert.equal(t.votes, 2);
    assert.equal(t.majority, true);
    assert.equal(t.tie, false);
  });

  it('breaks a tie by expected quality, deterministically', () => {
    const ballots = [
      { target: 0, output: 'yes', expectedQuality: 0.6 },
      { target: 1, output: 'no', expectedQuality: 0.8 },
    ];
    const t = tally(ballots);
    assert.equal(t.tie, true);
    assert.equal(t.majority, false);
    assert.equal(t.winner.target, 1);
    assert.equal(tally([...ballots].reverse()).winner.target, 1, 'ballot order does not change the outcome');
  });

  it('refuses to count no ballots', () => {
    assert.throws(() => tally([]), /no ballots/);
  });
});

describe('plan prompts', () => {
  const request = [create(ChatMessageSchema, { role: Role.USER, content: [create(ContentPartSchema, { part: { case: 'text', value: 'What is the capital of Australia?' } })] })];

  it('numbers the judge\'s candidates and parses its choice', () => {
    const m = judgeMessages(request, ['Sydney', 'Canberra']);
    assert.equal(m.length, 2);
    assert.match(messageText(m[1]!), /### Candidate 2\nCanberra/);
    assert.match(messageText(m[1]!), /user: What is the capital of Australia\?/);
    assert.equal(parseJudgeChoice('Candidate 2 is right: Canberra is the capital.\nChoice: 2', 2), 1);
    assert.equal(parseJudgeChoice('{"choice": 1}', 2), 0);
    assert.equal(parseJudgeChoice('2', 2), 1);
    assert.equal(parseJudgeChoice('Choice: 3', 2), null, 'out of range');
    assert.equal(parseJudgeChoice('both are fine', 2), null);
  });

  it('puts the draft in the reviewer\'s context after the request', () => {
    const m = reviewMessages(request, 'Sydney.');
    assert.equal(m[0]!.role, Role.SYSTEM);
    assert.equal(messageText(m[1]!), 'What is the capital of Australia?');
    assert.equal(m[2]!.role, Role.ASSISTANT);
    assert.equal(messageText(m[2]!), 'Sydney.');
  });

  it('feeds a chain step the previous step\'s output', () => {
    const m = chainMessages(request, '42', 'State the result in one sentence.');
    assert.equal(messageText(m[0]!), 'State the result in one sentence.');
    assert.match(messageText(m[m.length - 1]!), /Result of the previous step:\n42/);
    assert.equal(chainMessages(request, undefined, '').length, 1);
  });
});
