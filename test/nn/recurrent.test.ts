// SimpleRNN, LSTM and GRU: gradient checks through time (batch 1 and > 1, last state or whole sequence, stacked
// layers, initial and final states, dropout between layers), initialisation, configs and errors, save/load, and
// learning tests forecasting a noisy sine one step ahead.

import { describe, expect, it } from 'vitest';
import { fitSync } from '@/lib/nn/fit';
import { gradCheck } from '@/lib/nn/gradcheck';
import {
  fromTimeMajor,
  matmulPacked,
  packedSize,
  packPanels,
  sigmoidApprox,
  tanhApprox,
  toTimeMajor,
} from '@/lib/nn/kernels/recurrent';
import { Dense } from '@/lib/nn/layers/dense';
import { GRU, LSTM, type RecurrentConfig, SimpleRNN } from '@/lib/nn/layers/recurrent';
import { buildModule, MODULE_TYPES } from '@/lib/nn/layers/registry';
import { Sequential } from '@/lib/nn/layers/sequential';
import { mse } from '@/lib/nn/losses';
import { add } from '@/lib/nn/ops/arithmetic';
import { gru, lstm, simpleRnn } from '@/lib/nn/ops/recurrent';
import { loadModel, saveModel } from '@/lib/nn/persistence';
import { Rng } from '@/lib/nn/rng';
import { noGrad, Tensor } from '@/lib/nn/tensor';
import { rand, sineTestMse, sineWindows, wsum } from './helpers';

type Kind = 'SimpleRNN' | 'LSTM' | 'GRU';
const KINDS: Kind[] = ['SimpleRNN', 'LSTM', 'GRU'];

function makeLayer(kind: Kind, config: RecurrentConfig, rng: Rng): SimpleRNN | LSTM | GRU {
  if (kind === 'LSTM') return new LSTM(config, rng);
  if (kind === 'GRU') return new GRU(config, rng);
  return new SimpleRNN(config, rng);
}

/** Biases away from their initial zeros / ones, so a bias mix-up shows in the gradients. */
function randomizeBiases(layer: SimpleRNN | LSTM | GRU, rng: Rng): void {
  for (const p of layer.parameters()) {
    if (p.rank === 1) for (let i = 0; i < p.size; i++) p.data[i] += rng.range(-0.5, 0.5);
  }
}

describe('recurrent kernels', () => {
  it('matmulPacked equals a float64 product for ragged sizes, both transposes, overwrite and accumulate (≤ 1e-5)', () => {
    const rng = new Rng(21);
    // m, n, k around the 4 × 4 tile: 1, remainders 1–3, exact multiples
    const sizes: [number, number, number][] = [
      [1, 1, 1],
      [3, 5, 2],
      [4, 4, 4],
      [7, 6, 9],
      [9, 13, 1],
      [16, 24, 10],
      [5, 3, 33],
    ];
    for (const [m, n, k] of sizes) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const accumulate of [false, true]) {
            const a = rand(rng, [m * k]).data; // (m, k), or (k, m) when transA
            const b = rand(rng, [k * n]).data; // (k, n), or (n, k) when transB
            const c = rand(rng, [m * n]).data;
            const start = c.slice();
            const packed = new Float32Array(packedSize(k, n));
            packPanels(b, k, n, transB, packed);
            matmulPacked(a, packed, c, m, n, k, transA, accumulate);
            let worst = 0;
            for (let i = 0; i < m; i++) {
              for (let j = 0; j < n; j++) {
                let s = accumulate ? start[i * n + j] : 0;
                for (let p = 0; p < k; p++) {
                  s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                }
                worst = Math.max(worst, Math.abs(c[i * n + j] - s));
              }
            }
            expect(worst, `m ${m} n ${n} k ${k} transA ${transA} transB ${transB} acc ${accumulate}`).toBeLessThan(
              1e-5,
            );
          }
        }
      }
    }
  });

  it('matmulPacked writes only the (m, n) block of c', () => {
    const packed = new Float32Array(packedSize(2, 3));
    packPanels(Float32Array.of(1, 2, 3, 4, 5, 6), 2, 3, false, packed);
    const c = new Float32Array(2 * 3 + 2).fill(7);
    matmulPacked(Float32Array.of(1, 0, 0, 1), packed, c, 2, 3, 2, false, false);
    expect(Array.from(c)).toEqual([1, 2, 3, 4, 5, 6, 7, 7]);
  });

  it('tanhApprox and sigmoidApprox stay within 3e-7 of Math.tanh and the exact σ, inside (−1, 1) and (0, 1)', () => {
    let worstTanh = 0;
    let worstSigmoid = 0;
    let outOfRange = 0;
    for (let v = -20; v <= 20; v += 1e-3) {
      const t = tanhApprox(v);
      const s = sigmoidApprox(v);
      if (!(Math.abs(t) < 1 && s > 0 && s < 1)) outOfRange++;
      worstTanh = Math.max(worstTanh, Math.abs(t - Math.tanh(v)));
      worstSigmoid = Math.max(worstSigmoid, Math.abs(s - 1 / (1 + Math.exp(-v))));
    }
    expect(outOfRange).toBe(0);
    expect(worstTanh).toBeLessThan(3e-7);
    expect(worstSigmoid).toBeLessThan(3e-7);
    expect(tanhApprox(0)).toBe(0);
    expect(tanhApprox(Number.POSITIVE_INFINITY)).toBeCloseTo(1, 6);
    expect(Number.isNaN(tanhApprox(Number.NaN))).toBe(true);
  });

  it('toTimeMajor and fromTimeMajor transpose (B, T, F) ↔ (T, B, F), fromTimeMajor accumulating on request', () => {
    const x = Float32Array.from({ length: 2 * 3 * 2 }, (_, i) => i); // (B 2, T 3, F 2)
    const tm = new Float32Array(12);
    toTimeMajor(x, tm, 2, 3, 2);
    expect(Array.from(tm)).toEqual([0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11]);
    const back = new Float32Array(12).fill(1);
    fromTimeMajor(tm, back, 2, 3, 2, true);
    expect(Array.from(back)).toEqual(Array.from(x, (v) => v + 1));
    fromTimeMajor(tm, back, 2, 3, 2);
    expect(Array.from(back)).toEqual(Array.from(x));
  });
});

