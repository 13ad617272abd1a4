// Dense matrix product over row-major Float32Array buffers the caller owns: a packed, cache- and register-blocked
// GEMM in plain TypeScript (the reference backend; a WebAssembly backend can replace it through kernels/index.ts).
//
// c (m×n) = op(a) · op(b)  [+ c when accumulate]
//   op(a) is a (m×k) or, with transA, a stored as (k×m) and read transposed.
//   op(b) is b (k×n) or, with transB, b stored as (n×k) and read transposed.
// c must not overlap a or b.
//
// Design (GotoBLAS layout): for each NC-wide column block and KC-deep slice of k, a panel of op(b) is copied into a
// contiguous Float64Array in NR-wide strips, then for each MC-tall row block op(a) is copied in MR-tall strips; a
// micro-kernel multiplies one a-strip by one b-strip into an MR×NR tile of c held in local variables. Packing handles
// all four transpose combinations, so one micro-kernel serves them all and reads memory strictly sequentially.
// Sums are kept in float64 within each KC slice and rounded to float32 once per slice when added into c.
//
// Why these choices (measured on a 2-vCPU AMD EPYC Zen 4 VM, Node 20.20 / V8 11.3; GFLOP/s by process CPU time at
// 256³ / 1024³, best of 9 interleaved runs, since other processes shared the machine):
// - V8 emits scalar SSE code with a bounds check and index arithmetic on every typed-array load and has 15 xmm
//   registers for values, so instruction count per flop, not cache, sets the speed. The micro-tile shape trades
//   loads per multiply-add against register spills (spilled accumulators are stored and reloaded every iteration):
//     plain k loop:     4×4 4.3 / 4.3   2×4 4.4 / 4.5   4×8 4.2 / 4.2   4×2 4.4 / 4.2
//     k unrolled ×2:    4×4 4.1 / 4.1   2×4 4.7 / 4.5   3×2 5.0 / 5.1   4×2 5.1 / 5.3   8×2 4.2 / 4.3   8×1 3.3 / 3.3
//   Unrolling 4×2 four times instead of twice fell to 3.9 at 256³ (more spills).
// - Packed panels are float64: same speed as float32 within noise, and no float32→float64 convert per load. Keeping
//   the a- and b-panels in one buffer saves a map check per load group (~5%); `(i + 1) | 0` index arithmetic drops
//   V8's overflow checks (~5%).
// - Block sizes hardly matter once packed (KC 128–512, MC 32–256, NC 256–4096 all within ±5%): every panel fits
//   in the 1 MB L2. KC = 256 and MC = 64 keep one a-strip (8 KB) in L1 and a row block in L2.
// - Shapes with m < 4 or n = 1 waste most of a 4×2 tile and pay a packing pass as large as the product itself, so
//   they use a direct dot-product loop instead (~1.1 GFLOP/s against 0.1–0.7 packed at 1×64×30, 256×1×32, 1×1×256).
// - The previous simple blocked loop ran at 1.1 GFLOP/s on every shape.

const MR = 4; // rows of c per micro-tile
const NR = 2; // columns of c per micro-tile
const KC = 256; // depth of a packed slice of k
const MC = 64; // rows of op(a) packed at a time
const NC = 256; // columns of op(b) packed at a time

/** Packed panels: the b-panel, then the a-block. Grown on demand, never shrunk: ≤ (NC + MC)·KC doubles, 640 KB. */
let packed = new Float64Array(8192);
/** The MR×NR result of an edge micro-tile, before its valid part is added into c. */
const edgeTile = new Float64Array(MR * NR);

