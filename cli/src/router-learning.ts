import { readFileSync } from 'node:fs';
import { levels } from '@yardmaster/catalog';
import { Classifier } from '@yardmaster/classifier';
import { RedisRoutingFeedback, Store, type EvidenceSums } from '@yardmaster/store';
import { parse as parseCsv } from 'csv-parse/sync';
import { CLI_REDIS_CONNECT_MS, keysConnection, type KeysConnection } from './keys.js';

async function withFeedback<T>(conn: KeysConnection, fn: (feedback: RedisRoutingFeedback) => Promise<T>): Promise<T> {
  // A person is waiting: a Redis that is down fails the command after a few seconds, not thirty.
  const store = await Store.connect({ url: conn.redisUrl, keyPrefix: conn.keyPrefix, connectTimeoutMs: CLI_REDIS_CONNECT_MS });
  try {
    return await fn(new RedisRoutingFeedback(store));
  } finally {
    await store.close();
  }
}

/**
 * `yardmaster router stats`: what the router has learned, per cell level and model: the
 * number of scores and their mean (the router's estimate also weighs the catalog prior).
 */
export async function routerStatsCommand(opts: { level?: string; json?: boolean }, conn: KeysConnection = keysConnection()): Promise<number> {
  const rows = (await withFeedback(conn, (f) => f.snapshot())).filter((r) => (opts.level ? r.level === opts.level || r.level.startsWith(`${opts.level}|`) : true));
  rows.sort((a, b) => a.level.localeCompare(b.level) || b.sum / b.n - a.sum / a.n);
  if (opts.json) {
    for (const r of rows) console.log(JSON.stringify({ level: r.level, model: r.model, scores: r.n, mean: r.n > 0 ? r.sum / r.n : null, output_tokens: r.tokensN ? r.tokens! / r.tokensN : null }));
    return 0;
  }
  if (rows.length === 0) {
    console.log('no feedback yet: the router routes on the catalog priors');
    return 0;
  }
  console.log(`${'cell (intent|band|subject)'.padEnd(44)} ${'model'.padEnd(36)} scores   mean  output tokens`);
  for (const r of rows) console.log(`${r.level.padEnd(44)} ${r.model.padEnd(36)} ${String(r.n).padStart(6)}  ${(r.sum / r.n).toFixed(3)}  ${r.tokensN ? (r.tokens! / r.tokensN).toFixed(0).padStart(13) : '            -'}`);
  return 0;
}

/**
 * `yardmaster router fit --outcomes F.csv`: bootstraps the learned evidence from an
 * outcomes file (columns `prompt`, `model`, `score` in [0, 1], optionally `cost` and
 * `output_tokens`, the answer's length, from which the model's cost per cell is learned): each
 * prompt is classified in process for its cell, and the summed scores are added to Redis,
 * where every router replica picks them up. Rows with a bad score are reported by line.
 */
export async function routerFitCommand(opts: { outcomes: string; dryRun?: boolean }, conn: KeysConnection = keysConnection()): Promise<number> {
  const rows = parseCsv<Record<string, string>>(readFileSync(opts.outcomes), { columns: true, skip_empty_lines: true, trim: true });
  const clf = Classifier.load({ allowHeuristicFallback: false });
  const sums = new Map<string, EvidenceSums>();
  const errors: string[] = [];
  const cellCache = new Map<string, string[]>();
  rows.forEach((r, i) => {
    const line = i + 2;
    const score = Number(r['score']);
    const tokensText = r['output_tokens'] ?? '';
    const tokens = tokensText === '' ? undefined : Number(tokensText);
    if (!r['prompt'] || !r['model']) return void errors.push(`line ${line}: needs prompt and model`);
    if (!Number.isFinite(score) || score < 0 || score > 1) return void errors.push(`line ${line}: score must be from 0 to 1 (got "${r['score'] ?? ''}")`);
    if (tokens !== undefined && !(Number.isInteger(tokens) && tokens >= 0)) return void errors.push(`line ${line}: output_tokens must be a whole number >= 0 (got "${tokensText}")`);
    let lv = cellCache.get(r['prompt']);
    if (!lv) {
      const c = clf.classify({ messages: [{ role: 'user', content: r['prompt'] }] });
      lv = levels({ intent: c.intent, band: c.band, subject: c.subject });
      cellCache.set(r['prompt'], lv);
    }
    for (const level of lv) {
      const k = `${level}\u0000${r['model']}`;
      const s = sums.get(k) ?? { level, model: r['model'], sum: 0, n: 0, tokens: 0, tokensN: 0 };
      s.sum += score;
      s.n += 1;
      if (tokens !== undefined) {
        s.tokens! += tokens;
        s.tokensN! += 1;
      }
      sums.set(k, s);
    }
  });
  for (const e of errors.slice(0, 20)) console.error(e);
  if (errors.length > 20) console.error(`... and ${errors.length - 20} more`);
  const good = rows.length - errors.length;
  if (!opts.dryRun) await withFeedback(conn, (f) => f.addSums([...sums.values()]));
  console.log(`${opts.dryRun ? 'would add' : 'added'} ${good} scores (${cellCache.size} prompts, ${sums.size} cell-level x model rows); ${errors.length} rows refused`);
  return errors.length > 0 && good === 0 ? 1 : 0;
}
