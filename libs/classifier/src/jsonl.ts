/**
 * Offline classification of JSON Lines: the core of `npx yardmaster classify`.
 *
 * Input: one JSON object per line with either `prompt` (string) or `messages`
 * (chat array; content as a string or OpenAI-style content parts). Output: one JSON
 * line per input line, every field in snake_case; a bad line yields
 * `{"error": "...", "line": N}` and processing continues. Blank lines are skipped
 * (but still counted for line numbers).
 */
import { Classifier } from './classifier';
import { parseMessages } from './messages';
import type { ChatTurn, ClassificationResult } from './types';

/** Snake-case wire form of a classification (what the JSONL output contains). */
export interface ClassificationJson {
  intent: string;
  intent_confidence: number;
  runner_up: string;
  runner_up_confidence: number;
  complexity: number;
  band: string;
  subject: string;
  subject_confidence: number;
  demand: string;
  demand_confidence: number;
  language: string;
  input_tokens: number;
  image_input: boolean;
  image_output: boolean;
  pii: string[];
  tool: { name: string; expression: string; result: string } | null;
  injection: boolean;
  version: string;
  duration_us: number;
}

/** Converts a result to its snake_case JSON form. */
export function toSnakeCase(r: ClassificationResult): ClassificationJson {
  return {
    intent: r.intent,
    intent_confidence: r.intentConfidence,
    runner_up: r.runnerUp,
    runner_up_confidence: r.runnerUpConfidence,
    complexity: r.complexity,
    band: r.band,
    subject: r.subject,
    subject_confidence: r.subjectConfidence,
    demand: r.demand,
    demand_confidence: r.demandConfidence,
    language: r.language,
    input_tokens: r.inputTokens,
    image_input: r.imageInput,
    image_output: r.imageOutput,
    pii: [...r.pii],
    tool: r.tool ? { name: r.tool.name, expression: r.tool.expression, result: r.tool.result } : null,
    injection: r.injection,
    version: r.version,
    duration_us: Math.round(r.durationUs * 10) / 10,
  };
}

/** Parses one input line into chat turns, or throws an Error with a readable message. */
export function parseInputLine(line: string): ChatTurn[] {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    throw new Error(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected a JSON object');
  const obj = value as Record<string, unknown>;
  if (typeof obj['prompt'] === 'string') return [{ role: 'user', content: obj['prompt'] }];
  if (obj['messages'] !== undefined) {
    const turns = parseMessages(obj['messages']);
    if (!turns) throw new Error('"messages" must be a non-empty array of {role, content}');
    return turns;
  }
  throw new Error('expected a "prompt" string or a "messages" array');
}

/** Options for {@link classifyJsonLines}. */
export interface ClassifyJsonLinesOptions {
  /** Classifier to use (default: Classifier.load()). */
  classifier?: Classifier;
}

/**
 * Classifies JSONL input line by line, writing one JSON line per non-blank input line.
 * Returns counts of classified and failed lines.
 */
export async function classifyJsonLines(
  lines: AsyncIterable<string> | Iterable<string>,
  write: (line: string) => void,
  opts: ClassifyJsonLinesOptions = {},
): Promise<{ ok: number; errors: number }> {
  const clf = opts.classifier ?? Classifier.load();
  let lineNo = 0;
  let ok = 0;
  let errors = 0;
  for await (const raw of lines) {
    lineNo++;
    // Tolerate CRLF input and an uncut trailing newline.
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim().length === 0) continue;
    try {
      const messages = parseInputLine(line);
      write(JSON.stringify(toSnakeCase(clf.classify({ messages }))));
      ok++;
    } catch (e) {
      write(JSON.stringify({ error: e instanceof Error ? e.message : String(e), line: lineNo }));
      errors++;
    }
  }
  return { ok, errors };
}
