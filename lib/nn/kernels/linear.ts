// Kernel for the bias half of a fully connected layer: the bias is written into every output row so the matmul can
// accumulate x·W onto it (y = x·W + b without a separate pass over y).

/** out[r, j] = row[j] for r < rows; out is (rows, cols) row-major. */
export function fillRows(row: Float32Array, out: Float32Array, rows: number, cols: number): void {
  const src = cols === row.length ? row : row.subarray(0, cols);
  for (let r = 0; r < rows; r++) out.set(src, r * cols);
}
