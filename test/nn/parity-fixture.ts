// Reading the PyTorch parity fixtures (test/fixtures/torch/*.json, format in its README) into tensors, loading
// torch's weights into ours, and comparing our numbers with torch's by the largest absolute difference.

import { expect } from 'vitest';
import { shapeStr, Tensor } from '@/lib/nn/tensor';

/** A fixture tensor: its shape and its values flat in row-major order. */
export interface TensorJson {
  shape: number[];
  data: number[];
}

export const fromJson = (t: TensorJson, requiresGrad = false): Tensor =>
  new Tensor(Float32Array.from(t.data), t.shape.slice(), requiresGrad);

/** Copies torch's values into our parameter after checking that both have the same layout. */
export function setParam(label: string, p: Tensor, src: TensorJson): void {
  expect(shapeStr(p.shape), `${label} layout`).toBe(shapeStr(src.shape));
  p.data.set(src.data);
}

export type ExpectClose = (
  label: string,
  actual: Tensor | Float32Array | null,
  expected: TensorJson,
  tol?: number,
) => void;

/**
 * The check of one parity file: shape (for a Tensor), size, then max |ours − torch| ≤ tol (default `defaultTol`,
 * the file's absolute tolerance), naming the worst index. A NaN anywhere fails.
 */
export function expectCloseWithin(defaultTol: number): ExpectClose {
  return (label, actual, expected, tol = defaultTol) => {
    expect(actual, `${label}: missing`).not.toBeNull();
    if (actual instanceof Tensor) {
      expect(shapeStr(actual.shape), `${label}: shape`).toBe(shapeStr(expected.shape));
    }
    const a = actual instanceof Tensor ? actual.data : (actual as Float32Array);
    expect(a.length, `${label}: size`).toBe(expected.data.length);
    let worst = 0;
    let at = 0;
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(a[i] - expected.data[i]);
      if (!(d <= worst)) {
        worst = d; // NaN lands here too and then fails below
        at = i;
      }
    }
    expect(
      worst,
      `${label}: max |ours − torch| at [${at}]: ours ${a[at]}, torch ${expected.data[at]}`,
    ).toBeLessThanOrEqual(tol);
  };
}
