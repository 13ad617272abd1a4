// Dense linear algebra (Gram products, Cholesky solves, power-iteration spectral radius) and the CSR sparse kernels,
// against hand-known systems, matrices with known spectra and naive dense references.

import { describe, expect, it } from 'vitest';
import { csrMatMul, csrMatVec, reservoirRun } from '@/lib/nn/kernels/sparse';
import {
  accumulateCross,
  accumulateGram,
  choleskyFactor,
  choleskySolveInPlace,
  solveSpd,
  spectralRadius,
  symmetrizeUpper,
} from '@/lib/nn/linalg';
import { Rng } from '@/lib/nn/rng';

/** c = a·b for dense row-major a (m×k), b (k×n), in float64. */
function denseMul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) c[i * n + j] += a[i * k + p] * b[p * n + j];
  return c;
}

function transpose(a: ArrayLike<number>, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
  return t;
}

function randomMatrix(rng: Rng, m: number, n: number): Float64Array {
  const a = new Float64Array(m * n);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  return a;
}

/** A random orthogonal n×n matrix (Gram–Schmidt on a Gaussian matrix's columns). */
function randomOrthogonal(rng: Rng, n: number): Float64Array {
  const q = randomMatrix(rng, n, n);
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < j; p++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += q[i * n + j] * q[i * n + p];
      for (let i = 0; i < n; i++) q[i * n + j] -= d * q[i * n + p];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[i * n + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) q[i * n + j] /= norm;
  }
  return q;
}

/** Q·B·Qᵀ for orthogonal Q: same eigenvalues as B. */
function similar(b: Float64Array, q: Float64Array, n: number): Float64Array {
  return denseMul(denseMul(q, b, n, n, n), transpose(q, n, n), n, n, n);
}

function denseMatVec(a: Float64Array, n: number): (x: Float64Array, y: Float64Array) => void {
  return (x, y) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
      y[i] = s;
    }
  };
}

describe('Cholesky', () => {
  it('factors the textbook 3×3 SPD matrix into its known L = [[2,0,0],[6,1,0],[-8,5,3]]', () => {
    const a = Float64Array.of(4, 12, -16, 12, 37, -43, -16, -43, 98);
    const l = new Float64Array(9);
    expect(choleskyFactor(a, 3, l)).toBe(true);
    expect(Array.from(l)).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
  });

  it('solves that system exactly for the known x = (1, −2, 3)', () => {
    const a = Float64Array.of(4, 12, -16, 12, 37, -43, -16, -43, 98);
    const x = Float64Array.of(1, -2, 3);
    const b = denseMul(a, x, 3, 3, 1);
    const solved = solveSpd(a, b, 3);
    for (let i = 0; i < 3; i++) expect(solved[i]).toBeCloseTo(x[i], 12);
  });

  it('solves a random 40×40 SPD system with 3 right-hand sides to a relative residual < 1e-12', () => {
    const rng = new Rng(3);
    const n = 40;
    const m = randomMatrix(rng, n, n);
    const a = denseMul(transpose(m, n, n), m, n, n, n); // MᵀM + I is SPD
    for (let i = 0; i < n; i++) a[i * n + i] += 1;
    const xTrue = randomMatrix(rng, n, 3);
    const b = denseMul(a, xTrue, n, n, 3);
    const x = solveSpd(a, b, n, 3);
    const ax = denseMul(a, x, n, n, 3);
    let res = 0;
    let norm = 0;
    for (let i = 0; i < b.length; i++) {
      res += (ax[i] - b[i]) ** 2;
      norm += b[i] ** 2;
    }
    expect(Math.sqrt(res / norm)).toBeLessThan(1e-12);
  });

  it('solves the ill-conditioned 6×6 Hilbert system (κ ≈ 1.5e7) to within 1e-7 of x = 1', () => {
    const n = 6;
    const h = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i * n + j] = 1 / (i + j + 1);
    const b = denseMul(h, new Float64Array(n).fill(1), n, n, 1);
    const x = solveSpd(h, b, n);
    for (let i = 0; i < n; i++) expect(Math.abs(x[i] - 1)).toBeLessThan(1e-7);
  });

  it('reports a matrix that is not positive definite instead of returning garbage', () => {
    const indefinite = Float64Array.of(1, 2, 2, 1); // eigenvalues 3 and −1
    expect(choleskyFactor(indefinite, 2, new Float64Array(4))).toBe(false);
    expect(() => solveSpd(indefinite, Float64Array.of(1, 1), 2)).toThrow(/\(2, 2\) matrix is not positive definite/);
    expect(() => solveSpd(indefinite, Float64Array.of(1, 1, 1), 2)).toThrow(/B has 3 elements, \(2, 1\) needs 2/);
  });

  it('choleskySolveInPlace matches solveSpd column by column', () => {
    const a = Float64Array.of(4, 1, 1, 3);
    const l = new Float64Array(4);
    expect(choleskyFactor(a, 2, l)).toBe(true);
    const b = Float64Array.of(1, 0, 2, 1); // two right-hand sides (1, 2) and (0, 1)
    choleskySolveInPlace(l, 2, b, 2);
    const x0 = solveSpd(a, Float64Array.of(1, 2), 2);
    const x1 = solveSpd(a, Float64Array.of(0, 1), 2);
    expect(b[0]).toBeCloseTo(x0[0], 14);
    expect(b[2]).toBeCloseTo(x0[1], 14);
    expect(b[1]).toBeCloseTo(x1[0], 14);
    expect(b[3]).toBeCloseTo(x1[1], 14);
  });
});

