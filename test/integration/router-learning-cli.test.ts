import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RedisRoutingFeedback, Store } from '@yardmaster/store';
import { testInfra, uniquePrefix } from '../support/infra.js';

/** test/dist/integration → the compiled CLI. */
const cli = path.resolve(__dirname, '..', '..', '..', 'cli', 'dist', 'main.js');

describe('npx yardmaster router fit | stats (the CLI against a real Redis)', () => {
  let store: Store;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    const infra = await testInfra();
    const prefix = `${uniquePrefix('router-cli')}:`;
    store = await Store.connect({ url: infra.redisUrl, keyPrefix: prefix });
    env = { ...process.env, REDIS_URL: infra.redisUrl, REDIS_KEY_PREFIX: prefix };
  });

  after(async () => {
    await store.close();
  });

  const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'router', ...args], { env, encoding: 'utf8' });

  it('says there is nothing learned yet, then bootstraps evidence from an outcomes file, refusing bad rows by line', async () => {
    const empty = run('stats');
    assert.equal(empty.status, 0, empty.stderr);
    assert.match(empty.stdout, /no feedback yet/);

    const dir = mkdtempSync(path.join(tmpdir(), 'ym-fit-'));
    const file = path.join(dir, 'outcomes.csv');
    writeFileSync(
      file,
      [
        'prompt,model,score,cost,output_tokens',
        '"Write a Python function that reverses a linked list, with tests",coder,1,0.001,300',
        '"Write a Python function that reverses a linked list, with tests",small,0,0.0001,',
        '"Write a SQL query for the top 5 customers by revenue",coder,0.8,0.001,100',
        '"Write a SQL query for the top 5 customers by revenue",small,1.5,0.0001,',
        '"Write a shell one-liner that counts lines in every file",small,0.5,0.0001,-3',
      ].join('\n'),
    );
    const fit = run('fit', '--outcomes', file);
    assert.equal(fit.status, 0, fit.stderr);
    assert.match(fit.stderr, /line 5: score must be from 0 to 1 \(got "1.5"\)/);
    assert.match(fit.stderr, /line 6: output_tokens must be a whole number >= 0 \(got "-3"\)/);
    assert.match(fit.stdout, /added 3 scores \(2 prompts/);

    const rows = await new RedisRoutingFeedback(store).snapshot();
    const code = rows.filter((r) => r.level === 'code');
    assert.deepEqual(code.map((r) => [r.model, r.n, Math.round(r.sum * 10) / 10]).sort(), [['coder', 2, 1.8], ['small', 1, 0]]);

    const stats = run('stats', '--level', 'code', '--json');
    assert.equal(stats.status, 0, stats.stderr);
    const lines = stats.stdout.trim().split('\n').map((l) => JSON.parse(l) as { level: string; model: string; scores: number; mean: number; output_tokens: number | null });
    assert.ok(lines.every((l) => l.level.startsWith('code')));
    // The answer lengths the file gave (300 and 100 tokens) are learned as their mean; rows without one teach none.
    assert.deepEqual(lines.find((l) => l.level === 'code' && l.model === 'coder'), { level: 'code', model: 'coder', scores: 2, mean: 0.9, output_tokens: 200 });
    assert.deepEqual(lines.find((l) => l.level === 'code' && l.model === 'small'), { level: 'code', model: 'small', scores: 1, mean: 0, output_tokens: null });
  });
});
