// Fused scaled-dot-product attention kernels: for every batch row b and head h, softmax(Q·Kᵀ·scale + mask)·V forward
// and the whole chain rule backward, reading each head in place from batch-first (B, T, ·) buffers by stride, so no
// transpose to (B, heads, T, d_head) is ever materialised.
//
// Layout: row (b, t) of q starts at q[qOffset + (b·T + t)·rowStride]; head h reads the headSize columns from
// h·headSize there (likewise k, v and their gradients with their own offsets, sharing rowStride, so q, k and v may be
// three column blocks of one fused (B, T, 3d) buffer). out / dOut are (B, T, heads·headSize).
// Per (b, h) the head's K and V are copied transposed into (headSize, T) scratch so every inner loop runs over the key
// axis T, contiguously, instead of over the short head axis (d_head is 4–16 in our models).

/** Sizes and options of one attention call. */
export interface AttentionDims {
  batch: number;
  /** Sequence length T (queries and keys: self-attention). */
  steps: number;
  heads: number;
  /** d_head: columns per head. */
  headSize: number;
  /** Distance between consecutive rows (b, t) in q, k and v (and dq, dk, dv). */
  rowStride: number;
  qOffset: number;
  kOffset: number;
  vOffset: number;
  /** Multiplies the scores; 1/√headSize for scaled dot-product attention. */
  scale: number;
  /** Query t sees keys ≤ t only (the mask is −∞ above the diagonal). */
  causal: boolean;
}

// Scratch grown on demand and reused by every call (kernels never run concurrently in one JS thread).
let kT = new Float32Array(0); // (headSize, T) K of the current head, transposed
let vT = new Float32Array(0); // (headSize, T)
let qH = new Float32Array(0); // (T, headSize) Q of the current head, pre-multiplied by scale
let dkT = new Float32Array(0); // (headSize, T) dK accumulated over queries
let dvT = new Float32Array(0); // (headSize, T)
let dOutH = new Float32Array(0); // (T, headSize) dOut of the current head
let rowA = new Float32Array(0); // (T) one row of weights after dropout / of dP
let blockS = new Float32Array(0); // (T, T) dS of the current head
let blockP = new Float32Array(0); // (T, T) P ⊙ dropout mask of the current head

function ensureScratch(steps: number, headSize: number): void {
  const n = steps * headSize;
  if (kT.length < n) {
    kT = new Float32Array(n);
    vT = new Float32Array(n);
    qH = new Float32Array(n);
    dkT = new Float32Array(n);
    dvT = new Float32Array(n);
    dOutH = new Float32Array(n);
  }
  if (rowA.length < steps) rowA = new Float32Array(steps);
  if (blockS.length < steps * steps) {
    blockS = new Float32Array(steps * steps);
    blockP = new Float32Array(steps * steps);
  }
}

/** Copies head h of batch row b of x (rows of rowStride from offset) transposed into dst (headSize, T). */
function gatherTransposed(
  x: Float32Array,
  offset: number,
  rowStride: number,
  b: number,
  steps: number,
  col: number,
  headSize: number,
  dst: Float32Array,
): void {
  for (let t = 0; t < steps; t++) {
    const src = offset + (b * steps + t) * rowStride + col;
    for (let c = 0; c < headSize; c++) dst[c * steps + t] = x[src + c];
  }
}

/** dx[head h of row b] += src (headSize, T) transposed back. */
function scatterTransposedAdd(
  src: Float32Array,
  dx: Float32Array,
  offset: number,
  rowStride: number,
  b: number,
  steps: number,
  col: number,
  headSize: number,
): void {
  for (let t = 0; t < steps; t++) {
    const dst = offset + (b * steps + t) * rowStride + col;
    for (let c = 0; c < headSize; c++) dx[dst + c] += src[c * steps + t];
  }
}

