// Shared fixtures of the engine tests: random tensors and buffers from a seeded Rng, a weighted sum that gives every
// output element its own gradient, a layer's gradient check, the float64 matmul reference, a mismatch finder for
// kernel outputs, and the noisy-sine forecasting data of the learning tests.

import { predict } from '@/lib/nn/fit';
import { gradCheck } from '@/lib/nn/gradcheck';
import type { Module } from '@/lib/nn/module';
import { mul, sum } from '@/lib/nn/ops/arithmetic';
import { Rng } from '@/lib/nn/rng';
import { Tensor } from '@/lib/nn/tensor';

/** A tensor of the given shape, values uniform in [lo, hi) drawn from rng in index order. */
export function rand(rng: Rng, shape: number[], lo = -1, hi = 1): Tensor {
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = rng.range(lo, hi);
  return t;
}

/** A buffer of `size` values uniform in [lo, hi) drawn from rng in index order. */
export function randomBuffer(rng: Rng, size: number, lo = -1, hi = 1): Float32Array {
  const x = new Float32Array(size);
  for (let i = 0; i < size; i++) x[i] = rng.range(lo, hi);
  return x;
}

/** Σ t ⊙ R with R = rand(new Rng(seed), t.shape) fixed, so every element of t gets a distinct gradient. */
export function wsum(t: Tensor, seed = 7): Tensor {
  return sum(mul(t, rand(new Rng(seed), t.shape)));
}

/**
 * gradCheck of wsum(layer.forward(x)) with respect to x and every parameter (gradCheck's default tolerances: atol 1e-3,
 * rtol 1e-2; step 1e-2 unless eps is given); `before` runs ahead of each forward.
 */
export function checkLayer(layer: Module, x: Tensor, before?: () => void, eps?: number): ReturnType<typeof gradCheck> {
  return gradCheck(
    ([input]) => {
      before?.();
      return wsum(layer.forward(input));
    },
    [x, ...layer.parameters()],
    { eps },
  );
}

/**
 * op(a)·op(b) (m × k by k × n, op a transpose when asked) in float64, with magnitude = Σ_p |a_ip·b_pj|, which bounds
 * the float32 rounding error of each entry.
 */
export function matmulReference(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): { value: Float64Array; magnitude: Float64Array } {
  const value = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let mag = 0;
      for (let p = 0; p < k; p++) {
        const prod = (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
        s += prod;
        mag += Math.abs(prod);
      }
      value[i * n + j] = s;
      magnitude[i * n + j] = mag;
    }
  }
  return { value, magnitude };
}

/** The first element where |actual − want| > tol(i), described for the failure message; null when all pass. */
export function firstMismatch(
  actual: ArrayLike<number>,
  want: ArrayLike<number>,
  tol: (i: number) => number,
): string | null {
  if (actual.length !== want.length) return `length ${actual.length} ≠ ${want.length}`;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - want[i]);
    if (!(err <= tol(i))) return `[${i}]: got ${actual[i]}, want ${want[i]} (|error| ${err} > ${tol(i)})`;
  }
  return null;
}

/**
 * One-step-ahead forecasting of y_t = sin(2π t / 16 + φ) + ε, ε ~ N(0, 0.1²), from the previous `window` values,
 * each window with its own random phase φ. x is (samples, window, 1), y is (samples, 1). The naive forecast
 * ŷ = y_{t−1} has MSE ≈ E[(sin Δ)²] + 2σ² ≈ 0.076 + 0.02 ≈ 0.096 (Δ the one-step change); a model that denoises
 * approaches σ² = 0.01.
 */
export function sineWindows(rng: Rng, samples: number, window: number) {
  const period = 16;
  const noise = 0.1;
  const x = new Float32Array(samples * window);
  const y = new Float32Array(samples);
  let naive = 0;
  for (let s = 0; s < samples; s++) {
    const phase = rng.range(0, 2 * Math.PI);
    for (let t = 0; t <= window; t++) {
      const v = Math.sin((2 * Math.PI * t) / period + phase) + rng.normal(0, noise);
      if (t < window) x[s * window + t] = v;
      else y[s] = v;
    }
    const err = y[s] - x[s * window + window - 1];
    naive += err * err;
  }
  return { data: { x, xShape: [samples, window, 1], y, yShape: [samples, 1] }, naiveMse: naive / samples };
}

/** The model's mean squared error on sineWindows data, to compare with its naiveMse. */
export function sineTestMse(model: Module, test: ReturnType<typeof sineWindows>): number {
  const pred = predict(model, test.data.x, test.data.xShape);
  let s = 0;
  for (let i = 0; i < pred.size; i++) s += (pred.data[i] - test.data.y[i]) ** 2;
  return s / pred.size;
}
