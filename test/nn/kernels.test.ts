// Reference-kernel tests: every kernel in kernels/{matmul,elementwise,reduce}.ts against a naive float64
// reference on edge, odd and random sizes (including sizes that cross the matmul's tile and block boundaries).

import { describe, expect, it } from 'vitest';
import { axpy, BinaryOp, binaryBroadcast, dot, reduceBroadcastAdd, scale } from '@/lib/nn/kernels/elementwise';
import { matmul } from '@/lib/nn/kernels/matmul';
import {
  expandAxis,
  logSoftmaxRows,
  logSoftmaxRowsBackward,
  softmaxRows,
  softmaxRowsBackward,
  sumAll,
  sumAxis,
} from '@/lib/nn/kernels/reduce';
import { Rng } from '@/lib/nn/rng';
import { firstMismatch, matmulReference, randomBuffer } from './helpers';

// Tolerances: 1e-6 relative is ~8 float32 ulps (2⁻²³ ≈ 1.2e-7): loose enough for rounding, far below the O(1)
// errors an indexing or transpose bug produces.

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** Row-major flat index of the element of `shape` that the multi-index `idx` of a (larger) broadcast shape reads. */
function broadcastIndex(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) {
    const i = idx[idx.length - shape.length + d];
    flat = flat * shape[d] + (shape[d] === 1 ? 0 : i);
  }
  return flat;
}