// Default gradCheck tolerances: |analytic − numeric| ≤ 1e-3 + 1e-2·max(|analytic|, |numeric|), central step 1e-2.
describe('gradient checks through time (atol 1e-3, rtol 1e-2)', () => {
  const cases: { label: string; batch: number; steps: number; returnSequences: boolean; numLayers: number }[] = [
    { label: 'batch 1, T 4, last state', batch: 1, steps: 4, returnSequences: false, numLayers: 1 },
    { label: 'batch 3, T 5, last state', batch: 3, steps: 5, returnSequences: false, numLayers: 1 },
    { label: 'batch 1, T 3, sequence', batch: 1, steps: 3, returnSequences: true, numLayers: 1 },
    { label: 'batch 2, T 4, sequence', batch: 2, steps: 4, returnSequences: true, numLayers: 1 },
    { label: '2 stacked layers, batch 2, T 4, last state', batch: 2, steps: 4, returnSequences: false, numLayers: 2 },
    { label: '2 stacked layers, batch 3, T 3, sequence', batch: 3, steps: 3, returnSequences: true, numLayers: 2 },
  ];
  for (const kind of KINDS) {
    for (const c of cases) {
      it(`${kind}: ${c.label}`, () => {
        const rng = new Rng(11);
        const layer = makeLayer(
          kind,
          { inputSize: 3, hiddenSize: 4, numLayers: c.numLayers, returnSequences: c.returnSequences },
          rng,
        );
        randomizeBiases(layer, rng);
        const x = rand(rng, [c.batch, c.steps, 3]);
        const out = layer.forward(x);
        expect(out.shape).toEqual(c.returnSequences ? [c.batch, c.steps, 4] : [c.batch, 4]);
        const r = gradCheck(([input]) => wsum(layer.forward(input)), [x, ...layer.parameters()]);
        expect(r.ok, r.worst).toBe(true);
        expect(r.checked).toBe(x.size + layer.parameters().reduce((n, p) => n + p.size, 0));
      });
    }

    it(`${kind}: initial states in and last states out, 2 layers (gradients of h0${kind === 'LSTM' ? ', c0' : ''})`, () => {
      const rng = new Rng(12);
      const layer = makeLayer(kind, { inputSize: 2, hiddenSize: 3, numLayers: 2, returnSequences: true }, rng);
      randomizeBiases(layer, rng);
      const x = rand(rng, [2, 3, 2]);
      const h0 = [rand(rng, [2, 3]), rand(rng, [2, 3])];
      const c0 = kind === 'LSTM' ? [rand(rng, [2, 3]), rand(rng, [2, 3])] : [];
      const r = gradCheck(
        ([input]) => {
          const { output, state } = layer.forwardWithState(input, kind === 'LSTM' ? { h: h0, c: c0 } : { h: h0 });
          // every returned tensor feeds the loss: the sequence, each layer's last h and (LSTM) last c
          let loss = wsum(output, 1);
          state.h.forEach((h, l) => {
            loss = add(loss, wsum(h, 2 + l));
          });
          (state.c ?? []).forEach((cl, l) => {
            loss = add(loss, wsum(cl, 4 + l));
          });
          return loss;
        },
        [x, ...h0, ...c0, ...layer.parameters()],
      );
      expect(r.ok, r.worst).toBe(true);
    });

    it(`${kind}: 2 stacked layers with dropout 0.3 between them while training (fixed mask)`, () => {
      const rng = new Rng(13);
      const layer = makeLayer(kind, { inputSize: 3, hiddenSize: 4, numLayers: 2, dropout: 0.3 }, rng);
      randomizeBiases(layer, rng);
      const x = rand(rng, [2, 4, 3]);
      const r = gradCheck(
        ([input]) => {
          layer.rng = new Rng(99); // the same mask on every evaluation
          return wsum(layer.forward(input));
        },
        [x, ...layer.parameters()],
      );
      expect(r.ok, r.worst).toBe(true);
    });
  }

  it('LSTM: a gradient reaching only the last cell state still flows back (loss = Σ c_T ⊙ R)', () => {
    const rng = new Rng(14);
    const layer = new LSTM({ inputSize: 2, hiddenSize: 3 }, rng);
    const x = rand(rng, [2, 4, 2]);
    const r = gradCheck(([input]) => wsum(layer.forwardWithState(input).state.c![0]), [x, ...layer.parameters()]);
    expect(r.ok, r.worst).toBe(true);
  });
});

