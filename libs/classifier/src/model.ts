/**
 * The intent model: multinomial logistic regression over hashed features.
 *
 * On disk (model/intent-model.json) the weights are sparse - only rows (features)
 * that training touched - and quantised to int8 with one scale per class, base64
 * encoded. That keeps the committed file at a few MB. In memory the table is dense
 * and stays int8 ([feature][class]; with the subject and demand heads interleaved, 48
 * bytes per feature, 12.6 MB for 2^18 features): prediction is one multiply-add per
 * active feature and class, and all classes of all layers of a feature sit side by side
 * (a float32 table is 4x larger, and on long prompts the lookups miss the cache). The
 * per-class scale is applied once to the sums, so logits equal those of the dequantised
 * table.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_DEPTH_MODEL, type DepthModel, type KnowledgeModel } from './complexity';
import type { FeatureBuffer, FeatureConfig } from './features';
import { INTENTS, isIntent, type Intent } from './types';

/** Format tag written by the trainer and checked by the loader. */
export const MODEL_FORMAT = 'yardmaster-intent-linear/1';

/** Serialised model file. */
export interface ModelFile {
  format: string;
  classes: string[];
  featureConfig: FeatureConfig;
  /** Number of rows stored (features with a non-zero weight). */
  rows: number;
  /** base64 of Uint32 row (feature) indices, ascending. */
  rowIndex: string;
  /** base64 of Int8 weights, rows x classes, row-major. */
  weights: string;
  /** Dequantisation scale per class: weight = int8 * scale[class]. */
  scales: number[];
  /** Solution-depth regression used by the complexity score (fitted by the trainer). */
  complexity?: DepthModel;
  /**
   * Further linear heads over the same features: `subject` (SUBJECTS) and `demand`
   * (DEMANDS), trained on the corpus rows that carry those labels. Absent in older files.
   */
  heads?: Record<string, HeadFile>;
  /** Subject/demand weights of the complexity score (fitted by the trainer); absent in older files. */
  knowledge?: KnowledgeModel;
  /** Training metadata (corpus hash, hyper-parameters) - informational and for reproducibility. */
  meta: Record<string, unknown>;
  /** sha256 (hex) over rowIndex + weights + scales + complexity; the model's identity. */
  sha256: string;
}

/** One extra head on disk: the same sparse int8 layout as the intent table. */
export interface HeadFile {
  classes: string[];
  rows: number;
  rowIndex: string;
  weights: string;
  scales: number[];
}

/**
 * Where a linear layer's int8 weights live: class `c` of feature `r` is
 * `data[r * stride + offset + c]`. The intent table and its heads share one table with
 * one row per feature (see {@link allocateRows}), so the weights a feature needs for
 * every head sit side by side in memory instead of in three tables megabytes apart.
 */
export interface WeightRows {
  readonly data: Int8Array;
  readonly stride: number;
  readonly offset: number;
}

/** Each layer of an interleaved row starts at a multiple of this many bytes. */
const ROW_ALIGN = 16;

/**
 * One zeroed table for several layers (the intent table first, then the heads), one row
 * of `stride` bytes per feature with each layer at a 16-byte-aligned offset: a
 * 2,000-token prompt's ~2,000 features then cost one or two adjacent cache lines each for
 * all layers, where three separate tables cost three scattered lines (~9% of a long
 * prompt's classification time, measured). Returns each layer's place, in order.
 */
export function allocateRows(ks: readonly number[], dim: number): WeightRows[] {
  const offsets: number[] = [];
  let end = 0;
  for (const k of ks) {
    const at = Math.ceil(end / ROW_ALIGN) * ROW_ALIGN;
    offsets.push(at);
    end = at + k;
  }
  const stride = Math.max(ROW_ALIGN, Math.ceil(end / ROW_ALIGN) * ROW_ALIGN);
  const data = new Int8Array(dim * stride);
  return offsets.map((offset) => ({ data, stride, offset }));
}

/** A layer's rows: a dense table as is, or a place in an interleaved one; checked against its classes and scales. */
function weightRows(weights: Int8Array | WeightRows, scales: readonly number[], k: number, what: string): WeightRows {
  const rows = weights instanceof Int8Array ? { data: weights, stride: k, offset: 0 } : weights;
  if (scales.length !== k || k === 0 || rows.offset + k > rows.stride || rows.data.length % rows.stride !== 0) throw new Error(`${what} tables have the wrong size`);
  return rows;
}

