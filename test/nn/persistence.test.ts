import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '@/lib/nn/checksum';
import { fitSync, predict } from '@/lib/nn/fit';
import { Activation } from '@/lib/nn/layers/activation';
import { BatchNorm } from '@/lib/nn/layers/batchnorm';
import { Dense } from '@/lib/nn/layers/dense';
import { Dropout } from '@/lib/nn/layers/dropout';
import { Sequential } from '@/lib/nn/layers/sequential';
import { mse } from '@/lib/nn/losses';
import {
  ENGINE_VERSION,
  loadModel,
  type ModelManifest,
  packModelFile,
  type SavedModel,
  saveModel,
  unpackModelFile,
} from '@/lib/nn/persistence';
import { Rng } from '@/lib/nn/rng';

function trainedModel(): { model: Sequential; x: Float32Array } {
  const rng = new Rng(1);
  const model = new Sequential([
    new Dense({ inFeatures: 3, outFeatures: 8 }, rng),
    new BatchNorm({ features: 8 }),
    new Activation({ fn: 'relu' }),
    new Dropout({ rate: 0.3 }, rng),
    new Dense({ inFeatures: 8, outFeatures: 2 }, rng),
  ]);
  const n = 64;
  const x = Float32Array.from({ length: n * 3 }, () => rng.normal());
  const y = Float32Array.from({ length: n * 2 }, () => rng.normal());
  // training moves the weights and the BatchNorm running statistics (buffers) away from their initial values
  fitSync(model, { x, xShape: [n, 3], y, yShape: [n, 2] }, { loss: mse, epochs: 3, batchSize: 16 });
  return { model, x };
}

const meta = {
  config: { task: 'regression', hidden: [8] },
  preprocessing: { scaler: { mean: [0.1, -0.2, 0], std: [1, 2, 3] }, features: ['a', 'b', 'c'] },
  seed: 1,
  metrics: { valMse: 0.42, sharpe: Number.NaN },
};

/** A deep copy, as a JSON round trip through a file or a database column gives. */
function viaJson(s: SavedModel): SavedModel {
  return { manifest: JSON.parse(JSON.stringify(s.manifest)) as ModelManifest, weights: s.weights.slice() };
}

describe('saveModel / loadModel', () => {
  it('save → JSON → load gives bit-identical predictions, including BatchNorm running statistics', () => {
    const { model, x } = trainedModel();
    const saved = viaJson(saveModel(model, meta));
    const loaded = loadModel(saved.manifest, saved.weights, new Rng(999));
    expect(predict(loaded, x, [64, 3]).data).toEqual(predict(model, x, [64, 3]).data);
    expect(loaded.namedState().map(([n, t]) => [n, Array.from(t.data)])).toEqual(
      model.namedState().map(([n, t]) => [n, Array.from(t.data)]),
    );
    expect(loaded.training).toBe(false);
  });

  it('the manifest records versions, architecture, caller metadata and a tensor index; NaN metrics become null', () => {
    const { model } = trainedModel();
    const { manifest, weights } = saveModel(model, meta);
    expect(manifest.format).toBe('neuralfin-model');
    expect(manifest.formatVersion).toBe(1);
    expect(manifest.engineVersion).toBe(ENGINE_VERSION);
    expect(manifest.architecture).toEqual(model.spec());
    expect(manifest.config).toEqual(meta.config);
    expect(manifest.preprocessing).toEqual(meta.preprocessing);
    expect(manifest.seed).toBe(1);
    expect(manifest.metrics).toEqual({ valMse: 0.42, sharpe: null });
    expect(manifest.tensors.slice(0, 3)).toEqual([
      { name: '0.weight', shape: [3, 8], offset: 0, length: 24 },
      { name: '0.bias', shape: [8], offset: 96, length: 8 },
      { name: '1.gamma', shape: [8], offset: 128, length: 8 },
    ]);
    expect(manifest.tensors.map((t) => t.name)).toContain('1.runningVar');
    expect(weights.length).toBe(manifest.weightsByteLength);
    // little-endian float32: the first weight's bytes decode to it
    expect(new DataView(weights.buffer).getFloat32(0, true)).toBe(model.namedState()[0][1].data[0]);
    expect(JSON.parse(JSON.stringify(manifest))).toEqual(manifest);
  });

  it('refuses metadata JSON cannot store, naming the path', () => {
    const { model } = trainedModel();
    expect(() => saveModel(model, { preprocessing: { scaler: { mean: [1, Number.POSITIVE_INFINITY] } } })).toThrow(
      /manifest\.preprocessing\.scaler\.mean\[1\] is Infinity/,
    );
    expect(() => saveModel(model, { config: { when: new Date(0) } as never })).toThrow(
      /manifest\.config\.when is a Date/,
    );
  });
});