describe('the ops', () => {
  it('lstm: the gates follow PyTorch order i, f, g, o (hand-computed one step, H 1)', () => {
    // W rows: x, h; columns i, f, g, o. x = 1, h0 = 0, c0 = 0.5.
    const W = Tensor.from([0.5, -1, 2, 0.25, 9, 9, 9, 9], [2, 4]);
    const b = Tensor.from([0, 1, 0, 0], [4]);
    const x = Tensor.from([1], [1, 1, 1]);
    const { output, c } = lstm(x, W, b, { c0: Tensor.from([0.5], [1, 1]) });
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const cT = sig(0) * 0.5 + sig(0.5) * Math.tanh(2);
    expect(c!.data[0]).toBeCloseTo(cT, 6);
    expect(output.data[0]).toBeCloseTo(sig(0.25) * Math.tanh(cT), 6);
  });

  it('gru: h_T = (1 − z)·n + z·h_{T−1} with r inside the candidate (hand-computed one step, H 1)', () => {
    const Wx = Tensor.from([0.3, -0.2, 0.7], [1, 3]);
    const Wh = Tensor.from([0.5, 0.4, -0.6], [1, 3]);
    const bx = Tensor.from([0.1, 0.2, -0.1], [3]);
    const bh = Tensor.from([0, -0.3, 0.2], [3]);
    const x = Tensor.from([2], [1, 1, 1]);
    const hPrev = 0.8;
    const { output } = gru(x, Wx, Wh, bx, bh, { h0: Tensor.from([hPrev], [1, 1]) });
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const r = sig(0.6 + 0.1 + 0.4);
    const z = sig(-0.4 + 0.2 + 0.32 - 0.3);
    const n = Math.tanh(1.4 - 0.1 + r * (-0.48 + 0.2));
    expect(output.data[0]).toBeCloseTo((1 - z) * n + z * hPrev, 6);
  });

  it('simpleRnn: h_t = tanh(x_t·W_x + h_{t−1}·W_h + b) over 2 steps', () => {
    const W = Tensor.from([0.5, -0.7], [2, 1]); // rows x, h
    const b = Tensor.from([0.1], [1]);
    const x = Tensor.from([1, -2], [1, 2, 1]);
    const { output } = simpleRnn(x, W, b, { returnSequences: true });
    const h1 = Math.tanh(0.5 + 0.1);
    const h2 = Math.tanh(-1 + -0.7 * h1 + 0.1);
    expect(output.shape).toEqual([1, 2, 1]);
    expect(output.data[0]).toBeCloseTo(h1, 6);
    expect(output.data[1]).toBeCloseTo(h2, 6);
  });

  it('name the shapes when inputs do not fit', () => {
    const W = Tensor.zeros([7, 16]);
    const b = Tensor.zeros([16]);
    expect(() => lstm(Tensor.zeros([2, 3]), W, b)).toThrow(/\(B, T, F\).*\[2, 3\]/);
    expect(() => lstm(Tensor.zeros([2, 3, 4]), Tensor.zeros([9, 16]), b)).toThrow(/\[8, 16\].*\[9, 16\]/);
    expect(() => lstm(Tensor.zeros([2, 3, 3]), W, Tensor.zeros([12]))).toThrow(/bias.*\[12\]/);
    expect(() => lstm(Tensor.zeros([2, 3, 3]), W, b, { h0: Tensor.zeros([3, 4]) })).toThrow(/h0.*\[2, 4\].*\[3, 4\]/);
    expect(() =>
      gru(Tensor.zeros([2, 3, 3]), Tensor.zeros([3, 12]), Tensor.zeros([4, 12]), Tensor.zeros([12]), Tensor.zeros([9])),
    ).toThrow(/biasH.*\[9\]/);
    expect(() => simpleRnn(Tensor.zeros([2, 0, 3]), Tensor.zeros([7, 4]), Tensor.zeros([4]))).toThrow(
      /T, F ≥ 1.*\[2, 0, 3\]/,
    );
  });
});

