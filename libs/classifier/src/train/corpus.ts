/**
 * Corpus reading for training: libs/classifier/corpus/*.jsonl, rows
 * `{"text","intent","lang"}` or `{"messages":[...],"intent","lang"}`.
 * Files are read in sorted name order and rows in file order, so the example list
 * (and therefore training) is deterministic.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseMessages } from '../messages';
import { isDemand, isIntent, isSubject, type ChatTurn, type Demand, type Intent, type Subject } from '../types';

/** One training example. */
export interface Example {
  turns: ChatTurn[];
  intent: Intent;
  lang: string;
  /** Subject label, when the row has one (`"subject"`). */
  subject?: Subject;
  /** Demand label, when the row has one (`"demand"`). */
  demand?: Demand;
  /** Source file and line, for diagnostics. */
  source: string;
}

/** Result of reading a corpus directory. */
export interface Corpus {
  examples: Example[];
  files: string[];
  /** sha256 over the raw bytes of all files in read order (names included). */
  sha256: string;
  skipped: number;
  duplicates: number;
}

/** Default corpus location (package root/corpus), from src/ or dist/ alike. */
export function defaultCorpusDir(): string {
  return path.resolve(__dirname, '..', '..', 'corpus');
}

/** Reads every *.jsonl file of a corpus directory (sorted), deduplicating identical inputs. */
export function readCorpus(dir: string = defaultCorpusDir()): Corpus {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  const hash = createHash('sha256');
  const examples: Example[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  let duplicates = 0;
  for (const f of files) {
    const raw = readFileSync(path.join(dir, f), 'utf8');
    hash.update(f).update('\0').update(raw).update('\0');
    const lines = raw.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = (lines[i] ?? '').trim();
      if (line.length === 0) continue;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch {
        skipped++;
        continue;
      }
      if (!row || typeof row !== 'object') {
        skipped++;
        continue;
      }
      const r = row as Record<string, unknown>;
      if (!isIntent(r['intent'])) {
        skipped++;
        continue;
      }
      let turns: ChatTurn[] | null;
      if (typeof r['text'] === 'string' && r['text'].trim().length > 0) turns = [{ role: 'user', content: r['text'] }];
      else turns = parseMessages(r['messages']);
      if (!turns || !turns.some((t) => t.role === 'user' && t.content.trim().length > 0)) {
        skipped++;
        continue;
      }
      const key = JSON.stringify(turns.map((t) => [t.role, t.content.trim().toLowerCase()]));
      if (seen.has(key)) {
        duplicates++;
        continue;
      }
      seen.add(key);
      const subject = r['subject'];
      const demand = r['demand'];
      if ((subject !== undefined && !isSubject(subject)) || (demand !== undefined && !isDemand(demand))) {
        skipped++;
        continue;
      }
      examples.push({
        turns,
        intent: r['intent'],
        lang: typeof r['lang'] === 'string' ? r['lang'] : 'und',
        ...(subject !== undefined ? { subject } : {}),
        ...(demand !== undefined ? { demand } : {}),
        source: `${f}:${i + 1}`,
      });
    }
  }
  return { examples, files, sha256: hash.digest('hex'), skipped, duplicates };
}
