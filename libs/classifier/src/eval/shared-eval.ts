import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The public evaluation sets: $YARDMASTER_EVAL_DIR, else ../shared/eval beside the
 * checkout (a git worktree may sit up to four levels deeper). Undefined when neither exists.
 */
export function findSharedEvalDir(): string | undefined {
  const fromEnv = process.env['YARDMASTER_EVAL_DIR'];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  let up = path.resolve(__dirname, '..', '..', '..', '..');
  for (let i = 0; i <= 4; i++, up = path.dirname(up)) {
    const d = path.join(up, '..', 'shared', 'eval');
    if (existsSync(d)) return d;
  }
  return undefined;
}

/** The records of a small JSON Lines file (split on "\n" only; blank lines skipped). */
export function readJsonl(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
