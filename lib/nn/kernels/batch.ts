// Mini-batch assembly: copy the rows a shuffled order picks into a contiguous batch buffer.

/** dst row i = src row order[from + i], for i < count; every row is `rowSize` floats. */
export function gatherRows(
  src: Float32Array,
  rowSize: number,
  order: Int32Array,
  from: number,
  count: number,
  dst: Float32Array,
): void {
  if (rowSize === 1) {
    for (let i = 0; i < count; i++) dst[i] = src[order[from + i]];
    return;
  }
  // four floats per iteration: measured 12.6–13.5 µs against 18–26 µs for the plain loop (256 rows of 30 plus their
  // labels, from a shuffled 16,384-row table; Node 20) and 29–32 µs for dst.set(src.subarray(…)) per row
  for (let i = 0; i < count; i++) {
    const s = order[from + i] * rowSize;
    const d = i * rowSize;
    let j = 0;
    for (; j + 4 <= rowSize; j += 4) {
      dst[d + j] = src[s + j];
      dst[d + j + 1] = src[s + j + 1];
      dst[d + j + 2] = src[s + j + 2];
      dst[d + j + 3] = src[s + j + 3];
    }
    for (; j < rowSize; j++) dst[d + j] = src[s + j];
  }
}
