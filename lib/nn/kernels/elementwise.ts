// Element-wise kernels over Float32Array: broadcasting binary ops, their reduction back to an input's shape,
// and the small vector helpers (axpy, scale) that optimizers and autodiff use.

export enum BinaryOp {
  Add = 0,
  Sub = 1,
  Mul = 2,
  Div = 3,
}

/** Row-major strides of `shape` for reading it as if it had `outShape` (0 where a dimension is broadcast). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const nd = outShape.length;
  const strides = new Array<number>(nd).fill(0);
  let s = 1;
  for (let i = shape.length - 1, o = nd - 1; i >= 0; i--, o--) {
    strides[o] = shape[i] === 1 && outShape[o] !== 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

/** out = a (op) b, with numpy broadcasting of a and b to outShape. */
export function binaryBroadcast(
  op: BinaryOp,
  a: Float32Array,
  aShape: readonly number[],
  b: Float32Array,
  bShape: readonly number[],
  out: Float32Array,
  outShape: readonly number[],
): void {
  const n = out.length;
  if (a.length === n && b.length === n) {
    binarySame(op, a, b, out, n);
    return;
  }
  // Fast path: (rows, cols) with b a row vector (bias-like) of length cols.
  if (a.length === n && b.length === outShape[outShape.length - 1] && bShape.length <= outShape.length) {
    const cols = b.length;
    let trailingOnly = true;
    for (let i = 0; i < bShape.length - 1; i++) if (bShape[i] !== 1) trailingOnly = false;
    if (trailingOnly) {
      for (let r = 0; r < n; r += cols) binaryRow(op, a, r, b, 0, out, r, cols);
      return;
    }
  }
  const nd = outShape.length;
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const idx = new Array<number>(nd).fill(0);
  const last = nd - 1;
  const inner = outShape[last];
  const saL = sa[last];
  const sbL = sb[last];
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < n; o += inner) {
    binaryStrided(op, a, ia, saL, b, ib, sbL, out, o, inner);
    // advance the multi-index over all but the last dimension
    for (let d = last - 1; d >= 0; d--) {
      idx[d]++;
      ia += sa[d];
      ib += sb[d];
      if (idx[d] < outShape[d]) break;
      ia -= sa[d] * outShape[d];
      ib -= sb[d] * outShape[d];
      idx[d] = 0;
    }
  }
}

/** out[oo + j] = a[ao + j·sa] (op) b[bo + j·sb] for j < len; a stride of 0 repeats one element. */
function binaryStrided(
  op: BinaryOp,
  a: Float32Array,
  ao: number,
  sa: number,
  b: Float32Array,
  bo: number,
  sb: number,
  out: Float32Array,
  oo: number,
  len: number,
): void {
  if (sa === 1 && sb === 1) {
    binaryRow(op, a, ao, b, bo, out, oo, len);
    return;
  }
  if (sa === 1 && sb === 0) {
    binaryRowScalar(op, a, ao, b[bo], out, oo, len);
    return;
  }
  switch (op) {
    case BinaryOp.Add:
      for (let j = 0; j < len; j++) out[oo + j] = a[ao + j * sa] + b[bo + j * sb];
      break;
    case BinaryOp.Sub:
      for (let j = 0; j < len; j++) out[oo + j] = a[ao + j * sa] - b[bo + j * sb];
      break;
    case BinaryOp.Mul:
      for (let j = 0; j < len; j++) out[oo + j] = a[ao + j * sa] * b[bo + j * sb];
      break;
    case BinaryOp.Div:
      for (let j = 0; j < len; j++) out[oo + j] = a[ao + j * sa] / b[bo + j * sb];
      break;
  }
}

