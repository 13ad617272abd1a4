// Recurrent-cell kernels: the batch ↔ time-major transposes and, per time step, the fused gate non-linearities and
// state updates of the LSTM, GRU and simple (tanh) RNN cells with their backward steps. The gate matmuls are done by
// the caller with matmulPacked (below); these kernels handle one whole (B, gates) block per call.
//
// Layouts (row-major): a step's gate block is (B, kH) with the k gates side by side in each row, in PyTorch's order
// (LSTM i, f, g, o; GRU r, z, n); states are (B, H).

// The gate non-linearities dominate a step after the products (an LSTM evaluates 5 per hidden unit per step), and
// V8's Math.tanh / Math.exp cost ≈ 24 / 18 ns each against ≈ 5 ns for the rational form below (Node 20, measured).

const TANH_CLAMP = 7.905311107635498; // float32 tanh is ±1 (to < 3e-7) beyond this

/**
 * tanh(v) by the [13/6] minimax rational approximation Eigen uses for float32 (generic_fast_tanh_float), evaluated in
 * float64: |error| ≤ 3e-7 absolute (1.3e-7 relative for |v| < 1), |result| < 1, NaN stays NaN. Float32 storage
 * rounds at 6e-8 relative, so results match Math.tanh to float32 noise.
 */
export function tanhApprox(v: number): number {
  const c = Math.min(Math.max(v, -TANH_CLAMP), TANH_CLAMP);
  const x2 = c * c;
  let p = -2.76076847742355e-16;
  p = p * x2 + 2.00018790482477e-13;
  p = p * x2 - 8.60467152213735e-11;
  p = p * x2 + 5.12229709037114e-8;
  p = p * x2 + 1.48572235717979e-5;
  p = p * x2 + 6.37261928875436e-4;
  p = p * x2 + 4.89352455891786e-3;
  let q = 1.19825839466702e-6;
  q = q * x2 + 1.18534705686654e-4;
  q = q * x2 + 2.268434632439e-3;
  q = q * x2 + 4.89352518554385e-3;
  return (c * p) / q;
}

/** σ(v) = (1 + tanh(v/2)) / 2, so |error| ≤ 1.5e-7 absolute (gates multiply states, so absolute error is what counts). */
export function sigmoidApprox(v: number): number {
  return 0.5 + 0.5 * tanhApprox(0.5 * v);
}

/** dst (T, B, F) = src (B, T, F): one time step's rows become contiguous. */
export function toTimeMajor(
  src: Float32Array,
  dst: Float32Array,
  batch: number,
  steps: number,
  features: number,
): void {
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < steps; t++) {
      const s = (b * steps + t) * features;
      const d = (t * batch + b) * features;
      for (let f = 0; f < features; f++) dst[d + f] = src[s + f];
    }
  }
}

/** dst (B, T, F) (+)= src (T, B, F): the inverse of toTimeMajor, accumulating when asked (gradients). */
export function fromTimeMajor(
  src: Float32Array,
  dst: Float32Array,
  batch: number,
  steps: number,
  features: number,
  accumulate = false,
): void {
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < steps; t++) {
      const s = (t * batch + b) * features;
      const d = (b * steps + t) * features;
      if (accumulate) for (let f = 0; f < features; f++) dst[d + f] += src[s + f];
      else for (let f = 0; f < features; f++) dst[d + f] = src[s + f];
    }
  }
}

/**
 * One LSTM step for a batch. gates (B, 4H) holds the pre-activations z = [x_t, h_{t−1}]·W + b and is overwritten with
 * the activations [i, f, g, o] = [σ, σ, tanh, σ](z), which the backward step reads. Then
 * c = f ⊙ cPrev + i ⊙ g, tanhC = tanh(c), h = o ⊙ tanhC; cPrev, c, tanhC and h are (B, H).
 */
