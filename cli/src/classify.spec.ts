import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { countConversationTokens } from '@yardmaster/classifier';

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

describe('yardmaster classify and route --exact-tokens', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ym-exact-')), 'in.jsonl');
  // Long numbers and rare words: the character-class estimate is off here, the BPE is not.
  const prompt = 'Summarise: 4815162342 zxqv-9981 ÆØÅ unquestionably, 東京タワー 1234567890 (∑∫√)';
  writeFileSync(file, `${JSON.stringify({ prompt })}\n`);
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [main, ...args, '--file', file], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    return JSON.parse(r.stdout.trim()) as { input_tokens?: number; classification?: { input_tokens?: number } };
  };
  it('counts exactly when asked to, and estimates by default', () => {
    const exact = countConversationTokens([{ role: 'user', content: prompt }], 10_000);
    const estimated = run('classify').input_tokens;
    assert.equal(run('classify', '--exact-tokens', '1000').input_tokens, exact);
    assert.notEqual(estimated, exact, 'the example must tell the two apart');
    assert.equal(run('route', '--exact-tokens', '1000').classification?.input_tokens, exact);
    assert.equal(run('route').classification?.input_tokens, estimated);
  });

  it('rejects a count that is not a whole number of characters', () => {
    const r = spawnSync(process.execPath, [main, 'classify', '--exact-tokens', 'lots', '--file', file], { encoding: 'utf8', timeout: 60_000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--exact-tokens must be a whole number of characters/);
  });
});

