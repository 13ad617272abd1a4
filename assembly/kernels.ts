// WebAssembly SIMD kernels (AssemblyScript, built by scripts/build-wasm.mjs): the hot numeric loops of the engine on
// f32x4 vectors over this module's linear memory. The TypeScript loader (lib/nn/kernels/wasm/) places operands in an
// arena in this memory and passes byte addresses; nothing here allocates. Semantics match lib/nn/kernels/*.ts.

// ---------------------------------------------------------------------------------------------------------------
// Panels: op(b) (k, n) packed into panels of 4 columns — panel q holds op(b)[p, 4q..4q+3] for p = 0..k−1
// contiguously, zero past column n (the layout of kernels/recurrent.ts packPanels) — the layout gemm.ts product()
// reads a transposed or reused right operand in (a weight). The products themselves are in gemm.ts.

const PANEL: i32 = 4;

/** First free byte after this module's static data: the loader's arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * Sets `bytes` bytes at ptr to 0 (bulk memory.fill): zeroes tensor data the loader keeps in this memory. JavaScript's
 * TypedArray fill over a shared memory takes a slow element-wise path (measured 12× slower than memset on 256 KB).
 */
export function zeroBytes(ptr: usize, bytes: usize): void {
  memory.fill(ptr, 0, bytes);
}

/** Floats of packPanels's output for op(b) (k, n). */
export function packedSize(k: i32, n: i32): i32 {
  return ((n + PANEL - 1) / PANEL) * PANEL * k;
}

/** dst ← op(b) (k, n) in 4-column panels; op(b) is b (k, n) or, with transB, b stored (n, k) read transposed. */
export function packPanels(b: usize, k: i32, n: i32, transB: bool, dst: usize): void {
  let o = dst;
  for (let j0 = 0; j0 < n; j0 += PANEL) {
    const cols = min(PANEL, n - j0);
    if (cols === PANEL && !transB) {
      let s = b + ((<usize>j0) << 2);
      const rowBytes = (<usize>n) << 2;
      for (let p = 0; p < k; p++) {
        v128.store(o, v128.load(s));
        s += rowBytes;
        o += 16;
      }
    } else if (cols === PANEL) {
      const r0 = b + ((<usize>j0 * <usize>k) << 2);
      const r1 = r0 + ((<usize>k) << 2);
      const r2 = r1 + ((<usize>k) << 2);
      const r3 = r2 + ((<usize>k) << 2);
      // 4 × 4 blocks: load 4 rows of b, transpose in registers, store 4 panel rows
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        const off = (<usize>p) << 2;
        const x0 = v128.load(r0 + off);
        const x1 = v128.load(r1 + off);
        const x2 = v128.load(r2 + off);
        const x3 = v128.load(r3 + off);
        const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5); // a0 b0 a1 b1
        const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5); // c0 d0 c1 d1
        const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7); // a2 b2 a3 b3
        const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
        v128.store(o, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
        v128.store(o + 16, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
        v128.store(o + 32, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
        v128.store(o + 48, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
        o += 64;
      }
      for (; p < k; p++) {
        const off = (<usize>p) << 2;
        store<f32>(o, load<f32>(r0 + off));
        store<f32>(o + 4, load<f32>(r1 + off));
        store<f32>(o + 8, load<f32>(r2 + off));
        store<f32>(o + 12, load<f32>(r3 + off));
        o += 16;
      }
    } else {
      for (let p = 0; p < k; p++) {
        for (let q = 0; q < PANEL; q++) {
          let v: f32 = 0;
          if (q < cols) {
            const idx = transB ? (j0 + q) * k + p : p * n + j0 + q;
            v = load<f32>(b + ((<usize>idx) << 2));
          }
          store<f32>(o, v);
          o += 4;
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Gate non-linearities on 4 lanes: tanh by the [13/6] rational approximation Eigen uses for float32
// (generic_fast_tanh_float; |error| ≤ 3e-7 absolute), σ(v) = (1 + tanh(v/2)) / 2 — the same formulas as
// kernels/recurrent.ts, evaluated in float32 instead of float64 (differences ≤ ~2e-7).

const TANH_CLAMP: f32 = 7.905311107635498;

function tanh4(v: v128): v128 {
  const c = f32x4.min(f32x4.max(v, f32x4.splat(-TANH_CLAMP)), f32x4.splat(TANH_CLAMP));
  const x2 = f32x4.mul(c, c);
  let p = f32x4.splat(-2.76076847742355e-16);
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(2.00018790482477e-13));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-8.60467152213735e-11));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(5.12229709037114e-8));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(1.48572235717979e-5));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(6.37261928875436e-4));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(4.89352455891786e-3));
  let q = f32x4.splat(1.19825839466702e-6);
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(1.18534705686654e-4));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(2.268434632439e-3));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(4.89352518554385e-3));
  return f32x4.div(f32x4.mul(c, p), q);
}

