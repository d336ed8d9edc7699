import { redactUrlsIn } from '@yardmaster/config';

/**
 * The `NAME=value` lines `main.js up` prints on stdout for `eval "$(…)"`, and the
 * progress notes to print on stderr instead. A value carrying credentials is not
 * printed: only a configured value can carry them (what deploy starts has none), so
 * the caller's environment already holds it, and stdout of a long-running command
 * tends to end up in CI logs.
 */
export function exportLines(values: Readonly<Record<string, string | undefined>>): { stdout: string[]; notes: string[] } {
  const stdout: string[] = [];
  const notes: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (redactUrlsIn(value) === value) stdout.push(`${name}=${value}`);
    else notes.push(`${name} carries credentials; not printed (it comes from your environment, which already has it)`);
  }
  return { stdout, notes };
}
