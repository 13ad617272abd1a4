// Kernels for 1-D convolution and pooling over time on channels-last buffers: x (B, T, C) row-major, conv weight
// (K, Cin, Cout). Output step o reads input steps t = o·stride + k·dilation − padLeft for k < K; steps outside
// [0, T) are zero padding and are skipped. Backward kernels accumulate (+=) into caller-owned gradient buffers.

/** Geometry of one convolution (or pooling) over time; every size is an element count. */
export interface Conv1dGeometry {
  batch: number;
  /** input steps T */
  tIn: number;
  cIn: number;
  /** output steps */
  tOut: number;
  cOut: number;
  kernelSize: number;
  stride: number;
  dilation: number;
  /** zero steps before the input (causal: (K − 1)·dilation) */
  padLeft: number;
}

/** Taps k in [kLo, kHi) whose input step o·stride + k·dilation − padLeft lies in [0, tIn); written into range. */
function validTaps(g: Conv1dGeometry, o: number, range: Int32Array): void {
  const base = o * g.stride - g.padLeft;
  // smallest k with base + k·d ≥ 0, and first k with base + k·d ≥ tIn
  const lo = base >= 0 ? 0 : Math.ceil(-base / g.dilation);
  const hi = Math.min(g.kernelSize, Math.ceil((g.tIn - base) / g.dilation));
  range[0] = lo;
  range[1] = hi;
}

// The three convolution kernels below handle four rows of the reduced dimension per pass of their inner loop (four
// input channels, or four batch rows for the weight gradient), so each output element is loaded and stored a quarter
// as often: about 2× faster than one row per pass at 16–64 channels (test/bench/conv.bench.ts).

/**
 * Direct convolution: y (B, tOut, Cout) = bias + Σ_k x[t(o, k)] · w[k]. Each (o, k) pair is a row-vector × (Cin, Cout)
 * product whose inner loop runs over Cout contiguously. bias (Cout) may be null.
 */
export function conv1dForward(
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | null,
  y: Float32Array,
  g: Conv1dGeometry,
): void {
  const { batch, tIn, cIn, tOut, cOut, stride, dilation, padLeft } = g;
  const cIn4 = cIn - (cIn % 4);
  const range = new Int32Array(2);
  for (let o = 0; o < tOut; o++) {
    validTaps(g, o, range);
    const kLo = range[0];
    const kHi = range[1];
    for (let b = 0; b < batch; b++) {
      const yRow = (b * tOut + o) * cOut;
      if (bias !== null) for (let co = 0; co < cOut; co++) y[yRow + co] = bias[co];
      else y.fill(0, yRow, yRow + cOut);
      for (let k = kLo; k < kHi; k++) {
        const xRow = (b * tIn + o * stride + k * dilation - padLeft) * cIn;
        const wK = k * cIn * cOut;
        let ci = 0;
        for (; ci < cIn4; ci += 4) {
          const x0 = x[xRow + ci];
          const x1 = x[xRow + ci + 1];
          const x2 = x[xRow + ci + 2];
          const x3 = x[xRow + ci + 3];
          if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue; // ReLU zeros are common
          const w0 = wK + ci * cOut;
          const w1 = w0 + cOut;
          const w2 = w1 + cOut;
          const w3 = w2 + cOut;
          for (let co = 0; co < cOut; co++) {
            y[yRow + co] += x0 * w[w0 + co] + x1 * w[w1 + co] + x2 * w[w2 + co] + x3 * w[w3 + co];
          }
        }
        for (; ci < cIn; ci++) {
          const xv = x[xRow + ci];
          if (xv === 0) continue;
          const wRow = wK + ci * cOut;
          for (let co = 0; co < cOut; co++) y[yRow + co] += xv * w[wRow + co];
        }
      }
    }
  }
}

