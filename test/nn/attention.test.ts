// Attention, the Transformer encoder block and positional encodings: values against a float64 reference, the shared
// finite-difference gradient check (with and without the causal mask, batch 1, with a fixed dropout mask), the causal
// mask really hiding the future, attention weights for display, registry rebuilds, and a learning test (a small
// Transformer forecasting a noisy sine one step ahead).

import { describe, expect, it } from 'vitest';
import { fitSync, predict } from '@/lib/nn/fit';
import { gradCheck } from '@/lib/nn/gradcheck';
import { MultiHeadSelfAttention } from '@/lib/nn/layers/attention';
import { Dense } from '@/lib/nn/layers/dense';
import { GlobalAvgPool1D } from '@/lib/nn/layers/pooling';
import { LearnedPositionalEncoding, SinusoidalPositionalEncoding, sinusoidalTable } from '@/lib/nn/layers/positional';
import { buildModule } from '@/lib/nn/layers/registry';
import { Sequential } from '@/lib/nn/layers/sequential';
import { TransformerEncoderBlock } from '@/lib/nn/layers/transformer';
import { mse } from '@/lib/nn/losses';
import type { Module } from '@/lib/nn/module';
import { mul, sum } from '@/lib/nn/ops/arithmetic';
import { fusedSelfAttention, qkvProjection, scaledDotProductAttention } from '@/lib/nn/ops/attention';
import { dropoutMask } from '@/lib/nn/ops/dropout';
import { linear } from '@/lib/nn/ops/linear';
import { loadModel, saveModel } from '@/lib/nn/persistence';
import { Rng } from '@/lib/nn/rng';
import { noGrad, Tensor } from '@/lib/nn/tensor';
import { rand, sineTestMse, sineWindows } from './helpers';

/** Σ out ⊙ R for a fixed random R, so every output element gets its own gradient. */
function weightedSum(out: Tensor, seed = 99): Tensor {
  return sum(mul(out, rand(new Rng(seed), out.shape)));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Float64 reference of multi-head attention (B, T, d) with an optional dropout mask (B, H, T, T) on the weights. */
function referenceAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  heads: number,
  causal: boolean,
  mask: Float32Array | null = null,
): { out: Float64Array; weights: Float64Array } {
  const [batch, steps, d] = q.shape;
  const dh = d / heads;
  const out = new Float64Array(batch * steps * d);
  const weights = new Float64Array(batch * heads * steps * steps);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < steps; i++) {
        const s: number[] = [];
        for (let j = 0; j < steps; j++) {
          let dot = 0;
          for (let c = 0; c < dh; c++)
            dot += q.data[(b * steps + i) * d + h * dh + c] * k.data[(b * steps + j) * d + h * dh + c];
          s.push(causal && j > i ? Number.NEGATIVE_INFINITY : dot / Math.sqrt(dh));
        }
        const mx = Math.max(...s);
        const e = s.map((z) => Math.exp(z - mx));
        const total = e.reduce((p, z) => p + z, 0);
        for (let j = 0; j < steps; j++) {
          const w = e[j] / total;
          const at = ((b * heads + h) * steps + i) * steps + j;
          weights[at] = w;
          const wd = mask === null ? w : w * mask[at];
          for (let c = 0; c < dh; c++)
            out[(b * steps + i) * d + h * dh + c] += wd * v.data[(b * steps + j) * d + h * dh + c];
        }
      }
    }
  }
  return { out, weights };
}