export function lstmCellForward(
  gates: Float32Array,
  cPrev: Float32Array,
  c: Float32Array,
  tanhC: Float32Array,
  h: Float32Array,
  batch: number,
  hidden: number,
): void {
  const g4 = 4 * hidden;
  for (let b = 0; b < batch; b++) {
    const gb = b * g4;
    const sb = b * hidden;
    for (let j = 0; j < hidden; j++) {
      const ii = gb + j;
      const fi = ii + hidden;
      const gi = fi + hidden;
      const oi = gi + hidden;
      const ig = sigmoidApprox(gates[ii]);
      const fg = sigmoidApprox(gates[fi]);
      const gg = tanhApprox(gates[gi]);
      const og = sigmoidApprox(gates[oi]);
      gates[ii] = ig;
      gates[fi] = fg;
      gates[gi] = gg;
      gates[oi] = og;
      const cv = fg * cPrev[sb + j] + ig * gg;
      const tc = tanhApprox(cv);
      c[sb + j] = cv;
      tanhC[sb + j] = tc;
      h[sb + j] = og * tc;
    }
  }
}

/**
 * Backward of lstmCellForward. gates holds the step's activations [i, f, g, o]; dh is dL/dh_t (all paths), dc is
 * dL/dc_t from the later steps and is overwritten with dL/dc_{t−1}; dGates (B, 4H) receives dL/dz (written, not
 * accumulated):
 *   dc_t += dh ⊙ o ⊙ (1 − tanh²c);  dz_o = dh ⊙ tanh c ⊙ o(1 − o);  dz_i = dc_t ⊙ g ⊙ i(1 − i);
 *   dz_f = dc_t ⊙ cPrev ⊙ f(1 − f);  dz_g = dc_t ⊙ i ⊙ (1 − g²);   dc_{t−1} = dc_t ⊙ f.
 */
export function lstmCellBackward(
  gates: Float32Array,
  cPrev: Float32Array,
  tanhC: Float32Array,
  dh: Float32Array,
  dc: Float32Array,
  dGates: Float32Array,
  batch: number,
  hidden: number,
): void {
  const g4 = 4 * hidden;
  for (let b = 0; b < batch; b++) {
    const gb = b * g4;
    const sb = b * hidden;
    for (let j = 0; j < hidden; j++) {
      const ii = gb + j;
      const fi = ii + hidden;
      const gi = fi + hidden;
      const oi = gi + hidden;
      const ig = gates[ii];
      const fg = gates[fi];
      const gg = gates[gi];
      const og = gates[oi];
      const tc = tanhC[sb + j];
      const dhv = dh[sb + j];
      const dcv = dc[sb + j] + dhv * og * (1 - tc * tc);
      dGates[ii] = dcv * gg * ig * (1 - ig);
      dGates[fi] = dcv * cPrev[sb + j] * fg * (1 - fg);
      dGates[gi] = dcv * ig * (1 - gg * gg);
      dGates[oi] = dhv * tc * og * (1 - og);
      dc[sb + j] = dcv * fg;
    }
  }
}

/**
 * One GRU step for a batch (PyTorch's formulation). gx = x_t·W_x + b_x and gh = h_{t−1}·W_h + b_h are (B, 3H) in gate
 * order r, z, n; acts (B, 3H) receives [r, z, n] for the backward step:
 *   r = σ(gx_r + gh_r), z = σ(gx_z + gh_z), n = tanh(gx_n + r ⊙ gh_n), h = (1 − z) ⊙ n + z ⊙ hPrev.
 */
export function gruCellForward(
  gx: Float32Array,
  gh: Float32Array,
  hPrev: Float32Array,
  h: Float32Array,
  acts: Float32Array,
  batch: number,
  hidden: number,
): void {
  const g3 = 3 * hidden;
  for (let b = 0; b < batch; b++) {
    const gb = b * g3;
    const sb = b * hidden;
    for (let j = 0; j < hidden; j++) {
      const ri = gb + j;
      const zi = ri + hidden;
      const ni = zi + hidden;
      const r = sigmoidApprox(gx[ri] + gh[ri]);
      const z = sigmoidApprox(gx[zi] + gh[zi]);
      const n = tanhApprox(gx[ni] + r * gh[ni]);
      acts[ri] = r;
      acts[zi] = z;
      acts[ni] = n;
      h[sb + j] = (1 - z) * n + z * hPrev[sb + j];
    }
  }
}