/**
 * A linear head over the intent model's features (subject, demand): dense int8
 * [feature][class] table, one scale per class. Its scores are logits in class order.
 */
export class LinearHead {
  /** The head's weights (its own dense table, or its place in an interleaved one). */
  readonly rows: WeightRows;
  readonly scales: Float64Array;
  readonly classes: readonly string[];
  readonly k: number;

  /** `weights`: a dense [feature][class] table, or the head's place in an interleaved table. */
  constructor(weights: Int8Array | WeightRows, scales: readonly number[], classes: readonly string[]) {
    this.rows = weightRows(weights, scales, classes.length, 'head');
    this.scales = Float64Array.from(scales);
    this.classes = classes;
    this.k = classes.length;
  }

  /** Logits (class order) of a feature vector into `out` (length k). */
  logits(x: FeatureBuffer, out: Float64Array): void {
    const k = this.k;
    const w = this.rows.data;
    const stride = this.rows.stride;
    const offset = this.rows.offset;
    const idx = x.idx;
    const val = x.val;
    out.fill(0, 0, k);
    if (k === 4) {
      // The demand head: accumulators in locals (see IntentModel.logits15).
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let i = 0; i < x.n; i++) {
        const v = val[i] as number;
        const b = (idx[i] as number) * stride + offset;
        a0 += v * (w[b] as number);
        a1 += v * (w[b + 1] as number);
        a2 += v * (w[b + 2] as number);
        a3 += v * (w[b + 3] as number);
      }
      out[0] = a0; out[1] = a1; out[2] = a2; out[3] = a3;
    } else if (k === 14) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
      for (let i = 0; i < x.n; i++) {
        const v = val[i] as number;
        const b = (idx[i] as number) * stride + offset;
        a0 += v * (w[b] as number);
        a1 += v * (w[b + 1] as number);
        a2 += v * (w[b + 2] as number);
        a3 += v * (w[b + 3] as number);
        a4 += v * (w[b + 4] as number);
        a5 += v * (w[b + 5] as number);
        a6 += v * (w[b + 6] as number);
        a7 += v * (w[b + 7] as number);
        a8 += v * (w[b + 8] as number);
        a9 += v * (w[b + 9] as number);
        a10 += v * (w[b + 10] as number);
        a11 += v * (w[b + 11] as number);
        a12 += v * (w[b + 12] as number);
        a13 += v * (w[b + 13] as number);
      }
      out[0] = a0; out[1] = a1; out[2] = a2; out[3] = a3; out[4] = a4; out[5] = a5; out[6] = a6;
      out[7] = a7; out[8] = a8; out[9] = a9; out[10] = a10; out[11] = a11; out[12] = a12; out[13] = a13;
    } else {
      for (let i = 0; i < x.n; i++) {
        const v = val[i] ?? 0;
        const base = (idx[i] ?? 0) * stride + offset;
        for (let c = 0; c < k; c++) out[c] = (out[c] ?? 0) + v * (w[base + c] ?? 0);
      }
    }
    for (let c = 0; c < k; c++) out[c] = (out[c] ?? 0) * (this.scales[c] ?? 0);
  }
}

/** Loaded, ready-to-run model. */
export class IntentModel {
  /** Quantised weights (weight = q * scales[class]): its own dense table or its place in an interleaved one. */
  readonly rows: WeightRows;
  /** Dequantisation scale per class. */
  readonly scales: Float64Array;
  readonly classes: readonly Intent[];
  readonly k: number;
  readonly config: FeatureConfig;
  /** Short identity of the weights (first 8 hex chars of the sha256). */
  readonly id: string;
  readonly meta: Readonly<Record<string, unknown>>;
  /** Depth model for the complexity score. */
  readonly depth: DepthModel;
  /** Extra heads by name (`subject`, `demand`); empty for older model files. */
  readonly heads: ReadonlyMap<string, LinearHead>;
  /** Subject/demand weights of the complexity score; null for older model files. */
  readonly knowledge: KnowledgeModel | null;
  /** Maps model class index -> index in INTENTS. */
  private readonly toIntentIndex: Int32Array;
  /** Scratch accumulator (prediction is synchronous; reused to avoid allocation). */
  private readonly acc: Float64Array;
  /** Column of a row's last weight that this model or a head sharing its table reads, from the model's offset ({@link touchRows}). */
  private readonly rowLast: number;
  /** Where {@link touchRows} leaves its sum. */
  private touched = 0;