describe('scaledDotProductAttention op', () => {
  for (const causal of [false, true]) {
    it(`matches a float64 reference within 1e-6 (B 2, T 5, d 6, 3 heads, causal ${causal}); weights rows sum to 1`, () => {
      const rng = new Rng(1);
      const [q, k, v] = [rand(rng, [2, 5, 6], -2, 2), rand(rng, [2, 5, 6], -2, 2), rand(rng, [2, 5, 6])];
      const { output, weights } = scaledDotProductAttention(q, k, v, { numHeads: 3, causal, keepWeights: true });
      const ref = referenceAttention(q, k, v, 3, causal);
      expect(maxAbsDiff(output.data, ref.out)).toBeLessThan(1e-6);
      expect(weights!.shape).toEqual([2, 3, 5, 5]);
      expect(maxAbsDiff(weights!.data, ref.weights)).toBeLessThan(1e-6);
      for (let row = 0; row < 2 * 3 * 5; row++) {
        let s = 0;
        for (let j = 0; j < 5; j++) s += weights!.data[row * 5 + j];
        expect(Math.abs(s - 1)).toBeLessThan(1e-6);
        // causal: query i = row mod 5 gives no weight to keys after it
        const i = row % 5;
        for (let j = i + 1; j < 5 && causal; j++) expect(weights!.data[row * 5 + j]).toBe(0);
      }
    });
  }

  it('dropout multiplies the weights by the mask drawn from the rng (rate 0.4), matching the reference within 1e-6', () => {
    const rng = new Rng(2);
    const [q, k, v] = [rand(rng, [2, 4, 4]), rand(rng, [2, 4, 4]), rand(rng, [2, 4, 4])];
    const { output } = scaledDotProductAttention(q, k, v, { numHeads: 2, dropout: 0.4, rng: new Rng(11) });
    const mask = dropoutMask(2 * 2 * 4 * 4, 0.4, new Rng(11));
    expect(mask.includes(0)).toBe(true);
    expect(maxAbsDiff(output.data, referenceAttention(q, k, v, 2, false, mask).out)).toBeLessThan(1e-6);
  });

  it('inference (no graph, one (T, T) scratch block) gives the same output as a recorded forward', () => {
    const rng = new Rng(3);
    const [q, k, v] = [rand(rng, [3, 6, 8]), rand(rng, [3, 6, 8]), rand(rng, [3, 6, 8])];
    const recorded = scaledDotProductAttention(q, k, v, { numHeads: 2, causal: true });
    q.requiresGrad = true;
    const again = scaledDotProductAttention(q, k, v, { numHeads: 2, causal: true });
    const inference = noGrad(() => scaledDotProductAttention(q, k, v, { numHeads: 2, causal: true }));
    expect(recorded.weights).toBeNull();
    expect(inference.output.requiresGrad).toBe(false);
    expect(again.output.requiresGrad).toBe(true);
    expect(Array.from(inference.output.data)).toEqual(Array.from(again.output.data));
    expect(Array.from(recorded.output.data)).toEqual(Array.from(again.output.data));
  });

  const gradCases: [string, number[], number, boolean][] = [
    ['batch 1, T 4, 2 heads, no mask', [1, 4, 4], 2, false],
    ['batch 1, T 4, 2 heads, causal', [1, 4, 4], 2, true],
    ['batch 2, T 5, 3 heads, no mask', [2, 5, 6], 3, false],
    ['batch 2, T 5, 1 head, causal', [2, 5, 3], 1, true],
  ];
  for (const [label, shape, numHeads, causal] of gradCases) {
    it(`gradCheck of q, k and v: ${label}`, () => {
      const rng = new Rng(4);
      const inputs = [rand(rng, shape, -1.5, 1.5), rand(rng, shape, -1.5, 1.5), rand(rng, shape)];
      const r = gradCheck(
        ([q, k, v]) => weightedSum(scaledDotProductAttention(q, k, v, { numHeads, causal }).output),
        inputs,
      );
      expect(r.ok, r.worst).toBe(true);
    });
  }

  it('gradCheck with a fixed dropout mask (rate 0.3, re-seeded rng), causal', () => {
    const rng = new Rng(5);
    const shape = [2, 4, 4];
    const r = gradCheck(
      ([q, k, v]) =>
        weightedSum(
          scaledDotProductAttention(q, k, v, { numHeads: 2, causal: true, dropout: 0.3, rng: new Rng(8) }).output,
        ),
      [rand(rng, shape), rand(rng, shape), rand(rng, shape)],
    );
    expect(r.ok, r.worst).toBe(true);
  });

  it('gradCheck when q, k and v are one tensor (gradients of the three roles add up)', () => {
    const r = gradCheck(
      ([x]) => weightedSum(scaledDotProductAttention(x, x, x, { numHeads: 2 }).output),
      [rand(new Rng(6), [1, 5, 4])],
    );
    expect(r.ok, r.worst).toBe(true);
  });

  it('rejects mismatched shapes and a width that the heads do not divide, naming the shapes', () => {
    const a = Tensor.zeros([2, 3, 4]);
    expect(() => scaledDotProductAttention(a, Tensor.zeros([2, 4, 4]), a, { numHeads: 2 })).toThrow(
      /\[2, 3, 4\], \[2, 4, 4\]/,
    );
    expect(() => scaledDotProductAttention(a, a, a, { numHeads: 3 })).toThrow(/d = 4 of \[2, 3, 4\]/);
    expect(() => scaledDotProductAttention(a, a, a, { numHeads: 2, dropout: 0.5 })).toThrow(/rng/);
  });
});

