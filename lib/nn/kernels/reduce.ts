// Reductions over a (outer, axis, inner) view of a row-major buffer, and row-wise softmax / log-softmax.

export function sumAll(x: Float32Array): number {
  let s = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) s += x[i];
  return s;
}

/** out[o, i] (+)= Σ_a x[o, a, i]; out has outer·inner elements. */
export function sumAxis(
  x: Float32Array,
  outer: number,
  axis: number,
  inner: number,
  out: Float32Array,
  accumulate = false,
): void {
  if (!accumulate) out.fill(0, 0, outer * inner);
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    // four rows per pass over out: a quarter of the loads and stores of out (bias gradients sum thousands of rows)
    let a = 0;
    for (; a + 4 <= axis; a += 4) {
      const x0 = (o * axis + a) * inner;
      const x1 = x0 + inner;
      const x2 = x1 + inner;
      const x3 = x2 + inner;
      for (let i = 0; i < inner; i++) out[ob + i] += x[x0 + i] + x[x1 + i] + x[x2 + i] + x[x3 + i];
    }
    for (; a < axis; a++) {
      const xb = (o * axis + a) * inner;
      for (let i = 0; i < inner; i++) out[ob + i] += x[xb + i];
    }
  }
}

/** out[o, a, i] (+)= g[o, i]: the backward of sumAxis. */
export function expandAxis(
  g: Float32Array,
  outer: number,
  axis: number,
  inner: number,
  out: Float32Array,
  alpha = 1,
): void {
  for (let o = 0; o < outer; o++) {
    const gb = o * inner;
    for (let a = 0; a < axis; a++) {
      const xb = (o * axis + a) * inner;
      for (let i = 0; i < inner; i++) out[xb + i] += alpha * g[gb + i];
    }
  }
}

/** Row-wise softmax of x (rows × cols) into out, max-shifted for stability. */
export function softmaxRows(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    let mx = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) if (x[b + j] > mx) mx = x[b + j];
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(x[b + j] - mx);
      out[b + j] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let j = 0; j < cols; j++) out[b + j] *= inv;
  }
}

/** Row-wise log-softmax: x - max - log Σ exp(x - max). */
export function logSoftmaxRows(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    let mx = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) if (x[b + j] > mx) mx = x[b + j];
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(x[b + j] - mx);
    const lse = mx + Math.log(s);
    for (let j = 0; j < cols; j++) out[b + j] = x[b + j] - lse;
  }
}

/** dx (+)= y ⊙ (dy − Σ_j dy·y): backward of softmax given its output y. */
export function softmaxRowsBackward(
  y: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += dy[b + j] * y[b + j];
    for (let j = 0; j < cols; j++) dx[b + j] += y[b + j] * (dy[b + j] - s);
  }
}

/** dx (+)= dy − softmax(x) · Σ_j dy: backward of log-softmax given its output y = log softmax(x). */
export function logSoftmaxRowsBackward(
  y: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += dy[b + j];
    for (let j = 0; j < cols; j++) dx[b + j] += dy[b + j] - Math.exp(y[b + j]) * s;
  }
}
