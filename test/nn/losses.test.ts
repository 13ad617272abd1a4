import { describe, expect, it } from 'vitest';
import { gradCheck } from '@/lib/nn/gradcheck';
import { bceWithLogits, focal, huber, type LossOptions, mae, mse, pinball, softmaxCrossEntropy } from '@/lib/nn/losses';
import { Rng } from '@/lib/nn/rng';
import { Tensor } from '@/lib/nn/tensor';
import { rand } from './helpers';

/** pred = target + offset with |offset| in [lo, hi] and random sign: keeps central differences off the kinks. */
function offsetFrom(rng: Rng, target: Tensor, lo: number, hi: number): Tensor {
  const t = Tensor.zeros(target.shape.slice());
  for (let i = 0; i < t.size; i++) t.data[i] = target.data[i] + (rng.uniform() < 0.5 ? -1 : 1) * rng.range(lo, hi);
  return t;
}

function binaryTargets(rng: Rng, shape: number[], soft = false): Tensor {
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = soft ? rng.uniform() : rng.uniform() < 0.4 ? 1 : 0;
  return t;
}

function sampleWeights(rng: Rng, rows: number): Float32Array {
  const w = new Float32Array(rows);
  for (let i = 0; i < rows; i++) w[i] = rng.range(0.2, 3);
  return w;
}

/** The option sets every loss is checked under: plain mean, weighted mean, weighted sum. */
function optionSets(rng: Rng, rows: number): [string, LossOptions][] {
  return [
    ['mean', {}],
    ['weighted mean', { sampleWeights: sampleWeights(rng, rows) }],
    ['weighted sum', { sampleWeights: sampleWeights(rng, rows), reduction: 'sum' }],
  ];
}

// Shapes (B, …) including batch 1.
const REGRESSION_SHAPES: number[][] = [[1], [1, 1], [6], [5, 1], [4, 3]];

describe('losses: finite-difference gradients (gradCheck defaults: atol 1e-3, rtol 1e-2)', () => {
  const rng = new Rng(21);

  for (const shape of REGRESSION_SHAPES) {
    for (const [label, opts] of optionSets(rng, shape[0])) {
      it(`mse, mae, huber on [${shape}], ${label}: gradients to pred and target`, () => {
        const target = rand(rng, shape, -2, 2);
        // |d| in [0.1, 0.9] or [1.1, 2.5]: off MAE's kink at 0 and Huber's switch at ±delta = ±1
        const near = offsetFrom(rng, target, 0.1, 0.9);
        const far = offsetFrom(rng, target, 1.1, 2.5);
        for (const pred of [near, far]) {
          for (const f of [mse, mae, huber]) {
            const r = gradCheck(([p, t]) => f(p, t, opts), [pred.detach(), target.detach()]);
            expect(r.ok, `${f.name}: ${r.worst}`).toBe(true);
          }
        }
        const r = gradCheck(([p, t]) => huber(p, t, { ...opts, delta: 0.05 }), [far.detach(), target.detach()]);
        expect(r.ok, `huber delta 0.05: ${r.worst}`).toBe(true);
      });
    }
  }

  for (const [rows, q] of [
    [1, 3],
    [5, 3],
    [4, 1],
  ]) {
    for (const [label, opts] of optionSets(rng, rows)) {
      it(`pinball (B=${rows}, Q=${q}), ${label}: gradients to pred and target`, () => {
        const quantiles = q === 1 ? [0.7] : [0.1, 0.5, 0.9];
        const target = rand(rng, [rows], -2, 2);
        const pred = Tensor.zeros([rows, q]);
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < q; j++) {
            pred.data[r * q + j] = target.data[r] + (rng.uniform() < 0.5 ? -1 : 1) * rng.range(0.1, 1);
          }
        }
        const res = gradCheck(([p, t]) => pinball(p, t, { ...opts, quantiles }), [pred, target]);
        expect(res.ok, res.worst).toBe(true);
      });
    }
  }

  for (const shape of [[1], [1, 1], [6], [3, 4]]) {
    for (const [label, opts] of optionSets(rng, shape[0])) {
      it(`bceWithLogits and focal on [${shape}], ${label}`, () => {
        for (const soft of [false, true]) {
          const logits = rand(rng, shape, -4, 4);
          const y = binaryTargets(rng, shape, soft);
          for (const f of [
            (z: Tensor) => bceWithLogits(z, y, opts),
            (z: Tensor) => bceWithLogits(z, y, { ...opts, posWeight: 3 }),
            (z: Tensor) => bceWithLogits(z, y, { ...opts, classWeights: { 0: 0.5, 1: 4 } }),
            (z: Tensor) => focal(z, y, opts),
            (z: Tensor) => focal(z, y, { ...opts, gamma: 0.5, alpha: 0.75 }),
            (z: Tensor) => focal(z, y, { ...opts, gamma: 1, alpha: null }),
          ]) {
            const r = gradCheck(([z]) => f(z), [logits.detach()]);
            expect(r.ok, `${soft ? 'soft' : 'hard'} targets: ${r.worst}`).toBe(true);
          }
        }
      });
    }
  }

  for (const [rows, cols] of [
    [1, 4],
    [5, 3],
    [3, 2],
  ]) {
    for (const [label, opts] of optionSets(rng, rows)) {
      it(`softmaxCrossEntropy (B=${rows}, C=${cols}), ${label}: index labels, one-hot and soft targets`, () => {
        const logits = rand(rng, [rows, cols], -3, 3);
        const labels = Int32Array.from({ length: rows }, () => rng.int(cols));
        const oneHot = Tensor.zeros([rows, cols]);
        labels.forEach((k, r) => {
          oneHot.data[r * cols + k] = 1;
        });
        const soft = rand(rng, [rows, cols], 0.1, 1);
        for (let r = 0; r < rows; r++) {
          let s = 0;
          for (let j = 0; j < cols; j++) s += soft.data[r * cols + j];
          for (let j = 0; j < cols; j++) soft.data[r * cols + j] /= s;
        }
        // rows summing to 0.7: the gradient softmax·Σt − t must use the row's mass, not assume 1
        const partial = Tensor.from(
          soft.data.map((v) => 0.7 * v),
          [rows, cols],
        );
        const classWeights = Array.from({ length: cols }, () => rng.range(0.5, 2));
        for (const target of [labels, oneHot, soft, partial]) {
          for (const o of [opts, { ...opts, classWeights }]) {
            const r = gradCheck(([z]) => softmaxCrossEntropy(z, target, o), [logits.detach()]);
            expect(r.ok, r.worst).toBe(true);
          }
        }
      });
    }
  }
});