  /** `weights`: a dense [feature][class] table, or the model's place in an interleaved one. */
  constructor(
    weights: Int8Array | WeightRows,
    scales: readonly number[],
    classes: readonly Intent[],
    config: FeatureConfig,
    id: string,
    meta: Record<string, unknown>,
    depth: DepthModel = DEFAULT_DEPTH_MODEL,
    heads: ReadonlyMap<string, LinearHead> = new Map(),
    knowledge: KnowledgeModel | null = null,
  ) {
    this.depth = depth;
    this.heads = heads;
    this.knowledge = knowledge;
    this.rows = weightRows(weights, scales, classes.length, 'model');
    this.scales = Float64Array.from(scales);
    this.classes = classes;
    this.k = classes.length;
    this.config = config;
    this.id = id;
    this.meta = meta;
    this.toIntentIndex = Int32Array.from(classes.map((c) => INTENTS.indexOf(c)));
    this.acc = new Float64Array(this.k);
    let span = this.rows.offset + this.k;
    for (const h of heads.values()) if (h.rows.data === this.rows.data) span = Math.max(span, h.rows.offset + h.k);
    this.rowLast = span - 1 - this.rows.offset;
  }

  /** Dimension of the feature space (rows of the weight table). */
  get dim(): number {
    return this.rows.data.length / this.rows.stride;
  }

  /** The (dequantised) weight of one feature for one class (model class order). */
  weight(feature: number, classIndex: number): number {
    return (this.rows.data[feature * this.rows.stride + this.rows.offset + classIndex] ?? 0) * (this.scales[classIndex] ?? 0);
  }

  /**
   * The hot loop for the 15-class model, with the accumulators in locals: about 3x
   * faster than indexing an accumulator array, which matters for 2,000-token prompts
   * with a few thousand active features.
   */
  private logits15(x: FeatureBuffer): void {
    const w = this.rows.data;
    const stride = this.rows.stride;
    const offset = this.rows.offset;
    const idx = x.idx;
    const val = x.val;
    this.touchRows(x, w, stride, offset);
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0;
    for (let i = 0; i < x.n; i++) {
      const v = val[i] as number;
      const b = (idx[i] as number) * stride + offset;
      a0 += v * (w[b] as number);
      a1 += v * (w[b + 1] as number);
      a2 += v * (w[b + 2] as number);
      a3 += v * (w[b + 3] as number);
      a4 += v * (w[b + 4] as number);
      a5 += v * (w[b + 5] as number);
      a6 += v * (w[b + 6] as number);
      a7 += v * (w[b + 7] as number);
      a8 += v * (w[b + 8] as number);
      a9 += v * (w[b + 9] as number);
      a10 += v * (w[b + 10] as number);
      a11 += v * (w[b + 11] as number);
      a12 += v * (w[b + 12] as number);
      a13 += v * (w[b + 13] as number);
      a14 += v * (w[b + 14] as number);
    }
    const acc = this.acc;
    const s = this.scales;
    acc[0] = a0 * (s[0] as number); acc[1] = a1 * (s[1] as number); acc[2] = a2 * (s[2] as number);
    acc[3] = a3 * (s[3] as number); acc[4] = a4 * (s[4] as number); acc[5] = a5 * (s[5] as number);
    acc[6] = a6 * (s[6] as number); acc[7] = a7 * (s[7] as number); acc[8] = a8 * (s[8] as number);
    acc[9] = a9 * (s[9] as number); acc[10] = a10 * (s[10] as number); acc[11] = a11 * (s[11] as number);
    acc[12] = a12 * (s[12] as number); acc[13] = a13 * (s[13] as number); acc[14] = a14 * (s[14] as number);
  }

  /**
   * Reads the first and the last weight of each of the feature vector's rows (a row's
   * 36 used bytes lie on one or two cache lines) before the arithmetic runs. The rows lie at random places in a 12 MB table, so on a cold cache
   * (a request after other work) each row is a miss; this loop has nothing else to do,
   * so the CPU keeps many of those misses in flight at once, where the multiply-add loop
   * would wait on them a few at a time (about a third less time in {@link logits} on a
   * cold cache, the same on a warm one). The subject and demand heads share the rows, so
   * they find them in cache too. The sum is kept so the loads are not optimised away.
   */
  private touchRows(x: FeatureBuffer, w: Int8Array, stride: number, offset: number): void {
    const idx = x.idx;
    const last = this.rowLast;
    let s = 0;
    for (let i = 0; i < x.n; i++) {
      const b = (idx[i] as number) * stride + offset;
      s += (w[b] as number) + (w[b + last] as number);
    }
    this.touched = s;
  }