describe('projections feeding attention', () => {
  it('qkvProjection equals three linear maps side by side (within 1e-6) and gradChecks (batch 1)', () => {
    const rng = new Rng(50);
    const x = rand(rng, [2, 3, 4]);
    const ps = [
      rand(rng, [4, 6]),
      rand(rng, [6]),
      rand(rng, [4, 6]),
      rand(rng, [6]),
      rand(rng, [4, 6]),
      rand(rng, [6]),
    ];
    const qkv = qkvProjection(x, ps[0], ps[1], ps[2], ps[3], ps[4], ps[5]);
    expect(qkv.shape).toEqual([2, 3, 18]);
    for (let block = 0; block < 3; block++) {
      const ref = linear(x, ps[2 * block], ps[2 * block + 1]); // (2, 3, 6)
      for (let row = 0; row < 6; row++) {
        const ours = qkv.data.subarray(row * 18 + block * 6, row * 18 + block * 6 + 6);
        expect(maxAbsDiff(ours, ref.data.subarray(row * 6, row * 6 + 6))).toBeLessThan(1e-6);
      }
    }
    const r = gradCheck(
      ([xi, wq, bq, wk, bk, wv, bv]) => weightedSum(qkvProjection(xi, wq, bq, wk, bk, wv, bv)),
      [rand(rng, [1, 3, 4]), ...ps],
    );
    expect(r.ok, r.worst).toBe(true);
    expect(() => qkvProjection(x, ps[0], ps[1], ps[2], ps[3], rand(rng, [4, 5]), ps[5])).toThrow(/\[4, 5\]/);
  });

  it('fusedSelfAttention on [q | k | v] equals scaledDotProductAttention on q, k, v; gradCheck causal', () => {
    const rng = new Rng(51);
    const qkv = rand(rng, [2, 5, 12], -1.5, 1.5);
    const part = (block: number) => {
      const t = Tensor.zeros([2, 5, 4]);
      for (let row = 0; row < 10; row++)
        t.data.set(qkv.data.subarray(row * 12 + block * 4, row * 12 + block * 4 + 4), row * 4);
      return t;
    };
    for (const causal of [false, true]) {
      const fused = fusedSelfAttention(qkv, { numHeads: 2, causal }).output;
      const split = scaledDotProductAttention(part(0), part(1), part(2), { numHeads: 2, causal }).output;
      expect(Array.from(fused.data)).toEqual(Array.from(split.data));
    }
    const r = gradCheck(
      ([x]) => weightedSum(fusedSelfAttention(x, { numHeads: 2, causal: true }).output),
      [rand(rng, [1, 4, 12], -1.5, 1.5)],
    );
    expect(r.ok, r.worst).toBe(true);
    expect(() => fusedSelfAttention(Tensor.zeros([2, 5, 10]), { numHeads: 2 })).toThrow(
      /\(B, T, 3·d\), got \[2, 5, 10\]/,
    );
  });

  it('linear maps (B, T, in) → (B, T, out) like the flattened (B·T, in) and gradChecks', () => {
    const rng = new Rng(52);
    const [x, w, b] = [rand(rng, [2, 3, 4]), rand(rng, [4, 5]), rand(rng, [5])];
    const flat = new Tensor(x.data, [6, 4]);
    const out = linear(x, w, b);
    expect(out.shape).toEqual([2, 3, 5]);
    expect(Array.from(out.data)).toEqual(Array.from(linear(flat, w, b).data));
    const r = gradCheck(([xi, wi, bi]) => weightedSum(linear(xi, wi, bi)), [x, w, b]);
    expect(r.ok, r.worst).toBe(true);
    expect(() => linear(rand(rng, [2, 3, 5]), w, b)).toThrow(/\[2, 3, 5\] does not fit weight \[4, 5\]/);
  });
});

/** Copies every parameter and buffer value of `from` into `to` (same architecture). */
function copyState(from: Module, to: Module): void {
  const src = from.namedState();
  const dst = to.namedState();
  expect(dst.map(([n]) => n)).toEqual(src.map(([n]) => n));
  src.forEach(([, t], i) => {
    dst[i][1].data.set(t.data);
  });
}

