import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

/** cli/dist/route.spec.js → the repository root. */
const root = path.resolve(__dirname, '..', '..');
const main = path.join(root, 'cli', 'dist', 'main.js');
const shipped = path.join(root, 'services', 'router', 'catalog.yaml');

interface Decision {
  plan: string;
  strategy: string;
  alias: string;
  reason: string;
  expected_cost_usd: number;
  candidates: unknown[];
  targets: { model: string; pool: string; role: string }[];
}
interface Out {
  line: number;
  error?: string;
  classification: { intent: string };
  decision: Decision;
  compare: { changed: boolean; catalog_version: string; decision: Decision };
}

function run(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, 'route', ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeJsonl(lines: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ym-route-'));
  const file = path.join(dir, 'prompts.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

// Raw U+2028 / U+2029 inside JSON strings: valid JSON, and line breaks to Node's readline.
const LS = '\u2028';
const PS = '\u2029';
const LINES = [
  `{"prompt":"Write a haiku${LS}about Kafka"}`,
  `{"prompt":"what is 17.5% of 2,340?"}`,
  `{"prompt":"My card number is 4111 1111 1111 1111,${PS}why was I charged twice?"}`,
  `{"prompt":"Write a Python function that merges two sorted lists","model":"auto:best"}`,
  `{"prompt":"Draw me a picture of a lighthouse at dawn"}`,
];

describe('yardmaster route (offline dry run)', () => {
  it('routes a JSONL file with U+2028 and U+2029 inside strings: one JSON line per input line', () => {
    const r = run(['--file', writeJsonl(LINES)]);
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Out);
    assert.equal(out.length, LINES.length);
    assert.deepEqual(out.map((o) => o.line), [1, 2, 3, 4, 5]);
    for (const o of out) {
      assert.ok(o.classification.intent, 'classification');
      const d = o.decision;
      assert.ok(typeof d.plan === 'string' && typeof d.reason === 'string' && typeof d.expected_cost_usd === 'number' && Array.isArray(d.candidates));
      for (const t of d.targets) assert.ok(t.model && t.pool && t.role);
    }
    assert.equal(out[0]!.classification.intent, 'creative_writing');
    // The calculator: tool plan in the calculator pool, no model cost.
    assert.equal(out[1]!.decision.plan, 'tool');
    assert.deepEqual([out[1]!.decision.targets[0]!.model, out[1]!.decision.targets[0]!.pool], ['calculator', 'calculator']);
    assert.equal(out[1]!.decision.expected_cost_usd, 0);
    // PII under the standard tier: self-hosted only.
    assert.ok(out[2]!.decision.targets.every((t) => t.pool === 'local'));
    assert.match(out[2]!.decision.reason, /PII \(payment_card\)/);
    assert.equal(out[3]!.decision.alias, 'auto:best');
    assert.equal(out[3]!.decision.strategy, 'quality');
    assert.equal(out[4]!.decision.targets[0]!.pool, 'images');
  });

  it('reads stdin, reports unreadable lines with their number and exits 1', () => {
    const r = run([], `${LINES[0]}\nnot json\n{"prompt":"hi","strategy":"fastest"}\n`);
    assert.equal(r.status, 1);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Out);
    assert.equal(out.length, 3);
    assert.equal(out[1]!.line, 2);
    assert.match(String(out[1]!.error), /invalid JSON/);
    assert.match(String(out[2]!.error), /unknown strategy "fastest"/);
  });

  it('--summary: traffic per model and plan, and the cost against the most expensive model', () => {
    const r = run(['--file', writeJsonl(LINES), '--summary']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^routed 5 requests with catalog /);
    assert.match(r.stdout, /traffic by model \(first target\):\n/);
    assert.match(r.stdout, /calculator\s+1\s+20\.0%/);
    assert.match(r.stdout, /traffic by plan:\n(.|\n)*tool\s+1\s+20\.0%/);
    assert.match(r.stdout, /expected cost: \$\d+\.\d{4} routed vs \$\d+\.\d{4} all on gpt-5\.5 \(\d+\.\d% less\)/);
  });

  it('--compare: what another catalog would change', () => {
    // The other catalog forces code to gpt-5.5 and makes the free tier the default.
    const text = readFileSync(shipped, 'utf8')
      .replace('version: "2026-12-06.1"', 'version: "compare-test"')
      .replace('rules:\n', 'rules:\n  - { name: code-to-gpt, when: { intent: [code] }, then: { model: gpt-5.5 } }\n');
    const other = path.join(mkdtempSync(path.join(tmpdir(), 'ym-compare-')), 'catalog.yaml');
    writeFileSync(other, text);
    const lines = r2(run(['--file', writeJsonl(LINES), '--compare', other]));
    const code = lines[3]!;
    assert.equal(code.compare.changed, true);
    assert.equal(code.compare.catalog_version, 'compare-test');
    assert.equal(code.compare.decision.targets[0]!.model, 'gpt-5.5');
    assert.equal(lines[1]!.compare.changed, false);
    const summary = run(['--file', writeJsonl(LINES), '--compare', other, '--summary']);
    assert.match(summary.stdout, /compared with catalog compare-test: 1 of 5 requests change \(20\.0%\)/);
    assert.match(summary.stdout, /moves \(this catalog → the other\):\n\s+\S+ → gpt-5\.5\s+1/);
  });
});

function r2(r: { status: number | null; stdout: string; stderr: string }): Out[] {
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Out);
}
