// Kernels of a fully connected layer: the bias is written into every output row so the matmul can accumulate x·W onto
// it (y = x·W + b without a separate pass over y), and the fused reference linearForward.

import { matmul } from './matmul';

/** out[r, j] = row[j] for r < rows; out is (rows, cols) row-major. */
export function fillRows(row: Float32Array, out: Float32Array, rows: number, cols: number): void {
  const src = cols === row.length ? row : row.subarray(0, cols);
  for (let r = 0; r < rows; r++) out.set(src, r * cols);
}

/** Activation a fused linear kernel applies to its output. */
export enum LinearActivation {
  None = 0,
  /** max(v, +0), NaN kept (the ReLU kernel's forward). */
  Relu = 1,
}

/**
 * out (m, n) = act(x (m, k) · w (k, n) + bias (n)), bias may be null. The reference composition of fillRows, matmul
 * and the activation; backends fuse the bias and the activation into the product's epilogue.
 */
export function linearForward(
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | null,
  out: Float32Array,
  m: number,
  n: number,
  k: number,
  act: LinearActivation,
): void {
  if (bias !== null) {
    fillRows(bias, out, m, n);
    matmul(x, w, out, m, n, k, false, false, true);
  } else {
    matmul(x, w, out, m, n, k);
  }
  if (act === LinearActivation.Relu) {
    // branchless max(v, +0): (v + |v|)·½ is +0 for v ≤ 0 (−0 included) and keeps NaN
    for (let i = 0; i < m * n; i++) {
      const v = out[i];
      out[i] = (v + Math.abs(v)) * 0.5;
    }
  }
}

/** One layer of a dense chain: weight (in, out) row-major, bias (out) or null, and its activation. */
export interface DenseChainLayer {
  weight: Float32Array;
  bias: Float32Array | null;
  inFeatures: number;
  outFeatures: number;
  act: LinearActivation;
}

/**
 * out (rows, last layer's out) = the layers applied in turn to x (rows, first layer's in): inference through a stack
 * of Dense (+ ReLU) layers. The reference runs linearForward layer by layer; backends keep the activations in their
 * own memory between layers (and split the rows across threads).
 */
export function denseChainForward(x: Float32Array, rows: number, layers: DenseChainLayer[], out: Float32Array): void {
  let cur = x;
  layers.forEach((layer, l) => {
    const dst = l === layers.length - 1 ? out : new Float32Array(rows * layer.outFeatures);
    linearForward(cur, layer.weight, layer.bias, dst, rows, layer.outFeatures, layer.inFeatures, layer.act);
    cur = dst;
  });
}