/** out[oo + j] = a[ao + j] (op) y: a row against one broadcast value (e.g. dividing rows by their sums). */
function binaryRowScalar(
  op: BinaryOp,
  a: Float32Array,
  ao: number,
  y: number,
  out: Float32Array,
  oo: number,
  len: number,
): void {
  switch (op) {
    case BinaryOp.Add:
      for (let j = 0; j < len; j++) out[oo + j] = a[ao + j] + y;
      break;
    case BinaryOp.Sub:
      for (let j = 0; j < len; j++) out[oo + j] = a[ao + j] - y;
      break;
    case BinaryOp.Mul:
      for (let j = 0; j < len; j++) out[oo + j] = a[ao + j] * y;
      break;
    case BinaryOp.Div:
      for (let j = 0; j < len; j++) out[oo + j] = a[ao + j] / y;
      break;
  }
}

function binarySame(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, n: number): void {
  switch (op) {
    case BinaryOp.Add:
      for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
      break;
    case BinaryOp.Sub:
      for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
      break;
    case BinaryOp.Mul:
      for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
      break;
    case BinaryOp.Div:
      for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
      break;
  }
}

function binaryRow(
  op: BinaryOp,
  a: Float32Array,
  ao: number,
  b: Float32Array,
  bo: number,
  out: Float32Array,
  oo: number,
  len: number,
): void {
  switch (op) {
    case BinaryOp.Add:
      for (let j = 0; j < len; j++) out[oo + j] = a[ao + j] + b[bo + j];
      break;
    case BinaryOp.Sub:
      for (let j = 0; j < len; j++) out[oo + j] = a[ao + j] - b[bo + j];
      break;
    case BinaryOp.Mul:
      for (let j = 0; j < len; j++) out[oo + j] = a[ao + j] * b[bo + j];
      break;
    case BinaryOp.Div:
      for (let j = 0; j < len; j++) out[oo + j] = a[ao + j] / b[bo + j];
      break;
  }
}

/**
 * out += g summed down to outShape: the backward of broadcasting an input of outShape up to gShape.
 * out must have the element count of outShape.
 */
export function reduceBroadcastAdd(
  g: Float32Array,
  gShape: readonly number[],
  out: Float32Array,
  outShape: readonly number[],
): void {
  const n = g.length;
  if (out.length === n) {
    for (let i = 0; i < n; i++) out[i] += g[i];
    return;
  }
  const nd = gShape.length;
  const so = broadcastStrides(outShape, gShape);
  // Fast path: out is a trailing row vector.
  const cols = gShape[nd - 1];
  if (out.length === cols && so[nd - 1] === 1) {
    let rowVec = true;
    for (let d = 0; d < nd - 1; d++) if (so[d] !== 0) rowVec = false;
    if (rowVec) {
      for (let r = 0; r < n; r += cols) for (let j = 0; j < cols; j++) out[j] += g[r + j];
      return;
    }
  }
  // Walk g one innermost row at a time: a broadcast last dimension (stride 0) sums the row in float64 first.
  const last = nd - 1;
  const inner = gShape[last];
  const soL = so[last];
  const idx = new Array<number>(nd).fill(0);
  let io = 0;
  for (let i = 0; i < n; i += inner) {
    if (soL === 0) {
      let s = 0;
      for (let j = 0; j < inner; j++) s += g[i + j];
      out[io] += s;
    } else {
      for (let j = 0; j < inner; j++) out[io + j] += g[i + j];
    }
    for (let d = last - 1; d >= 0; d--) {
      idx[d]++;
      io += so[d];
      if (idx[d] < gShape[d]) break;
      io -= so[d] * gShape[d];
      idx[d] = 0;
    }
  }
}

/** y += alpha · x */
export function axpy(alpha: number, x: Float32Array, y: Float32Array): void {
  const n = y.length;
  for (let i = 0; i < n; i++) y[i] += alpha * x[i];
}

/** out = alpha · x */
export function scale(alpha: number, x: Float32Array, out: Float32Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = alpha * x[i];
}

/** Σ x·y */
export function dot(x: Float32Array, y: Float32Array): number {
  let s = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) s += x[i] * y[i];
  return s;
}