export function matmul(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  transA = false,
  transB = false,
  accumulate = false,
): void {
  if (a.length < m * k || b.length < k * n || c.length < m * n) {
    throw new Error(
      `matmul: buffers too small for (${m}×${k}) · (${k}×${n}) → (${m}×${n}): ` +
        `a has ${a.length}, b has ${b.length}, c has ${c.length} elements`,
    );
  }
  if (!accumulate) c.fill(0, 0, m * n);
  if (m === 0 || n === 0 || k === 0) return;
  if (m < MR || n === 1) {
    matmulDirect(a, b, c, m, n, k, transA, transB);
    return;
  }
  const kcMax = Math.min(KC, k);
  const aOffset = roundUp(Math.min(NC, n), NR) * kcMax; // where the a-block starts in `packed`
  const need = aOffset + roundUp(Math.min(MC, m), MR) * kcMax;
  if (packed.length < need) packed = new Float64Array(need);
  const buf = packed;
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      packB(buf, b, transB, n, k, j0, nc, p0, kc);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        packA(buf, aOffset, a, transA, m, k, i0, mc, p0, kc);
        for (let ib = 0; ib < mc; ib += MR) {
          const mr = Math.min(MR, mc - ib);
          const aStrip = aOffset + ib * kc;
          const cRow = (i0 + ib) * n + j0;
          for (let jb = 0; jb < nc; jb += NR) {
            microKernel4x2(buf, kc, aStrip, jb * kc, c, cRow + jb, n, mr, Math.min(NR, nc - jb));
          }
        }
      }
    }
  }
}

function roundUp(x: number, multiple: number): number {
  return Math.ceil(x / multiple) * multiple;
}

/**
 * c[co + r·ldc + s] += Σ_p A[p, r]·B[p, s] for the valid mr×nr corner of a 4×2 tile, where the a-strip
 * (kc, 4) starts at buf[ao] and the b-strip (kc, 2) at buf[bo]. The k loop is unrolled twice.
 */
function microKernel4x2(
  buf: Float64Array,
  kc: number,
  ao: number,
  bo: number,
  c: Float32Array,
  co: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  let c00 = 0;
  let c01 = 0;
  let c10 = 0;
  let c11 = 0;
  let c20 = 0;
  let c21 = 0;
  let c30 = 0;
  let c31 = 0;
  let p = 1;
  for (; p < kc; p += 2) {
    const b0 = buf[bo];
    const b1 = buf[(bo + 1) | 0];
    const a0 = buf[ao];
    c00 += a0 * b0;
    c01 += a0 * b1;
    const a1 = buf[(ao + 1) | 0];
    c10 += a1 * b0;
    c11 += a1 * b1;
    const a2 = buf[(ao + 2) | 0];
    c20 += a2 * b0;
    c21 += a2 * b1;
    const a3 = buf[(ao + 3) | 0];
    c30 += a3 * b0;
    c31 += a3 * b1;
    const b0n = buf[(bo + 2) | 0];
    const b1n = buf[(bo + 3) | 0];
    const a0n = buf[(ao + 4) | 0];
    c00 += a0n * b0n;
    c01 += a0n * b1n;
    const a1n = buf[(ao + 5) | 0];
    c10 += a1n * b0n;
    c11 += a1n * b1n;
    const a2n = buf[(ao + 6) | 0];
    c20 += a2n * b0n;
    c21 += a2n * b1n;
    const a3n = buf[(ao + 7) | 0];
    c30 += a3n * b0n;
    c31 += a3n * b1n;
    ao = (ao + 8) | 0;
    bo = (bo + 4) | 0;
  }
  if (p === kc) {
    // odd kc: one step left
    const b0 = buf[bo];
    const b1 = buf[(bo + 1) | 0];
    const a0 = buf[ao];
    c00 += a0 * b0;
    c01 += a0 * b1;
    const a1 = buf[(ao + 1) | 0];
    c10 += a1 * b0;
    c11 += a1 * b1;
    const a2 = buf[(ao + 2) | 0];
    c20 += a2 * b0;
    c21 += a2 * b1;
    const a3 = buf[(ao + 3) | 0];
    c30 += a3 * b0;
    c31 += a3 * b1;
  }
  if (mr === MR && nr === NR) {
    c[co] += c00;
    c[co + 1] += c01;
    co += ldc;
    c[co] += c10;
    c[co + 1] += c11;
    co += ldc;
    c[co] += c20;
    c[co + 1] += c21;
    co += ldc;
    c[co] += c30;
    c[co + 1] += c31;
    return;
  }
  const t = edgeTile;
  t[0] = c00;
  t[1] = c01;
  t[2] = c10;
  t[3] = c11;
  t[4] = c20;
  t[5] = c21;
  t[6] = c30;
  t[7] = c31;
  for (let r = 0; r < mr; r++) for (let s = 0; s < nr; s++) c[co + r * ldc + s] += t[r * NR + s];
}

