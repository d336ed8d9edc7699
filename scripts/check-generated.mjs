// Fails when libs/contracts/src/gen differs from what buf + protoc-gen-es generate
// from proto/ now (someone edited a .proto without `npm run generate`, or edited
// generated code by hand). Also runs `buf lint`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const env = { ...process.env, PATH: `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}` };
execFileSync(bin('buf'), ['lint', 'proto'], { cwd: root, stdio: 'inherit', env });

const out = mkdtempSync(path.join(tmpdir(), 'ym-gen-'));
try {
  execFileSync(bin('buf'), ['generate', '--output', out], { cwd: root, stdio: 'inherit', env });
  const list = (dir, base = dir) =>
    readdirSync(dir).flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? list(p, base) : [path.relative(base, p)];
    });
  const fresh = path.join(out, 'libs/contracts/src/gen');
  const committed = path.join(root, 'libs/contracts/src/gen');
  const a = new Set(list(fresh));
  const b = new Set(list(committed));
  const stale = [...new Set([...a, ...b])].filter((f) => !a.has(f) || !b.has(f) || readFileSync(path.join(fresh, f), 'utf8') !== readFileSync(path.join(committed, f), 'utf8'));
  if (stale.length > 0) {
    console.error(`generated code is stale (run \`npm run generate\`): ${stale.join(', ')}`);
    process.exit(1);
  }
  console.log(`generated code is up to date (${a.size} files); buf lint clean`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