function sigmoid4(v: v128): v128 {
  const half = f32x4.splat(0.5);
  return f32x4.add(half, f32x4.mul(half, tanh4(f32x4.mul(half, v))));
}

/** The same approximations on one lane, for hidden sizes that are not a multiple of 4. */
function tanh1(v: f32): f32 {
  return f32x4.extract_lane(tanh4(f32x4.splat(v)), 0);
}

function sigmoid1(v: f32): f32 {
  return f32x4.extract_lane(sigmoid4(f32x4.splat(v)), 0);
}

/** See kernels/recurrent.ts lstmCellForward: gates (B, 4H) pre-activations → activations; c, tanhC, h (B, H). */
export function lstmCellForward(
  gates: usize,
  cPrev: usize,
  c: usize,
  tanhC: usize,
  h: usize,
  batch: i32,
  hidden: i32,
): void {
  const hb = (<usize>hidden) << 2;
  for (let b = 0; b < batch; b++) {
    const gb = gates + <usize>b * 4 * hb;
    const sb = <usize>b * hb;
    let j = 0;
    for (; j + 4 <= hidden; j += 4) {
      const o = (<usize>j) << 2;
      const ii = gb + o;
      const fi = ii + hb;
      const gi = fi + hb;
      const oi = gi + hb;
      const ig = sigmoid4(v128.load(ii));
      const fg = sigmoid4(v128.load(fi));
      const gg = tanh4(v128.load(gi));
      const og = sigmoid4(v128.load(oi));
      v128.store(ii, ig);
      v128.store(fi, fg);
      v128.store(gi, gg);
      v128.store(oi, og);
      const cv = f32x4.add(f32x4.mul(fg, v128.load(cPrev + sb + o)), f32x4.mul(ig, gg));
      const tc = tanh4(cv);
      v128.store(c + sb + o, cv);
      v128.store(tanhC + sb + o, tc);
      v128.store(h + sb + o, f32x4.mul(og, tc));
    }
    for (; j < hidden; j++) {
      const o = (<usize>j) << 2;
      const ii = gb + o;
      const fi = ii + hb;
      const gi = fi + hb;
      const oi = gi + hb;
      const ig = sigmoid1(load<f32>(ii));
      const fg = sigmoid1(load<f32>(fi));
      const gg = tanh1(load<f32>(gi));
      const og = sigmoid1(load<f32>(oi));
      store<f32>(ii, ig);
      store<f32>(fi, fg);
      store<f32>(gi, gg);
      store<f32>(oi, og);
      const cv = fg * load<f32>(cPrev + sb + o) + ig * gg;
      const tc = tanh1(cv);
      store<f32>(c + sb + o, cv);
      store<f32>(tanhC + sb + o, tc);
      store<f32>(h + sb + o, og * tc);
    }
  }
}