/** Every multi-index of `shape` in row-major order. */
function* indices(shape: readonly number[]): Generator<number[]> {
  const idx = new Array<number>(shape.length).fill(0);
  const total = sizeOf(shape);
  for (let n = 0; n < total; n++) {
    yield idx;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const nd = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let d = 0; d < nd; d++) {
    const x = a[a.length - nd + d] ?? 1;
    const y = b[b.length - nd + d] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

describe('matmul against a float64 reference', () => {
  const rng = new Rng(11);
  // [m, n, k]: 1s, sizes below/at/above the 4×2 micro-tile, odd k (the unrolled loop's tail), and sizes crossing
  // the packing blocks (MC = 64 rows, NC = 256 columns, KC = 256 deep)
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 7, 5],
    [3, 1, 9],
    [5, 1, 4],
    [2, 3, 1],
    [4, 2, 1],
    [4, 2, 2],
    [5, 3, 2],
    [7, 9, 11],
    [8, 8, 8],
    [13, 1, 6],
    [64, 64, 64],
    [65, 33, 257],
    [67, 270, 300],
    [130, 3, 513],
    [3, 300, 70],
  ];
  for (let t = 0; t < 12; t++) shapes.push([1 + rng.int(80), 1 + rng.int(80), 1 + rng.int(80)]);

  for (const [m, n, k] of shapes) {
    for (const [tA, tB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      const variant = `${tA ? 'T' : 'N'}${tB ? 'T' : 'N'}`;
      it(`${m}×${k}·${k}×${n} ${variant}, accumulate off and on: |error| ≤ 1e-6·(Σ|a·b| + |c₀|)`, () => {
        const a = randomBuffer(rng, m * k);
        const b = randomBuffer(rng, k * n);
        const { value, magnitude } = matmulReference(a, b, m, n, k, tA, tB);
        // accumulate off: stale contents of c must be overwritten; elements past m·n must be left alone
        const c = randomBuffer(rng, m * n + 3, 5, 6);
        const tail = c.slice(m * n);
        matmul(a, b, c, m, n, k, tA, tB, false);
        expect(firstMismatch(c.subarray(0, m * n), value, (i) => 1e-6 * magnitude[i])).toBeNull();
        expect(Array.from(c.slice(m * n))).toEqual(Array.from(tail));
        // accumulate on: c += op(a)·op(b)
        const c0 = randomBuffer(rng, m * n);
        const acc = c0.slice();
        matmul(a, b, acc, m, n, k, tA, tB, true);
        const want = value.map((v, i) => v + c0[i]);
        expect(firstMismatch(acc, want, (i) => 1e-6 * (magnitude[i] + Math.abs(c0[i])))).toBeNull();
      });
    }
  }

  it('gives the same bits whatever ran before it (scratch panels are reused between calls)', () => {
    const r = new Rng(5);
    const a = randomBuffer(r, 9 * 20);
    const b = randomBuffer(r, 20 * 6);
    const first = new Float32Array(9 * 6);
    matmul(a, b, first, 9, 6, 20);
    const big = randomBuffer(r, 300 * 300);
    matmul(big, big, new Float32Array(300 * 300), 300, 300, 300, true, true);
    const again = new Float32Array(9 * 6);
    matmul(a, b, again, 9, 6, 20);
    expect(Array.from(again)).toEqual(Array.from(first));
  });

  it('propagates NaN and Inf like IEEE arithmetic (0·Inf is NaN, not skipped)', () => {
    const m = 6;
    const n = 5;
    const k = 4;
    const a = new Float32Array(m * k).fill(1);
    const b = new Float32Array(k * n).fill(1);
    a[2 * k + 1] = Number.NaN; // row 2 of a
    b[0 * n + 3] = Number.POSITIVE_INFINITY; // column 3 of b
    a[4 * k + 0] = 0; // 0 · Inf in c[4, 3]
    const c = new Float32Array(m * n);
    matmul(a, b, c, m, n, k);
    for (let j = 0; j < n; j++) expect(c[2 * n + j]).toBeNaN();
    expect(c[4 * n + 3]).toBeNaN();
    expect(c[0 * n + 3]).toBe(Number.POSITIVE_INFINITY);
    expect(c[0 * n + 0]).toBe(4);
  });

  it('handles empty products: k = 0 gives zeros, m = 0 or n = 0 writes nothing', () => {
    const c = new Float32Array([7, 7, 7, 7]);
    matmul(new Float32Array(0), new Float32Array(0), c, 2, 2, 0);
    expect(Array.from(c)).toEqual([0, 0, 0, 0]);
    const d = new Float32Array([7, 7]);
    matmul(new Float32Array(0), new Float32Array(6), d, 0, 2, 3, false, false, true);
    expect(Array.from(d)).toEqual([7, 7]);
  });

  it('throws naming the shapes when a buffer is too small', () => {
    expect(() => matmul(new Float32Array(5), new Float32Array(6), new Float32Array(4), 2, 2, 3)).toThrow(
      /\(2×3\) · \(3×2\) → \(2×2\).*a has 5/,
    );
  });
});

describe('binaryBroadcast against an element-by-element reference', () => {
  const ops: [string, BinaryOp, (x: number, y: number) => number][] = [
    ['add', BinaryOp.Add, (x, y) => x + y],
    ['sub', BinaryOp.Sub, (x, y) => x - y],
    ['mul', BinaryOp.Mul, (x, y) => x * y],
    ['div', BinaryOp.Div, (x, y) => x / y],
  ];
  const pairs: [number[], number[]][] = [
    [
      [3, 4],
      [3, 4],
    ],
    [[5, 3], [3]],
    [
      [5, 3],
      [1, 3],
    ],
    [[3], [5, 3]],
    [
      [4, 3],
      [4, 1],
    ],
    [
      [4, 1],
      [4, 3],
    ],
    [
      [3, 1],
      [1, 4],
    ],
    [[2, 3, 4], [4]],
    [
      [2, 3, 4],
      [3, 1],
    ],
    [
      [2, 1, 4],
      [3, 1],
    ],
    [
      [2, 3, 4],
      [2, 1, 4],
    ],
    [
      [1, 3, 1],
      [2, 1, 5],
    ],
    [[6, 2], [1]],
    [[1], [2, 2, 3]],
    [[4, 1], [1]],
    [[1], [1]],
    [
      [2, 3, 1, 5],
      [3, 4, 1],
    ],
  ];
  const rng = new Rng(21);
  for (const [aShape, bShape] of pairs) {
    for (const [name, op, f] of ops) {
      it(`${name} [${aShape}] with [${bShape}] equals fround(x ${name} y) exactly`, () => {
        const outShape = broadcastShape(aShape, bShape);
        const a = randomBuffer(rng, sizeOf(aShape));
        const b = randomBuffer(rng, sizeOf(bShape), 0.5, 2); // away from 0 so div is well defined
        const out = new Float32Array(sizeOf(outShape)).fill(Number.NaN);
        binaryBroadcast(op, a, aShape, b, bShape, out, outShape);
        const want: number[] = [];
        for (const idx of indices(outShape)) {
          want.push(Math.fround(f(a[broadcastIndex(idx, aShape)], b[broadcastIndex(idx, bShape)])));
        }
        expect(Array.from(out)).toEqual(want);
      });
    }
  }
});

describe('reduceBroadcastAdd: out += g summed down to out’s shape', () => {
  const cases: [number[], number[]][] = [
    [
      [3, 4],
      [3, 4],
    ],
    [[5, 3], [3]],
    [
      [5, 3],
      [1, 3],
    ],
    [
      [4, 3],
      [4, 1],
    ],
    [[2, 3, 4], [4]],
    [
      [2, 3, 4],
      [3, 1],
    ],
    [
      [2, 3, 4],
      [2, 1, 4],
    ],
    [
      [2, 3, 4],
      [1, 3, 1],
    ],
    [[2, 3, 4], [1]],
    [[2, 3, 4], []],
    [[6, 1], [1]],
    [
      [2, 3, 1, 5],
      [3, 1, 1],
    ],
  ];
  const rng = new Rng(31);
  for (const [gShape, outShape] of cases) {
    it(`[${gShape}] → [${outShape}] matches the float64 sum within 1e-6·Σ|g|`, () => {
      const g = randomBuffer(rng, sizeOf(gShape));
      const start = randomBuffer(rng, sizeOf(outShape));
      const out = start.slice();
      reduceBroadcastAdd(g, gShape, out, outShape);
      const want = Float64Array.from(start);
      const mag = Float64Array.from(start, Math.abs);
      let i = 0;
      for (const idx of indices(gShape)) {
        const o = broadcastIndex(idx, outShape);
        want[o] += g[i];
        mag[o] += Math.abs(g[i]);
        i++;
      }
      expect(firstMismatch(out, want, (o) => 1e-6 * mag[o])).toBeNull();
    });
  }
});

describe('vector helpers', () => {
  const rng = new Rng(41);
  it('axpy: y += α·x elementwise (exact to float32 rounding)', () => {
    const x = randomBuffer(rng, 37);
    const y = randomBuffer(rng, 37);
    const y0 = y.slice();
    axpy(-0.75, x, y);
    for (let i = 0; i < 37; i++) expect(y[i]).toBe(Math.fround(y0[i] + -0.75 * x[i]));
  });
  it('scale: out = α·x (exact to float32 rounding)', () => {
    const x = randomBuffer(rng, 37);
    const out = new Float32Array(37);
    scale(3.5, x, out);
    for (let i = 0; i < 37; i++) expect(out[i]).toBe(Math.fround(3.5 * x[i]));
  });
  it('dot and sumAll match float64 sums within 1e-12 (they accumulate in float64)', () => {
    const x = randomBuffer(rng, 1001);
    const y = randomBuffer(rng, 1001);
    let d = 0;
    let s = 0;
    for (let i = 0; i < 1001; i++) {
      d += x[i] * y[i];
      s += x[i];
    }
    expect(Math.abs(dot(x, y) - d)).toBeLessThan(1e-12);
    expect(Math.abs(sumAll(x) - s)).toBeLessThan(1e-12);
    expect(sumAll(new Float32Array(0))).toBe(0);
  });
});

describe('sumAxis / expandAxis over (outer, axis, inner) views', () => {
  const views: [number, number, number][] = [
    [1, 1, 1],
    [1, 5, 1],
    [3, 4, 1],
    [1, 4, 3],
    [2, 3, 4],
    [5, 1, 6],
    [7, 9, 2],
  ];
  const rng = new Rng(51);
  for (const [outer, axis, inner] of views) {
    it(`sumAxis (${outer}, ${axis}, ${inner}) with accumulate off/on within 1e-6·Σ|x|`, () => {
      const x = randomBuffer(rng, outer * axis * inner);
      const want = new Float64Array(outer * inner);
      const mag = new Float64Array(outer * inner);
      for (let o = 0; o < outer; o++)
        for (let a = 0; a < axis; a++)
          for (let i = 0; i < inner; i++) {
            want[o * inner + i] += x[(o * axis + a) * inner + i];
            mag[o * inner + i] += Math.abs(x[(o * axis + a) * inner + i]);
          }
      const out = randomBuffer(rng, outer * inner, 5, 6); // stale values: must be overwritten
      sumAxis(x, outer, axis, inner, out);
      for (let j = 0; j < out.length; j++) expect(Math.abs(out[j] - want[j])).toBeLessThanOrEqual(1e-6 * mag[j]);
      const start = randomBuffer(rng, outer * inner);
      const acc = start.slice();
      sumAxis(x, outer, axis, inner, acc, true);
      for (let j = 0; j < acc.length; j++) {
        const tol = 1e-6 * (mag[j] + Math.abs(start[j]));
        expect(Math.abs(acc[j] - (start[j] + want[j]))).toBeLessThanOrEqual(tol);
      }
    });
    it(`expandAxis (${outer}, ${axis}, ${inner}) adds α·g to every position along the axis`, () => {
      const g = randomBuffer(rng, outer * inner);
      const start = randomBuffer(rng, outer * axis * inner);
      const out = start.slice();
      const alpha = 1 / 3;
      expandAxis(g, outer, axis, inner, out, alpha);
      for (let o = 0; o < outer; o++)
        for (let a = 0; a < axis; a++)
          for (let i = 0; i < inner; i++) {
            const j = (o * axis + a) * inner + i;
            expect(out[j]).toBe(Math.fround(start[j] + alpha * g[o * inner + i]));
          }
    });
  }
});

describe('softmaxRows / logSoftmaxRows', () => {
  /** Row-wise softmax and log-softmax in float64. */
  function reference(x: Float32Array, rows: number, cols: number) {
    const soft = new Float64Array(x.length);
    const logSoft = new Float64Array(x.length);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
      const mx = Math.max(...row);
      const lse = mx + Math.log(row.reduce((s, v) => s + Math.exp(v - mx), 0));
      for (let j = 0; j < cols; j++) {
        logSoft[r * cols + j] = row[j] - lse;
        soft[r * cols + j] = Math.exp(row[j] - lse);
      }
    }
    return { soft, logSoft };
  }

  const rng = new Rng(61);
  const sizes: [number, number][] = [
    [1, 1],
    [1, 7],
    [4, 1],
    [5, 3],
    [3, 64],
  ];
  for (const [rows, cols] of sizes) {
    it(`${rows}×${cols}: softmax ±1e-6, log-softmax ±1e-6·(1 + |y|) of float64; rows sum to 1 ± 1e-6`, () => {
      const x = randomBuffer(rng, rows * cols, -8, 8);
      const { soft, logSoft } = reference(x, rows, cols);
      const y = new Float32Array(x.length);
      const ly = new Float32Array(x.length);
      softmaxRows(x, y, rows, cols);
      logSoftmaxRows(x, ly, rows, cols);
      for (let i = 0; i < x.length; i++) {
        expect(Math.abs(y[i] - soft[i])).toBeLessThanOrEqual(1e-6);
        expect(Math.abs(ly[i] - logSoft[i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(logSoft[i])));
      }
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += y[r * cols + j];
        expect(Math.abs(s - 1)).toBeLessThanOrEqual(1e-6);
      }
    });
  }

  it('stays finite and exact for inputs of magnitude 1e4 (max-shifted before exp)', () => {
    const rows = 4;
    const cols = 3;
    // (4, 3): huge positive, huge negative, mixed, and a row of equal huge values
    const x = new Float32Array([1e4, 1e4 - 1, 1e4 - 2, -1e4, -1e4 + 1, -1e4 + 2, 1e4, 0, -1e4, 1e4, 1e4, 1e4]);
    const y = new Float32Array(x.length);
    const ly = new Float32Array(x.length);
    softmaxRows(x, y, rows, cols);
    logSoftmaxRows(x, ly, rows, cols);
    for (let i = 0; i < x.length; i++) {
      expect(Number.isFinite(y[i]), `softmax[${i}]`).toBe(true);
      expect(Number.isFinite(ly[i]), `logSoftmax[${i}]`).toBe(true);
      expect(ly[i]).toBeLessThanOrEqual(0);
    }
    const { soft, logSoft } = reference(x, rows, cols);
    for (let i = 0; i < x.length; i++) {
      expect(Math.abs(y[i] - soft[i])).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(ly[i] - logSoft[i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(logSoft[i])));
    }
    expect(y[6]).toBe(1); // e^-1e4 underflows: the winner takes all
    expect(y[8]).toBe(0);
    expect(ly[8]).toBeCloseTo(-2e4, 0);
    for (let j = 9; j < 12; j++) expect(y[j]).toBeCloseTo(1 / 3, 6);
  });

  it('backward kernels accumulate the float64 Jacobian-vector products (within 1e-5)', () => {
    const rows = 3;
    const cols = 6;
    const x = randomBuffer(rng, rows * cols, -3, 3);
    const dy = randomBuffer(rng, rows * cols);
    const y = new Float32Array(x.length);
    const ly = new Float32Array(x.length);
    softmaxRows(x, y, rows, cols);
    logSoftmaxRows(x, ly, rows, cols);
    const start = randomBuffer(rng, x.length);
    const dxSoft = start.slice();
    const dxLog = start.slice();
    softmaxRowsBackward(y, dy, dxSoft, rows, cols);
    logSoftmaxRowsBackward(ly, dy, dxLog, rows, cols);
    const { soft } = reference(x, rows, cols);
    for (let r = 0; r < rows; r++) {
      let dotYdy = 0;
      let sumDy = 0;
      for (let j = 0; j < cols; j++) {
        dotYdy += dy[r * cols + j] * soft[r * cols + j];
        sumDy += dy[r * cols + j];
      }
      for (let j = 0; j < cols; j++) {
        const i = r * cols + j;
        // d softmax: J = diag(s) − s·sᵀ ⇒ Jᵀ·dy = s ⊙ (dy − s·dy); d log-softmax: Jᵀ·dy = dy − s·Σdy
        expect(Math.abs(dxSoft[i] - (start[i] + soft[i] * (dy[i] - dotYdy)))).toBeLessThanOrEqual(1e-5);
        expect(Math.abs(dxLog[i] - (start[i] + dy[i] - soft[i] * sumDy))).toBeLessThanOrEqual(1e-5);
      }
    }
  });
});