/** Output rows of steps ≤ t, for every batch row of a (B, T, d) tensor. */
function prefix(out: Tensor, t: number): number[] {
  const [batch, steps, d] = out.shape;
  const rows: number[] = [];
  for (let b = 0; b < batch; b++) rows.push(...out.data.subarray(b * steps * d, (b * steps + t + 1) * d));
  return rows;
}

/** Changes every input after step t; returns the outputs before and after. */
function perturbAfter(layer: Module, x: Tensor, t: number): [Tensor, Tensor] {
  const before = noGrad(() => layer.forward(x));
  const changed = x.detach();
  const [batch, steps, d] = x.shape;
  const rng = new Rng(12);
  for (let b = 0; b < batch; b++) {
    for (let i = (b * steps + t + 1) * d; i < (b + 1) * steps * d; i++) changed.data[i] += rng.range(0.5, 2);
  }
  return [before, noGrad(() => layer.forward(changed))];
}

describe('MultiHeadSelfAttention', () => {
  for (const causal of [false, true]) {
    it(`gradCheck of the input and all 8 parameters, batch 1, causal ${causal}`, () => {
      const rng = new Rng(20);
      const layer = new MultiHeadSelfAttention({ dModel: 4, numHeads: 2, causal }, rng);
      for (const p of [layer.bq, layer.bk, layer.bv, layer.bo]) p.data.set(rand(rng, p.shape, -0.5, 0.5).data);
      const x = rand(rng, [1, 4, 4], -1.5, 1.5);
      const r = gradCheck(([xi]) => weightedSum(layer.forward(xi)), [x, ...layer.parameters()]);
      expect(r.ok, r.worst).toBe(true);
      expect(r.checked).toBe(16 + 4 * 20);
    });
  }

  it('causal: outputs at steps ≤ t are bit-identical when the inputs after t change (and change without the mask)', () => {
    const rng = new Rng(21);
    const x = rand(rng, [2, 6, 8]);
    const causal = new MultiHeadSelfAttention({ dModel: 8, numHeads: 2, causal: true }, new Rng(22));
    const open = new MultiHeadSelfAttention({ dModel: 8, numHeads: 2 }, new Rng(22));
    for (const t of [0, 2, 4]) {
      const [before, after] = perturbAfter(causal, x, t);
      expect(prefix(after, t)).toEqual(prefix(before, t));
      expect(prefix(after, t + 1)).not.toEqual(prefix(before, t + 1));
      const [openBefore, openAfter] = perturbAfter(open, x, t);
      expect(maxAbsDiff(prefix(openAfter, t), prefix(openBefore, t))).toBeGreaterThan(1e-4);
    }
  });

  it('keepAttention keeps the last forward weights (B, heads, T, T), rows summing to 1; off by default', () => {
    const layer = new MultiHeadSelfAttention({ dModel: 6, numHeads: 3, causal: true }, new Rng(23));
    const x = rand(new Rng(24), [2, 5, 6]);
    layer.forward(x);
    expect(layer.lastAttention).toBeNull();
    layer.keepAttention = true;
    noGrad(() => layer.forward(x));
    const w = layer.lastAttention!;
    expect(w.shape).toEqual([2, 3, 5, 5]);
    for (let row = 0; row < 30; row++) {
      const r = w.data.subarray(row * 5, row * 5 + 5);
      expect(Math.abs(r.reduce((p, z) => p + z, 0) - 1)).toBeLessThan(1e-6);
      expect(r[4]).toBe(row % 5 === 4 ? r[4] : 0); // only the last query sees the last key
    }
  });

  it('attention dropout (rate 0.5) acts while training only; eval forwards are identical', () => {
    const layer = new MultiHeadSelfAttention({ dModel: 4, numHeads: 2, dropout: 0.5 }, new Rng(25));
    const x = rand(new Rng(26), [2, 4, 4]);
    const a = layer.forward(x).toArray();
    const b = layer.forward(x).toArray();
    expect(maxAbsDiff(a, b)).toBeGreaterThan(1e-3);
    layer.eval();
    expect(layer.forward(x).toArray()).toEqual(layer.forward(x).toArray());
  });

  it('validates its config and input shape with messages naming them', () => {
    expect(() => new MultiHeadSelfAttention({ dModel: 6, numHeads: 4 }, new Rng(0))).toThrow(/dModel 6.*numHeads 4/);
    expect(() => new MultiHeadSelfAttention({ dModel: 4, numHeads: 2, dropout: 1 }, new Rng(0))).toThrow(/dropout/);
    const layer = new MultiHeadSelfAttention({ dModel: 4, numHeads: 2 }, new Rng(0));
    expect(() => layer.forward(Tensor.zeros([2, 4]))).toThrow(/expected input \(B, T, 4\), got \[2, 4\]/);
  });
});

