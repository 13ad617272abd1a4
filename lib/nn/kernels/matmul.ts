// Dense matrix product over row-major Float32Array buffers the caller owns.
//
// c (m×n) = op(a) · op(b)  [+ c when accumulate]
//   op(a) is a (m×k) or, with transA, a stored as (k×m) and read transposed.
//   op(b) is b (k×n) or, with transB, b stored as (n×k) and read transposed.
// The loops are blocked over k and n so a panel of b stays in cache while the rows of a stream past it.

const KB = 128; // k-panel depth
const NB = 256; // n-panel width

export function matmul(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  transA = false,
  transB = false,
  accumulate = false,
): void {
  if (!accumulate) c.fill(0, 0, m * n);
  if (transB) {
    matmulTransB(a, b, c, m, n, k, transA);
    return;
  }
  for (let k0 = 0; k0 < k; k0 += KB) {
    const k1 = Math.min(k, k0 + KB);
    for (let n0 = 0; n0 < n; n0 += NB) {
      const n1 = Math.min(n, n0 + NB);
      for (let i = 0; i < m; i++) {
        const cRow = i * n;
        for (let p = k0; p < k1; p++) {
          const av = transA ? a[p * m + i] : a[i * k + p];
          if (av === 0) continue;
          const bRow = p * n;
          for (let j = n0; j < n1; j++) c[cRow + j] += av * b[bRow + j];
        }
      }
    }
  }
}

// b is stored (n×k): each output is a dot product of two contiguous rows when a is not transposed.
function matmulTransB(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  transA: boolean,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      const bRow = j * k;
      if (transA) {
        for (let p = 0; p < k; p++) s += a[p * m + i] * b[bRow + p];
      } else {
        const aRow = i * k;
        for (let p = 0; p < k; p++) s += a[aRow + p] * b[bRow + p];
      }
      c[i * n + j] += s;
    }
  }
}