describe('losses: values', () => {
  const close = (got: Tensor, want: number, digits = 5) => expect(got.item()).toBeCloseTo(want, digits);

  it('regression losses match hand-computed numbers', () => {
    const pred = Tensor.from([1, 2, 4]);
    const target = Tensor.from([1, 1, 1]);
    close(mse(pred, target), (0 + 1 + 9) / 3);
    close(mae(pred, target), (0 + 1 + 3) / 3);
    // huber delta 1: d = 0, 1, 3 → 0, ½, 1·(3 − ½)
    close(huber(pred, target), (0 + 0.5 + 2.5) / 3);
    close(huber(pred, target, { delta: 2 }), (0 + 0.5 + 2 * (3 - 1)) / 3);
    // (B,) against (B, 1) is the same comparison
    close(mse(Tensor.from([1, 2, 4], [3, 1]), target), 10 / 3);
  });

  it('pinball: τ·u above the quantile, (τ − 1)·u below (u = target − pred)', () => {
    // τ = 0.9, target 10: pred 8 (u = 2) → 1.8; pred 12 (u = −2) → 0.2
    close(pinball(Tensor.from([8], [1, 1]), Tensor.from([10]), { quantiles: [0.9] }), 1.8);
    close(pinball(Tensor.from([12], [1, 1]), Tensor.from([10]), { quantiles: [0.9] }), 0.2);
    // two quantiles [0.1, 0.9] on one row, target 0, preds [−1, 1]: 0.1·1 and (0.9 − 1)·(−1) → mean 0.1
    close(pinball(Tensor.from([-1, 1], [1, 2]), Tensor.from([0], [1, 1]), { quantiles: [0.1, 0.9] }), 0.1);
  });

  it('pinball is minimised at the empirical τ-quantile', () => {
    const target = Tensor.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const at = (c: number) => pinball(Tensor.fill([10, 1], c), target, { quantiles: [0.8] }).item();
    // 80% quantile of 1..10 lies in [8, 9]; moving away on either side costs more
    expect(at(8.5)).toBeLessThan(at(7));
    expect(at(8.5)).toBeLessThan(at(10));
  });

  it('bceWithLogits matches −[y·log σ(z) + (1 − y)·log(1 − σ(z))] for moderate logits', () => {
    const z = [-3, -0.5, 0, 0.7, 2.5];
    const y = [1, 0, 1, 0.3, 0];
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const want = z.reduce((s, v, i) => s - (y[i] * Math.log(sig(v)) + (1 - y[i]) * Math.log(1 - sig(v))), 0) / z.length;
    close(bceWithLogits(Tensor.from(z), Tensor.from(y)), want);
    close(bceWithLogits(Tensor.from([0]), Tensor.from([1])), Math.LN2);
  });

  it('bceWithLogits is finite and exact at logits ±1e4', () => {
    // y = 1, z = 1e4 → 0;  y = 0, z = 1e4 → 1e4;  y = 1, z = −1e4 → 1e4;  y = 0, z = −1e4 → 0
    const z = Tensor.from([1e4, 1e4, -1e4, -1e4], [4], true);
    const y = Tensor.from([1, 0, 1, 0]);
    const loss = bceWithLogits(z, y, { reduction: 'sum' });
    expect(loss.item()).toBe(2e4);
    loss.backward();
    // ∂l/∂z = σ(z) − y
    expect(Array.from(z.grad!)).toEqual([0, 1, -1, 0]);
    for (const [zz, yy] of [
      [1e4, 1],
      [-1e4, 0],
    ]) {
      expect(bceWithLogits(Tensor.from([zz]), Tensor.from([yy])).item()).toBe(0);
    }
  });

  it('bceWithLogits posWeight scales the positive term; classWeights give a weighted mean', () => {
    close(bceWithLogits(Tensor.from([0]), Tensor.from([1]), { posWeight: 3 }), 3 * Math.LN2);
    close(bceWithLogits(Tensor.from([0]), Tensor.from([0]), { posWeight: 3 }), Math.LN2);
    // per-term losses l = softplus(∓z); weights 4 (y = 1) and 1 (y = 0): (4·l1 + 1·l0) / 5
    const l1 = Math.log1p(Math.exp(-1)); // z = 1, y = 1
    const l0 = Math.log1p(Math.exp(2)); // z = 2, y = 0
    close(bceWithLogits(Tensor.from([1, 2]), Tensor.from([1, 0]), { classWeights: { 0: 1, 1: 4 } }), (4 * l1 + l0) / 5);
  });

  it('softmaxCrossEntropy: index labels and one-hot rows agree with log-sum-exp minus the true logit', () => {
    const logits = Tensor.from([1, 2, 3, 0.5, -1, 0], [2, 3]);
    const lse1 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    const lse2 = Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(0));
    const want = (lse1 - 3 + (lse2 - 0.5)) / 2;
    close(softmaxCrossEntropy(logits, Int32Array.from([2, 0])), want);
    close(softmaxCrossEntropy(logits, Tensor.from([0, 0, 1, 1, 0, 0], [2, 3])), want);
    // class weights: Σ w_y·l / Σ w_y (PyTorch CrossEntropyLoss(weight))
    const l1 = lse1 - 3;
    const l2 = lse2 - 0.5;
    close(
      softmaxCrossEntropy(logits, Int32Array.from([2, 0]), { classWeights: [2, 1, 0.5] }),
      (0.5 * l1 + 2 * l2) / 2.5,
    );
  });

  it('softmaxCrossEntropy stays finite for logits of ±1000', () => {
    const logits = Tensor.from([1000, 0, -1000], [1, 3], true);
    const loss = softmaxCrossEntropy(logits, Int32Array.from([1]));
    expect(loss.item()).toBeCloseTo(1000, 3);
    loss.backward();
    const g = Array.from(logits.grad!);
    expect(g[0]).toBeCloseTo(1, 6);
    expect(g[1]).toBeCloseTo(-1, 6);
    expect(g[2]).toBeCloseTo(0, 6);
  });

  it('focal: hand-computed value, equals BCE for γ = 0 without α, and is finite at ±1e4', () => {
    // z = 0, y = 1: p_t = ½, α_t = 0.25 → 0.25·(½)²·ln 2
    close(focal(Tensor.from([0]), Tensor.from([1])), 0.25 * 0.25 * Math.LN2, 6);
    const rng = new Rng(4);
    const z = rand(rng, [8], -5, 5);
    const y = binaryTargets(rng, [8], true);
    close(focal(z, y, { gamma: 0, alpha: null }), bceWithLogits(z, y).item(), 6);
    // z = 1e4, y = 0: p = 1, 1 − p_t = 1, α_t = 0.75, BCE = 1e4 → 7500; z = −1e4, y = 0 → 0
    const big = Tensor.from([1e4, -1e4], [2], true);
    const loss = focal(big, Tensor.from([0, 0]), { reduction: 'sum' });
    expect(loss.item()).toBe(7500);
    loss.backward();
    for (const g of big.grad!) expect(Number.isFinite(g)).toBe(true);
  });

  it('focal down-weights easy examples relative to BCE', () => {
    // a confidently right example (z = 4, y = 1) loses far more than a wrong one (z = −4, y = 1)
    const easy = focal(Tensor.from([4]), Tensor.from([1]), { alpha: null }).item();
    const hard = focal(Tensor.from([-4]), Tensor.from([1]), { alpha: null }).item();
    const bceEasy = bceWithLogits(Tensor.from([4]), Tensor.from([1])).item();
    const bceHard = bceWithLogits(Tensor.from([-4]), Tensor.from([1])).item();
    expect(easy / bceEasy).toBeLessThan(1e-3);
    expect(hard / bceHard).toBeGreaterThan(0.9);
  });
});

