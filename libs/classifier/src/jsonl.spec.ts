import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { classifyJsonLines } from './jsonl';

const FIELDS = [
  'intent', 'intent_confidence', 'runner_up', 'runner_up_confidence', 'complexity', 'band', 'subject', 'subject_confidence',
  'demand', 'demand_confidence', 'language', 'input_tokens',
  'image_input', 'image_output', 'pii', 'tool', 'injection', 'version', 'duration_us',
];

describe('classifyJsonLines', () => {
  it('classifies prompt and messages lines and reports bad lines without stopping', async () => {
    const input = [
      JSON.stringify({ prompt: 'what is 12 * 12?' }),
      'not json',
      JSON.stringify({ messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: 'data:,' } }] }] }),
      '',
      JSON.stringify({ foo: 1 }),
      JSON.stringify({ messages: [{ role: 'user', content: 'Write a poem' }, { role: 'assistant', content: 'Roses...' }, { role: 'user', content: 'make it rhyme better' }] }),
      JSON.stringify({ messages: [{ role: 'wizard', content: 'x' }] }),
    ];
    const out: string[] = [];
    const counts = await classifyJsonLines(input, (l) => out.push(l));
    assert.deepEqual(counts, { ok: 3, errors: 3 });
    const rows = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(rows.length, 6);
    assert.deepEqual(Object.keys(rows[0] ?? {}), FIELDS);
    assert.equal(rows[0]?.['intent'], 'math');
    assert.deepEqual(rows[0]?.['tool'], { name: 'calculator', expression: '12 * 12', result: '144' });
    assert.equal(rows[1]?.['line'], 2);
    assert.match(String(rows[1]?.['error']), /invalid JSON/);
    assert.equal(rows[2]?.['image_input'], true);
    assert.equal(rows[3]?.['line'], 5);
    assert.match(String(rows[3]?.['error']), /prompt/);
    assert.deepEqual(Object.keys(rows[4] ?? {}), FIELDS);
    assert.equal(rows[5]?.['line'], 7);
  });

  it('reads from an async iterable (a stream through readline)', async () => {
    const stream = Readable.from([`${JSON.stringify({ prompt: 'hello there' })}\r\n${JSON.stringify({ prompt: 'Translate "cat" to French' })}\n`]);
    const out: string[] = [];
    await classifyJsonLines(createInterface({ input: stream, crlfDelay: Infinity }), (l) => out.push(l));
    assert.equal(out.length, 2);
    assert.equal((JSON.parse(out[1] ?? '{}') as { intent: string }).intent, 'translation');
  });
});
