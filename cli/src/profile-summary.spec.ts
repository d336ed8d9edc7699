import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { shortLocation, summarizeProfile, summarizeProfileDir, type CpuProfile } from './profile-summary.js';

// Samples last until the next one: foo 100+100+200 µs (two nodes, same function), bar 300,
// (program) 100 (until endTime), (idle) 400: 1,200 µs sampled, 800 busy.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
    { id: 2, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
    { id: 3, callFrame: { functionName: 'foo', url: 'file:///app/a.js', lineNumber: 9 } },
    { id: 4, callFrame: { functionName: 'bar', url: 'file:///app/b.js', lineNumber: 0 } },
    { id: 5, callFrame: { functionName: 'foo', url: 'file:///app/a.js', lineNumber: 9 } },
    { id: 6, callFrame: { functionName: '(program)', url: '', lineNumber: -1 } },
  ],
  startTime: 1000,
  endTime: 2200,
  samples: [3, 4, 3, 2, 5, 6],
  timeDeltas: [0, 100, 300, 100, 400, 200],
};

describe('summarizeProfile', () => {
  it('charges each sample until the next to the top node and groups nodes by function', () => {
    const s = summarizeProfile(profile);
    assert.equal(s.totalMs, 1.2);
    assert.equal(s.idleMs, 0.4);
    assert.equal(s.busyMs, 0.8);
    assert.deepEqual(s.top, [
      { functionName: 'foo', url: 'file:///app/a.js', line: 10, selfMs: 0.4, percent: 50 },
      { functionName: 'bar', url: 'file:///app/b.js', line: 1, selfMs: 0.3, percent: 37.5 },
      { functionName: '(program)', url: '', line: 0, selfMs: 0.1, percent: 12.5 },
    ]);
  });

  it('counts only the part of each sample inside a window', () => {
    // foo [1000,1100) bar [1100,1400) foo [1400,1500) idle [1500,1900) foo [1900,2100) program [2100,2200)
    const s = summarizeProfile(profile, 10, { fromUs: 1050, toUs: 1950 });
    assert.equal(s.totalMs, 0.9);
    assert.equal(s.idleMs, 0.4);
    assert.deepEqual(
      s.top.map((f) => [f.functionName, f.selfMs]),
      [
        ['bar', 0.3],
        ['foo', 0.2],
      ],
    );
    assert.deepEqual(summarizeProfile(profile, 10, { fromUs: 3000, toUs: 4000 }), { totalMs: 0, idleMs: 0, busyMs: 0, top: [] });
  });

  it('keeps only the top N', () => {
    assert.deepEqual(
      summarizeProfile(profile, 1).top.map((f) => f.functionName),
      ['foo'],
    );
  });

  it('names anonymous functions and survives an empty profile', () => {
    const anon: CpuProfile = { nodes: [{ id: 1, callFrame: { functionName: '', url: 'file:///x.js', lineNumber: 2 } }], startTime: 0, endTime: 50, samples: [1], timeDeltas: [10] };
    assert.deepEqual(summarizeProfile(anon).top, [{ functionName: '(anonymous)', url: 'file:///x.js', line: 3, selfMs: 0, percent: 100 }]);
    assert.deepEqual(summarizeProfile({ nodes: [], startTime: 0, endTime: 0, samples: [], timeDeltas: [] }), { totalMs: 0, idleMs: 0, busyMs: 0, top: [] });
  });

  it('reads every .cpuprofile in a directory', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'profile-summary-'));
    try {
      writeFileSync(path.join(dir, 'CPU.1.cpuprofile'), JSON.stringify(profile));
      writeFileSync(path.join(dir, 'notes.txt'), 'not a profile');
      const found = summarizeProfileDir(dir);
      assert.equal(found.length, 1);
      assert.equal(found[0]!.summary.busyMs, 0.8);
      assert.deepEqual(summarizeProfileDir(path.join(dir, 'missing')), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('shortLocation', () => {
  it('shortens file URLs under the root and in node_modules', () => {
    assert.equal(shortLocation('file:///repo/libs/bus/dist/bus.js', 12, '/repo'), 'libs/bus/dist/bus.js:12');
    assert.equal(shortLocation('file:///repo/node_modules/kafkajs/src/index.js', 3, '/repo'), 'node_modules/kafkajs/src/index.js:3');
    assert.equal(shortLocation('node:internal/streams/readable', 5, '/repo'), 'node:internal/streams/readable:5');
    assert.equal(shortLocation('', 0, '/repo'), '');
  });
});