/**
 * out (B, T, heads·headSize) = concat over heads of softmax(scale·Q_h·K_hᵀ + mask)·V_h (dropout on the weights when
 * dropMask is given).
 * probs receives the attention weights P (before dropout): (B, heads, T, T) when probsPerHead, else only the current
 * head's (T, T) block is kept (scratch for inference). Entries above the diagonal are 0 under the causal mask.
 * dropMask (B, heads, T, T), or null: P ⊙ dropMask multiplies V (inverted dropout keep scales, 0 or 1/(1 − rate)).
 */
export function attentionForward(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  dims: AttentionDims,
  out: Float32Array,
  probs: Float32Array,
  probsPerHead: boolean,
  dropMask: Float32Array | null,
): void {
  const { batch, steps, heads, headSize, rowStride, qOffset, kOffset, vOffset, scale, causal } = dims;
  ensureScratch(steps, headSize);
  const dModel = heads * headSize;
  const kt = kT;
  const vt = vT;
  const pd = rowA;
  const tt = steps * steps;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const col = h * headSize;
      gatherTransposed(k, kOffset, rowStride, b, steps, col, headSize, kt);
      gatherTransposed(v, vOffset, rowStride, b, steps, col, headSize, vt);
      const pBase = probsPerHead ? (b * heads + h) * tt : 0;
      const mBase = (b * heads + h) * tt;
      for (let i = 0; i < steps; i++) {
        const keys = causal ? i + 1 : steps; // keys [0, keys) are visible to query i
        const pRow = pBase + i * steps;
        const qRow = qOffset + (b * steps + i) * rowStride + col;
        // scores s_j = scale·q_i·k_j into the probs row, four head columns per pass over the keys
        for (let j = 0; j < keys; j++) probs[pRow + j] = 0;
        let c = 0;
        for (; c + 4 <= headSize; c += 4) {
          const q0 = scale * q[qRow + c];
          const q1 = scale * q[qRow + c + 1];
          const q2 = scale * q[qRow + c + 2];
          const q3 = scale * q[qRow + c + 3];
          const k0 = c * steps;
          const k1 = k0 + steps;
          const k2 = k1 + steps;
          const k3 = k2 + steps;
          for (let j = 0; j < keys; j++) {
            probs[pRow + j] += q0 * kt[k0 + j] + q1 * kt[k1 + j] + q2 * kt[k2 + j] + q3 * kt[k3 + j];
          }
        }
        for (; c < headSize; c++) {
          const qc = scale * q[qRow + c];
          const kc = c * steps;
          for (let j = 0; j < keys; j++) probs[pRow + j] += qc * kt[kc + j];
        }
        let mx = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < keys; j++) if (probs[pRow + j] > mx) mx = probs[pRow + j];
        let sum = 0;
        for (let j = 0; j < keys; j++) {
          const e = Math.exp(probs[pRow + j] - mx);
          probs[pRow + j] = e;
          sum += e;
        }
        const inv = 1 / sum;
        for (let j = 0; j < keys; j++) probs[pRow + j] *= inv;
        for (let j = keys; j < steps; j++) probs[pRow + j] = 0;
        // the weights that multiply V: P, or P ⊙ mask under dropout
        let w = probs;
        let wRow = pRow;
        if (dropMask !== null) {
          const mRow = mBase + i * steps;
          for (let j = 0; j < keys; j++) pd[j] = probs[pRow + j] * dropMask[mRow + j];
          w = pd;
          wRow = 0;
        }
        // out_i = Σ_j w_j·v_j, four head columns per pass over the keys
        const oRow = (b * steps + i) * dModel + col;
        c = 0;
        for (; c + 4 <= headSize; c += 4) {
          const v0 = c * steps;
          const v1 = v0 + steps;
          const v2 = v1 + steps;
          const v3 = v2 + steps;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let j = 0; j < keys; j++) {
            const wj = w[wRow + j];
            s0 += wj * vt[v0 + j];
            s1 += wj * vt[v1 + j];
            s2 += wj * vt[v2 + j];
            s3 += wj * vt[v3 + j];
          }
          out[oRow + c] = s0;
          out[oRow + c + 1] = s1;
          out[oRow + c + 2] = s2;
          out[oRow + c + 3] = s3;
        }
        for (; c < headSize; c++) {
          const vc = c * steps;
          let s = 0;
          for (let j = 0; j < keys; j++) s += w[wRow + j] * vt[vc + j];
          out[oRow + c] = s;
        }
      }
    }
  }
}