  /**
   * Class logits for a feature vector, written into `out` (length INTENTS.length,
   * in INTENTS order; intents the model does not know get -Infinity).
   */
  logits(x: FeatureBuffer, out: Float64Array): void {
    const k = this.k;
    const w = this.rows.data;
    const stride = this.rows.stride;
    const offset = this.rows.offset;
    const acc = this.acc;
    acc.fill(0);
    if (k === 15) {
      this.logits15(x);
      out.fill(Number.NEGATIVE_INFINITY);
      for (let c = 0; c < k; c++) out[this.toIntentIndex[c] ?? 0] = acc[c] ?? 0;
      return;
    }
    const idx = x.idx;
    const val = x.val;
    for (let i = 0; i < x.n; i++) {
      const v = val[i] ?? 0;
      const base = (idx[i] ?? 0) * stride + offset;
      for (let c = 0; c < k; c++) acc[c] = (acc[c] ?? 0) + v * (w[base + c] ?? 0);
    }
    for (let c = 0; c < k; c++) acc[c] = (acc[c] ?? 0) * (this.scales[c] ?? 0);
    out.fill(Number.NEGATIVE_INFINITY);
    for (let c = 0; c < k; c++) out[this.toIntentIndex[c] ?? 0] = acc[c] ?? 0;
  }
}

/** Softmax in place (numerically stable). */
export function softmax(v: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const x of v) if (x > max) max = x;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const e = Math.exp((v[i] ?? 0) - max);
    v[i] = e;
    sum += e;
  }
  for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / sum;
}

/** sha256 over the parts that define the weights. */
export function modelDigest(
  rowIndex: string,
  weights: string,
  scales: readonly number[],
  complexity?: DepthModel,
  heads?: Record<string, HeadFile>,
  knowledge?: KnowledgeModel,
): string {
  const h = createHash('sha256')
    .update(rowIndex)
    .update('\n')
    .update(weights)
    .update('\n')
    .update(JSON.stringify(scales))
    .update('\n')
    .update(JSON.stringify(complexity ?? null));
  // (older files have no heads; their digest is unchanged)
  if (heads) h.update('\n').update(JSON.stringify(heads));
  if (knowledge) h.update('\n').update(JSON.stringify(knowledge));
  return h.digest('hex');
}

/** Sparse int8 encoding of a dense [dim x k] table (rows that quantise to all-zero dropped). */
export function encodeTable(
  dense: Float32Array,
  k: number,
  pruneBelow = 1e-4,
): { rows: number; rowIndex: string; weights: string; scales: number[] } {
  const dim = dense.length / k;
  const scales: number[] = [];
  for (let c = 0; c < k; c++) {
    let m = 0;
    for (let r = 0; r < dim; r++) m = Math.max(m, Math.abs(dense[r * k + c] ?? 0));
    // Round the scale to float32 so encode/decode agree bit-for-bit across runs.
    scales.push(Math.fround(m > 0 ? m / 127 : 1));
  }
  const rows: number[] = [];
  for (let r = 0; r < dim; r++) {
    let keep = false;
    for (let c = 0; c < k; c++) {
      const w = dense[r * k + c] ?? 0;
      if (Math.abs(w) >= pruneBelow && Math.round(w / (scales[c] ?? 1)) !== 0) {
        keep = true;
        break;
      }
    }
    if (keep) rows.push(r);
  }
  const idx = Uint32Array.from(rows);
  const q = new Int8Array(rows.length * k);
  rows.forEach((r, i) => {
    for (let c = 0; c < k; c++) {
      const v = Math.round((dense[r * k + c] ?? 0) / (scales[c] ?? 1));
      q[i * k + c] = Math.max(-127, Math.min(127, v));
    }
  });
  return {
    rows: rows.length,
    rowIndex: Buffer.from(idx.buffer, idx.byteOffset, idx.byteLength).toString('base64'),
    weights: Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString('base64'),
    scales,
  };
}

