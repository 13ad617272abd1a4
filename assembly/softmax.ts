// Row-wise softmax and log-softmax with their backward on f32x4 vectors: the semantics of lib/nn/kernels/reduce.ts
// over byte addresses of row-major (rows, cols) buffers. e^x is vexp (float32, ≤ 8e-8 relative) where TypeScript uses Math.exp
// in float64; the log of a row's sum is Math.log in float64 as there. Nothing here writes a global; a row range is one
// call with every buffer advanced to its first row.

import { hmax, hsum, vexp } from './vmath';

/** The largest of the row's n floats (NaN if any is NaN). */
function rowMax(x: usize, n: i32): f32 {
  let mv = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= n; j += 4) mv = f32x4.max(mv, v128.load(x + ((<usize>j) << 2)));
  let mx = inline.always(hmax(mv));
  for (; j < n; j++) mx = max(mx, load<f32>(x + ((<usize>j) << 2)));
  return mx;
}

/** e^x for one float, by the vector routine (so the last 1–3 columns round as the others do). */
function exp1(x: f32): f32 {
  return f32x4.extract_lane(inline.always(vexp(f32x4.splat(x))), 0);
}

/** Row-wise softmax of x into out, max-shifted for stability. */
export function softmaxRows(x: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const or = out + <usize>r * rowBytes;
    const mx = rowMax(xr, cols);
    const mv = f32x4.splat(mx);
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const c = (<usize>j) << 2;
      const e = inline.always(vexp(f32x4.sub(v128.load(xr + c), mv)));
      v128.store(or + c, e);
      acc = f32x4.add(acc, e);
    }
    let s = inline.always(hsum(acc));
    for (; j < cols; j++) {
      const c = (<usize>j) << 2;
      const e = exp1(load<f32>(xr + c) - mx);
      store<f32>(or + c, e);
      s += e;
    }
    const inv = <f32>1 / s;
    const iv = f32x4.splat(inv);
    j = 0;
    for (; j + 4 <= cols; j += 4) {
      const c = (<usize>j) << 2;
      v128.store(or + c, f32x4.mul(v128.load(or + c), iv));
    }
    for (; j < cols; j++) {
      const c = (<usize>j) << 2;
      store<f32>(or + c, load<f32>(or + c) * inv);
    }
  }
}

/** Row-wise log-softmax: x − max − log Σ e^(x − max). */
export function logSoftmaxRows(x: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const or = out + <usize>r * rowBytes;
    const mx = rowMax(xr, cols);
    const mv = f32x4.splat(mx);
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      acc = f32x4.add(acc, inline.always(vexp(f32x4.sub(v128.load(xr + ((<usize>j) << 2)), mv))));
    }
    let s = inline.always(hsum(acc));
    for (; j < cols; j++) s += exp1(load<f32>(xr + ((<usize>j) << 2)) - mx);
    const lse = <f32>(<f64>mx + Math.log(<f64>s));
    const lv = f32x4.splat(lse);
    j = 0;
    for (; j + 4 <= cols; j += 4) {
      const c = (<usize>j) << 2;
      v128.store(or + c, f32x4.sub(v128.load(xr + c), lv));
    }
    for (; j < cols; j++) {
      const c = (<usize>j) << 2;
      store<f32>(or + c, load<f32>(xr + c) - lse);
    }
  }
}

/** dx += y ⊙ (dy − Σ_j dy·y): backward of softmax given its output y. */
export function softmaxRowsBackward(y: usize, dy: usize, dx: usize, rows: i32, cols: i32): void {
  const rowBytes = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    const yr = y + o;
    const gr = dy + o;
    const xr = dx + o;
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const c = (<usize>j) << 2;
      acc = f32x4.add(acc, f32x4.mul(v128.load(gr + c), v128.load(yr + c)));
    }
    let s = inline.always(hsum(acc));
    for (; j < cols; j++) s += load<f32>(gr + ((<usize>j) << 2)) * load<f32>(yr + ((<usize>j) << 2));
    const sv = f32x4.splat(s);
    j = 0;
    for (; j + 4 <= cols; j += 4) {
      const c = (<usize>j) << 2;
      const t = f32x4.mul(v128.load(yr + c), f32x4.sub(v128.load(gr + c), sv));
      v128.store(xr + c, f32x4.add(v128.load(xr + c), t));
    }
    for (; j < cols; j++) {
      const c = (<usize>j) << 2;
      store<f32>(xr + c, load<f32>(xr + c) + load<f32>(yr + c) * (load<f32>(gr + c) - s));
    }
  }
}

/** dx += dy − softmax(x)·Σ_j dy: backward of log-softmax given its output y = log softmax(x). */
export function logSoftmaxRowsBackward(y: usize, dy: usize, dx: usize, rows: i32, cols: i32): void {
  const rowBytes = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    const yr = y + o;
    const gr = dy + o;
    const xr = dx + o;
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) acc = f32x4.add(acc, v128.load(gr + ((<usize>j) << 2)));
    let s = inline.always(hsum(acc));
    for (; j < cols; j++) s += load<f32>(gr + ((<usize>j) << 2));
    const sv = f32x4.splat(s);
    j = 0;
    for (; j + 4 <= cols; j += 4) {
      const c = (<usize>j) << 2;
      const t = f32x4.sub(v128.load(gr + c), f32x4.mul(inline.always(vexp(v128.load(yr + c))), sv));
      v128.store(xr + c, f32x4.add(v128.load(xr + c), t));
    }
    for (; j < cols; j++) {
      const c = (<usize>j) << 2;
      store<f32>(xr + c, load<f32>(xr + c) + (load<f32>(gr + c) - exp1(load<f32>(yr + c)) * s));
    }
  }
}
