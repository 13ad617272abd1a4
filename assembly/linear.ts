// Epilogue of a fully connected layer, fused after the product: c (m, n) ← act(c + bias) in one pass while the rows
// the product just wrote are still in cache (instead of a bias fill before and an activation pass after, each in
// TypeScript over the whole output). act: 0 identity, 1 ReLU (max(v, +0), NaN kept as the TypeScript kernel does).

export function biasActivation(c: usize, bias: usize, m: i32, n: i32, act: i32): void {
  const zero = f32x4.splat(0);
  const rowBytes = (<usize>n) << 2;
  for (let i = 0; i < m; i++) {
    const row = c + <usize>i * rowBytes;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      let v = v128.load(row + o);
      if (bias !== 0) v = f32x4.add(v, v128.load(bias + o));
      // ReLU keeping NaN: lanes where v > 0 or v is NaN keep v, the rest (−0 included) become +0
      if (act === 1) v = v128.bitselect(zero, v, f32x4.le(v, zero));
      v128.store(row + o, v);
    }
    for (; j < n; j++) {
      const o = (<usize>j) << 2;
      let v = load<f32>(row + o);
      if (bias !== 0) v += load<f32>(bias + o);
      if (act === 1 && v <= 0) v = 0;
      store<f32>(row + o, v);
    }
  }
}

/**
 * out (cols) (+)= Σ_r x[r, ·] over `rows` rows of x (rows, cols): bias gradients (sumAxis with one outer block). x is
 * streamed once, row pair by row pair, into out, which stays in L1.
 */
export function sumRows(x: usize, rows: i32, cols: i32, out: usize, accumulate: bool): void {
  const rowBytes = (<usize>cols) << 2;
  if (!accumulate) memory.fill(out, 0, rowBytes);
  const c4 = cols & ~3;
  let r = 0;
  for (; r + 2 <= rows; r += 2) {
    const a = x + <usize>r * rowBytes;
    const b = a + rowBytes;
    let j = 0;
    for (; j < c4; j += 4) {
      const o = (<usize>j) << 2;
      v128.store(out + o, f32x4.add(v128.load(out + o), f32x4.add(v128.load(a + o), v128.load(b + o))));
    }
    for (; j < cols; j++) {
      const o = (<usize>j) << 2;
      store<f32>(out + o, load<f32>(out + o) + (load<f32>(a + o) + load<f32>(b + o)));
    }
  }
  if (r < rows) {
    const a = x + <usize>r * rowBytes;
    let j = 0;
    for (; j < c4; j += 4) {
      const o = (<usize>j) << 2;
      v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(a + o)));
    }
    for (; j < cols; j++) {
      const o = (<usize>j) << 2;
      store<f32>(out + o, load<f32>(out + o) + load<f32>(a + o));
    }
  }
}
