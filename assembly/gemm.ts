// Products on operands where they lie: c (m, n) (+)= alpha·A·B with A read element by element through two strides
// (stored transposed or not) and B row-major, or packed in 4-column panels (a transposed or reused weight), then
// optionally c ← act(c + bias). One register-tiled routine, product(), serves every product of the module: layers'
// products (gemmStrided), the recurrent steps of sequence.ts, dense chains and attention (which narrows it to the
// causal triangle). Packing A, as a classic GEMM does, pays when panels are reused from cache many times; at the
// engine's sizes (k and n up to a few hundred) rows read in place serve as well: on W2 (median of 11 alternating
// rounds) even with packing on one thread and 6 % faster on two, where packing the large operand ran on the calling
// thread before the split (17 % of its time by profile).
// Threads: a call covers rows [0, m) from the addresses given: a range of rows is one call with a and c advanced.

import { biasActivation } from './linear';
import { hsum } from './vmath';

// Which work of a product the causal mask makes needless (as in kernels/attention.ts):
export const ALL: i32 = 0;
/** c (T, ·) is only needed on and below the diagonal: columns past the row's tile are skipped (left as they were). */
export const LOWER: i32 = 1;
/** a is zero above the diagonal: row i sums over p ≤ i only (the tile's last row bounds p). */
export const A_LOWER: i32 = 2;
/** a is zero below the diagonal: row i sums over p ≥ i only (the tile's first row bounds p). */
export const A_UPPER: i32 = 3;

/** c ← alpha·acc, or c += alpha·acc, for one vector of 4 columns. */
function put(c: usize, acc: v128, alpha: v128, overwrite: bool): void {
  const v = f32x4.mul(alpha, acc);
  v128.store(c, overwrite ? v : f32x4.add(v128.load(c), v));
}

/** c ← alpha·s, or c += alpha·s, for one float. */
function putOne(c: usize, s: f32, alpha: f32, overwrite: bool): void {
  store<f32>(c, overwrite ? alpha * s : load<f32>(c) + alpha * s);
}

/**
 * c[i, j] (+)= alpha·Σ_p a[i, p]·b[p, j] for i < m, j < n and p < k (narrowed by tri), all addressed in bytes:
 * a[i, p] at a + i·aRow + p·aCol (any layout: one element at a time, splat), b[p, j] at
 * b + p·bRow + ⌊j/4⌋·bPanel + 4·(j mod 4) (B row-major (k, n): bRow = 4n, bPanel = 16; B packed in 4-column panels
 * by packPanels: bRow = 16, bPanel = 16k) and c[i, j] at c + i·cRow + 4j (rows contiguous along j). overwrite: c =
 * instead of c +=. The register tile is 4 rows × 8 columns (8 f32x4 accumulators; per p, one splat of A times two
 * vectors of B), and every output sums its terms in order from the first.
 * Under LOWER, n must be a multiple of 4 (a padded scratch block): a 4-row tile computes up to its last row's diagonal
 * rounded up to whole vectors.
 */