describe('layers: configs, initialisation, modes, persistence', () => {
  it('defaults: 1 layer, no dropout, last state only; LSTM forget-gate bias 1', () => {
    const lstmLayer = new LSTM({ inputSize: 3, hiddenSize: 5 }, new Rng(1));
    expect(lstmLayer.spec()).toEqual({
      type: 'LSTM',
      config: { inputSize: 3, hiddenSize: 5, numLayers: 1, dropout: 0, returnSequences: false, forgetBias: 1 },
    });
    const b = lstmLayer.biases[0].data;
    for (let j = 0; j < 20; j++) expect(b[j]).toBe(j >= 5 && j < 10 ? 1 : 0);
    expect(lstmLayer.namedState().map(([n, t]) => [n, t.shape])).toEqual([
      ['weight_l0', [8, 20]],
      ['bias_l0', [20]],
    ]);
    const g = new GRU({ inputSize: 3, hiddenSize: 5, numLayers: 2 }, new Rng(1));
    expect(g.namedState().map(([n, t]) => [n, t.shape])).toEqual([
      ['weightX_l0', [3, 15]],
      ['weightH_l0', [5, 15]],
      ['biasX_l0', [15]],
      ['biasH_l0', [15]],
      ['weightX_l1', [5, 15]],
      ['weightH_l1', [5, 15]],
      ['biasX_l1', [15]],
      ['biasH_l1', [15]],
    ]);
  });

  it('recurrent weights are orthogonal (W_h·W_hᵀ = I to 1e-5) and input weights Glorot-bounded', () => {
    const H = 6;
    const F = 4;
    const layer = new LSTM({ inputSize: F, hiddenSize: H }, new Rng(2));
    const w = layer.weights[0].data;
    const cols = 4 * H;
    const bound = Math.sqrt(6 / (F + cols));
    for (let i = 0; i < F * cols; i++) expect(Math.abs(w[i])).toBeLessThanOrEqual(bound);
    const wh = w.subarray(F * cols); // (H, 4H), wide: its rows are orthonormal
    for (let p = 0; p < H; p++) {
      for (let q = 0; q < H; q++) {
        let d = 0;
        for (let j = 0; j < cols; j++) d += wh[p * cols + j] * wh[q * cols + j];
        expect(Math.abs(d - (p === q ? 1 : 0))).toBeLessThan(1e-5);
      }
    }
    const rnn = new SimpleRNN({ inputSize: F, hiddenSize: H }, new Rng(3));
    const rh = rnn.weights[0].data.subarray(F * H); // (H, H), square: orthogonal
    for (let p = 0; p < H; p++) {
      let d = 0;
      for (let j = 0; j < H; j++) d += rh[p * H + j] * rh[p * H + j];
      expect(d).toBeCloseTo(1, 5);
    }
  });

  it('same seed, same weights; stacked layer 1 reads H features', () => {
    const a = new GRU({ inputSize: 2, hiddenSize: 3, numLayers: 2 }, new Rng(5));
    const b = new GRU({ inputSize: 2, hiddenSize: 3, numLayers: 2 }, new Rng(5));
    expect(a.parameters().map((p) => p.toArray())).toEqual(b.parameters().map((p) => p.toArray()));
    expect(a.weightsX[1].shape).toEqual([3, 9]);
  });

  it('dropout between layers acts only while training and never on the last layer output', () => {
    const rng = new Rng(6);
    const layer = new LSTM({ inputSize: 2, hiddenSize: 4, numLayers: 2, dropout: 0.5, returnSequences: true }, rng);
    const plain = new LSTM({ inputSize: 2, hiddenSize: 4, numLayers: 2, returnSequences: true }, new Rng(0));
    plain.parameters().forEach((p, i) => {
      p.data.set(layer.parameters()[i].data);
    });
    const x = rand(rng, [3, 5, 2]);
    const evalOut = noGrad(() => layer.eval().forward(x));
    expect(evalOut.toArray()).toEqual(noGrad(() => plain.eval().forward(x)).toArray());
    const trainOut = noGrad(() => layer.train().forward(x));
    expect(trainOut.toArray()).not.toEqual(evalOut.toArray());
    // a single layer has nothing to drop between: training and eval agree
    const single = new LSTM({ inputSize: 2, hiddenSize: 4, dropout: 0.5 }, new Rng(7));
    expect(noGrad(() => single.train().forward(x)).toArray()).toEqual(noGrad(() => single.eval().forward(x)).toArray());
  });

  it('rejects bad configs and inputs with messages naming the field or shape', () => {
    const rng = new Rng(8);
    expect(() => new LSTM({ inputSize: 0, hiddenSize: 3 }, rng)).toThrow(/inputSize/);
    expect(() => new GRU({ inputSize: 2, hiddenSize: 2.5 }, rng)).toThrow(/hiddenSize/);
    expect(() => new SimpleRNN({ inputSize: 2, hiddenSize: 3, numLayers: 0 }, rng)).toThrow(/numLayers/);
    expect(() => new LSTM({ inputSize: 2, hiddenSize: 3, dropout: 1 }, rng)).toThrow(/dropout/);
    const layer = new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2 }, rng);
    expect(() => layer.forward(Tensor.zeros([4, 5, 3]))).toThrow(/\(B, T, 2\).*\[4, 5, 3\]/);
    expect(() => layer.forwardWithState(Tensor.zeros([4, 5, 2]), { h: [Tensor.zeros([4, 3])] })).toThrow(/2 h tensors/);
    const g = new GRU({ inputSize: 2, hiddenSize: 3 }, rng);
    expect(() =>
      g.forwardWithState(Tensor.zeros([1, 2, 2]), { h: [Tensor.zeros([1, 3])], c: [Tensor.zeros([1, 3])] }),
    ).toThrow(/no cell state/);
  });

  for (const kind of KINDS) {
    it(`${kind}: registered, rebuilt from its spec, and saved / loaded with identical outputs`, () => {
      expect(MODULE_TYPES).toContain(kind);
      const rng = new Rng(9);
      const model = new Sequential([
        makeLayer(kind, { inputSize: 3, hiddenSize: 4, numLayers: 2, dropout: 0.2 }, rng),
        new Dense({ inFeatures: 4, outFeatures: 1 }, rng),
      ]).eval();
      const rebuilt = buildModule(model.spec(), new Rng(1));
      expect(rebuilt.spec()).toEqual(model.spec());
      const saved = saveModel(model);
      const loaded = loadModel(saved.manifest, saved.weights, new Rng(2));
      const x = rand(rng, [2, 6, 3]);
      expect(noGrad(() => loaded.forward(x)).toArray()).toEqual(noGrad(() => model.forward(x)).toArray());
    });
  }
});

