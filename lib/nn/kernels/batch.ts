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
  for (let i = 0; i < count; i++) {
    const s = order[from + i] * rowSize;
    const d = i * rowSize;
    for (let j = 0; j < rowSize; j++) dst[d + j] = src[s + j];
  }
}
