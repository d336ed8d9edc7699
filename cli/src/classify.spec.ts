import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

const main = path.resolve(__dirname, '..', '..', 'cli', 'dist', 'main.js');

describe('yardmaster classify --file', () => {
  it('reads lines with raw U+2028 and U+2029 inside strings as one record each', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ym-classify-')), 'in.jsonl');
    writeFileSync(file, '{"prompt":"Translate to French:\u2028good morning"}\n{"prompt":"hello\u2029there"}\n');
    const r = spawnSync(process.execPath, [main, 'classify', '--file', file], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { intent?: string; error?: string });
    assert.equal(out.length, 2);
    assert.ok(out.every((o) => o.error === undefined && typeof o.intent === 'string'));
    assert.equal(out[0]!.intent, 'translation');
  });
});
