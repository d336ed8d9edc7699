import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

/**
 * A process that applies HEAP_GROWING_PERCENT, then replaces a 300,000-object live set
 * piece by piece (old-generation garbage only full collections reclaim) and prints the
 * largest heap V8 reserved.
 */
function peakHeapMb(percent: number): number {
  const bootstrap = path.join(__dirname, 'bootstrap.js');
  const script = `
    require(${JSON.stringify(bootstrap)}).applyHeapGrowth(${percent});
    const v8 = require('node:v8');
    const live = [];
    for (let i = 0; i < 300000; i++) live.push({ a: i, b: 'x' + i });
    let peak = 0;
    for (let round = 0; round < 200; round++) {
      const tmp = [];
      for (let i = 0; i < 20000; i++) tmp.push({ k: i, s: 'y' + i, arr: [i, i, i, i] });
      for (let j = 0; j < 3000; j++) live[(round * 3000 + j) % live.length] = tmp[j];
      peak = Math.max(peak, v8.getHeapStatistics().total_heap_size);
    }
    console.log(Math.round(peak / 1e6));`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout.trim());
}

describe('applyHeapGrowth (HEAP_GROWING_PERCENT)', () => {
  it('caps how far V8 grows the heap past its live size when set at start-up; 0 leaves V8 alone', () => {
    const adaptive = peakHeapMb(0);
    const capped = peakHeapMb(20);
    assert.ok(adaptive > 0 && capped > 0);
    // The same allocations: V8's adaptive growth reserves far more (~440 vs ~270-320 MB measured).
    assert.ok(capped < adaptive * 0.85, `peak heap ${capped} MB with 20% growth vs ${adaptive} MB with V8's default`);
  });
});
