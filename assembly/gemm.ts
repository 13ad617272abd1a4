// Products on operands where they lie, without packing: c (m, n) (+)= A·B with A read element by element through two
// strides (so A may be stored transposed) and B row-major along the output columns, then c ← act(c + bias).
// The register tile is gemmPacked's (4 rows × 8 columns, 8 f32x4 accumulators; one splat of A times two vectors of B
// per step of p); sums over more than K_BLOCK terms are added onto c block by block. Packing pays for itself when panels are reused from cache many times; at the engine's sizes (k and n up to
// a few hundred) rows of A and B read in place serve as well: on W2 (median of 11 alternating rounds) this path ran
// even with packing on one thread and 6 % faster on two, where packing the large operand ran on the calling thread
// before the split (17 % of its time by profile).
// Threads: a call covers rows [0, m) from the addresses given: a range of rows is one call with a and c advanced.

import { biasActivation } from './linear';
import { hsum } from './vmath';

function put(c: usize, v: v128, accumulate: bool): void {
  v128.store(c, accumulate ? f32x4.add(v128.load(c), v) : v);
}

function putOne(c: usize, v: f32, accumulate: bool): void {
  store<f32>(c, accumulate ? load<f32>(c) + v : v);
}

/**
 * c[i, j] (+)= Σ_p a[i, p]·b[p, j] for i < m, j < n, p < k; a[i, p] at a + i·aRow + p·aCol, b[p, j] at
 * b + p·bRow + ⌊j/4⌋·bPanel + 4·(j mod 4) (byte addresses and strides: B row-major (k, n) is bRow = 4n, bPanel = 16;
 * B packed in 4-column panels by packPanels is bRow = 16, bPanel = 16k), c[i, j] at c + 4(i·n + j). Then c ← act(c + bias) when bias (≠ 0) or act asks
 * (biasActivation: act 0 identity, 1 ReLU).
 */
export function gemmStrided(
  a: usize,
  aRow: usize,
  aCol: usize,
  b: usize,
  bRow: usize,
  bPanel: usize,
  c: usize,
  m: i32,
  n: i32,
  k: i32,
  accumulate: bool,
  bias: usize,
  act: i32,
): void {
  // k in blocks of K_BLOCK terms, each added onto c: a block's rows of A and B stay in L2 while every tile of c reads
  // them (a weight gradient sums over thousands of rows: B alone is MBs)
  for (let p0 = 0; p0 < k; p0 += K_BLOCK) {
    const kc = min(K_BLOCK, k - p0);
    gemmBlock(a + <usize>p0 * aCol, aRow, aCol, b + <usize>p0 * bRow, bRow, bPanel, c, m, n, kc, accumulate || p0 > 0);
  }
  if (k === 0 && !accumulate) memory.fill(c, 0, (<usize>m * <usize>n) << 2);
  if (bias !== 0 || act !== 0) biasActivation(c, bias, m, n, act);
}

/** Terms of the sum per block (see gemmStrided). */
const K_BLOCK = 256;

