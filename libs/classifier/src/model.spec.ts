import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_FEATURE_CONFIG, DIM, FeatureBuffer } from './features';
import { decodeModel, defaultModelPath, encodeModel, loadModelFile, type ModelFile } from './model';
import { DEMANDS, INTENTS, SUBJECTS } from './types';

describe('model file', () => {
  it('loads the committed model and checks its digest', () => {
    const m = loadModelFile();
    assert.equal(m.classes.length, INTENTS.length);
    assert.equal(m.dim, DIM);
    // The intent table and its heads share one row per feature.
    assert.equal(m.rows.data.length, DIM * m.rows.stride);
    assert.ok(m.rows.stride >= INTENTS.length + SUBJECTS.length + DEMANDS.length);
    assert.match(m.id, /^[0-9a-f]{8}$/);
    assert.equal(m.depth.weights.length, m.depth.features.length);
  });

  it('carries subject and demand heads and the fitted knowledge weights', () => {
    const m = loadModelFile();
    assert.deepEqual(m.heads.get('subject')?.classes, SUBJECTS);
    assert.deepEqual(m.heads.get('demand')?.classes, DEMANDS);
    assert.equal(m.knowledge?.subjectWeights.length, SUBJECTS.length);
    assert.equal(m.knowledge?.demandWeights.length, DEMANDS.length);
  });

  it('round-trips a head and includes it in the digest', () => {
    const dense = new Float32Array(DIM * INTENTS.length);
    const head = new Float32Array(DIM * DEMANDS.length);
    head[9 * DEMANDS.length + 2] = 2;
    const file = encodeModel(dense, INTENTS, DEFAULT_FEATURE_CONFIG, {}, undefined, undefined, { demand: { classes: DEMANDS, dense: head } });
    const model = decodeModel(file);
    const buf = new FeatureBuffer();
    buf.push(9, 1);
    const out = new Float64Array(DEMANDS.length);
    model.heads.get('demand')?.logits(buf, out);
    assert.ok(Math.abs((out[2] ?? 0) - 2) < 2 / 127 + 1e-9);
    assert.equal(out[0], 0);
    const tampered = { ...file, heads: { demand: { ...(file.heads?.['demand'] ?? { classes: [], rows: 0, rowIndex: '', weights: '', scales: [] }), scales: [1, 1, 1, 1] } } };
    assert.throws(() => decodeModel(tampered), /digest/);
  });

  it('is small on disk (< 50 MB; a few MB expected)', () => {
    const bytes = readFileSync(defaultModelPath()).length;
    assert.ok(bytes < 10 * 1024 * 1024, `${bytes} bytes`);
  });

  it('rejects a tampered file', () => {
    const file = JSON.parse(readFileSync(defaultModelPath(), 'utf8')) as ModelFile;
    assert.throws(() => decodeModel({ ...file, scales: file.scales.map((s) => s * 2) }), /digest/);
    assert.throws(() => decodeModel({ ...file, format: 'something-else' }), /format/);
  });

  it('round-trips weights through int8 quantisation within one step per class', () => {
    const dense = new Float32Array(DIM * INTENTS.length);
    dense[5 * INTENTS.length + 0] = 1.5;
    dense[5 * INTENTS.length + 3] = -0.75;
    dense[77 * INTENTS.length + 14] = 0.01;
    const model = decodeModel(encodeModel(dense, INTENTS, DEFAULT_FEATURE_CONFIG, { test: true }));
    assert.ok(Math.abs(model.weight(5, 0) - 1.5) < 1.5 / 127);
    assert.ok(Math.abs(model.weight(5, 3) + 0.75) < 0.75 / 127 + 1e-6);
    const buf = new FeatureBuffer();
    buf.push(5, 1);
    const logits = new Float64Array(INTENTS.length);
    model.logits(buf, logits);
    assert.ok((logits[0] ?? 0) > 1.4);
  });

  it('interleaves the intent table and its heads in one row per feature, each layer 16-byte aligned', () => {
    const dense = new Float32Array(DIM * INTENTS.length);
    dense[7 * INTENTS.length + 14] = 1;
    const demand = new Float32Array(DIM * DEMANDS.length);
    demand[7 * DEMANDS.length + 3] = -2;
    const subject = new Float32Array(DIM * SUBJECTS.length);
    subject[(DIM - 1) * SUBJECTS.length + 13] = 0.5;
    const model = decodeModel(encodeModel(dense, INTENTS, DEFAULT_FEATURE_CONFIG, {}, undefined, undefined, { demand: { classes: DEMANDS, dense: demand }, subject: { classes: SUBJECTS, dense: subject } }));
    const d = model.heads.get('demand');
    const s = model.heads.get('subject');
    assert.ok(d && s);
    // One table: the same buffer, distinct aligned offsets, rows wide enough for all three.
    assert.equal(d.rows.data, model.rows.data);
    assert.equal(s.rows.data, model.rows.data);
    assert.deepEqual([model.rows.offset % 16, d.rows.offset % 16, s.rows.offset % 16], [0, 0, 0]);
    assert.equal(new Set([model.rows.offset, d.rows.offset, s.rows.offset]).size, 3);
    // Each layer reads its own weights back, also from the last row.
    const buf = new FeatureBuffer();
    buf.push(7, 1);
    buf.push(DIM - 1, 1);
    const intent = new Float64Array(INTENTS.length);
    model.logits(buf, intent);
    assert.ok(Math.abs((intent[14] ?? 0) - 1) < 1 / 127 + 1e-9);
    assert.equal(intent.filter((v, i) => i !== 14 && v !== 0).length, 0);
    const dout = new Float64Array(DEMANDS.length);
    d.logits(buf, dout);
    assert.deepEqual([...dout].map((v) => Math.round(v * 100) / 100), [0, 0, 0, -2]);
    const sout = new Float64Array(SUBJECTS.length);
    s.logits(buf, sout);
    assert.ok(Math.abs((sout[13] ?? 0) - 0.5) < 0.5 / 127 + 1e-9);
    assert.equal(sout.filter((v, i) => i !== 13 && v !== 0).length, 0);
    assert.ok(Math.abs(model.weight(7, 14) - 1) < 1 / 127 + 1e-9);
  });
});