/** See kernels/recurrent.ts lstmCellBackward: dGates (B, 4H) written; dc (B, H) becomes dL/dc_{t−1}. */
export function lstmCellBackward(
  gates: usize,
  cPrev: usize,
  tanhC: usize,
  dh: usize,
  dc: usize,
  dGates: usize,
  batch: i32,
  hidden: i32,
): void {
  const hb = (<usize>hidden) << 2;
  const one = f32x4.splat(1);
  for (let b = 0; b < batch; b++) {
    const go = <usize>b * 4 * hb;
    const sb = <usize>b * hb;
    let j = 0;
    for (; j + 4 <= hidden; j += 4) {
      const o = (<usize>j) << 2;
      const ii = go + o;
      const fi = ii + hb;
      const gi = fi + hb;
      const oi = gi + hb;
      const ig = v128.load(gates + ii);
      const fg = v128.load(gates + fi);
      const gg = v128.load(gates + gi);
      const og = v128.load(gates + oi);
      const tc = v128.load(tanhC + sb + o);
      const dhv = v128.load(dh + sb + o);
      const dcv = f32x4.add(v128.load(dc + sb + o), f32x4.mul(f32x4.mul(dhv, og), f32x4.sub(one, f32x4.mul(tc, tc))));
      v128.store(dGates + ii, f32x4.mul(f32x4.mul(dcv, gg), f32x4.mul(ig, f32x4.sub(one, ig))));
      v128.store(dGates + fi, f32x4.mul(f32x4.mul(dcv, v128.load(cPrev + sb + o)), f32x4.mul(fg, f32x4.sub(one, fg))));
      v128.store(dGates + gi, f32x4.mul(f32x4.mul(dcv, ig), f32x4.sub(one, f32x4.mul(gg, gg))));
      v128.store(dGates + oi, f32x4.mul(f32x4.mul(dhv, tc), f32x4.mul(og, f32x4.sub(one, og))));
      v128.store(dc + sb + o, f32x4.mul(dcv, fg));
    }
    for (; j < hidden; j++) {
      const o = (<usize>j) << 2;
      const ii = go + o;
      const fi = ii + hb;
      const gi = fi + hb;
      const oi = gi + hb;
      const ig = load<f32>(gates + ii);
      const fg = load<f32>(gates + fi);
      const gg = load<f32>(gates + gi);
      const og = load<f32>(gates + oi);
      const tc = load<f32>(tanhC + sb + o);
      const dhv = load<f32>(dh + sb + o);
      const dcv = load<f32>(dc + sb + o) + dhv * og * (1 - tc * tc);
      store<f32>(dGates + ii, dcv * gg * ig * (1 - ig));
      store<f32>(dGates + fi, dcv * load<f32>(cPrev + sb + o) * fg * (1 - fg));
      store<f32>(dGates + gi, dcv * ig * (1 - gg * gg));
      store<f32>(dGates + oi, dhv * tc * og * (1 - og));
      store<f32>(dc + sb + o, dcv * fg);
    }
  }
}

/** See kernels/recurrent.ts gruCellForward: gx, gh (B, 3H) in gate order r, z, n; acts (B, 3H); h (B, H). */
export function gruCellForward(
  gx: usize,
  gh: usize,
  hPrev: usize,
  h: usize,
  acts: usize,
  batch: i32,
  hidden: i32,
): void {
  const hb = (<usize>hidden) << 2;
  const one = f32x4.splat(1);
  for (let b = 0; b < batch; b++) {
    const go = <usize>b * 3 * hb;
    const sb = <usize>b * hb;
    let j = 0;
    for (; j + 4 <= hidden; j += 4) {
      const o = (<usize>j) << 2;
      const ri = go + o;
      const zi = ri + hb;
      const ni = zi + hb;
      const r = sigmoid4(f32x4.add(v128.load(gx + ri), v128.load(gh + ri)));
      const z = sigmoid4(f32x4.add(v128.load(gx + zi), v128.load(gh + zi)));
      const n = tanh4(f32x4.add(v128.load(gx + ni), f32x4.mul(r, v128.load(gh + ni))));
      v128.store(acts + ri, r);
      v128.store(acts + zi, z);
      v128.store(acts + ni, n);
      v128.store(h + sb + o, f32x4.add(f32x4.mul(f32x4.sub(one, z), n), f32x4.mul(z, v128.load(hPrev + sb + o))));
    }
    for (; j < hidden; j++) {
      const o = (<usize>j) << 2;
      const ri = go + o;
      const zi = ri + hb;
      const ni = zi + hb;
      const r = sigmoid1(load<f32>(gx + ri) + load<f32>(gh + ri));
      const z = sigmoid1(load<f32>(gx + zi) + load<f32>(gh + zi));
      const n = tanh1(load<f32>(gx + ni) + r * load<f32>(gh + ni));
      store<f32>(acts + ri, r);
      store<f32>(acts + zi, z);
      store<f32>(acts + ni, n);
      store<f32>(h + sb + o, (1 - z) * n + z * load<f32>(hPrev + sb + o));
    }
  }
}