/**
 * Backward of gruCellForward. dh is dL/dh_t (all paths); dhPrev += dh ⊙ z (the direct path; the caller adds
 * dGh·W_hᵀ); dGx and dGh (B, 3H) receive dL/dgx and dL/dgh (written, not accumulated). They differ only in the n
 * block, where dgh_n = dgx_n ⊙ r:
 *   dn̂ = dh ⊙ (1 − z) ⊙ (1 − n²);  dz = dh ⊙ (hPrev − n) ⊙ z(1 − z);  dr = dn̂ ⊙ gh_n ⊙ r(1 − r).
 */
export function gruCellBackward(
  acts: Float32Array,
  gh: Float32Array,
  hPrev: Float32Array,
  dh: Float32Array,
  dhPrev: Float32Array,
  dGx: Float32Array,
  dGh: Float32Array,
  batch: number,
  hidden: number,
): void {
  const g3 = 3 * hidden;
  for (let b = 0; b < batch; b++) {
    const gb = b * g3;
    const sb = b * hidden;
    for (let j = 0; j < hidden; j++) {
      const ri = gb + j;
      const zi = ri + hidden;
      const ni = zi + hidden;
      const r = acts[ri];
      const z = acts[zi];
      const n = acts[ni];
      const dhv = dh[sb + j];
      const hp = hPrev[sb + j];
      const dn = dhv * (1 - z) * (1 - n * n);
      const dz = dhv * (hp - n) * z * (1 - z);
      const dr = dn * gh[ni] * r * (1 - r);
      dGx[ri] = dr;
      dGx[zi] = dz;
      dGx[ni] = dn;
      dGh[ri] = dr;
      dGh[zi] = dz;
      dGh[ni] = dn * r;
      dhPrev[sb + j] += dhv * z;
    }
  }
}

/** Simple RNN step: h = tanh(pre) in place over n = B·H elements, pre = x_t·W_x + h_{t−1}·W_h + b. */
export function rnnCellForward(pre: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) pre[i] = tanhApprox(pre[i]);
}

/** Backward of rnnCellForward: dPre = dh ⊙ (1 − h²) (written, not accumulated) over n = B·H elements. */
export function rnnCellBackward(h: Float32Array, dh: Float32Array, dPre: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dPre[i] = dh[i] * (1 - h[i] * h[i]);
}

// ---------------------------------------------------------------------------------------------------------------
// Packed products. A recurrent layer multiplies by the same weight at every one of its T steps (forward by W_h,
// backward by W_hᵀ), so the weight is packed once per sequence into column panels and each step runs a 4 × 4
// register-tiled product over the panels. The whole-sequence products (input projection, dX, dW) use the same pair.
// Measured on the LSTM step shape (64, 64)·(64, 256), Node 20, one core, CPU time: the plain i-p-j saxpy loop
// 0.67 GFLOP/s, four rows per pass 1.6, a 4 × 4 tile of local accumulators 4.1 (unpacked) / 4.3 (B in column
// panels) / ≈ 4.7 (A in row panels too: 12% over B alone in an interleaved A/B run), 2 × 8 tiles 2.6 (too many live
// values: V8 spills registers), the 4 × 4 tile with the k loop unrolled twice 3.8.

/** Columns per packed panel. */
const PANEL = 4;

/** Length of packPanels's output for an operand op(b) of shape (k, n). */
export function packedSize(k: number, n: number): number {
  return Math.ceil(n / PANEL) * PANEL * k;
}

/**
 * Packs op(b) (k, n) into panels of 4 columns: panel q holds, for p = 0..k−1, the 4 values op(b)[p, 4q..4q+3]
 * contiguously (zero past column n). op(b) is b (k, n) or, with transB, b stored (n, k) read transposed.
 */
export function packPanels(b: Float32Array, k: number, n: number, transB: boolean, packed: Float32Array): void {
  let o = 0;
  for (let j0 = 0; j0 < n; j0 += PANEL) {
    const cols = Math.min(PANEL, n - j0);
    if (cols === PANEL && !transB) {
      for (let p = 0, s = j0; p < k; p++, s += n, o += PANEL) {
        packed[o] = b[s];
        packed[o + 1] = b[s + 1];
        packed[o + 2] = b[s + 2];
        packed[o + 3] = b[s + 3];
      }
    } else if (cols === PANEL) {
      // column j of op(b) is row j of b
      const r0 = j0 * k;
      const r1 = r0 + k;
      const r2 = r1 + k;
      const r3 = r2 + k;
      for (let p = 0; p < k; p++, o += PANEL) {
        packed[o] = b[r0 + p];
        packed[o + 1] = b[r1 + p];
        packed[o + 2] = b[r2 + p];
        packed[o + 3] = b[r3 + p];
      }
    } else {
      for (let p = 0; p < k; p++) {
        for (let q = 0; q < PANEL; q++) {
          packed[o++] = q < cols ? (transB ? b[(j0 + q) * k + p] : b[p * n + j0 + q]) : 0;
        }
      }
    }
  }
}

