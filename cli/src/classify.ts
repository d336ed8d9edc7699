import { createReadStream } from 'node:fs';
import { classifyJsonLines } from '@yardmaster/classifier';
import { jsonLines } from './jsonl.js';

/** `yardmaster classify [--file F.jsonl]`: offline classification, one JSON line out per line in. */
export async function classifyCommand(opts: { file?: string }): Promise<number> {
  const input = opts.file ? createReadStream(opts.file) : process.stdin;
  let failures = 0;
  await classifyJsonLines(jsonLines(input), (line) => {
    if (line.startsWith('{"error"')) failures++;
    process.stdout.write(`${line}\n`);
  });
  return failures === 0 ? 0 : 1;
}