/**
 * dst (headSize, T) += xᵀ·w for x (T, headSize) contiguous and w the (T, T) block at wBase: dst[c, j] += Σ_i w[i, j]·x[i, c].
 * Four query rows per pass over the keys; under the causal mask rows are zero beyond their own keys, so a block of rows
 * stops at the keys its last row sees.
 */
function addTransposedProduct(
  x: Float32Array,
  w: Float32Array,
  wBase: number,
  dst: Float32Array,
  steps: number,
  headSize: number,
  causal: boolean,
): void {
  let i = 0;
  for (; i + 4 <= steps; i += 4) {
    const keys = causal ? i + 4 : steps;
    const w0 = wBase + i * steps;
    const w1 = w0 + steps;
    const w2 = w1 + steps;
    const w3 = w2 + steps;
    for (let c = 0; c < headSize; c++) {
      const g0 = x[i * headSize + c];
      const g1 = x[(i + 1) * headSize + c];
      const g2 = x[(i + 2) * headSize + c];
      const g3 = x[(i + 3) * headSize + c];
      const d = c * steps;
      for (let j = 0; j < keys; j++) dst[d + j] += w[w0 + j] * g0 + w[w1 + j] * g1 + w[w2 + j] * g2 + w[w3 + j] * g3;
    }
  }
  for (; i < steps; i++) {
    const keys = causal ? i + 1 : steps;
    const w0 = wBase + i * steps;
    for (let c = 0; c < headSize; c++) {
      const g = x[i * headSize + c];
      const d = c * steps;
      for (let j = 0; j < keys; j++) dst[d + j] += w[w0 + j] * g;
    }
  }
}

/**
 * Backward of attentionForward given its probs (probsPerHead layout, (B, heads, T, T)), out and dropMask, with
 * dOut (B, T, heads·headSize). Accumulates (+=) into dq, dk, dv (laid out as q, k, v); pass null to skip one.
 *   dV = (P⊙M)ᵀ·dO;  dP = M ⊙ (dO·Vᵀ);  dS = P ⊙ (dP − D) with D_i = Σ_j P_ij dP_ij = dO_i·O_i;
 *   dQ = scale·dS·K;  dK = scale·dSᵀ·Q.
 */