function gemmBlock(
  a: usize,
  aRow: usize,
  aCol: usize,
  b: usize,
  bRow: usize,
  bPanel: usize,
  c: usize,
  m: i32,
  n: i32,
  k: i32,
  accumulate: bool,
): void {
  const cRow = (<usize>n) << 2;
  if (n === 1 && aCol === 4 && bRow === 4) {
    // one output column from row-major A and a contiguous column of B: a dot product along each row, 4 terms a step
    for (let i = 0; i < m; i++) {
      const ai = a + <usize>i * aRow;
      let acc = f32x4.splat(0);
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        const o = (<usize>p) << 2;
        acc = f32x4.add(acc, f32x4.mul(v128.load(ai + o), v128.load(b + o)));
      }
      let s = hsum(acc);
      for (; p < k; p++) s += load<f32>(ai + ((<usize>p) << 2)) * load<f32>(b + ((<usize>p) << 2));
      putOne(c + <usize>i * cRow, s, accumulate);
    }
    return;
  }
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = a + <usize>i * aRow;
    const c0 = c + <usize>i * cRow;
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      let c00 = f32x4.splat(0);
      let c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0);
      let c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0);
      let c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0);
      let c31 = f32x4.splat(0);
      let ap = a0;
      let bp = b + <usize>(j >> 2) * bPanel;
      for (let p = 0; p < k; p++) {
        const x0 = v128.load(bp);
        const x1 = v128.load(bp + bPanel);
        let s = v128.load32_splat(ap);
        c00 = f32x4.add(c00, f32x4.mul(s, x0));
        c01 = f32x4.add(c01, f32x4.mul(s, x1));
        s = v128.load32_splat(ap + aRow);
        c10 = f32x4.add(c10, f32x4.mul(s, x0));
        c11 = f32x4.add(c11, f32x4.mul(s, x1));
        s = v128.load32_splat(ap + 2 * aRow);
        c20 = f32x4.add(c20, f32x4.mul(s, x0));
        c21 = f32x4.add(c21, f32x4.mul(s, x1));
        s = v128.load32_splat(ap + 3 * aRow);
        c30 = f32x4.add(c30, f32x4.mul(s, x0));
        c31 = f32x4.add(c31, f32x4.mul(s, x1));
        ap += aCol;
        bp += bRow;
      }
      const cj = c0 + ((<usize>j) << 2);
      put(cj, c00, accumulate);
      put(cj + 16, c01, accumulate);
      put(cj + cRow, c10, accumulate);
      put(cj + cRow + 16, c11, accumulate);
      put(cj + 2 * cRow, c20, accumulate);
      put(cj + 2 * cRow + 16, c21, accumulate);
      put(cj + 3 * cRow, c30, accumulate);
      put(cj + 3 * cRow + 16, c31, accumulate);
    }
    for (; j + 4 <= n; j += 4) {
      let c0v = f32x4.splat(0);
      let c1v = f32x4.splat(0);
      let c2v = f32x4.splat(0);
      let c3v = f32x4.splat(0);
      let ap = a0;
      let bp = b + <usize>(j >> 2) * bPanel;
      for (let p = 0; p < k; p++) {
        const x = v128.load(bp);
        c0v = f32x4.add(c0v, f32x4.mul(v128.load32_splat(ap), x));
        c1v = f32x4.add(c1v, f32x4.mul(v128.load32_splat(ap + aRow), x));
        c2v = f32x4.add(c2v, f32x4.mul(v128.load32_splat(ap + 2 * aRow), x));
        c3v = f32x4.add(c3v, f32x4.mul(v128.load32_splat(ap + 3 * aRow), x));
        ap += aCol;
        bp += bRow;
      }
      const cj = c0 + ((<usize>j) << 2);
      put(cj, c0v, accumulate);
      put(cj + cRow, c1v, accumulate);
      put(cj + 2 * cRow, c2v, accumulate);
      put(cj + 3 * cRow, c3v, accumulate);
    }
    for (; j < n; j++) {
      let s0: f32 = 0;
      let s1: f32 = 0;
      let s2: f32 = 0;
      let s3: f32 = 0;
      let ap = a0;
      let bp = b + <usize>(j >> 2) * bPanel + ((<usize>(j & 3)) << 2);
      for (let p = 0; p < k; p++) {
        const x = load<f32>(bp);
        s0 += load<f32>(ap) * x;
        s1 += load<f32>(ap + aRow) * x;
        s2 += load<f32>(ap + 2 * aRow) * x;
        s3 += load<f32>(ap + 3 * aRow) * x;
        ap += aCol;
        bp += bRow;
      }
      const cj = c0 + ((<usize>j) << 2);
      putOne(cj, s0, accumulate);
      putOne(cj + cRow, s1, accumulate);
      putOne(cj + 2 * cRow, s2, accumulate);
      putOne(cj + 3 * cRow, s3, accumulate);
    }
  }
  for (; i < m; i++) {
    const a0 = a + <usize>i * aRow;
    const c0 = c + <usize>i * cRow;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let acc = f32x4.splat(0);
      let ap = a0;
      let bp = b + <usize>(j >> 2) * bPanel;
      for (let p = 0; p < k; p++) {
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(ap), v128.load(bp)));
        ap += aCol;
        bp += bRow;
      }
      put(c0 + ((<usize>j) << 2), acc, accumulate);
    }
    for (; j < n; j++) {
      let s: f32 = 0;
      let ap = a0;
      let bp = b + <usize>(j >> 2) * bPanel + ((<usize>(j & 3)) << 2);
      for (let p = 0; p < k; p++) {
        s += load<f32>(ap) * load<f32>(bp);
        ap += aCol;
        bp += bRow;
      }
      putOne(c0 + ((<usize>j) << 2), s, accumulate);
    }
  }
}