describe('TransformerEncoderBlock', () => {
  for (const causal of [false, true]) {
    it(`gradCheck of the input and all 16 parameters, batch 1, dropout 0, causal ${causal}`, () => {
      const rng = new Rng(30);
      const block = new TransformerEncoderBlock({ dModel: 4, numHeads: 2, ffHidden: 6, dropout: 0, causal }, rng);
      // random LayerNorm gains/shifts and biases so that no parameter sits at a special value
      for (const p of block.parameters()) if (p.rank === 1) p.data.set(rand(rng, p.shape, 0.5, 1.5).data);
      const r = gradCheck(([x]) => weightedSum(block.forward(x)), [rand(rng, [1, 3, 4]), ...block.parameters()]);
      expect(r.ok, r.worst).toBe(true);
    });
  }

  it('gradCheck with every dropout active (rate 0.2, masks from a re-seeded rng), batch 2', () => {
    const rng = new Rng(31);
    const block = new TransformerEncoderBlock({ dModel: 4, numHeads: 2, ffHidden: 6, dropout: 0.2 }, rng);
    const r = gradCheck(
      ([x]) => {
        block.setDropoutRng(new Rng(32));
        return weightedSum(block.forward(x));
      },
      [rand(rng, [2, 3, 4]), ...block.parameters()],
    );
    expect(r.ok, r.worst).toBe(true);
  });

  it('causal: block outputs at steps ≤ t do not depend on later inputs', () => {
    const block = new TransformerEncoderBlock({ dModel: 8, numHeads: 4, ffHidden: 16, causal: true }, new Rng(33));
    block.eval();
    const x = rand(new Rng(34), [2, 7, 8]);
    for (const t of [0, 3, 5]) {
      const [before, after] = perturbAfter(block, x, t);
      expect(prefix(after, t)).toEqual(prefix(before, t));
      expect(prefix(after, t + 1)).not.toEqual(prefix(before, t + 1));
    }
  });

  it('rebuilds from its spec through the registry: same spec, parameter paths and, with copied weights, output', () => {
    const layers: Module[] = [
      new TransformerEncoderBlock({ dModel: 8, numHeads: 2, ffHidden: 12, dropout: 0.1, causal: true }, new Rng(35)),
      new MultiHeadSelfAttention({ dModel: 8, numHeads: 4, dropout: 0.2 }, new Rng(36)),
      new SinusoidalPositionalEncoding({ dModel: 8, maxLen: 64 }),
      new LearnedPositionalEncoding({ dModel: 8, maxLen: 16 }, new Rng(37)),
    ];
    const x = rand(new Rng(38), [2, 5, 8]);
    for (const layer of layers) {
      const rebuilt = buildModule(JSON.parse(JSON.stringify(layer.spec())), new Rng(99));
      expect(rebuilt.spec()).toEqual(layer.spec());
      copyState(layer, rebuilt);
      layer.eval();
      rebuilt.eval();
      expect(rebuilt.forward(x).toArray()).toEqual(layer.forward(x).toArray());
    }
  });

  it('a whole Transformer model saves and loads (persistence) with identical predictions', () => {
    const rng = new Rng(39);
    const model = new Sequential([
      new Dense({ inFeatures: 3, outFeatures: 8 }, rng),
      new LearnedPositionalEncoding({ dModel: 8, maxLen: 10 }, rng),
      new TransformerEncoderBlock({ dModel: 8, numHeads: 2, ffHidden: 16, causal: true }, rng),
      new TransformerEncoderBlock({ dModel: 8, numHeads: 4, ffHidden: 16 }, rng),
      new GlobalAvgPool1D(),
      new Dense({ inFeatures: 8, outFeatures: 1 }, rng),
    ]);
    const x = rand(rng, [4, 6, 3]);
    const saved = saveModel(model);
    const loaded = loadModel(saved.manifest, saved.weights, new Rng(1));
    expect(Array.from(predict(loaded, x.data, x.shape).data)).toEqual(Array.from(predict(model, x.data, x.shape).data));
  });

  it('defaults: dropout 0.1, not causal, LayerNorm eps 1e-5', () => {
    const block = new TransformerEncoderBlock({ dModel: 4, numHeads: 1, ffHidden: 8 }, new Rng(0));
    expect(block.config).toEqual({
      dModel: 4,
      numHeads: 1,
      ffHidden: 8,
      dropout: 0.1,
      causal: false,
      layerNormEps: 1e-5,
    });
    expect(block.parameters().length).toBe(16);
  });
});