describe('losses: reduction and sample weights', () => {
  const pred = Tensor.from([1, 2, 4]);
  const target = Tensor.from([0, 0, 0]);

  it('uniform weights give the plain mean; zero weights drop samples; sum = Σ w·l', () => {
    expect(mse(pred, target, { sampleWeights: Float32Array.from([2, 2, 2]) }).item()).toBeCloseTo(21 / 3, 5);
    expect(mse(pred, target, { sampleWeights: Float32Array.from([1, 0, 0]) }).item()).toBeCloseTo(1, 6);
    expect(mse(pred, target, { reduction: 'sum' }).item()).toBeCloseTo(21, 5);
    expect(mse(pred, target, { sampleWeights: Float32Array.from([1, 2, 0.5]), reduction: 'sum' }).item()).toBeCloseTo(
      1 + 8 + 8,
      5,
    );
  });

  it('per-sample weights spread over a row of (B, D) outputs', () => {
    const p = Tensor.from([1, 1, 3, 3], [2, 2]);
    const t = Tensor.zeros([2, 2]);
    // rows: squared errors [1, 1] and [9, 9]; weights 3 and 1 → (3·2 + 1·18) / (3·2 + 1·2)
    expect(mse(p, t, { sampleWeights: Float32Array.from([3, 1]) }).item()).toBeCloseTo(24 / 8, 5);
  });

  it('rejects weights of the wrong length, negative weights and an all-zero weighted mean', () => {
    expect(() => mse(pred, target, { sampleWeights: new Float32Array(2) })).toThrow(/2 entries.*3 samples/);
    expect(() => mse(pred, target, { sampleWeights: Float32Array.from([1, -1, 1]) })).toThrow(/≥ 0/);
    expect(() => mse(pred, target, { sampleWeights: new Float32Array(3) })).toThrow(/sum to 0/);
  });
});

