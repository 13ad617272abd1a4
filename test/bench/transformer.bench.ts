// Transformer benchmark (workload W2): training throughput of Dense(8→32) + sinusoidal positions → 2 pre-norm encoder
// blocks (4 heads, feed-forward 64, LayerNorm, GELU, no dropout) → mean over T → Dense(1), MSE, Adam lr 1e-3, T = 32,
// batch 64, float32 synthetic data, fixed seed, in samples/s; then (without --quick) the same with the block's default
// dropout 0.1 for comparison. Prints medians of several timed runs; asserts nothing.
// Target on the 2-core CI machine: ≥ 500 samples/s single-threaded (TF.js wasm ≈ 540).
// Run: npx tsx test/bench/transformer.bench.ts [--quick]

import { fitSync } from '@/lib/nn/fit';
import { Dense } from '@/lib/nn/layers/dense';
import { GlobalAvgPool1D } from '@/lib/nn/layers/pooling';
import { SinusoidalPositionalEncoding } from '@/lib/nn/layers/positional';
import { Sequential } from '@/lib/nn/layers/sequential';
import { TransformerEncoderBlock } from '@/lib/nn/layers/transformer';
import { mse } from '@/lib/nn/losses';
import { Adam } from '@/lib/nn/optim';
import { Rng } from '@/lib/nn/rng';

const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 3 : 7;
const FEATURES = 8;
const STEPS = 32;
const D_MODEL = 32;
const BATCH = 64;
const TRAIN_ROWS = 1024; // one timed run = one epoch = 16 batches of 64

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function w2Network(rng: Rng, dropout: number): Sequential {
  const block = () => new TransformerEncoderBlock({ dModel: D_MODEL, numHeads: 4, ffHidden: 64, dropout }, rng);
  return new Sequential([
    new Dense({ inFeatures: FEATURES, outFeatures: D_MODEL }, rng), // (B, T, 32)
    new SinusoidalPositionalEncoding({ dModel: D_MODEL }),
    block(),
    block(),
    new GlobalAvgPool1D(), // (B, 32)
    new Dense({ inFeatures: D_MODEL, outFeatures: 1 }, rng),
  ]);
}

/** Windows of standard-normal features; the target is a fixed noisy function of the window's feature means. */
function syntheticWindows(rng: Rng, rows: number): { x: Float32Array; y: Float32Array } {
  const w = Array.from({ length: FEATURES }, () => rng.normal());
  const x = new Float32Array(rows * STEPS * FEATURES);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let t = 0; t < STEPS; t++) {
      for (let j = 0; j < FEATURES; j++) {
        const v = rng.normal();
        x[(r * STEPS + t) * FEATURES + j] = v;
        s += (v * w[j]) / STEPS;
      }
    }
    y[r] = s + 0.1 * rng.normal();
  }
  return { x, y };
}

function benchTraining(dropout: number): void {
  const rng = new Rng(42);
  const { x, y } = syntheticWindows(rng, TRAIN_ROWS);
  const model = w2Network(rng, dropout);
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const data = { x, xShape: [TRAIN_ROWS, STEPS, FEATURES], y, yShape: [TRAIN_ROWS, 1] };
  const shuffle = new Rng(7);
  // Wall time is the figure; CPU time of this process is printed too, because on a shared machine other processes
  // stretch wall time while CPU time stays close to what an idle machine would show.
  const epoch = (): { ms: number; cpuMs: number; loss: number } => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const h = fitSync(model, data, { loss: mse, optimizer, epochs: 1, batchSize: BATCH, rng: shuffle });
    const c = process.cpuUsage(c0);
    return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, loss: h.loss[0] };
  };
  epoch(); // warm-up: lets the JIT optimise the step
  const rates: number[] = [];
  const cpuRates: number[] = [];
  let loss = 0;
  for (let r = 0; r < RUNS; r++) {
    const e = epoch();
    rates.push(TRAIN_ROWS / (e.ms / 1000));
    cpuRates.push(TRAIN_ROWS / (e.cpuMs / 1000));
    loss = e.loss;
  }
  const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
  console.log(
    `W2 Transformer training (B ${BATCH}, T ${STEPS}, d ${D_MODEL}, 2 blocks × 4 heads, FF 64, dropout ${dropout}, Adam): ` +
      `${fmt(median(rates))} samples/s (median of ${RUNS} epochs of ${TRAIN_ROWS} rows; min ${fmt(Math.min(...rates))}, ` +
      `max ${fmt(Math.max(...rates))}; per CPU-second ${fmt(median(cpuRates))}; last loss ${loss.toFixed(4)}) ` +
      (dropout === 0 ? 'target ≥ 500' : 'for comparison'),
  );
}

benchTraining(0); // W2 as specified: no dropout
if (!QUICK) benchTraining(0.1); // the block's default dropout (attention weights, FF hidden, both residuals)
