// Sparse kernels in CSR (compressed sparse row) form: matrix × vector, matrix × dense matrix, and the fused
// leaky-integrator reservoir update of an echo state network, which is one sparse product per time step.
//
// A CSR matrix (rows × cols) is rowPtr (rows + 1), colIdx (nnz) and values (nnz): row i holds the entries
// values[p] at column colIdx[p] for rowPtr[i] ≤ p < rowPtr[i + 1].

/** y (rows) = A·x, or y += A·x when accumulate. x and y may be float32 or float64 (e.g. power iteration). */
export function csrMatVec(
  rowPtr: Int32Array,
  colIdx: Int32Array,
  values: Float32Array,
  x: Float32Array | Float64Array,
  y: Float32Array | Float64Array,
  rows: number,
  accumulate = false,
): void {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const end = rowPtr[i + 1];
    for (let p = rowPtr[i]; p < end; p++) s += values[p] * x[colIdx[p]];
    y[i] = accumulate ? y[i] + s : s;
  }
}

/**
 * C (rows × n) = A·B for A sparse (rows × k) and B dense (k × n) row-major, or C += A·B when accumulate. Each
 * stored entry of A adds a scaled row of B to a row of C, so rows of B and C stream contiguously.
 */
export function csrMatMul(
  rowPtr: Int32Array,
  colIdx: Int32Array,
  values: Float32Array,
  b: Float32Array,
  c: Float32Array,
  rows: number,
  n: number,
  accumulate = false,
): void {
  if (!accumulate) c.fill(0, 0, rows * n);
  for (let i = 0; i < rows; i++) {
    const cRow = i * n;
    const end = rowPtr[i + 1];
    for (let p = rowPtr[i]; p < end; p++) {
      const a = values[p];
      const bRow = colIdx[p] * n;
      for (let j = 0; j < n; j++) c[cRow + j] += a * b[bRow + j];
    }
  }
}

/**
 * Runs a leaky-integrator reservoir over `steps` inputs:
 *   x(t) = (1 − leak)·x(t−1) + leak·tanh(W_in·u(t) + W·x(t−1) + b)
 * with W (units × units) in CSR, W_in (units × features) dense row-major and b (units). Inputs u are read as
 * (steps, features) rows starting at inputOffset; states x(t) are written as (steps, units) rows starting at
 * statesOffset; x(−1) is initialState (units). The previous state is read from the row just written, so the
 * whole run allocates nothing.
 */
export function reservoirRun(
  rowPtr: Int32Array,
  colIdx: Int32Array,
  values: Float32Array,
  inputWeights: Float32Array,
  bias: Float32Array,
  leakRate: number,
  inputs: Float32Array,
  inputOffset: number,
  initialState: Float32Array,
  states: Float32Array,
  statesOffset: number,
  steps: number,
  units: number,
  features: number,
): void {
  const keep = 1 - leakRate;
  for (let t = 0; t < steps; t++) {
    const uRow = inputOffset + t * features;
    const xRow = statesOffset + t * units;
    // x(t−1): the initial state, or the row written at t − 1
    const prev = t === 0 ? initialState : states;
    const prevRow = t === 0 ? 0 : xRow - units;
    for (let i = 0; i < units; i++) {
      let pre = bias[i];
      const wRow = i * features;
      for (let f = 0; f < features; f++) pre += inputWeights[wRow + f] * inputs[uRow + f];
      const end = rowPtr[i + 1];
      for (let p = rowPtr[i]; p < end; p++) pre += values[p] * prev[prevRow + colIdx[p]];
      states[xRow + i] = keep * prev[prevRow + i] + leakRate * Math.tanh(pre);
    }
  }
}
