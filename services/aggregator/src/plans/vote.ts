import canonicalize from 'canonicalize';
import { unfence } from './checks.js';

/**
 * Normalises an answer so that equal answers compare equal: JSON is canonicalised
 * (RFC 8785: key order, number forms), numbers lose formatting ("1,000.50" = "1000.5",
 * "42.0" = "42"), text loses case, surrounding punctuation and repeated whitespace, and a
 * leading "the answer is" goes.
 */
export function normaliseAnswer(output: string): string {
  const trimmed = unfence(output).trim();
  if (/^[[{]/.test(trimmed)) {
    try {
      return `json:${canonicalize(JSON.parse(trimmed)) ?? ''}`;
    } catch {
      // not JSON after all: compare as text
    }
  }
  let text = trimmed
    .toLowerCase()
    .replace(/^(?:the\s+)?(?:final\s+)?answer\s*(?:is|:)\s*/, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s"'“”‘’*_`]+|[\s"'“”‘’*_`.!。]+$/g, '');
  const number = /^[-+]?[$€£]?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*%?$/.exec(text);
  if (number) {
    const value = Number(`${text.startsWith('-') ? '-' : ''}${number[1]!.replace(/,/g, '')}${number[2] ?? ''}`);
    if (Number.isFinite(value)) text = `num:${value}${text.endsWith('%') ? '%' : ''}`;
  }
  return text;
}

/** One voter's answer. */
export interface Ballot {
  /** Index of the target that answered (into the decision's targets). */
  target: number;
  output: string;
  /** The router's expected quality of that target, for tie-breaking. */
  expectedQuality: number;
}

/** The outcome of a vote. */
export interface Tally {
  /** The winning ballot (its original, unnormalised output is the answer). */
  winner: Ballot;
  /** Votes for the winning answer and the number of ballots. */
  votes: number;
  ballots: number;
  /** Whether several answers had the most votes; the winner then is the one with the highest expected quality. */
  tie: boolean;
  /** Whether a strict majority of ballots agreed. */
  majority: boolean;
  /** Each distinct normalised answer with its vote count, most votes first. */
  counts: Array<{ answer: string; votes: number }>;
}

/**
 * Counts the ballots by normalised answer. The answer with the most votes wins; among
 * tied answers, the one whose best voter has the highest expected quality (then the
 * lowest target index, so the outcome is deterministic under redelivery).
 * @throws Error when there are no ballots.
 */
export function tally(ballots: readonly Ballot[]): Tally {
  if (ballots.length === 0) throw new Error('no ballots to count');
  const groups = new Map<string, Ballot[]>();
  for (const b of [...ballots].sort((a, c) => a.target - c.target)) {
    const key = normaliseAnswer(b.output);
    const g = groups.get(key);
    if (g) g.push(b);
    else groups.set(key, [b]);
  }
  const best = (g: Ballot[]) => g.reduce((x, y) => (y.expectedQuality > x.expectedQuality ? y : x));
  const ranked = [...groups.entries()].sort(([, a], [, b]) => b.length - a.length || best(b).expectedQuality - best(a).expectedQuality || best(a).target - best(b).target);
  const [, top] = ranked[0]!;
  const tie = ranked.length > 1 && ranked[1]![1].length === top.length;
  return {
    winner: best(top),
    votes: top.length,
    ballots: ballots.length,
    tie,
    majority: top.length * 2 > ballots.length,
    counts: ranked.map(([answer, g]) => ({ answer, votes: g.length })),
  };
}
