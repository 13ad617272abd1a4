// Element-wise arithmetic on f32x4 vectors: the semantics of lib/nn/kernels/elementwise.ts binaryBroadcast (for
// operands of one shape, or b repeating along the leading dimensions) and axpy, over byte addresses in this module's
// memory. In place is allowed: out may be a or b.
// op: 0 add, 1 subtract, 2 multiply, 3 divide (BinaryOp). Results equal the TypeScript kernel's bit for bit: a sum,
// difference, product or quotient of two float32 values computed in float64 and rounded once to float32 is the
// correctly rounded float32 result.

function apply(op: i32, x: v128, y: v128): v128 {
  if (op === 0) return f32x4.add(x, y);
  if (op === 1) return f32x4.sub(x, y);
  if (op === 2) return f32x4.mul(x, y);
  return f32x4.div(x, y);
}

function applyOne(op: i32, x: f32, y: f32): f32 {
  if (op === 0) return x + y;
  if (op === 1) return x - y;
  if (op === 2) return x * y;
  return x / y;
}

/**
 * out[i] = a[i] (op) b[i mod period] for i < n (n a multiple of period): period = n is two operands of one shape,
 * a smaller period is b broadcast along the leading dimensions (a bias row, a positional table).
 */
export function binaryPeriodic(op: i32, a: usize, b: usize, period: i32, out: usize, n: i32): void {
  for (let start = 0; start < n; start += period) {
    const ar = a + ((<usize>start) << 2);
    const orow = out + ((<usize>start) << 2);
    let j = 0;
    if (op === 0) {
      for (; j + 4 <= period; j += 4) {
        const o = (<usize>j) << 2;
        v128.store(orow + o, f32x4.add(v128.load(ar + o), v128.load(b + o)));
      }
    } else {
      for (; j + 4 <= period; j += 4) {
        const o = (<usize>j) << 2;
        v128.store(orow + o, apply(op, v128.load(ar + o), v128.load(b + o)));
      }
    }
    for (; j < period; j++) {
      const o = (<usize>j) << 2;
      store<f32>(orow + o, applyOne(op, load<f32>(ar + o), load<f32>(b + o)));
    }
  }
}

/** y[i] += alpha·x[i] for i < n (alpha = 1: a plain sum, exactly the TypeScript kernel's). */
export function axpyInto(alpha: f32, x: usize, y: usize, n: i32): void {
  const al = f32x4.splat(alpha);
  let i = 0;
  if (alpha === 1) {
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(y + o, f32x4.add(v128.load(y + o), v128.load(x + o)));
    }
  } else {
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(al, v128.load(x + o))));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
  }
}