describe('losses: input checks name the shapes', () => {
  it('regression and binary losses need matching shapes', () => {
    expect(() => mse(Tensor.zeros([3, 2]), Tensor.zeros([2, 3]))).toThrow(/\[3, 2\].*\[2, 3\]/);
    expect(() => bceWithLogits(Tensor.zeros([4]), Tensor.zeros([4, 2]))).toThrow(/\[4\].*\[4, 2\]/);
    expect(() => bceWithLogits(Tensor.zeros([2]), Tensor.from([0, 2]))).toThrow(/\[0, 1\]/);
  });
  it('pinball checks pred columns against the quantiles and target length against the batch', () => {
    expect(() => pinball(Tensor.zeros([4, 2]), Tensor.zeros([4]), { quantiles: [0.1, 0.5, 0.9] })).toThrow(
      /\[4, 2\].*\(B, 3\)/,
    );
    expect(() => pinball(Tensor.zeros([4, 1]), Tensor.zeros([3]), { quantiles: [0.5] })).toThrow(/\[3\]/);
    expect(() => pinball(Tensor.zeros([4, 1]), Tensor.zeros([4]), { quantiles: [1.5] })).toThrow(/\(0, 1\)/);
  });
  it('softmaxCrossEntropy checks labels, one-hot shape and class weights', () => {
    const logits = Tensor.zeros([2, 3]);
    expect(() => softmaxCrossEntropy(logits, Int32Array.from([0, 3]))).toThrow(/label 3.*\[0, 3\).*\[2, 3\]/);
    expect(() => softmaxCrossEntropy(logits, Int32Array.from([0]))).toThrow(/1 labels.*\[2, 3\]/);
    expect(() => softmaxCrossEntropy(logits, Tensor.zeros([2, 2]))).toThrow(/\[2, 2\].*\[2, 3\]/);
    expect(() => softmaxCrossEntropy(logits, Int32Array.from([0, 1]), { classWeights: [1, 2] })).toThrow(/3 classes/);
    expect(() => softmaxCrossEntropy(logits, Int32Array.from([0, 1]), { classWeights: [1, -2, 1] })).toThrow(/≥ 0/);
    expect(() => softmaxCrossEntropy(Tensor.zeros([3]), Int32Array.from([0]))).toThrow(/\(B, C\).*\[3\]/);
  });
});