/** See kernels/recurrent.ts gruCellBackward: dGx, dGh (B, 3H) written; dhPrev (B, H) += dh ⊙ z. */
export function gruCellBackward(
  acts: usize,
  gh: usize,
  hPrev: usize,
  dh: usize,
  dhPrev: usize,
  dGx: usize,
  dGh: usize,
  batch: i32,
  hidden: i32,
): void {
  const hb = (<usize>hidden) << 2;
  const one = f32x4.splat(1);
  for (let b = 0; b < batch; b++) {
    const go = <usize>b * 3 * hb;
    const sb = <usize>b * hb;
    let j = 0;
    for (; j + 4 <= hidden; j += 4) {
      const o = (<usize>j) << 2;
      const ri = go + o;
      const zi = ri + hb;
      const ni = zi + hb;
      const r = v128.load(acts + ri);
      const z = v128.load(acts + zi);
      const n = v128.load(acts + ni);
      const dhv = v128.load(dh + sb + o);
      const hp = v128.load(hPrev + sb + o);
      const dn = f32x4.mul(f32x4.mul(dhv, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
      const dz = f32x4.mul(f32x4.mul(dhv, f32x4.sub(hp, n)), f32x4.mul(z, f32x4.sub(one, z)));
      const dr = f32x4.mul(f32x4.mul(dn, v128.load(gh + ni)), f32x4.mul(r, f32x4.sub(one, r)));
      v128.store(dGx + ri, dr);
      v128.store(dGx + zi, dz);
      v128.store(dGx + ni, dn);
      v128.store(dGh + ri, dr);
      v128.store(dGh + zi, dz);
      v128.store(dGh + ni, f32x4.mul(dn, r));
      v128.store(dhPrev + sb + o, f32x4.add(v128.load(dhPrev + sb + o), f32x4.mul(dhv, z)));
    }
    for (; j < hidden; j++) {
      const o = (<usize>j) << 2;
      const ri = go + o;
      const zi = ri + hb;
      const ni = zi + hb;
      const r = load<f32>(acts + ri);
      const z = load<f32>(acts + zi);
      const n = load<f32>(acts + ni);
      const dhv = load<f32>(dh + sb + o);
      const hp = load<f32>(hPrev + sb + o);
      const dn = dhv * (1 - z) * (1 - n * n);
      const dz = dhv * (hp - n) * z * (1 - z);
      const dr = dn * load<f32>(gh + ni) * r * (1 - r);
      store<f32>(dGx + ri, dr);
      store<f32>(dGx + zi, dz);
      store<f32>(dGx + ni, dn);
      store<f32>(dGh + ri, dr);
      store<f32>(dGh + zi, dz);
      store<f32>(dGh + ni, dn * r);
      store<f32>(dhPrev + sb + o, load<f32>(dhPrev + sb + o) + dhv * z);
    }
  }
}

/** Simple RNN step: pre ← tanh(pre) over n floats. */
export function rnnCellForward(pre: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = pre + ((<usize>i) << 2);
    v128.store(o, tanh4(v128.load(o)));
  }
  for (; i < n; i++) {
    const o = pre + ((<usize>i) << 2);
    store<f32>(o, tanh1(load<f32>(o)));
  }
}
export { activationBackward, activationForward, activationSupported } from './activation';
export { attentionBackward, attentionForward, attentionScratchFloats } from './attention';
export { denseChainForward } from './chain';
export { axpyInto, binaryPeriodic } from './elementwise';
export { gemmStrided } from './gemm';
export { biasActivation, sumRows } from './linear';
export { layerNormBackward, layerNormForward } from './norm';
export { gruSequenceBackward, gruSequenceForward, lstmSequenceBackward, lstmSequenceForward } from './sequence';
export { logSoftmaxRows, logSoftmaxRowsBackward, softmaxRows, softmaxRowsBackward } from './softmax';
