import { createReadStream } from 'node:fs';
import { Classifier, classifyJsonLines } from '@yardmaster/classifier';
import { jsonLines } from './jsonl.js';

/**
 * The classifier of the offline commands: `--exact-tokens N` counts messages of up to N
 * characters exactly (as the service's CLASSIFIER_EXACT_TOKEN_CHARS does).
 * @throws Error when N is not a whole number from 0 to 100,000.
 */
export function offlineClassifier(exactTokens: string | undefined): Classifier {
  const chars = exactTokens === undefined ? 0 : Number(exactTokens);
  if (!Number.isInteger(chars) || chars < 0 || chars > 100_000) throw new Error(`--exact-tokens must be a whole number of characters from 0 to 100000, got ${exactTokens}`);
  return Classifier.load({ exactTokenChars: chars });
}

/** `yardmaster classify [--file F.jsonl] [--exact-tokens N]`: offline classification, one JSON line out per line in. */
export async function classifyCommand(opts: { file?: string; exactTokens?: string }): Promise<number> {
  const classifier = offlineClassifier(opts.exactTokens);
  const input = opts.file ? createReadStream(opts.file) : process.stdin;
  let failures = 0;
  await classifyJsonLines(jsonLines(input), (line) => {
    if (line.startsWith('{"error"')) failures++;
    process.stdout.write(`${line}\n`);
  }, { classifier });
  return failures === 0 ? 0 : 1;
}