describe('loadModel: corrupt, truncated and mismatched files fail with specific errors', () => {
  const { model } = trainedModel();
  const good = saveModel(model, meta);

  it('a flipped weight byte fails the checksum', () => {
    const s = viaJson(good);
    s.weights[40] ^= 0x01;
    expect(() => loadModel(s.manifest, s.weights, new Rng(0))).toThrow(
      /weights are corrupt: SHA-256 checksum mismatch/,
    );
  });

  it('truncated or over-long weights report expected vs got bytes', () => {
    const s = viaJson(good);
    const n = s.weights.length;
    expect(() => loadModel(s.manifest, s.weights.subarray(0, n - 4), new Rng(0))).toThrow(
      `model weights are truncated: expected ${n} bytes, got ${n - 4}`,
    );
    const longer = new Uint8Array(n + 8);
    longer.set(s.weights);
    expect(() => loadModel(s.manifest, longer, new Rng(0))).toThrow(
      `model weights are too long: expected ${n} bytes, got ${n + 8}`,
    );
  });

  it('an architecture that does not match the tensors names the tensor and both shapes', () => {
    const s = viaJson(good);
    const first = s.manifest.architecture.children![0];
    first.config.outFeatures = 9;
    expect(() => loadModel(s.manifest, s.weights, new Rng(0))).toThrow(
      "tensor '0.weight': architecture expects shape [3, 9], file has [3, 8]",
    );
  });

  it('a tensor missing from the file, or extra in it, is named', () => {
    const s = viaJson(good);
    s.manifest.architecture.children![0].config.bias = false;
    expect(() => loadModel(s.manifest, s.weights, new Rng(0))).toThrow(
      "tensor '0.bias': in the file but not part of the architecture",
    );
    const t = viaJson(good);
    t.manifest.tensors[1].name = '0.offset';
    expect(() => loadModel(t.manifest, t.weights, new Rng(0))).toThrow(
      "tensor '0.bias': the architecture needs it but the file does not contain it",
    );
  });

  it('an inconsistent tensor index or an unsupported version is reported', () => {
    const s = viaJson(good);
    s.manifest.tensors[1].shape = [9];
    expect(() => loadModel(s.manifest, s.weights, new Rng(0))).toThrow(
      "tensor '0.bias': index length 8 does not match its shape [9]",
    );
    const v = viaJson(good);
    v.manifest.formatVersion = 7;
    expect(() => loadModel(v.manifest, v.weights, new Rng(0))).toThrow(/format version 7 is not supported/);
    const f = viaJson(good);
    (f.manifest as { format: string }).format = 'onnx';
    expect(() => loadModel(f.manifest, f.weights, new Rng(0))).toThrow(/not a NeuralFin model manifest/);
  });
});

describe('packModelFile / unpackModelFile', () => {
  const { model, x } = trainedModel();
  const saved = saveModel(model, meta);

  it('round-trips manifest and weights through one byte array', () => {
    const file = packModelFile(saved);
    const back = unpackModelFile(file);
    expect(back.manifest).toEqual(saved.manifest);
    expect(Array.from(back.weights)).toEqual(Array.from(saved.weights));
    const loaded = loadModel(back.manifest, back.weights, new Rng(3));
    expect(predict(loaded, x, [64, 3]).data).toEqual(predict(model, x, [64, 3]).data);
  });

  it('rejects bad magic, truncated headers, truncated manifests, bad JSON and truncated weights', () => {
    const file = packModelFile(saved);
    const bad = file.slice();
    bad[0] = 0x58;
    expect(() => unpackModelFile(bad)).toThrow('not a NeuralFin model file (bad magic bytes)');
    expect(() => unpackModelFile(file.subarray(0, 10))).toThrow(/truncated: 10 bytes, shorter than the 16-byte header/);
    expect(() => unpackModelFile(file.subarray(0, 40))).toThrow(/truncated: manifest needs \d+ bytes, only 24 remain/);
    const garbled = file.slice();
    garbled[16] = 0x7d; // '}' where the manifest's '{' was
    expect(() => unpackModelFile(garbled)).toThrow(/manifest is not valid JSON/);
    const cut = unpackModelFile(file.subarray(0, file.length - 12));
    expect(() => loadModel(cut.manifest, cut.weights, new Rng(0))).toThrow(/weights are truncated/);
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 test vectors and node:crypto across block boundaries', () => {
    const ascii = (s: string) => new TextEncoder().encode(s);
    expect(sha256Hex(ascii('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const rng = new Rng(5);
    for (const n of [55, 56, 63, 64, 65, 119, 120, 1000, 4097]) {
      const bytes = Uint8Array.from({ length: n }, () => rng.int(256));
      expect(sha256Hex(bytes), `length ${n}`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
});