/** dx (B, T, Cin) += Σ over the outputs each input step feeds of dy[o] · w[k]ᵀ. */
export function conv1dBackwardInput(dy: Float32Array, w: Float32Array, dx: Float32Array, g: Conv1dGeometry): void {
  const { batch, tIn, cIn, tOut, cOut, stride, dilation, padLeft } = g;
  const cIn4 = cIn - (cIn % 4);
  const range = new Int32Array(2);
  for (let o = 0; o < tOut; o++) {
    validTaps(g, o, range);
    const kLo = range[0];
    const kHi = range[1];
    for (let b = 0; b < batch; b++) {
      const yRow = (b * tOut + o) * cOut;
      for (let k = kLo; k < kHi; k++) {
        const xRow = (b * tIn + o * stride + k * dilation - padLeft) * cIn;
        const wK = k * cIn * cOut;
        let ci = 0;
        for (; ci < cIn4; ci += 4) {
          const w0 = wK + ci * cOut;
          const w1 = w0 + cOut;
          const w2 = w1 + cOut;
          const w3 = w2 + cOut;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let co = 0; co < cOut; co++) {
            const d = dy[yRow + co];
            s0 += d * w[w0 + co];
            s1 += d * w[w1 + co];
            s2 += d * w[w2 + co];
            s3 += d * w[w3 + co];
          }
          dx[xRow + ci] += s0;
          dx[xRow + ci + 1] += s1;
          dx[xRow + ci + 2] += s2;
          dx[xRow + ci + 3] += s3;
        }
        for (; ci < cIn; ci++) {
          const wRow = wK + ci * cOut;
          let s = 0;
          for (let co = 0; co < cOut; co++) s += dy[yRow + co] * w[wRow + co];
          dx[xRow + ci] += s;
        }
      }
    }
  }
}

/** dw (K, Cin, Cout) += Σ_{b, o} x[t(o, k)]ᵀ · dy[o]; dbias (Cout) += Σ_{b, o} dy[o] when given. */
export function conv1dBackwardParams(
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array | null,
  dbias: Float32Array | null,
  g: Conv1dGeometry,
): void {
  const { batch, tIn, cIn, tOut, cOut, stride, dilation, padLeft } = g;
  if (dbias !== null) {
    const rows = batch * tOut;
    for (let r = 0; r < rows; r++) {
      const yRow = r * cOut;
      for (let co = 0; co < cOut; co++) dbias[co] += dy[yRow + co];
    }
  }
  if (dw === null) return;
  const batch4 = batch - (batch % 4);
  // strides between consecutive batch rows of x and dy
  const xStride = tIn * cIn;
  const yStride = tOut * cOut;
  const range = new Int32Array(2);
  for (let o = 0; o < tOut; o++) {
    validTaps(g, o, range);
    const kLo = range[0];
    const kHi = range[1];
    for (let k = kLo; k < kHi; k++) {
      const t = o * stride + k * dilation - padLeft;
      const wK = k * cIn * cOut;
      let b = 0;
      for (; b < batch4; b += 4) {
        const xRow = (b * tIn + t) * cIn;
        const y0 = (b * tOut + o) * cOut;
        const y1 = y0 + yStride;
        const y2 = y1 + yStride;
        const y3 = y2 + yStride;
        for (let ci = 0; ci < cIn; ci++) {
          const x0 = x[xRow + ci];
          const x1 = x[xRow + xStride + ci];
          const x2 = x[xRow + 2 * xStride + ci];
          const x3 = x[xRow + 3 * xStride + ci];
          if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
          const wRow = wK + ci * cOut;
          for (let co = 0; co < cOut; co++) {
            dw[wRow + co] += x0 * dy[y0 + co] + x1 * dy[y1 + co] + x2 * dy[y2 + co] + x3 * dy[y3 + co];
          }
        }
      }
      for (; b < batch; b++) {
        const xRow = (b * tIn + t) * cIn;
        const yRow = (b * tOut + o) * cOut;
        for (let ci = 0; ci < cIn; ci++) {
          const xv = x[xRow + ci];
          if (xv === 0) continue;
          const wRow = wK + ci * cOut;
          for (let co = 0; co < cOut; co++) dw[wRow + co] += xv * dy[yRow + co];
        }
      }
    }
  }
}