/** Row panels of op(a) for matmulPacked: module-level scratch, grown when a call needs more (never per call). */
let rowPanels = new Float32Array(4096);

/**
 * Packs op(a) (m, k) into panels of 4 rows: panel g holds, for p = 0..k−1, op(a)[4g..4g+3, p] contiguously (zero past
 * row m). a's element (i, p) sits at a[i·rowStride + p·colStride].
 */
function packRowPanels(
  a: Float32Array,
  m: number,
  k: number,
  rowStride: number,
  colStride: number,
  dst: Float32Array,
): void {
  let o = 0;
  for (let i = 0; i < m; i += PANEL) {
    const rows = Math.min(PANEL, m - i);
    if (rows === PANEL) {
      const r0 = i * rowStride;
      const r1 = r0 + rowStride;
      const r2 = r1 + rowStride;
      const r3 = r2 + rowStride;
      for (let p = 0, s = 0; p < k; p++, s += colStride, o += PANEL) {
        dst[o] = a[r0 + s];
        dst[o + 1] = a[r1 + s];
        dst[o + 2] = a[r2 + s];
        dst[o + 3] = a[r3 + s];
      }
    } else {
      for (let p = 0; p < k; p++) {
        for (let q = 0; q < PANEL; q++) dst[o++] = q < rows ? a[(i + q) * rowStride + p * colStride] : 0;
      }
    }
  }
}

/**
 * c (m, n) (+)= op(a) · B, where B (k, n) was packed by packPanels and op(a) is a (m, k) or, with transA, a stored
 * (k, m) read transposed. Overwrites c unless accumulate. op(a) is packed into row panels first (k·m copies against
 * k·m·n multiply-adds), so the inner loop walks two contiguous panels with one index each.
 */
export function matmulPacked(
  a: Float32Array,
  packed: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  accumulate: boolean,
): void {
  const size = Math.ceil(m / PANEL) * PANEL * k;
  if (rowPanels.length < size) rowPanels = new Float32Array(Math.max(size, 2 * rowPanels.length));
  const ap = rowPanels;
  packRowPanels(a, m, k, transA ? 1 : k, transA ? m : 1, ap);
  const panelLength = PANEL * k;
  for (let i = 0; i < m; i += PANEL) {
    const rows = Math.min(PANEL, m - i);
    const aStart = i * k; // row panel i / 4 starts at (i / 4)·4k
    for (let j0 = 0; j0 < n; j0 += PANEL) {
      let c00 = 0;
      let c01 = 0;
      let c02 = 0;
      let c03 = 0;
      let c10 = 0;
      let c11 = 0;
      let c12 = 0;
      let c13 = 0;
      let c20 = 0;
      let c21 = 0;
      let c22 = 0;
      let c23 = 0;
      let c30 = 0;
      let c31 = 0;
      let c32 = 0;
      let c33 = 0;
      const aEnd = aStart + panelLength;
      for (let ai = aStart, bi = j0 * k; ai < aEnd; ai += PANEL, bi += PANEL) {
        const b0 = packed[bi];
        const b1 = packed[bi + 1];
        const b2 = packed[bi + 2];
        const b3 = packed[bi + 3];
        const v0 = ap[ai];
        const v1 = ap[ai + 1];
        const v2 = ap[ai + 2];
        const v3 = ap[ai + 3];
        c00 += v0 * b0;
        c01 += v0 * b1;
        c02 += v0 * b2;
        c03 += v0 * b3;
        c10 += v1 * b0;
        c11 += v1 * b1;
        c12 += v1 * b2;
        c13 += v1 * b3;
        c20 += v2 * b0;
        c21 += v2 * b1;
        c22 += v2 * b2;
        c23 += v2 * b3;
        c30 += v3 * b0;
        c31 += v3 * b1;
        c32 += v3 * b2;
        c33 += v3 * b3;
      }
      const o = i * n + j0;
      const cols = n - j0;
      storeRow(c, o, cols, accumulate, c00, c01, c02, c03);
      if (rows > 1) storeRow(c, o + n, cols, accumulate, c10, c11, c12, c13);
      if (rows > 2) storeRow(c, o + 2 * n, cols, accumulate, c20, c21, c22, c23);
      if (rows > 3) storeRow(c, o + 3 * n, cols, accumulate, c30, c31, c32, c33);
    }
  }
}