export function product(
  a: usize,
  aRow: usize,
  aCol: usize,
  b: usize,
  bRow: usize,
  bPanel: usize,
  c: usize,
  cRow: usize,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  tri: i32,
  overwrite: bool,
): void {
  const al = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const p0 = tri === A_UPPER ? i : 0;
    const p1 = tri === A_LOWER ? min(k, i + 4) : k;
    const nEnd = tri === LOWER ? min(n, i + 4) : n;
    const a0 = a + <usize>i * aRow + <usize>p0 * aCol;
    const c0 = c + <usize>i * cRow;
    const b0 = b + <usize>p0 * bRow;
    let j = 0;
    for (; j + 8 <= nEnd; j += 8) {
      let c00 = f32x4.splat(0);
      let c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0);
      let c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0);
      let c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0);
      let c31 = f32x4.splat(0);
      let ap = a0;
      let bp = b0 + <usize>(j >> 2) * bPanel;
      for (let p = p0; p < p1; p++) {
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
      put(cj, c00, al, overwrite);
      put(cj + 16, c01, al, overwrite);
      put(cj + cRow, c10, al, overwrite);
      put(cj + cRow + 16, c11, al, overwrite);
      put(cj + 2 * cRow, c20, al, overwrite);
      put(cj + 2 * cRow + 16, c21, al, overwrite);
      put(cj + 3 * cRow, c30, al, overwrite);
      put(cj + 3 * cRow + 16, c31, al, overwrite);
    }
    for (; j + 4 <= nEnd; j += 4) {
      let c0v = f32x4.splat(0);
      let c1v = f32x4.splat(0);
      let c2v = f32x4.splat(0);
      let c3v = f32x4.splat(0);
      let ap = a0;
      let bp = b0 + <usize>(j >> 2) * bPanel;
      for (let p = p0; p < p1; p++) {
        const x = v128.load(bp);
        c0v = f32x4.add(c0v, f32x4.mul(v128.load32_splat(ap), x));
        c1v = f32x4.add(c1v, f32x4.mul(v128.load32_splat(ap + aRow), x));
        c2v = f32x4.add(c2v, f32x4.mul(v128.load32_splat(ap + 2 * aRow), x));
        c3v = f32x4.add(c3v, f32x4.mul(v128.load32_splat(ap + 3 * aRow), x));
        ap += aCol;
        bp += bRow;
      }
      const cj = c0 + ((<usize>j) << 2);
      put(cj, c0v, al, overwrite);
      put(cj + cRow, c1v, al, overwrite);
      put(cj + 2 * cRow, c2v, al, overwrite);
      put(cj + 3 * cRow, c3v, al, overwrite);
    }
    // the last 1–3 columns (n not a multiple of 4; never under LOWER), one at a time
    for (; j < nEnd; j++) {
      let s0: f32 = 0;
      let s1: f32 = 0;
      let s2: f32 = 0;
      let s3: f32 = 0;
      let ap = a0;
      let bp = b0 + <usize>(j >> 2) * bPanel + ((<usize>(j & 3)) << 2);
      for (let p = p0; p < p1; p++) {
        const x = load<f32>(bp);
        s0 += load<f32>(ap) * x;
        s1 += load<f32>(ap + aRow) * x;
        s2 += load<f32>(ap + 2 * aRow) * x;
        s3 += load<f32>(ap + 3 * aRow) * x;
        ap += aCol;
        bp += bRow;
      }
      const cj = c0 + ((<usize>j) << 2);
      putOne(cj, s0, alpha, overwrite);
      putOne(cj + cRow, s1, alpha, overwrite);
      putOne(cj + 2 * cRow, s2, alpha, overwrite);
      putOne(cj + 3 * cRow, s3, alpha, overwrite);
    }
  }
  // the last 1–3 rows (m not a multiple of 4), one at a time
  for (; i < m; i++) {
    const p0 = tri === A_UPPER ? i : 0;
    const p1 = tri === A_LOWER ? min(k, i + 1) : k;
    const nEnd = tri === LOWER ? min(n, i + 1) : n;
    const a0 = a + <usize>i * aRow + <usize>p0 * aCol;
    const c0 = c + <usize>i * cRow;
    const b0 = b + <usize>p0 * bRow;
    let j = 0;
    for (; j + 4 <= nEnd; j += 4) {
      let acc = f32x4.splat(0);
      let ap = a0;
      let bp = b0 + <usize>(j >> 2) * bPanel;
      for (let p = p0; p < p1; p++) {
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(ap), v128.load(bp)));
        ap += aCol;
        bp += bRow;
      }
      put(c0 + ((<usize>j) << 2), acc, al, overwrite);
    }
    for (; j < nEnd; j++) {
      let s: f32 = 0;
      let ap = a0;
      let bp = b0 + <usize>(j >> 2) * bPanel + ((<usize>(j & 3)) << 2);
      for (let p = p0; p < p1; p++) {
        s += load<f32>(ap) * load<f32>(bp);
        ap += aCol;
        bp += bRow;
      }
      putOne(c0 + ((<usize>j) << 2), s, alpha, overwrite);
    }
  }
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
  const cRow = (<usize>n) << 2;
  for (let p0 = 0; p0 < k; p0 += K_BLOCK) {
    const kc = min(K_BLOCK, k - p0);
    const ak = a + <usize>p0 * aCol;
    const bk = b + <usize>p0 * bRow;
    const overwrite = !accumulate && p0 === 0;
    if (n === 1 && aCol === 4 && bRow === 4) dotRows(ak, aRow, bk, c, cRow, m, kc, overwrite);
    else product(ak, aRow, aCol, bk, bRow, bPanel, c, cRow, m, n, kc, 1, ALL, overwrite);
  }
  if (k === 0 && !accumulate) memory.fill(c, 0, (<usize>m * <usize>n) << 2);
  if (bias !== 0 || act !== 0) biasActivation(c, bias, m, n, act);
}

/** Terms of the sum per block (see gemmStrided). */
const K_BLOCK = 256;

/** c[i] (+)= Σ_p a[i, p]·b[p] for one output column, A row-major and b contiguous: dot products, 4 terms a step. */
function dotRows(a: usize, aRow: usize, b: usize, c: usize, cRow: usize, m: i32, k: i32, overwrite: bool): void {
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
    putOne(c + <usize>i * cRow, s, 1, overwrite);
  }
}

/** c (m, n) += A (m, k) row-major · B (k, n) packed in 4-column panels by packPanels: a recurrent step's product. */
export function addRowsTimesPanels(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32): void {
  product(a, (<usize>k) << 2, 4, b, 16, (<usize>k) << 4, c, (<usize>n) << 2, m, n, k, 1, ALL, false);
}