describe('positional encodings', () => {
  it('sinusoidal table: PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(…), within 1e-7 (d 5, T 6)', () => {
    const table = sinusoidalTable(6, 5);
    for (let t = 0; t < 6; t++) {
      for (let j = 0; j < 5; j++) {
        const angle = t / 10000 ** ((2 * Math.floor(j / 2)) / 5);
        expect(Math.abs(table[t * 5 + j] - (j % 2 === 0 ? Math.sin(angle) : Math.cos(angle)))).toBeLessThan(1e-7);
      }
    }
    expect(table[0 * 5 + 1]).toBe(1); // cos 0
    expect(Math.abs(table[3 * 5 + 0] - Math.sin(3))).toBeLessThan(1e-7);
  });

  it('SinusoidalPositionalEncoding adds the table to every batch row; gradCheck of the input', () => {
    const pe = new SinusoidalPositionalEncoding({ dModel: 4 });
    const x = rand(new Rng(40), [2, 3, 4]);
    const out = pe.forward(x);
    const table = sinusoidalTable(3, 4);
    for (let i = 0; i < out.size; i++) expect(out.data[i]).toBeCloseTo(x.data[i] + table[i % 12], 6);
    const r = gradCheck(([xi]) => weightedSum(pe.forward(xi)), [x]);
    expect(r.ok, r.worst).toBe(true);
  });

  it('LearnedPositionalEncoding: gradCheck of input and table; rows ≥ T get no gradient; T > maxLen throws', () => {
    const pe = new LearnedPositionalEncoding({ dModel: 3, maxLen: 6 }, new Rng(41));
    const x = rand(new Rng(42), [2, 4, 3]);
    const r = gradCheck(([xi]) => weightedSum(pe.forward(xi)), [x, pe.weight]);
    expect(r.ok, r.worst).toBe(true);
    weightedSum(pe.forward(x)).backward();
    expect(Array.from(pe.weight.grad!.subarray(4 * 3))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(maxAbsDiff(pe.weight.grad!.subarray(0, 12), new Float32Array(12))).toBeGreaterThan(0);
    expect(() => pe.forward(Tensor.zeros([1, 7, 3]))).toThrow(/T = 7 steps, more than maxLen 6/);
  });
});

describe('learning: a small Transformer forecasts a noisy sine one step ahead (window 20)', () => {
  // Measured (seed 1): test MSE ≈ 0.012 against a naive 0.094, ratio ≈ 0.13 (seeds 3, 4: 0.15, 0.18), ~1 s of CPU.
  it('Dense(1→16) + sinusoidal → encoder block (2 heads, FF 32) → mean over T → Dense(1): test MSE ≤ 0.3 × naive', () => {
    const rng = new Rng(1);
    const train = sineWindows(rng, 1024, 20);
    const test = sineWindows(rng, 512, 20);
    const model = new Sequential([
      new Dense({ inFeatures: 1, outFeatures: 16 }, rng),
      new SinusoidalPositionalEncoding({ dModel: 16 }),
      new TransformerEncoderBlock({ dModel: 16, numHeads: 2, ffHidden: 32, dropout: 0 }, rng),
      new GlobalAvgPool1D(),
      new Dense({ inFeatures: 16, outFeatures: 1 }, rng),
    ]);
    const history = fitSync(model, train.data, {
      loss: mse,
      optimizer: { type: 'adam', lr: 3e-3 },
      epochs: 6,
      batchSize: 32,
      clipNorm: 1,
      seed: 3,
    });
    expect(history.stopReason).toBe('completed');
    const modelMse = sineTestMse(model, test);
    const ratio = modelMse / test.naiveMse;
    console.log(
      `Transformer: test MSE ${modelMse.toFixed(4)}, naive ${test.naiveMse.toFixed(4)}, ratio ${ratio.toFixed(3)}`,
    );
    expect(test.naiveMse).toBeGreaterThan(0.07);
    expect(ratio).toBeLessThanOrEqual(0.3);
  });
});