describe('learning: one-step-ahead forecast of a noisy sine (window 20)', () => {
  for (const kind of ['LSTM', 'GRU'] as const) {
    // Measured after 6 epochs (data seed 1): LSTM test MSE 0.0108 (ratio 0.115), GRU 0.0132 (0.141) against a naive
    // MSE of 0.0936; data seeds 2 and 3 gave ratios 0.127 / 0.158 and 0.139 / 0.188. Asserted: ratio ≤ 0.3.
    it(`${kind} beats the last-value forecast: test MSE ≤ 0.3 × naive MSE`, () => {
      const rng = new Rng(1);
      const train = sineWindows(rng, 1024, 20);
      const test = sineWindows(rng, 512, 20);
      const model = new Sequential([
        makeLayer(kind, { inputSize: 1, hiddenSize: 16 }, rng),
        new Dense({ inFeatures: 16, outFeatures: 1 }, rng),
      ]);
      const history = fitSync(model, train.data, {
        loss: mse,
        optimizer: { type: 'adam', lr: 1e-2 },
        epochs: 6,
        batchSize: 32,
        clipNorm: 1,
        seed: 3,
      });
      expect(history.stopReason).toBe('completed');
      const modelMse = sineTestMse(model, test);
      const ratio = modelMse / test.naiveMse;
      console.log(
        `${kind}: test MSE ${modelMse.toFixed(4)}, naive ${test.naiveMse.toFixed(4)}, ratio ${ratio.toFixed(3)}`,
      );
      expect(test.naiveMse).toBeGreaterThan(0.07);
      expect(ratio).toBeLessThanOrEqual(0.3);
    });
  }
});
