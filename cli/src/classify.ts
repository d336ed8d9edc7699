import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { classifyJsonLines } from '@yardmaster/classifier';

/** `yardmaster classify [--file F.jsonl]`: offline classification, one JSON line out per line in. */
export async function classifyCommand(opts: { file?: string }): Promise<number> {
  const input = opts.file ? createReadStream(opts.file, 'utf8') : process.stdin;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let failures = 0;
  await classifyJsonLines(lines, (line) => {
    if (line.startsWith('{"error"')) failures++;
    process.stdout.write(`${line}\n`);
  });
  return failures === 0 ? 0 : 1;
}
