// Convolution benchmark: (1) the Conv1D kernels — the direct loops conv1d uses against im2col + the blocked matmul,
// forward + backward (input, weight and bias gradients) at TCN-like sizes, in ms per call; (2) training throughput
// of a TCN on the W1 workload shape: input (B 64, T 32, F 8) → TCN(32 channels, kernel 3, dilations 1, 2, 4;
// receptive field 29) → last step → Dense(32 → 1), MSE, Adam lr 1e-3, in samples/s. Medians; asserts nothing.
// Run: npx tsx test/bench/conv.bench.ts [--quick]

import { type Conv1dGeometry, K } from '@/lib/nn/kernels';
import { Dense } from '@/lib/nn/layers/dense';
import { LastStep } from '@/lib/nn/layers/pooling';
import { Sequential } from '@/lib/nn/layers/sequential';
import { buildTcn } from '@/lib/nn/layers/tcn';
import { mse } from '@/lib/nn/losses';
import { conv1dOutputSteps } from '@/lib/nn/ops/conv';
import { Adam } from '@/lib/nn/optim';
import { Rng } from '@/lib/nn/rng';
import { Tensor } from '@/lib/nn/tensor';

const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 3 : 7;

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

// The alternative measured against the direct kernels: copy each output step's K input rows into one row of a
// (B·T', K·Cin) matrix, so the convolution is one matmul and its backward two more plus a scatter.
/**
 * im2col: cols (B·tOut, K·Cin), row (b, o) holding the K input rows that output step reads (zeros for padding), so
 * the convolution becomes one matmul cols · w[(K·Cin), Cout].
 */
function im2col1d(x: Float32Array, cols: Float32Array, g: Conv1dGeometry): void {
  const { batch, tIn, cIn, tOut, kernelSize, stride, dilation, padLeft } = g;
  const rowLen = kernelSize * cIn;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < tOut; o++) {
      const cRow = (b * tOut + o) * rowLen;
      for (let k = 0; k < kernelSize; k++) {
        const t = o * stride + k * dilation - padLeft;
        const dst = cRow + k * cIn;
        if (t < 0 || t >= tIn) cols.fill(0, dst, dst + cIn);
        else cols.set(x.subarray((b * tIn + t) * cIn, (b * tIn + t + 1) * cIn), dst);
      }
    }
  }
}

/** col2im: dx (B, T, Cin) += the gradient of im2col's cols, each padded slot dropped. */
function col2im1d(dcols: Float32Array, dx: Float32Array, g: Conv1dGeometry): void {
  const { batch, tIn, cIn, tOut, kernelSize, stride, dilation, padLeft } = g;
  const rowLen = kernelSize * cIn;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < tOut; o++) {
      const cRow = (b * tOut + o) * rowLen;
      for (let k = 0; k < kernelSize; k++) {
        const t = o * stride + k * dilation - padLeft;
        if (t < 0 || t >= tIn) continue;
        const src = cRow + k * cIn;
        const xRow = (b * tIn + t) * cIn;
        for (let ci = 0; ci < cIn; ci++) dx[xRow + ci] += dcols[src + ci];
      }
    }
  }
}

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
  for (let r = 0; r < RUNS; r++) {
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
    im2col1d(x, cols, g);
    K.fillRows(bias, y, rows, c.cOut);
    K.matmul(cols, w, y, rows, c.cOut, depth, false, false, true); // (B·T', Cout)
    K.matmul(dy, w, dcols, rows, depth, c.cOut, false, true); // (B·T', K·Cin)
    col2im1d(dcols, dx, g);
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

function tcnTraining(): void {
  const batch = 64;
  const steps = 32;
  const features = 8;
  const rng = new Rng(42);
  const model = new Sequential([
    ...buildTcn({ inChannels: features, channels: 32, kernelSize: 3, levels: 3, dropout: 0.1 }, rng).layers,
    new LastStep(),
    new Dense({ inFeatures: 32, outFeatures: 1 }, rng),
  ]);
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const x = new Tensor(new Float32Array(batch * steps * features), [batch, steps, features]);
  const y = new Tensor(new Float32Array(batch), [batch, 1]);
  const warmup = QUICK ? 3 : 8;
  const timed = QUICK ? 7 : 25;
  const total: number[] = [];
  const forward: number[] = [];
  for (let s = 0; s < warmup + timed; s++) {
    for (let i = 0; i < x.size; i++) x.data[i] = rng.normal();
    for (let b = 0; b < batch; b++) y.data[b] = x.data[(b * steps + steps - 1) * features];
    const t0 = performance.now();
    optimizer.zeroGrad();
    const loss = mse(model.forward(x), y);
    const t1 = performance.now();
    loss.backward();
    optimizer.step();
    const t2 = performance.now();
    if (s >= warmup) {
      total.push(t2 - t0);
      forward.push(t1 - t0);
    }
  }
  const ms = median(total);
  console.log(
    `TCN training (B ${batch}, T ${steps}, F ${features}) → 3 blocks × 32 channels → last step → Dense(1), MSE, Adam: ` +
      `${Math.round((batch * 1000) / ms)} samples/s (median of ${timed} steps: ${ms.toFixed(1)} ms/step, forward ` +
      `${median(forward).toFixed(1)} ms)`,
  );
}

tcnTraining();