describe('Gram and cross products', () => {
  it('accumulateGram + symmetrizeUpper and accumulateCross equal XᵀX and XᵀY over feature-major blocks', () => {
    const rng = new Rng(5);
    const [m, d, o, stride] = [30, 7, 2, 20];
    const x = Float32Array.from(randomMatrix(rng, m, d));
    const y = Float32Array.from(randomMatrix(rng, m, o));
    const gram = new Float64Array(d * d);
    const cross = new Float64Array(d * o);
    // two blocks: rows [0, 20) and [20, 30), each transposed into a (d × stride) buffer
    for (const [from, to] of [
      [0, 20],
      [20, 30],
    ]) {
      const xt = new Float64Array(d * stride).fill(Number.NaN);
      for (let r = from; r < to; r++) for (let i = 0; i < d; i++) xt[i * stride + (r - from)] = x[r * d + i];
      accumulateGram(xt, d, to - from, stride, gram);
      accumulateCross(xt, d, to - from, stride, y.subarray(from * o, to * o), o, cross);
    }
    symmetrizeUpper(gram, d);
    const expectedGram = denseMul(transpose(x, m, d), x, d, m, d);
    const expectedCross = denseMul(transpose(x, m, d), y, d, m, o);
    for (let i = 0; i < d * d; i++) expect(gram[i]).toBeCloseTo(expectedGram[i], 10);
    for (let i = 0; i < d * o; i++) expect(cross[i]).toBeCloseTo(expectedCross[i], 10);
  });
});