/** Writes (or adds) up to 4 values of a tile row at c[o..], keeping only the `left` columns that exist. */
function storeRow(
  c: Float32Array,
  o: number,
  left: number,
  accumulate: boolean,
  v0: number,
  v1: number,
  v2: number,
  v3: number,
): void {
  if (left >= PANEL) {
    if (accumulate) {
      c[o] += v0;
      c[o + 1] += v1;
      c[o + 2] += v2;
      c[o + 3] += v3;
    } else {
      c[o] = v0;
      c[o + 1] = v1;
      c[o + 2] = v2;
      c[o + 3] = v3;
    }
    return;
  }
  if (accumulate) {
    c[o] += v0;
    if (left > 1) c[o + 1] += v1;
    if (left > 2) c[o + 2] += v2;
  } else {
    c[o] = v0;
    if (left > 1) c[o + 1] = v1;
    if (left > 2) c[o + 2] = v2;
  }
}

/**
 * A whole LSTM forward through time, time-major: for t = 0..T−1, gates_t (B, 4H) += h_t·W_h (skipped at t = 0 unless
 * hasH0: h_0 = 0 adds nothing), then lstmCellForward into c_{t+1}, tanh(c_{t+1}) and h_{t+1}.
 * gates (T, B, 4H) holds the input projections x_t·W_x + b and receives the activations; hs, cs (T + 1, B, H) hold
 * h_0, c_0 in slot 0 and receive slots 1..T; tanhC (T, B, H); packedWH is W_h (H, 4H) packed by packPanels.
 * One call per sequence lets a backend keep the state in its own memory between steps and split the batch rows —
 * independent all through the sequence — across threads.
 */
export function lstmSequenceForward(
  gates: Float32Array,
  packedWH: Float32Array,
  hs: Float32Array,
  cs: Float32Array,
  tanhC: Float32Array,
  batch: number,
  hidden: number,
  steps: number,
  hasH0: boolean,
): void {
  const bh = batch * hidden;
  const bg = 4 * bh;
  for (let t = 0; t < steps; t++) {
    const g = gates.subarray(t * bg, (t + 1) * bg);
    if (t > 0 || hasH0)
      matmulPacked(hs.subarray(t * bh, (t + 1) * bh), packedWH, g, batch, 4 * hidden, hidden, false, true);
    lstmCellForward(
      g,
      cs.subarray(t * bh, (t + 1) * bh),
      cs.subarray((t + 1) * bh, (t + 2) * bh),
      tanhC.subarray(t * bh, (t + 1) * bh),
      hs.subarray((t + 1) * bh, (t + 2) * bh),
      batch,
      hidden,
    );
  }
}

/**
 * The LSTM backward through time over what lstmSequenceForward kept: for t = T−1..0, lstmCellBackward gives dG_t
 * (B, 4H) from dhT_t and the carried dc, then dh_{t−1} (slot t − 1 of dhT, or dh0 at t = 0 when needDh0) += dG_t·W_hᵀ.
 * dhT (T, B, H) holds dL/dh_t from the outputs and is accumulated into; dc (B, H) enters as dL/dc_T and leaves as
 * dL/dc_0; dG (T, B, 4H) is written; packedWHT is W_hᵀ (4H, H) packed by packPanels.
 */