export function attentionBackward(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  dims: AttentionDims,
  out: Float32Array,
  probs: Float32Array,
  dropMask: Float32Array | null,
  dOut: Float32Array,
  dq: Float32Array | null,
  dk: Float32Array | null,
  dv: Float32Array | null,
): void {
  const { batch, steps, heads, headSize, rowStride, qOffset, kOffset, vOffset, scale, causal } = dims;
  ensureScratch(steps, headSize);
  const dModel = heads * headSize;
  const kt = kT;
  const vt = vT;
  const qh = qH;
  const doh = dOutH;
  const dkt = dkT;
  const dvt = dvT;
  const dp = rowA;
  const ds = blockS;
  const pd = blockP;
  const tt = steps * steps;
  const n = steps * headSize;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const col = h * headSize;
      gatherTransposed(k, kOffset, rowStride, b, steps, col, headSize, kt);
      gatherTransposed(v, vOffset, rowStride, b, steps, col, headSize, vt);
      for (let t = 0; t < steps; t++) {
        const qRow = qOffset + (b * steps + t) * rowStride + col;
        const oRow = (b * steps + t) * dModel + col;
        for (let c = 0; c < headSize; c++) {
          qh[t * headSize + c] = scale * q[qRow + c];
          doh[t * headSize + c] = dOut[oRow + c];
        }
      }
      const pBase = (b * heads + h) * tt;
      for (let i = 0; i < steps; i++) {
        const keys = causal ? i + 1 : steps;
        const pRow = pBase + i * steps;
        const sRow = i * steps;
        const oRow = (b * steps + i) * dModel + col;
        const gRow = i * headSize;
        let dotOut = 0; // D_i = dO_i·O_i
        for (let c = 0; c < headSize; c++) dotOut += doh[gRow + c] * out[oRow + c];
        // dP row (w.r.t. the weights after dropout) = dO_i·V_jᵀ, four head columns per pass
        for (let j = 0; j < keys; j++) dp[j] = 0;
        let c = 0;
        for (; c + 4 <= headSize; c += 4) {
          const g0 = doh[gRow + c];
          const g1 = doh[gRow + c + 1];
          const g2 = doh[gRow + c + 2];
          const g3 = doh[gRow + c + 3];
          const v0 = c * steps;
          const v1 = v0 + steps;
          const v2 = v1 + steps;
          const v3 = v2 + steps;
          for (let j = 0; j < keys; j++) dp[j] += g0 * vt[v0 + j] + g1 * vt[v1 + j] + g2 * vt[v2 + j] + g3 * vt[v3 + j];
        }
        for (; c < headSize; c++) {
          const g = doh[gRow + c];
          const vc = c * steps;
          for (let j = 0; j < keys; j++) dp[j] += g * vt[vc + j];
        }
        if (dropMask === null) {
          for (let j = 0; j < keys; j++) ds[sRow + j] = probs[pRow + j] * (dp[j] - dotOut);
        } else {
          for (let j = 0; j < keys; j++) {
            ds[sRow + j] = probs[pRow + j] * (dropMask[pRow + j] * dp[j] - dotOut);
            pd[sRow + j] = probs[pRow + j] * dropMask[pRow + j];
          }
          for (let j = keys; j < steps; j++) pd[sRow + j] = 0;
        }
        for (let j = keys; j < steps; j++) ds[sRow + j] = 0;
        // dQ_i += scale·Σ_j dS_ij·K_j, four head columns per pass
        if (dq === null) continue;
        const qRow = qOffset + (b * steps + i) * rowStride + col;
        c = 0;
        for (; c + 4 <= headSize; c += 4) {
          const k0 = c * steps;
          const k1 = k0 + steps;
          const k2 = k1 + steps;
          const k3 = k2 + steps;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let j = 0; j < keys; j++) {
            const g = ds[sRow + j];
            s0 += g * kt[k0 + j];
            s1 += g * kt[k1 + j];
            s2 += g * kt[k2 + j];
            s3 += g * kt[k3 + j];
          }
          dq[qRow + c] += scale * s0;
          dq[qRow + c + 1] += scale * s1;
          dq[qRow + c + 2] += scale * s2;
          dq[qRow + c + 3] += scale * s3;
        }
        for (; c < headSize; c++) {
          const kc = c * steps;
          let s0 = 0;
          for (let j = 0; j < keys; j++) s0 += ds[sRow + j] * kt[kc + j];
          dq[qRow + c] += scale * s0;
        }
      }
      // dV = (P⊙M)ᵀ·dO and dK = dSᵀ·(scale·Q), built transposed (headSize, T) and scattered back
      if (dv !== null) {
        dvt.fill(0, 0, n);
        if (dropMask === null) addTransposedProduct(doh, probs, pBase, dvt, steps, headSize, causal);
        else addTransposedProduct(doh, pd, 0, dvt, steps, headSize, causal);
        scatterTransposedAdd(dvt, dv, vOffset, rowStride, b, steps, col, headSize);
      }
      if (dk !== null) {
        dkt.fill(0, 0, n);
        addTransposedProduct(qh, ds, 0, dkt, steps, headSize, causal);
        scatterTransposedAdd(dkt, dk, kOffset, rowStride, b, steps, col, headSize);
      }
    }
  }
}
