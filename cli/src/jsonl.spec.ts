import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { jsonLines } from './jsonl.js';

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
}

describe('jsonLines', () => {
  it('splits on \\n only: U+2028 and U+2029 inside JSON strings stay in their line', async () => {
    const a = JSON.stringify({ prompt: 'one\u2028two' }).replace('\\u2028', '\u2028');
    const b = JSON.stringify({ prompt: 'three\u2029four' }).replace('\\u2029', '\u2029');
    assert.ok(a.includes('\u2028') && b.includes('\u2029'), 'raw separators in the input');
    const lines = await collect(jsonLines(Readable.from([`${a}\n${b}\r\n`])));
    assert.equal(lines.length, 2);
    assert.equal((JSON.parse(lines[0]!) as { prompt: string }).prompt, 'one\u2028two');
    assert.equal(lines[1], `${b}\r`, 'the caller trims \\r');
  });

  it('joins multi-byte characters split across chunks, and yields a last line without a newline', async () => {
    const bytes = Buffer.from('{"prompt":"é\u2028ü"}\n{"prompt":"end"}', 'utf8');
    const cut = bytes.indexOf(0xa9); // inside "é"
    const lines = await collect(jsonLines(Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)])));
    assert.deepEqual(lines, ['{"prompt":"é\u2028ü"}', '{"prompt":"end"}']);
  });

  it('reads a file stream', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ym-jsonl-'));
    const file = path.join(dir, 'in.jsonl');
    writeFileSync(file, '{"a":1}\n\n{"b":"x\u2028y"}\n');
    assert.deepEqual(await collect(jsonLines(createReadStream(file))), ['{"a":1}', '', '{"b":"x\u2028y"}']);
  });
});
