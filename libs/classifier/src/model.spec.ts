import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_FEATURE_CONFIG, DIM, FeatureBuffer } from './features';
import { decodeModel, defaultModelPath, encodeModel, loadModelFile, type ModelFile } from './model';
import { INTENTS } from './types';

describe('model file', () => {
  it('loads the committed model and checks its digest', () => {
    const m = loadModelFile();
    assert.equal(m.classes.length, INTENTS.length);
    assert.equal(m.dim, DIM);
    assert.equal(m.quantized.length, DIM * INTENTS.length);
    assert.match(m.id, /^[0-9a-f]{8}$/);
    assert.equal(m.depth.weights.length, m.depth.features.length);
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
});
