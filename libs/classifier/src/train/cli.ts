/**
 * `npm run train -w libs/classifier` - retrains the intent model from corpus/ and
 * writes model/intent-model.json, and refits the token rates of the long-message
 * token estimate (model/token-rates.json, see src/tokens.ts).
 *
 * Options:
 *   --corpus <dir>   corpus directory (default: libs/classifier/corpus)
 *   --out <file>     output model file (default: libs/classifier/model/intent-model.json)
 *   --cv <k>         also run k-fold cross-validation on the corpus and print accuracy
 *   --check          do not write; exit 1 if the committed model or token rates differ from a fresh fit
 * (the token rates are written or checked only for the default --out)
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { FeatureBuffer, extractConversationFeatures } from '../features';
import { decodeModel, defaultModelPath, softmax, type ModelFile } from '../model';
import { tokenRatesPath } from '../tokens';
import { INTENTS } from '../types';
import { fitTokenRates, textsOf } from './token-fit';
import { defaultCorpusDir, readCorpus, type Corpus } from './corpus';
import { DEFAULT_TRAIN_OPTIONS, mulberry32, trainModel } from './trainer';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Serialises a model file with readable metadata and one-line weight blobs. */
export function serializeModel(file: ModelFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}

function crossValidate(corpus: Corpus, k: number): void {
  const n = corpus.examples.length;
  const rnd = mulberry32(12345);
  const fold = corpus.examples.map(() => Math.floor(rnd() * k));
  let correct = 0;
  const perClass = new Map<string, { n: number; ok: number }>();
  const confusions = new Map<string, number>();
  for (let f = 0; f < k; f++) {
    const train: Corpus = { ...corpus, examples: corpus.examples.filter((_, i) => fold[i] !== f) };
    const model = decodeModel(trainModel(train));
    const buf = new FeatureBuffer();
    const probs = new Float64Array(INTENTS.length);
    corpus.examples.forEach((ex, i) => {
      if (fold[i] !== f) return;
      buf.reset();
      extractConversationFeatures(ex.turns, buf, model.config);
      model.logits(buf, probs);
      softmax(probs);
      let best = 0;
      for (let c = 1; c < probs.length; c++) if ((probs[c] ?? 0) > (probs[best] ?? 0)) best = c;
      const pred = INTENTS[best] ?? 'other';
      const s = perClass.get(ex.intent) ?? { n: 0, ok: 0 };
      s.n++;
      if (pred === ex.intent) {
        s.ok++;
        correct++;
      } else {
        const key = `${ex.intent} -> ${pred}`;
        confusions.set(key, (confusions.get(key) ?? 0) + 1);
      }
      perClass.set(ex.intent, s);
    });
  }
  console.log(`${k}-fold CV accuracy: ${((100 * correct) / n).toFixed(1)}% (${correct}/${n})`);
  for (const [c, s] of [...perClass.entries()].sort()) console.log(`  ${c.padEnd(18)} ${((100 * s.ok) / s.n).toFixed(1)}% of ${s.n}`);
  const top = [...confusions.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15);
  console.log('  top confusions:', top.map(([kk, v]) => `${kk} (${v})`).join(', '));
}

function main(): void {
  const corpusDir = arg('--corpus') ?? defaultCorpusDir();
  const out = arg('--out') ?? defaultModelPath();
  const t0 = Date.now();
  const corpus = readCorpus(corpusDir);
  console.log(
    `corpus: ${corpus.examples.length} examples from ${corpus.files.length} files (${corpus.duplicates} duplicates, ${corpus.skipped} unreadable rows skipped), sha256 ${corpus.sha256.slice(0, 12)}`,
  );
  const counts: Record<string, number> = {};
  for (const ex of corpus.examples) counts[ex.intent] = (counts[ex.intent] ?? 0) + 1;
  console.log('per intent:', INTENTS.map((i) => `${i}=${counts[i] ?? 0}`).join(' '));
  const cv = arg('--cv');
  if (cv) crossValidate(corpus, Number(cv));
  const file = trainModel(corpus, DEFAULT_TRAIN_OPTIONS);
  const text = serializeModel(file);
  console.log(`trained in ${Date.now() - t0} ms: ${file.rows} non-zero rows, ${(text.length / 1e6).toFixed(2)} MB, sha256 ${file.sha256.slice(0, 16)}`);
  const rates = arg('--out') === undefined ? JSON.stringify(fitTokenRates(textsOf(corpus)), null, 2) + '\n' : null;
  if (process.argv.includes('--check')) {
    const committed = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as ModelFile).sha256 : '(missing)';
    if (committed !== file.sha256) {
      console.error(`model/ is stale: committed ${committed.slice(0, 16)} != fresh ${file.sha256.slice(0, 16)}; run npm run train`);
      process.exitCode = 1;
    } else console.log('committed model matches the corpus');
    if (rates !== null) {
      const committedRates = existsSync(tokenRatesPath()) ? readFileSync(tokenRatesPath(), 'utf8') : '(missing)';
      if (committedRates !== rates) {
        console.error('model/token-rates.json is stale; run npm run train');
        process.exitCode = 1;
      } else console.log('committed token rates match the corpus');
    }
    return;
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
  if (rates !== null) {
    writeFileSync(tokenRatesPath(), rates);
    console.log(`wrote ${tokenRatesPath()}`);
  }
}

main();
