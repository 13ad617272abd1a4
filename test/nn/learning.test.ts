// Learning tests: the engine must actually learn the course's toy problems. Each states its threshold in its name;
// seeds are fixed, and the settings leave a margin (measured on 3–5 seeds while writing these tests).

import { describe, expect, it } from 'vitest';
import {
  circleData,
  type Dataset,
  gaussianClustersData,
  shuffleRows,
  sineData,
  sliceRows,
  spiralData,
  xorData,
  xorTruthTable,
} from '@/lib/nn/datasets';
import { fitSync, predict } from '@/lib/nn/fit';
import { Activation } from '@/lib/nn/layers/activation';
import { Dense } from '@/lib/nn/layers/dense';
import { Sequential } from '@/lib/nn/layers/sequential';
import { bceWithLogits, mse } from '@/lib/nn/losses';
import type { Module } from '@/lib/nn/module';
import { Rng } from '@/lib/nn/rng';

/** Dense layers of the given widths with `act` between them; the last layer is linear (a logit or a value). */
function mlp(sizes: number[], act: 'tanh' | 'relu', rng: Rng): Sequential {
  const layers: Module[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Dense({ inFeatures: sizes[i], outFeatures: sizes[i + 1] }, rng));
    if (i + 2 < sizes.length) layers.push(new Activation({ fn: act }));
  }
  return new Sequential(layers);
}

/** Share of rows where the logit's sign matches the 0/1 label. */
function accuracy(model: Module, d: Dataset): number {
  const logits = predict(model, d.x, d.xShape).data;
  let correct = 0;
  for (let i = 0; i < d.y.length; i++) if ((logits[i] > 0 ? 1 : 0) === d.y[i]) correct++;
  return correct / d.y.length;
}

describe('learning the course’s toy problems', () => {
  it('XOR truth table, 2-4-1 tanh, Adam: 100% accuracy', () => {
    const d = xorTruthTable();
    const model = mlp([2, 4, 1], 'tanh', new Rng(1));
    fitSync(model, d, {
      loss: bceWithLogits,
      optimizer: { type: 'adam', lr: 0.05 },
      epochs: 300,
      batchSize: 4,
      seed: 1,
    });
    expect(accuracy(model, d)).toBe(1);
  });

  it('two spirals with noise 0.1 (400 points), 2-32-32-1 tanh: ≥ 95% training accuracy', () => {
    const d = shuffleRows(spiralData(new Rng(2), { samples: 400, noise: 0.1 }), new Rng(102));
    const model = mlp([2, 32, 32, 1], 'tanh', new Rng(2));
    fitSync(model, d, {
      loss: bceWithLogits,
      optimizer: { type: 'adam', lr: 0.01 },
      epochs: 150,
      batchSize: 32,
      seed: 2,
    });
    expect(accuracy(model, d)).toBeGreaterThanOrEqual(0.95);
  });

  it('circle with noise 0.05, 2-8-1 tanh: ≥ 95% accuracy on a separate test set', () => {
    const rng = new Rng(3);
    const train = circleData(rng, { samples: 400, noise: 0.05 });
    const test = circleData(rng, { samples: 400, noise: 0.05 });
    const model = mlp([2, 8, 1], 'tanh', new Rng(3));
    fitSync(model, train, {
      loss: bceWithLogits,
      optimizer: { type: 'adam', lr: 0.03 },
      epochs: 100,
      batchSize: 32,
      seed: 3,
    });
    expect(accuracy(model, test)).toBeGreaterThanOrEqual(0.95);
  });

  it('regression y = sin(x) on [−3, 3], 1-32-1 tanh: held-out MSE ≤ 0.01', () => {
    const rng = new Rng(4);
    const train = sineData(rng, { samples: 256 });
    const test = sineData(rng, { samples: 256 });
    const model = mlp([1, 32, 1], 'tanh', new Rng(4));
    fitSync(model, train, { loss: mse, optimizer: { type: 'adam', lr: 0.01 }, epochs: 150, batchSize: 32, seed: 4 });
    const pred = predict(model, test.x, test.xShape).data;
    let sq = 0;
    for (let i = 0; i < pred.length; i++) sq += (pred[i] - test.y[i]) ** 2;
    // sin has variance ≈ 0.5 on this interval, so 0.01 is ≥ 98% of the variance explained
    expect(sq / pred.length).toBeLessThanOrEqual(0.01);
  });

  it('ReLU network 2-16-16-1 on the circle with SGD + Nesterov momentum: ≥ 95% test accuracy', () => {
    const rng = new Rng(5);
    const train = circleData(rng, { samples: 400, noise: 0.05 });
    const test = circleData(rng, { samples: 400, noise: 0.05 });
    const model = mlp([2, 16, 16, 1], 'relu', new Rng(5));
    fitSync(model, train, {
      loss: bceWithLogits,
      optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true },
      epochs: 100,
      batchSize: 32,
      seed: 5,
    });
    expect(accuracy(model, test)).toBeGreaterThanOrEqual(0.95);
  });
});

describe('toy datasets', () => {
  const generators = { xorData, circleData, gaussianClustersData, spiralData };
  for (const [name, gen] of Object.entries(generators)) {
    it(`${name}: (N, 2) points, 0/1 labels with both classes ≥ 25%, same seed → same data`, () => {
      const a = gen(new Rng(7), { samples: 200, noise: 0.2 });
      const b = gen(new Rng(7), { samples: 200, noise: 0.2 });
      expect(a.xShape).toEqual([200, 2]);
      expect(a.yShape).toEqual([200, 1]);
      expect(a.x).toEqual(b.x);
      expect(a.y).toEqual(b.y);
      const positives = a.y.reduce((s, v) => s + v, 0);
      expect(a.y.every((v) => v === 0 || v === 1)).toBe(true);
      expect(positives).toBeGreaterThanOrEqual(50);
      expect(positives).toBeLessThanOrEqual(150);
      expect(gen(new Rng(8), { samples: 200, noise: 0.2 }).x).not.toEqual(a.x);
    });
  }

  it('noise-free circle and spiral follow their definitions (radius ≤ 2.5 inside; spiral radius grows to 5)', () => {
    const c = circleData(new Rng(1), { samples: 100 });
    for (let i = 0; i < 100; i++) {
      const r = Math.hypot(c.x[2 * i], c.x[2 * i + 1]);
      expect(c.y[i]).toBe(r < 2.5 ? 1 : 0);
    }
    const s = spiralData(new Rng(1), { samples: 100 });
    expect(Math.hypot(s.x[98], s.x[99])).toBeCloseTo((5 * 49) / 50, 5);
    expect(() => spiralData(new Rng(1), { noise: 0.9 })).toThrow(/noise must be in \[0, 0.5\], got 0.9/);
  });

  it('shuffleRows keeps each (x, y) pair together; sliceRows copies a row range', () => {
    const d = sineData(new Rng(2), { samples: 50 });
    const s = shuffleRows(d, new Rng(3));
    for (let i = 0; i < 50; i++) expect(s.y[i]).toBeCloseTo(Math.sin(s.x[i]), 6);
    expect(s.x).not.toEqual(d.x);
    const part = sliceRows(d, 10, 20);
    expect(part.xShape).toEqual([10, 1]);
    expect(Array.from(part.x)).toEqual(Array.from(d.x.subarray(10, 20)));
  });
});
