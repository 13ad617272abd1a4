// Recurrent-cell kernels: the batch ↔ time-major transposes and, per time step, the fused gate non-linearities and
// state updates of the LSTM, GRU and simple (tanh) RNN cells with their backward steps. The gate matmuls are done by
// the caller with matmul; these kernels handle one whole (B, gates) block per call.
//
// Layouts (row-major): a step's gate block is (B, kH) with the k gates side by side in each row, in PyTorch's order
// (LSTM i, f, g, o; GRU r, z, n); states are (B, H).

// σ(v) = 1 / (1 + e^−v), written with e^v for v < 0 so exp never overflows.
function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** dst (T, B, F) = src (B, T, F): one time step's rows become contiguous. */
export function toTimeMajor(src: Float32Array, dst: Float32Array, batch: number, steps: number, features: number): void {
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
      const ig = sigmoid(gates[ii]);
      const fg = sigmoid(gates[fi]);
      const gg = Math.tanh(gates[gi]);
      const og = sigmoid(gates[oi]);
      gates[ii] = ig;
      gates[fi] = fg;
      gates[gi] = gg;
      gates[oi] = og;
      const cv = fg * cPrev[sb + j] + ig * gg;
      const tc = Math.tanh(cv);
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
      const r = sigmoid(gx[ri] + gh[ri]);
      const z = sigmoid(gx[zi] + gh[zi]);
      const n = Math.tanh(gx[ni] + r * gh[ni]);
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
  for (let i = 0; i < n; i++) pre[i] = Math.tanh(pre[i]);
}

/** Backward of rnnCellForward: dPre = dh ⊙ (1 − h²) (written, not accumulated) over n = B·H elements. */
export function rnnCellBackward(h: Float32Array, dh: Float32Array, dPre: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dPre[i] = dh[i] * (1 - h[i] * h[i]);
}