/**
 * Copies op(b)[p0 : p0+kc, j0 : j0+nc] into buf[0 ...] as NR-wide strips, each (kc, NR) row-major, the last strip
 * zero-padded to NR columns.
 */
function packB(
  buf: Float64Array,
  b: Float32Array,
  transB: boolean,
  n: number,
  k: number,
  j0: number,
  nc: number,
  p0: number,
  kc: number,
): void {
  let o = 0;
  for (let jb = 0; jb < nc; jb += NR) {
    const nr = Math.min(NR, nc - jb);
    if (transB) {
      // b is (n, k): column j of op(b) is row j of b, contiguous along p
      for (let s = 0; s < NR; s++) {
        let dst = o + s;
        if (s < nr) {
          let src = (j0 + jb + s) * k + p0;
          for (let p = 0; p < kc; p++, dst += NR) buf[dst] = b[src++];
        } else {
          for (let p = 0; p < kc; p++, dst += NR) buf[dst] = 0;
        }
      }
      o += kc * NR;
    } else {
      for (let p = 0; p < kc; p++) {
        const src = (p0 + p) * n + j0 + jb;
        for (let s = 0; s < NR; s++) buf[o++] = s < nr ? b[src + s] : 0;
      }
    }
  }
}

/**
 * Copies op(a)[i0 : i0+mc, p0 : p0+kc] into buf[offset ...] as MR-tall strips, each (kc, MR) row-major, the last
 * strip zero-padded to MR rows.
 */
function packA(
  buf: Float64Array,
  offset: number,
  a: Float32Array,
  transA: boolean,
  m: number,
  k: number,
  i0: number,
  mc: number,
  p0: number,
  kc: number,
): void {
  let o = offset;
  for (let ib = 0; ib < mc; ib += MR) {
    const mr = Math.min(MR, mc - ib);
    if (transA) {
      // a is (k, m): row p of a holds op(a)[·, p], contiguous along i
      for (let p = 0; p < kc; p++) {
        const src = (p0 + p) * m + i0 + ib;
        for (let r = 0; r < MR; r++) buf[o++] = r < mr ? a[src + r] : 0;
      }
    } else {
      for (let r = 0; r < MR; r++) {
        let dst = o + r;
        if (r < mr) {
          let src = (i0 + ib + r) * k + p0;
          for (let p = 0; p < kc; p++, dst += MR) buf[dst] = a[src++];
        } else {
          for (let p = 0; p < kc; p++, dst += MR) buf[dst] = 0;
        }
      }
      o += kc * MR;
    }
  }
}

/** c += op(a)·op(b) as one float64 dot product per element, for shapes too thin to fill a micro-tile. */
function matmulDirect(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): void {
  const aRowStep = transA ? 1 : k; // A(i, 0) → A(i+1, 0)
  const aStep = transA ? m : 1; // A(i, p) → A(i, p+1)
  const bColStep = transB ? k : 1; // B(0, j) → B(0, j+1)
  const bStep = transB ? 1 : n; // B(p, j) → B(p+1, j)
  for (let i = 0; i < m; i++) {
    const aRow = i * aRowStep;
    const cRow = i * n;
    for (let j = 0; j < n; j++) {
      let ia = aRow;
      let ib = j * bColStep;
      let s = 0;
      for (let p = 0; p < k; p++) {
        s += a[ia] * b[ib];
        ia += aStep;
        ib += bStep;
      }
      c[cRow + j] += s;
    }
  }
}