describe('spectralRadius (power iteration)', () => {
  const n = 12;
  const cases: [string, () => Float64Array, number, 'real' | 'complex'][] = [
    [
      'symmetric, real dominant eigenvalue 3',
      () => similar(diag([3, 2.5, -2, 1, 0.5, 0.3, -0.2, 0.1, 0, 0.05, -1.5, 2.9]), randomOrthogonal(new Rng(1), n), n),
      3,
      'real',
    ],
    [
      'negative dominant eigenvalue −4 (iterates flip sign each step)',
      () => similar(diag([-4, 3, 2, 1, 0.5, -0.5, 0.2, 0.1, 0, -1, 1.5, 2.5]), randomOrthogonal(new Rng(2), n), n),
      4,
      'real',
    ],
    [
      'dominant eigenvalues +2 and −2 of equal modulus',
      () => similar(diag([2, -2, 1, 0.5, 0.4, -0.3, 0.2, 0.1, 0, -1, 1.5, 1.2]), randomOrthogonal(new Rng(3), n), n),
      2,
      'real',
    ],
    ['non-normal, complex pair 1.5·e^(±0.7i) dominant', () => nonNormalWithPair(1.5, 0.7, new Rng(4)), 1.5, 'complex'],
    ['non-normal, complex pair 0.9·e^(±2.5i) dominant', () => nonNormalWithPair(0.9, 2.5, new Rng(5)), 0.9, 'complex'],
  ];
  for (const [label, make, rho, dominant] of cases) {
    it(`${label}: estimate within 1e-6 relative of ρ = ${rho}, converged, ${dominant} dominant`, () => {
      const a = make();
      const r = spectralRadius(denseMatVec(a, n), n, new Rng(10));
      expect(r.converged).toBe(true);
      expect(r.dominant).toBe(dominant);
      expect(Math.abs(r.radius - rho) / rho).toBeLessThan(1e-6);
    });
  }

  it('two complex pairs 0.01% apart in modulus: not converged, growth-rate fallback within 0.5% of ρ = 1', () => {
    const b = new Float64Array(n * n);
    const rotation = (at: number, r: number, theta: number): void => {
      b[at * n + at] = r * Math.cos(theta);
      b[at * n + at + 1] = -r * Math.sin(theta);
      b[(at + 1) * n + at] = r * Math.sin(theta);
      b[(at + 1) * n + at + 1] = r * Math.cos(theta);
    };
    rotation(0, 1, 0.7);
    rotation(2, 0.9999, 2.1);
    for (let i = 4; i < n; i++) b[i * n + i] = 0.5;
    const a = similar(b, randomOrthogonal(new Rng(8), n), n);
    const r = spectralRadius(denseMatVec(a, n), n, new Rng(10));
    expect(r.converged).toBe(false);
    expect(Math.abs(r.radius - 1)).toBeLessThan(0.005);
  });

  it('returns 0 for a nilpotent (strictly upper-triangular) matrix', () => {
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = 1;
    const r = spectralRadius(denseMatVec(a, n), n, new Rng(1));
    expect(r.radius).toBe(0);
  });

  it('reports non-convergence when the iteration budget is too small', () => {
    const a = nonNormalWithPair(1, 0.3, new Rng(6));
    const r = spectralRadius(denseMatVec(a, n), n, new Rng(1), { maxIterations: 2 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(2);
  });

  /** diag(r·R(θ), upper-triangular block with |λ| ≤ 0.8·r) conjugated by a random (non-orthogonal) matrix. */
  function nonNormalWithPair(r: number, theta: number, rng: Rng): Float64Array {
    const b = new Float64Array(n * n);
    b[0] = r * Math.cos(theta);
    b[1] = -r * Math.sin(theta);
    b[n] = r * Math.sin(theta);
    b[n + 1] = r * Math.cos(theta);
    for (let i = 2; i < n; i++) {
      b[i * n + i] = r * (0.8 - (0.7 * (i - 2)) / n) * (i % 2 === 0 ? 1 : -1);
      for (let j = i + 1; j < n; j++) b[i * n + j] = rng.range(-0.5, 0.5);
    }
    // S·B·S⁻¹ with S = I + small random: same eigenvalues, non-normal
    const s = randomMatrix(rng, n, n).map((v, i) => 0.2 * v + (i % (n + 1) === 0 ? 1 : 0));
    const sInv = invert(s, n);
    return denseMul(denseMul(s, b, n, n, n), sInv, n, n, n);
  }
});

function diag(values: number[]): Float64Array {
  const n = values.length;
  const a = new Float64Array(n * n);
  values.forEach((v, i) => {
    a[i * n + i] = v;
  });
  return a;
}

/** Gauss–Jordan inverse with partial pivoting (test helper). */
function invert(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = diag(new Array(n).fill(1));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    for (let j = 0; j < n; j++) {
      [m[c * n + j], m[p * n + j]] = [m[p * n + j], m[c * n + j]];
      [inv[c * n + j], inv[p * n + j]] = [inv[p * n + j], inv[c * n + j]];
    }
    const pivot = m[c * n + c];
    for (let j = 0; j < n; j++) {
      m[c * n + j] /= pivot;
      inv[c * n + j] /= pivot;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c];
      for (let j = 0; j < n; j++) {
        m[r * n + j] -= f * m[c * n + j];
        inv[r * n + j] -= f * inv[c * n + j];
      }
    }
  }
  return inv;
}