/** Decodes a sparse int8 table into a dense one of `dim` rows. */
function decodeTable(t: { rows: number; rowIndex: string; weights: string }, k: number, into: WeightRows): void {
  const idxBuf = Buffer.from(t.rowIndex, 'base64');
  const wBuf = Buffer.from(t.weights, 'base64');
  const rows = new Uint32Array(idxBuf.buffer.slice(idxBuf.byteOffset, idxBuf.byteOffset + idxBuf.byteLength));
  const q = new Int8Array(wBuf.buffer.slice(wBuf.byteOffset, wBuf.byteOffset + wBuf.byteLength));
  if (rows.length !== t.rows || q.length !== rows.length * k) throw new Error('model tables have the wrong size');
  const dim = into.data.length / into.stride;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] ?? 0;
    if (r >= dim) throw new Error('model row index out of range');
    into.data.set(q.subarray(i * k, i * k + k), r * into.stride + into.offset);
  }
}

/**
 * Sparsifies and quantises a dense weight table into the on-disk format.
 * Rows whose largest |weight| is below `pruneBelow` are dropped (they cannot move
 * a prediction), which is most hash slots that only saw noise.
 */
export function encodeModel(
  dense: Float32Array,
  classes: readonly Intent[],
  config: FeatureConfig,
  meta: Record<string, unknown>,
  complexity?: DepthModel,
  pruneBelow = 1e-4,
  heads?: Record<string, { classes: readonly string[]; dense: Float32Array }>,
  knowledge?: KnowledgeModel,
): ModelFile {
  const t = encodeTable(dense, classes.length, pruneBelow);
  let headFiles: Record<string, HeadFile> | undefined;
  if (heads) {
    headFiles = {};
    for (const name of Object.keys(heads).sort()) {
      const h = heads[name];
      if (h) headFiles[name] = { classes: [...h.classes], ...encodeTable(h.dense, h.classes.length, pruneBelow) };
    }
  }
  return {
    format: MODEL_FORMAT,
    classes: [...classes],
    featureConfig: config,
    rows: t.rows,
    rowIndex: t.rowIndex,
    weights: t.weights,
    scales: t.scales,
    ...(complexity ? { complexity } : {}),
    ...(headFiles ? { heads: headFiles } : {}),
    ...(knowledge ? { knowledge } : {}),
    meta,
    sha256: modelDigest(t.rowIndex, t.weights, t.scales, complexity, headFiles, knowledge),
  };
}

/** Builds the in-memory model from a parsed model file (validates shape and digest). */
export function decodeModel(file: ModelFile): IntentModel {
  if (file.format !== MODEL_FORMAT) throw new Error(`unsupported model format ${String(file.format)}`);
  const classes = file.classes.map((c) => {
    if (!isIntent(c)) throw new Error(`unknown class ${c} in model`);
    return c;
  });
  const digest = modelDigest(file.rowIndex, file.weights, file.scales, file.complexity, file.heads, file.knowledge);
  if (digest !== file.sha256) throw new Error('model digest mismatch (corrupt or edited model file)');
  const dim = 1 << file.featureConfig.hashBits;
  const headFiles = Object.entries(file.heads ?? {});
  const rows = allocateRows([classes.length, ...headFiles.map(([, h]) => h.classes.length)], dim);
  decodeTable(file, classes.length, rows[0] as WeightRows);
  const heads = new Map<string, LinearHead>();
  headFiles.forEach(([name, h], i) => {
    const place = rows[i + 1] as WeightRows;
    decodeTable(h, h.classes.length, place);
    heads.set(name, new LinearHead(place, h.scales, h.classes));
  });
  return new IntentModel(
    rows[0] as WeightRows,
    file.scales,
    classes,
    file.featureConfig,
    file.sha256.slice(0, 8),
    file.meta,
    file.complexity ?? DEFAULT_DEPTH_MODEL,
    heads,
    file.knowledge ?? null,
  );
}

/** Directory of the committed model (package root/model), from src/ or dist/ alike. */
export function defaultModelPath(): string {
  return path.resolve(__dirname, '..', 'model', 'intent-model.json');
}

/** Reads and decodes a model file from disk. */
export function loadModelFile(file: string = defaultModelPath()): IntentModel {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as ModelFile;
  return decodeModel(parsed);
}
