/**
 * ELD's n-gram database in a form that costs a few MB instead of ~75 MB.
 *
 * ELD ships its database as a 950 KB JavaScript object literal: 49,553 n-grams, each
 * an object of language index -> score. Evaluating that module costs a process about
 * 29 MB of heap for the object graph and as much again in RSS for parsing it (the
 * classifier service measured 76 MB). `npm run pack:eld -w libs/classifier` writes the
 * same data once to model/eld-ngrams.json (the keys joined in one string, the
 * language/score pairs as bytes); {@link loadPackedNgrams} reads it into one Map and
 * one byte array, and {@link packedEld} hands ELD a read-only view of it, so ELD's own
 * detector (its text processing, n-gram extraction and scoring) runs unchanged on the
 * same numbers. A spec compares every entry with the installed package's database and
 * the detector's answers with ELD's own static entry, so upgrading eld without packing
 * again fails the tests.
 */
import { findPackageJSON } from 'node:module';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Format tag of model/eld-ngrams.json. */
export const ELD_NGRAMS_FORMAT = 'yardmaster-eld-ngrams/1';

/** ELD's database as its entry files pass it to `loadData`. */
export interface EldDatabase {
  type: string;
  languages: Record<string, string>;
  isSubset: boolean;
  ngrams: Record<string, Record<string, number>>;
}

/** Contents of model/eld-ngrams.json. */
export interface PackedNgramsFile {
  format: string;
  /** The eld version and database the file was packed from. */
  eld: string;
  database: string;
  /** Where the data comes from and under which licence (eld's database is Apache-2.0). */
  source: string;
  type: string;
  /** Language codes by index. */
  languages: string[];
  /** The n-grams, joined by NUL (no n-gram contains one). */
  keys: string;
  /** base64: the number of language/score pairs of each n-gram, one byte each. */
  counts: string;
  /** base64: the pairs of every n-gram in key order, (language index, score) bytes. */
  pairs: string;
}

/** The packed database in memory. */
export interface PackedNgrams {
  type: string;
  languages: string[];
  /** n-gram -> its position (its pairs are `pairs[starts[i]]` up to `pairs[starts[i + 1]]`). */
  index: Map<string, number>;
  /** Start of each n-gram's pairs, by position (one extra entry for the end). */
  starts: Uint32Array;
  /** (language index, score) byte pairs. */
  pairs: Uint8Array;
}

/** The eld database the classifier uses. */
export const ELD_DATABASE = 'extrasmall';

/** Path of the committed packed database (package root/model), from src/ or dist/ alike. */
export function packedNgramsPath(): string {
  return path.resolve(__dirname, '..', 'model', 'eld-ngrams.json');
}

