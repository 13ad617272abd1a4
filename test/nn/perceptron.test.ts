import { describe, expect, it } from 'vitest';
import { Perceptron } from '@/lib/nn/layers/perceptron';
import { Rng } from '@/lib/nn/rng';
import { Tensor } from '@/lib/nn/tensor';

const BOOLEAN_INPUTS = Tensor.from([0, 0, 0, 1, 1, 0, 1, 1], [4, 2]);

/** n points in [−1, 1]², labelled by the side of the line 0.7·x1 − 0.4·x2 + 0.1 = 0, none closer than `margin`. */
function separable(n: number, margin: number, rng: Rng): { x: Tensor; y: number[] } {
  const xs: number[] = [];
  const y: number[] = [];
  const norm = Math.hypot(0.7, 0.4);
  while (y.length < n) {
    const a = rng.range(-1, 1);
    const b = rng.range(-1, 1);
    const distance = (0.7 * a - 0.4 * b + 0.1) / norm;
    if (Math.abs(distance) < margin) continue;
    xs.push(a, b);
    y.push(distance > 0 ? 1 : 0);
  }
  return { x: Tensor.from(xs, [n, 2]), y };
}

describe('Perceptron (Rosenblatt rule)', () => {
  it('learns AND to zero errors and stops at the first clean epoch', () => {
    const p = new Perceptron({ inFeatures: 2 }, new Rng(1));
    const errors = p.fit(BOOLEAN_INPUTS, [0, 0, 0, 1], { epochs: 100, lr: 1 });
    expect(errors[errors.length - 1]).toBe(0);
    expect(errors.slice(0, -1).every((e) => e > 0)).toBe(true);
    expect(errors.length).toBeLessThan(20);
    expect(p.predict(BOOLEAN_INPUTS)).toEqual([0, 0, 0, 1]);
  });

  it('learns OR from a random start with shuffling', () => {
    const p = new Perceptron({ inFeatures: 2, init: 'glorotUniform' }, new Rng(2));
    const errors = p.fit(BOOLEAN_INPUTS, [0, 1, 1, 1], { epochs: 100, lr: 0.5, shuffle: new Rng(3) });
    expect(errors[errors.length - 1]).toBe(0);
    expect(p.predict(BOOLEAN_INPUTS)).toEqual([0, 1, 1, 1]);
  });

  it('reaches zero errors on 200 linearly separable 2-D points (margin 0.05) within 1000 epochs', () => {
    const { x, y } = separable(200, 0.05, new Rng(4));
    const p = new Perceptron({ inFeatures: 2 }, new Rng(5));
    const errors = p.fit(x, y, { epochs: 1000, lr: 1, shuffle: new Rng(6) });
    expect(errors[errors.length - 1]).toBe(0);
    expect(errors.length).toBeLessThan(1000);
    expect(p.predict(x)).toEqual(y);
  });

  // XOR is not linearly separable: w·(0,0) + b < 0 and w·(1,1) + b < 0 sum to w1 + w2 + 2b < 0, while
  // w·(0,1) + b ≥ 0 and w·(1,0) + b ≥ 0 sum to w1 + w2 + 2b ≥ 0, a contradiction. So no epoch is ever clean.
  it('cannot learn XOR: every one of 500 epochs has at least one mistake, and the final weights misclassify', () => {
    const xorLabels = [0, 1, 1, 0];
    const p = new Perceptron({ inFeatures: 2 }, new Rng(7));
    const errors = p.fit(BOOLEAN_INPUTS, xorLabels, { epochs: 500, lr: 1, shuffle: new Rng(8) });
    expect(errors.length).toBe(500);
    expect(Math.min(...errors)).toBeGreaterThanOrEqual(1);
    const wrong = p.predict(BOOLEAN_INPUTS).filter((v, i) => v !== xorLabels[i]).length;
    expect(wrong).toBeGreaterThanOrEqual(1);
  });

  it('uses the step output (1 when x·w + b ≥ 0) and is reproducible with a seeded shuffle', () => {
    const p = new Perceptron({ inFeatures: 2 }, new Rng(1));
    p.weight.data.set([1, -2]);
    p.bias.data[0] = 0.5;
    const out = p.forward(Tensor.from([1, 0, 0, 1, 0, 0.25], [3, 2]));
    expect(out.shape).toEqual([3, 1]);
    expect(out.toArray()).toEqual([1, 0, 1]); // 1.5, −1.5, 0 (≥ 0 → 1)
    const { x, y } = separable(60, 0.05, new Rng(9));
    const a = new Perceptron({ inFeatures: 2 }, new Rng(1)).fit(x, y, { shuffle: new Rng(10) });
    const b = new Perceptron({ inFeatures: 2 }, new Rng(1)).fit(x, y, { shuffle: new Rng(10) });
    expect(a).toEqual(b);
  });

  it('checks its inputs and labels', () => {
    const p = new Perceptron({ inFeatures: 2 }, new Rng(1));
    expect(() => p.fit(BOOLEAN_INPUTS, [0, 1, 1])).toThrow(/3 labels for input \[4, 2\]/);
    expect(() => p.fit(BOOLEAN_INPUTS, [0, 1, -1, 1])).toThrow(/label 2 is -1/);
    expect(() => p.predict(Tensor.zeros([4, 3]))).toThrow(/\(N, 2\).*\[4, 3\]/);
    expect(p.spec()).toEqual({ type: 'Perceptron', config: { inFeatures: 2, init: 'zeros' } });
  });
});
