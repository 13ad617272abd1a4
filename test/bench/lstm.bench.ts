// Recurrent benchmark (workload W1): training throughput of input (B 64, T 32, F 8) → LSTM(H 64) → last hidden state
// → Dense(64 → 1), MSE, Adam lr 1e-3, in samples/s: the median over timed training steps (zero grads, forward, loss,
// backward, Adam step) after warm-up, single thread, float32 synthetic data, fixed seed. Also prints the split into
// forward and backward, and the same workload with a GRU for comparison. Asserts nothing.
// Target on the 2-core CI machine: W1 ≥ 600 samples/s (TF.js wasm ≈ 570; PyTorch CPU ≈ 6–7.5k).
// Run: npx tsx test/bench/lstm.bench.ts [--quick]

import { Dense } from '@/lib/nn/layers/dense';
import { GRU, LSTM } from '@/lib/nn/layers/recurrent';
import { Sequential } from '@/lib/nn/layers/sequential';
import { mse } from '@/lib/nn/losses';
import { Adam } from '@/lib/nn/optim';
import { Rng } from '@/lib/nn/rng';
import { Tensor } from '@/lib/nn/tensor';

const QUICK = process.argv.includes('--quick');
const WARMUP_STEPS = QUICK ? 3 : 8;
const TIMED_STEPS = QUICK ? 7 : 25;
const BATCH = 64;
const STEPS = 32;
const FEATURES = 8;
const HIDDEN = 64;

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function fmt(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

function bench(kind: 'LSTM' | 'GRU'): void {
  const rng = new Rng(42);
  const config = { inputSize: FEATURES, hiddenSize: HIDDEN };
  const model = new Sequential([
    kind === 'LSTM' ? new LSTM(config, rng) : new GRU(config, rng),
    new Dense({ inFeatures: HIDDEN, outFeatures: 1 }, rng),
  ]);
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  // a fresh random batch per step, as a data loader would give (target: the mean of the last step's features)
  const x = new Tensor(new Float32Array(BATCH * STEPS * FEATURES), [BATCH, STEPS, FEATURES]);
  const y = new Tensor(new Float32Array(BATCH), [BATCH, 1]);
  const total: number[] = [];
  const forward: number[] = [];
  const backward: number[] = [];
  const cpu: number[] = [];
  let loss = 0;
  for (let s = 0; s < WARMUP_STEPS + TIMED_STEPS; s++) {
    for (let i = 0; i < x.size; i++) x.data[i] = rng.normal();
    for (let b = 0; b < BATCH; b++) {
      let m = 0;
      for (let f = 0; f < FEATURES; f++) m += x.data[(b * STEPS + STEPS - 1) * FEATURES + f];
      y.data[b] = m / FEATURES;
    }
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    optimizer.zeroGrad();
    const lossT = mse(model.forward(x), y);
    const t1 = performance.now();
    lossT.backward();
    const t2 = performance.now();
    optimizer.step();
    const t3 = performance.now();
    const cpuUsed = process.cpuUsage(cpu0);
    loss = lossT.item();
    if (s >= WARMUP_STEPS) {
      total.push(t3 - t0);
      forward.push(t1 - t0);
      backward.push(t2 - t1);
      cpu.push((cpuUsed.user + cpuUsed.system) / 1000);
    }
  }
  const ms = median(total);
  console.log(
    `W1 ${kind} training (B ${BATCH}, T ${STEPS}, F ${FEATURES}) → ${kind}(H ${HIDDEN}) → Dense(1), MSE, Adam: ` +
      `${fmt((BATCH * 1000) / ms)} samples/s (median of ${TIMED_STEPS} steps after ${WARMUP_STEPS} warm-up: ` +
      `${ms.toFixed(1)} ms/step = forward ${median(forward).toFixed(1)} + backward ${median(backward).toFixed(1)} + ` +
      `Adam; fastest ${fmt((BATCH * 1000) / Math.min(...total))}, slowest ${fmt((BATCH * 1000) / Math.max(...total))} ` +
      `samples/s; last loss ${loss.toFixed(4)})${kind === 'LSTM' ? ' target ≥ 600' : ''}`,
  );
  // on a shared machine wall time includes waiting for a core; CPU time shows what the code costs on its own
  console.log(
    `   per CPU-second: ${fmt((BATCH * 1000) / median(cpu))} samples/s (median ${median(cpu).toFixed(1)} ms CPU/step)`,
  );
}

bench('LSTM');
bench('GRU');