/**
 * Max over windows of `size` steps (stride steps apart, no padding) per channel: y (B, tOut, C); argmax receives
 * the flat index into x of each maximum, for the backward pass.
 */
export function maxPool1dForward(
  x: Float32Array,
  y: Float32Array,
  argmax: Int32Array,
  batch: number,
  tIn: number,
  channels: number,
  tOut: number,
  size: number,
  stride: number,
): void {
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < tOut; o++) {
      const yRow = (b * tOut + o) * channels;
      const first = (b * tIn + o * stride) * channels;
      for (let c = 0; c < channels; c++) {
        y[yRow + c] = x[first + c];
        argmax[yRow + c] = first + c;
      }
      for (let j = 1; j < size; j++) {
        const xRow = first + j * channels;
        for (let c = 0; c < channels; c++) {
          const v = x[xRow + c];
          // NaN propagates: a NaN in the window wins, as in PyTorch
          if (v > y[yRow + c] || Number.isNaN(v)) {
            y[yRow + c] = v;
            argmax[yRow + c] = xRow + c;
          }
        }
      }
    }
  }
}

/** dx[argmax[i]] += dy[i]: each window's gradient goes to its maximum. */
export function maxPool1dBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array, count: number): void {
  for (let i = 0; i < count; i++) dx[argmax[i]] += dy[i];
}

/** Mean over windows of `size` steps (stride steps apart, no padding) per channel: y (B, tOut, C). */
export function avgPool1dForward(
  x: Float32Array,
  y: Float32Array,
  batch: number,
  tIn: number,
  channels: number,
  tOut: number,
  size: number,
  stride: number,
): void {
  const inv = 1 / size;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < tOut; o++) {
      const yRow = (b * tOut + o) * channels;
      const first = (b * tIn + o * stride) * channels;
      y.fill(0, yRow, yRow + channels);
      for (let j = 0; j < size; j++) {
        const xRow = first + j * channels;
        for (let c = 0; c < channels; c++) y[yRow + c] += x[xRow + c];
      }
      for (let c = 0; c < channels; c++) y[yRow + c] *= inv;
    }
  }
}

/** dx += dy[o] / size spread over each window's steps. */
export function avgPool1dBackward(
  dy: Float32Array,
  dx: Float32Array,
  batch: number,
  tIn: number,
  channels: number,
  tOut: number,
  size: number,
  stride: number,
): void {
  const inv = 1 / size;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < tOut; o++) {
      const yRow = (b * tOut + o) * channels;
      const first = (b * tIn + o * stride) * channels;
      for (let j = 0; j < size; j++) {
        const xRow = first + j * channels;
        for (let c = 0; c < channels; c++) dx[xRow + c] += inv * dy[yRow + c];
      }
    }
  }
}

/** y (B, C) = x[:, step, :] of x (B, T, C). */
export function gatherTimeStep(
  x: Float32Array,
  y: Float32Array,
  batch: number,
  steps: number,
  channels: number,
  step: number,
): void {
  for (let b = 0; b < batch; b++) {
    const src = (b * steps + step) * channels;
    y.set(x.subarray(src, src + channels), b * channels);
  }
}

/** dx[:, step, :] += dy (B, C): the backward of gatherTimeStep. */
export function scatterTimeStep(
  dy: Float32Array,
  dx: Float32Array,
  batch: number,
  steps: number,
  channels: number,
  step: number,
): void {
  for (let b = 0; b < batch; b++) {
    const dst = (b * steps + step) * channels;
    const src = b * channels;
    for (let c = 0; c < channels; c++) dx[dst + c] += dy[src + c];
  }
}