export function lstmSequenceBackward(
  gates: Float32Array,
  cs: Float32Array,
  tanhC: Float32Array,
  dhT: Float32Array,
  dc: Float32Array,
  dG: Float32Array,
  packedWHT: Float32Array,
  dh0: Float32Array,
  batch: number,
  hidden: number,
  steps: number,
  needDh0: boolean,
): void {
  const bh = batch * hidden;
  const bg = 4 * bh;
  for (let t = steps - 1; t >= 0; t--) {
    const dGt = dG.subarray(t * bg, (t + 1) * bg);
    lstmCellBackward(
      gates.subarray(t * bg, (t + 1) * bg),
      cs.subarray(t * bh, (t + 1) * bh),
      tanhC.subarray(t * bh, (t + 1) * bh),
      dhT.subarray(t * bh, (t + 1) * bh),
      dc,
      dGt,
      batch,
      hidden,
    );
    if (t > 0) matmulPacked(dGt, packedWHT, dhT.subarray((t - 1) * bh, t * bh), batch, hidden, 4 * hidden, false, true);
    else if (needDh0) matmulPacked(dGt, packedWHT, dh0, batch, hidden, 4 * hidden, false, true);
  }
}

/**
 * A whole GRU forward through time, time-major: for t = 0..T−1, gh_t (B, 3H) += h_t·W_h (skipped at t = 0 unless
 * hasH0), then gruCellForward(gx_t, gh_t, h_t) into h_{t+1} and the activations acts_t. gx (T, B, 3H) = x_t·W_x + b_x;
 * gh (T, B, 3H) enters holding b_h in every row and keeps h_{t−1}·W_h + b_h (its n block is needed backwards); hs
 * (T + 1, B, H) holds h_0 in slot 0; acts (T, B, 3H) is written; packedWH is W_h (H, 3H) packed by packPanels.
 */
export function gruSequenceForward(
  gx: Float32Array,
  gh: Float32Array,
  packedWH: Float32Array,
  hs: Float32Array,
  acts: Float32Array,
  batch: number,
  hidden: number,
  steps: number,
  hasH0: boolean,
): void {
  const bh = batch * hidden;
  const bg = 3 * bh;
  for (let t = 0; t < steps; t++) {
    const ght = gh.subarray(t * bg, (t + 1) * bg);
    const h = hs.subarray(t * bh, (t + 1) * bh);
    if (t > 0 || hasH0) matmulPacked(h, packedWH, ght, batch, 3 * hidden, hidden, false, true);
    gruCellForward(
      gx.subarray(t * bg, (t + 1) * bg),
      ght,
      h,
      hs.subarray((t + 1) * bh, (t + 2) * bh),
      acts.subarray(t * bg, (t + 1) * bg),
      batch,
      hidden,
    );
  }
}

/**
 * The GRU backward through time over what gruSequenceForward kept: for t = T−1..0, gruCellBackward writes dGx_t, dGh_t
 * and adds the direct path into dh_{t−1} (slot t − 1 of dhT, or dh0), then dh_{t−1} += dGh_t·W_hᵀ (at t = 0 only when
 * needDh0). dhT (T, B, H) holds dL/dh_t from the outputs and is accumulated into; packedWHT is W_hᵀ (3H, H) packed.
 */
export function gruSequenceBackward(
  acts: Float32Array,
  gh: Float32Array,
  hs: Float32Array,
  dhT: Float32Array,
  dGx: Float32Array,
  dGh: Float32Array,
  packedWHT: Float32Array,
  dh0: Float32Array,
  batch: number,
  hidden: number,
  steps: number,
  needDh0: boolean,
): void {
  const bh = batch * hidden;
  const bg = 3 * bh;
  for (let t = steps - 1; t >= 0; t--) {
    const dGht = dGh.subarray(t * bg, (t + 1) * bg);
    const dhPrev = t > 0 ? dhT.subarray((t - 1) * bh, t * bh) : dh0;
    gruCellBackward(
      acts.subarray(t * bg, (t + 1) * bg),
      gh.subarray(t * bg, (t + 1) * bg),
      hs.subarray(t * bh, (t + 1) * bh),
      dhT.subarray(t * bh, (t + 1) * bh),
      dhPrev,
      dGx.subarray(t * bg, (t + 1) * bg),
      dGht,
      batch,
      hidden,
    );
    if (t > 0 || needDh0) matmulPacked(dGht, packedWHT, dhPrev, batch, hidden, 3 * hidden, false, true);
  }
}
