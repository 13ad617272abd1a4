// Conv1D kernels: the direct loop (what conv1d uses) against im2col + the blocked matmul, forward + backward
// (input, weight and bias gradients), at TCN-like sizes. Prints the median of several runs; asserts nothing.
// Run: npx tsx test/bench/conv.bench.ts

import { type Conv1dGeometry, K } from '../../lib/nn/kernels';
import { conv1dOutputSteps } from '../../lib/nn/ops/conv';
import { Rng } from '../../lib/nn/rng';

interface Case {
  batch: number;
  steps: number;
  cIn: number;
  cOut: number;
  kernelSize: number;
  dilation: number;
  stride: number;
}

const CASES: Case[] = [
  { batch: 64, steps: 32, cIn: 1, cOut: 16, kernelSize: 3, dilation: 1, stride: 1 },
  { batch: 64, steps: 32, cIn: 16, cOut: 16, kernelSize: 3, dilation: 2, stride: 1 },
  { batch: 64, steps: 64, cIn: 32, cOut: 32, kernelSize: 3, dilation: 4, stride: 1 },
  { batch: 32, steps: 128, cIn: 64, cOut: 64, kernelSize: 3, dilation: 8, stride: 1 },
  { batch: 16, steps: 256, cIn: 128, cOut: 128, kernelSize: 5, dilation: 1, stride: 1 },
  { batch: 64, steps: 64, cIn: 32, cOut: 32, kernelSize: 4, dilation: 1, stride: 2 },
];

function filled(n: number, rng: Rng): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.range(-1, 1);
  return a;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, reps: number): number {
  for (let i = 0; i < 3; i++) fn(); // warm-up (JIT)
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    runs.push((performance.now() - t0) / reps);
  }
  return median(runs);
}

const rng = new Rng(1);
console.log('case (B, T, Cin→Cout, K, dilation, stride) | direct ms | im2col ms | MFLOP/s direct');
for (const c of CASES) {
  const { outSteps, padLeft } = conv1dOutputSteps(c.steps, c.kernelSize, c.stride, c.dilation, 'causal');
  const g: Conv1dGeometry = {
    batch: c.batch,
    tIn: c.steps,
    cIn: c.cIn,
    tOut: outSteps,
    cOut: c.cOut,
    kernelSize: c.kernelSize,
    stride: c.stride,
    dilation: c.dilation,
    padLeft,
  };
  const x = filled(c.batch * c.steps * c.cIn, rng);
  const w = filled(c.kernelSize * c.cIn * c.cOut, rng);
  const bias = filled(c.cOut, rng);
  const rows = c.batch * outSteps;
  const y = new Float32Array(rows * c.cOut);
  const dy = filled(rows * c.cOut, rng);
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(w.length);
  const db = new Float32Array(c.cOut);
  const depth = c.kernelSize * c.cIn;
  const cols = new Float32Array(rows * depth);
  const dcols = new Float32Array(rows * depth);

  const direct = (): void => {
    K.conv1dForward(x, w, bias, y, g);
    K.conv1dBackwardInput(dy, w, dx, g);
    K.conv1dBackwardParams(x, dy, dw, db, g);
  };
  const im2col = (): void => {
    K.im2col1d(x, cols, g);
    K.fillRows(bias, y, rows, c.cOut);
    K.matmul(cols, w, y, rows, c.cOut, depth, false, false, true); // (B·T', Cout)
    K.matmul(dy, w, dcols, rows, depth, c.cOut, false, true); // (B·T', K·Cin)
    K.col2im1d(dcols, dx, g);
    K.matmul(cols, dy, dw, depth, c.cOut, rows, true, false, true); // (K·Cin, Cout)
    K.sumAxis(dy, 1, rows, c.cOut, db, true);
  };
  // same result check, so the comparison is between equal computations
  y.fill(0);
  direct();
  const yDirect = y.slice();
  im2col();
  let maxDiff = 0;
  for (let i = 0; i < y.length; i++) maxDiff = Math.max(maxDiff, Math.abs(y[i] - yDirect[i]));
  const reps = Math.max(1, Math.round(2e7 / (rows * depth * c.cOut)));
  const tDirect = time(direct, reps);
  const tIm2col = time(im2col, reps);
  const flops = 3 * 2 * rows * depth * c.cOut; // forward, dx, dw
  console.log(
    `(${c.batch}, ${c.steps}, ${c.cIn}→${c.cOut}, ${c.kernelSize}, ${c.dilation}, ${c.stride}) | ${tDirect.toFixed(3)} | ${tIm2col.toFixed(3)} | ${(flops / tDirect / 1e3).toFixed(0)}  (max |Δy| ${maxDiff.toExponential(1)})`,
  );
}