describe('CSR sparse kernels', () => {
  // A (4×5) = [[1,0,0,2,0],[0,0,0,0,0],[0,3,0,0,4],[5,0,6,0,0]]
  const rowPtr = Int32Array.of(0, 2, 2, 4, 6);
  const colIdx = Int32Array.of(0, 3, 1, 4, 0, 2);
  const values = Float32Array.of(1, 2, 3, 4, 5, 6);
  const dense = Float64Array.of(1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 4, 5, 0, 6, 0, 0);

  it('csrMatVec equals the dense product, and accumulates when asked (float32 and float64 vectors)', () => {
    const x = Float64Array.of(1, -1, 2, 0.5, 3);
    const y = new Float64Array(4);
    csrMatVec(rowPtr, colIdx, values, x, y, 4);
    expect(Array.from(y)).toEqual(Array.from(denseMul(dense, x, 4, 5, 1)));
    const y32 = Float32Array.of(1, 1, 1, 1);
    csrMatVec(rowPtr, colIdx, values, Float32Array.from(x), y32, 4, true);
    expect(Array.from(y32)).toEqual(Array.from(denseMul(dense, x, 4, 5, 1)).map((v) => v + 1));
  });

  it('csrMatMul equals the dense product with a (5×3) matrix', () => {
    const b = Float32Array.from(randomMatrix(new Rng(2), 5, 3));
    const c = new Float32Array(12).fill(9);
    csrMatMul(rowPtr, colIdx, values, b, c, 4, 3);
    const expected = denseMul(dense, b, 4, 5, 3);
    for (let i = 0; i < 12; i++) expect(c[i]).toBeCloseTo(expected[i], 5);
  });

  it('reservoirRun equals x(t) = (1 − a)·x(t−1) + a·tanh(W_in·u + W·x(t−1) + b) computed densely', () => {
    const rng = new Rng(7);
    const [n, f, steps, leak] = [5, 2, 6, 0.3];
    // square 5×5 W: the 4×5 A above plus a last row
    const wRowPtr = Int32Array.of(0, 2, 2, 4, 6, 7);
    const wCol = Int32Array.of(0, 3, 1, 4, 0, 2, 4);
    const wVal = Float32Array.of(0.1, 0.2, 0.3, -0.4, 0.5, -0.6, 0.7);
    const wDense = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let p = wRowPtr[i]; p < wRowPtr[i + 1]; p++) wDense[i * n + wCol[p]] = wVal[p];
    const win = Float32Array.from(randomMatrix(rng, n, f));
    const bias = Float32Array.from(randomMatrix(rng, n, 1));
    const inputs = Float32Array.from(randomMatrix(rng, steps + 1, f)); // first row skipped via the offset
    const x0 = Float32Array.from(randomMatrix(rng, n, 1));
    const states = new Float32Array((steps + 2) * n); // rows 0 and the last stay untouched
    reservoirRun(wRowPtr, wCol, wVal, win, bias, leak, inputs, f, x0, states, n, steps, n, f);
    let x = Float64Array.from(x0);
    for (let t = 0; t < steps; t++) {
      const next = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let pre = bias[i];
        for (let j = 0; j < f; j++) pre += win[i * f + j] * inputs[(t + 1) * f + j];
        for (let j = 0; j < n; j++) pre += wDense[i * n + j] * x[j];
        next[i] = (1 - leak) * x[i] + leak * Math.tanh(pre);
      }
      x = next;
      for (let i = 0; i < n; i++) expect(states[(t + 1) * n + i]).toBeCloseTo(x[i], 5);
    }
    for (let i = 0; i < n; i++) {
      expect(states[i]).toBe(0);
      expect(states[(steps + 1) * n + i]).toBe(0);
    }
  });
});
