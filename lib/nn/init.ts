// Weight initialisers: fill a new Float32Array for a parameter of a given shape, drawing only from the Rng passed in,
// so the same seed gives bit-identical weights.
//
// Fan convention (weights are stored [in, out], so y = x·W): for shape [..., in, out] the receptive field is the
// product of the leading dimensions, fanIn = receptive·in and fanOut = receptive·out (a Conv1D kernel
// [kernel, in, out] has fanIn = kernel·in). A 1-D shape [n] has fanIn = fanOut = n.

import type { Rng } from './rng';
import { shapeSize, shapeStr } from './tensor';

export type InitName =
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heUniform'
  | 'heNormal'
  | 'orthogonal'
  | 'zeros'
  | 'constant';

export const INIT_NAMES: readonly InitName[] = [
  'glorotUniform',
  'glorotNormal',
  'heUniform',
  'heNormal',
  'orthogonal',
  'zeros',
  'constant',
];

export interface InitOptions {
  /** Multiplies the scale (std or bound) of the random initialisers. Default 1 (He already includes its √2). */
  gain?: number;
  /** The fill value of `constant`. Default 0. */
  value?: number;
}

export type Initializer = (shape: readonly number[], rng: Rng, options?: InitOptions) => Float32Array;

export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  let receptive = 1;
  for (let i = 0; i < shape.length - 2; i++) receptive *= shape[i];
  return { fanIn: receptive * shape[shape.length - 2], fanOut: receptive * shape[shape.length - 1] };
}

function uniformFill(shape: readonly number[], rng: Rng, bound: number): Float32Array {
  const w = new Float32Array(shapeSize(shape));
  for (let i = 0; i < w.length; i++) w[i] = rng.range(-bound, bound);
  return w;
}

function normalFill(shape: readonly number[], rng: Rng, std: number): Float32Array {
  const w = new Float32Array(shapeSize(shape));
  for (let i = 0; i < w.length; i++) w[i] = rng.normal(0, std);
  return w;
}

/** Glorot & Bengio (2010): U(−b, b), b = gain·√(6 / (fanIn + fanOut)); variance 2 / (fanIn + fanOut). */
export const glorotUniform: Initializer = (shape, rng, options = {}) => {
  const { fanIn, fanOut } = fans(shape);
  return uniformFill(shape, rng, (options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut)));
};

/** Glorot (Xavier) normal, untruncated as in PyTorch: N(0, σ²), σ = gain·√(2 / (fanIn + fanOut)). */
export const glorotNormal: Initializer = (shape, rng, options = {}) => {
  const { fanIn, fanOut } = fans(shape);
  return normalFill(shape, rng, (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)));
};

/** He et al. (2015) for ReLU, fan-in mode: U(−b, b), b = gain·√(6 / fanIn); variance 2 / fanIn. */
export const heUniform: Initializer = (shape, rng, options = {}) => {
  const { fanIn } = fans(shape);
  return uniformFill(shape, rng, (options.gain ?? 1) * Math.sqrt(6 / fanIn));
};

/** He (Kaiming) normal for ReLU, fan-in mode, untruncated: N(0, σ²), σ = gain·√(2 / fanIn). */
export const heNormal: Initializer = (shape, rng, options = {}) => {
  const { fanIn } = fans(shape);
  return normalFill(shape, rng, (options.gain ?? 1) * Math.sqrt(2 / fanIn));
};

/**
 * Saxe et al. (2014), as torch.nn.init.orthogonal_: the shape is viewed as (rows, cols) = (product of all but the last
 * dimension, last dimension); a normal matrix of the taller orientation is orthonormalised by modified Gram–Schmidt
 * (the Q of its QR with sign(diag R) > 0), so a tall or square W has WᵀW = I and a wide W has WWᵀ = I (times gain²).
 */
export const orthogonal: Initializer = (shape, rng, options = {}) => {
  const n = shapeSize(shape);
  const cols = shape.length === 0 ? 1 : shape[shape.length - 1];
  const rows = cols === 0 ? 0 : n / cols;
  const gain = options.gain ?? 1;
  const out = new Float32Array(n);
  if (n === 0) return out;
  // Orthonormalise `vecs` vectors of length `len` (float64, one per row of q); the wide case uses Wᵀ.
  const tall = rows >= cols;
  const len = tall ? rows : cols;
  const vecs = tall ? cols : rows;
  const q = new Float64Array(vecs * len); // (vecs, len)
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  for (let v = 0; v < vecs; v++) {
    const vb = v * len;
    // modified Gram–Schmidt, repeated once ("twice is enough") to keep orthogonality at float64 precision
    for (let pass = 0; pass < 2; pass++) {
      for (let u = 0; u < v; u++) {
        const ub = u * len;
        let d = 0;
        for (let i = 0; i < len; i++) d += q[ub + i] * q[vb + i];
        for (let i = 0; i < len; i++) q[vb + i] -= d * q[ub + i];
      }
    }
    let norm = 0;
    for (let i = 0; i < len; i++) norm += q[vb + i] * q[vb + i];
    norm = Math.sqrt(norm);
    if (norm === 0) throw new Error(`orthogonal init: degenerate random matrix for shape ${shapeStr(shape)}`);
    for (let i = 0; i < len; i++) q[vb + i] /= norm;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (tall ? q[c * len + r] : q[r * len + c]);
  }
  return out;
};

export const zeros: Initializer = (shape) => new Float32Array(shapeSize(shape));

export const constant: Initializer = (shape, _rng, options = {}) =>
  new Float32Array(shapeSize(shape)).fill(options.value ?? 0);

export const INITIALIZERS: Readonly<Record<InitName, Initializer>> = {
  glorotUniform,
  glorotNormal,
  heUniform,
  heNormal,
  orthogonal,
  zeros,
  constant,
};

/** The initial values for a parameter of `shape` by initialiser name; throws naming the valid names otherwise. */
export function initialize(name: InitName, shape: readonly number[], rng: Rng, options?: InitOptions): Float32Array {
  const init = INITIALIZERS[name];
  if (init === undefined) {
    throw new Error(`Unknown initialiser '${String(name)}'; expected one of ${INIT_NAMES.join(', ')}`);
  }
  return init(shape, rng, options);
}