/** The installed eld package's directory and version. */
export function eldPackage(): { dir: string; version: string } {
  const pkg = findPackageJSON('eld', __filename);
  if (!pkg) throw new Error('the eld package is not installed');
  return { dir: path.dirname(pkg), version: (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version };
}

/**
 * Packs an ELD database.
 * @throws Error when a value does not fit a byte or a key contains NUL.
 */
export function packNgrams(db: EldDatabase, eldVersion: string): PackedNgramsFile {
  const languages: string[] = [];
  for (const [i, code] of Object.entries(db.languages)) languages[Number(i)] = code;
  const keys = Object.keys(db.ngrams);
  const counts: number[] = [];
  const pairs: number[] = [];
  for (const key of keys) {
    if (key.includes('\0')) throw new Error(`n-gram ${JSON.stringify(key)} contains NUL`);
    const scores = db.ngrams[key] ?? {};
    const langs = Object.keys(scores);
    if (langs.length > 255) throw new Error(`n-gram ${JSON.stringify(key)} has ${langs.length} languages`);
    counts.push(langs.length);
    for (const lang of langs) {
      const l = Number(lang);
      const score = scores[lang] ?? -1;
      if (!Number.isInteger(l) || l < 0 || l > 255 || !Number.isInteger(score) || score < 0 || score > 255) {
        throw new Error(`n-gram ${JSON.stringify(key)}: language ${lang} score ${score} does not fit a byte`);
      }
      pairs.push(l, score);
    }
  }
  return {
    format: ELD_NGRAMS_FORMAT,
    eld: eldVersion,
    database: ELD_DATABASE,
    source: `eld ${eldVersion} src/ngrams/${ELD_DATABASE}.js (https://github.com/nitotm/efficient-language-detector-js), Copyright 2023 Nito T.M., Apache-2.0`,
    type: db.type,
    languages,
    keys: keys.join('\0'),
    counts: Buffer.from(counts).toString('base64'),
    pairs: Buffer.from(pairs).toString('base64'),
  };
}

/**
 * Reads a packed database.
 * @throws Error when the file's format or sizes are wrong.
 */
export function loadPackedNgrams(file: string = packedNgramsPath()): PackedNgrams {
  const f = JSON.parse(readFileSync(file, 'utf8')) as PackedNgramsFile;
  if (f.format !== ELD_NGRAMS_FORMAT) throw new Error(`${file}: format ${String(f.format)}, expected ${ELD_NGRAMS_FORMAT}`);
  const keys = f.keys.split('\0');
  const counts = Buffer.from(f.counts, 'base64');
  const pairs = new Uint8Array(Buffer.from(f.pairs, 'base64'));
  if (counts.length !== keys.length) throw new Error(`${file}: ${keys.length} n-grams but ${counts.length} counts`);
  const starts = new Uint32Array(keys.length + 1);
  const index = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) {
    index.set(keys[i] ?? '', i);
    starts[i + 1] = (starts[i] ?? 0) + (counts[i] ?? 0) * 2;
  }
  if (starts[keys.length] !== pairs.length) throw new Error(`${file}: the counts name ${starts[keys.length]} pair bytes, the file has ${pairs.length}`);
  return { type: f.type, languages: f.languages, index, starts, pairs };
}

/** The n-gram's scores as ELD's database holds them (language index -> score), or undefined. */
export function ngramScores(db: PackedNgrams, key: string): Record<number, number> | undefined {
  const i = db.index.get(key);
  if (i === undefined) return undefined;
  const out: Record<number, number> = {};
  for (let p = db.starts[i] ?? 0, end = db.starts[i + 1] ?? 0; p < end; p += 2) out[db.pairs[p] ?? 0] = db.pairs[p + 1] ?? 0;
  return out;
}

/** How many n-grams' score objects {@link packedEld} keeps at hand (a few hundred KB). */
const RECENT_NGRAMS = 4096;

/** The part of ELD's API used here. */
export interface EldDetector {
  detect(text: string): { language: string };
}

/**
 * An ELD detector over the packed database: ELD's own `createEld()` with a database
 * whose `ngrams` is a read-only view that builds an n-gram's small score object when
 * ELD looks it up (at most a few hundred per call: ELD reads the first 1,000 characters).
 */
export function packedEld(db: PackedNgrams = loadPackedNgrams()): EldDetector {
  const { dir } = eldPackage();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const eldModule = require(path.join(dir, 'src', 'languageDetector.js')) as {
    createEld: () => { instance: EldDetector; loadData: (data: EldDatabase) => string };
  };
  // The score objects of the n-grams looked up lately, so a common n-gram (" the", "ing ")
  // is neither searched for in the 50,000-key index nor built again: a small map stays in
  // the CPU's cache where the index does not. Emptied when full; ELD only reads them.
  const recent = new Map<string, Record<number, number> | null>();
  const lookup = (key: string): Record<number, number> | undefined => {
    const hit = recent.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const scores = ngramScores(db, key);
    if (recent.size >= RECENT_NGRAMS) recent.clear();
    recent.set(key, scores ?? null);
    return scores;
  };
  const ngrams = new Proxy<Record<string, Record<string, number>>>({}, {
    get: (_target, key) => (typeof key === 'string' ? lookup(key) : undefined),
  });
  const languages: Record<string, string> = {};
  db.languages.forEach((code, i) => (languages[i] = code));
  const created = eldModule.createEld();
  created.loadData({ type: db.type, languages, isSubset: false, ngrams });
  return created.instance;
}
