// Broadcasting arithmetic, matmul, reshape and reductions: each op's forward and backward side by side.

import { BinaryOp, K } from '../kernels';
import { record, type Shape, shapeSize, shapeStr, Tensor } from '../tensor';

/** numpy broadcasting of two shapes, or a message naming both. */
export function broadcastShape(a: readonly number[], b: readonly number[], op: string): Shape {
  const nd = Math.max(a.length, b.length);
  const out: Shape = new Array(nd);
  for (let i = 0; i < nd; i++) {
    const da = a[a.length - nd + i] ?? 1;
    const db = b[b.length - nd + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${op}: shapes ${shapeStr(a)} and ${shapeStr(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

function binary(op: BinaryOp, name: string, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShape(a.shape, b.shape, name);
  const out = Tensor.empty(shape); // the kernel writes every element
  K.binaryBroadcast(op, a.data, a.shape, b.data, b.shape, out.data, shape);
  return record(out, [a, b], () => {
    const g = out.grad!;
    switch (op) {
      case BinaryOp.Add:
        // b first: a may then take g itself (passGrad) when it has out's shape
        if (b.requiresGrad) K.reduceBroadcastAdd(g, shape, b.gradBuffer(), b.shape);
        if (a.requiresGrad) {
          if (a.size === g.length && a !== b) passGrad(out, a);
          else K.reduceBroadcastAdd(g, shape, a.gradBuffer(), a.shape);
        }
        break;
      case BinaryOp.Sub:
        if (a.requiresGrad) K.reduceBroadcastAdd(g, shape, a.gradBuffer(), a.shape);
        if (b.requiresGrad) {
          const neg = new Float32Array(g.length);
          K.scale(-1, g, neg);
          K.reduceBroadcastAdd(neg, shape, b.gradBuffer(), b.shape);
        }
        break;
      case BinaryOp.Mul: {
        const tmp = new Float32Array(g.length);
        if (a.requiresGrad) {
          K.binaryBroadcast(BinaryOp.Mul, g, shape, b.data, b.shape, tmp, shape);
          K.reduceBroadcastAdd(tmp, shape, a.gradBuffer(), a.shape);
        }
        if (b.requiresGrad) {
          K.binaryBroadcast(BinaryOp.Mul, g, shape, a.data, a.shape, tmp, shape);
          K.reduceBroadcastAdd(tmp, shape, b.gradBuffer(), b.shape);
        }
        break;
      }
      case BinaryOp.Div: {
        // d(a/b)/da = 1/b ; d(a/b)/db = -a/b² = -out/b
        const tmp = new Float32Array(g.length);
        K.binaryBroadcast(BinaryOp.Div, g, shape, b.data, b.shape, tmp, shape);
        if (a.requiresGrad) K.reduceBroadcastAdd(tmp, shape, a.gradBuffer(), a.shape);
        if (b.requiresGrad) {
          const od = out.data;
          for (let i = 0; i < tmp.length; i++) tmp[i] = -tmp[i] * od[i];
          K.reduceBroadcastAdd(tmp, shape, b.gradBuffer(), b.shape);
        }
        break;
      }
    }
  });
}

export const add = (a: Tensor, b: Tensor): Tensor => binary(BinaryOp.Add, 'add', a, b);
export const sub = (a: Tensor, b: Tensor): Tensor => binary(BinaryOp.Sub, 'sub', a, b);
export const mul = (a: Tensor, b: Tensor): Tensor => binary(BinaryOp.Mul, 'mul', a, b);
export const div = (a: Tensor, b: Tensor): Tensor => binary(BinaryOp.Div, 'div', a, b);

/** alpha·x + beta */
export function affine(x: Tensor, alpha: number, beta = 0): Tensor {
  const out = Tensor.zeros(x.shape.slice());
  const xd = x.data;
  const od = out.data;
  for (let i = 0; i < od.length; i++) od[i] = alpha * xd[i] + beta;
  return record(out, [x], () => K.axpy(alpha, out.grad!, x.gradBuffer()));
}

export const neg = (x: Tensor): Tensor => affine(x, -1);
export const scale = (x: Tensor, alpha: number): Tensor => affine(x, alpha);

/**
 * Matrix product of 2-D tensors: (m, k) · (k, n) → (m, n); transA / transB read an operand transposed
 * ((k, m) or (n, k) as stored).
 */
export function matmul(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  if (a.rank !== 2 || b.rank !== 2) {
    throw new Error(`matmul needs 2-D tensors, got ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
  }
  const m = transA ? a.shape[1] : a.shape[0];
  const k = transA ? a.shape[0] : a.shape[1];
  const kb = transB ? b.shape[1] : b.shape[0];
  const n = transB ? b.shape[0] : b.shape[1];
  if (k !== kb) {
    throw new Error(
      `matmul: inner dimensions differ: ${shapeStr(a.shape)}${transA ? 'ᵀ' : ''} · ${shapeStr(b.shape)}${transB ? 'ᵀ' : ''}`,
    );
  }
  const out = Tensor.zeros([m, n]);
  K.matmul(a.data, b.data, out.data, m, n, k, transA, transB);
  return record(out, [a, b], () => {
    const g = out.grad!; // (m, n)
    if (a.requiresGrad) {
      // dA = g · op(B)ᵀ, stored in A's layout
      if (transA) K.matmul(b.data, g, a.gradBuffer(), k, m, n, transB, true, true);
      else K.matmul(g, b.data, a.gradBuffer(), m, k, n, false, !transB, true);
    }
    if (b.requiresGrad) {
      // dB = op(A)ᵀ · g, stored in B's layout
      if (transB) K.matmul(g, a.data, b.gradBuffer(), n, k, m, true, transA, true);
      else K.matmul(a.data, g, b.gradBuffer(), k, n, m, !transA, false, true);
    }
  });
}

/** Same data, new shape (one dimension may be -1). Shares the buffer; gradient flows back unchanged. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const s = shape.slice();
  const neg1 = s.indexOf(-1);
  if (neg1 >= 0) {
    const rest = shapeSize(s.filter((_, i) => i !== neg1));
    s[neg1] = rest === 0 ? 0 : x.size / rest;
  }
  if (shapeSize(s) !== x.size) {
    throw new Error(`reshape: cannot view ${shapeStr(x.shape)} (${x.size} elements) as ${shapeStr(shape)}`);
  }
  const out = new Tensor(x.data, s);
  return record(out, [x], () => passGrad(out, x));
}

/**
 * Gives x the gradient of out (an op output whose gradient flows back unchanged): when x has none yet, out's buffer
 * itself becomes x's — out is released right after its backward, so nothing else reads it — instead of a zeroed
 * buffer plus a full-size add. Residual connections and the reshapes around 3-D Dense layers pass gradients this way.
 */
export function passGrad(out: Tensor, x: Tensor): void {
  const g = out.grad!;
  if (x.grad === null && x !== out && g.length === x.size) {
    x.grad = g;
    out.grad = null;
  } else {
    K.axpy(1, g, x.gradBuffer());
  }
}

/** Sum of all elements → scalar. */
export function sum(x: Tensor): Tensor {
  const out = Tensor.scalar(K.sumAll(x.data));
  return record(out, [x], () => {
    const g = out.grad![0];
    const gx = x.gradBuffer();
    for (let i = 0; i < gx.length; i++) gx[i] += g;
  });
}

/** Mean of all elements → scalar. */
export function mean(x: Tensor): Tensor {
  const n = x.size;
  const out = Tensor.scalar(K.sumAll(x.data) / n);
  return record(out, [x], () => {
    const g = out.grad![0] / n;
    const gx = x.gradBuffer();
    for (let i = 0; i < gx.length; i++) gx[i] += g;
  });
}

function axisSplit(shape: readonly number[], axis: number, op: string): [number, number, number, number] {
  const ax = axis < 0 ? shape.length + axis : axis;
  if (ax < 0 || ax >= shape.length) throw new Error(`${op}: axis ${axis} out of range for ${shapeStr(shape)}`);
  let outer = 1;
  for (let i = 0; i < ax; i++) outer *= shape[i];
  let inner = 1;
  for (let i = ax + 1; i < shape.length; i++) inner *= shape[i];
  return [ax, outer, shape[ax], inner];
}

/** Sum over one axis; keepDims keeps it as size 1. */
export function sumAxis(x: Tensor, axis: number, keepDims = false): Tensor {
  const [ax, outer, len, inner] = axisSplit(x.shape, axis, 'sumAxis');
  const shape = x.shape.slice();
  if (keepDims) shape[ax] = 1;
  else shape.splice(ax, 1);
  const out = Tensor.zeros(shape);
  K.sumAxis(x.data, outer, len, inner, out.data);
  return record(out, [x], () => K.expandAxis(out.grad!, outer, len, inner, x.gradBuffer()));
}

/** Mean over one axis; keepDims keeps it as size 1. */
export function meanAxis(x: Tensor, axis: number, keepDims = false): Tensor {
  const [ax, outer, len, inner] = axisSplit(x.shape, axis, 'meanAxis');
  const shape = x.shape.slice();
  if (keepDims) shape[ax] = 1;
  else shape.splice(ax, 1);
  const out = Tensor.zeros(shape);
  K.sumAxis(x.data, outer, len, inner, out.data);
  K.scale(1 / len, out.data, out.data);
  return record(out, [x], () => K.expandAxis(out.grad!, outer, len, inner, x.gradBuffer(), 1 / len));
}

/** Softmax over the last axis. */
export function softmax(x: Tensor): Tensor {
  const cols = x.shape[x.rank - 1];
  const rows = x.size / cols;
  const out = Tensor.zeros(x.shape.slice());
  K.softmaxRows(x.data, out.data, rows, cols);
  return record(out, [x], () => K.softmaxRowsBackward(out.data, out.grad!, x.gradBuffer(), rows, cols));
}

/** Log-softmax over the last axis (stable: x − max − log Σ exp(x − max)). */
export function logSoftmax(x: Tensor): Tensor {
  const cols = x.shape[x.rank - 1];
  const rows = x.size / cols;
  const out = Tensor.zeros(x.shape.slice());
  K.logSoftmaxRows(x.data, out.data, rows, cols);
  return record(out, [x], () => K.logSoftmaxRowsBackward(out.data, out.grad!, x.gradBuffer(), rows, cols));
}
