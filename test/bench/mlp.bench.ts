// MLP benchmark (workloads W3 and W4): training throughput of a 30 → 64 ReLU → 32 ReLU → 1 network (BCE with logits,
// Adam lr 1e-3, batch 256, float32 synthetic data, fixed seed) in samples/s, and inference throughput of the same
// network over 100,000 rows in batches of 4,096 in rows/s. Prints medians of several timed runs; asserts nothing.
// Targets on the 2-core CI machine: W3 ≥ 75k samples/s, W4 ≥ 300k rows/s.
// Run: npx tsx test/bench/mlp.bench.ts [--quick]

import { fitSync, predict } from '@/lib/nn/fit';
import { Activation } from '@/lib/nn/layers/activation';
import { Dense } from '@/lib/nn/layers/dense';
import { Sequential } from '@/lib/nn/layers/sequential';
import { bceWithLogits } from '@/lib/nn/losses';
import { Adam } from '@/lib/nn/optim';
import { Rng } from '@/lib/nn/rng';

const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 3 : 7;
const FEATURES = 30;
const TRAIN_ROWS = 16_384; // one timed run = one epoch = 64 batches of 256
const SCORE_ROWS = 100_000;

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function w3Network(rng: Rng): Sequential {
  return new Sequential([
    new Dense({ inFeatures: FEATURES, outFeatures: 64, init: 'heUniform' }, rng),
    new Activation({ fn: 'relu' }),
    new Dense({ inFeatures: 64, outFeatures: 32, init: 'heUniform' }, rng),
    new Activation({ fn: 'relu' }),
    new Dense({ inFeatures: 32, outFeatures: 1 }, rng), // logit; the sigmoid is inside the loss
  ]);
}

/** Rows of standard-normal features labelled by a fixed noisy linear rule (about half positive). */
function syntheticRows(rng: Rng, rows: number): { x: Float32Array; y: Float32Array } {
  const w = Array.from({ length: FEATURES }, () => rng.normal());
  const x = new Float32Array(rows * FEATURES);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < FEATURES; j++) {
      const v = rng.normal();
      x[r * FEATURES + j] = v;
      s += v * w[j];
    }
    y[r] = s + rng.normal() > 0 ? 1 : 0;
  }
  return { x, y };
}

function benchTraining(): void {
  const rng = new Rng(42);
  const { x, y } = syntheticRows(rng, TRAIN_ROWS);
  const model = w3Network(rng);
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const data = { x, xShape: [TRAIN_ROWS, FEATURES], y, yShape: [TRAIN_ROWS, 1] };
  const shuffle = new Rng(7);
  const epoch = (): { ms: number; loss: number } => {
    const t0 = performance.now();
    const h = fitSync(model, data, { loss: bceWithLogits, optimizer, epochs: 1, batchSize: 256, rng: shuffle });
    return { ms: performance.now() - t0, loss: h.loss[0] };
  };
  epoch(); // warm-up: lets the JIT optimise the step
  epoch();
  const rates: number[] = [];
  let loss = 0;
  for (let r = 0; r < RUNS; r++) {
    const e = epoch();
    rates.push(TRAIN_ROWS / (e.ms / 1000));
    loss = e.loss;
  }
  const m = median(rates);
  console.log(
    `W3 MLP training 30→64→32→1, batch 256, Adam: ${Math.round(m).toLocaleString('en-US')} samples/s ` +
      `(median of ${RUNS} epochs of ${TRAIN_ROWS} rows; min ${Math.round(Math.min(...rates)).toLocaleString('en-US')}, ` +
      `max ${Math.round(Math.max(...rates)).toLocaleString('en-US')}; last loss ${loss.toFixed(4)}) target ≥ 75,000`,
  );
}

function benchInference(): void {
  const rng = new Rng(43);
  const { x } = syntheticRows(rng, SCORE_ROWS);
  const model = w3Network(rng);
  const score = (): number => {
    const t0 = performance.now();
    predict(model, x, [SCORE_ROWS, FEATURES], 4096);
    return performance.now() - t0;
  };
  score();
  score();
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push(SCORE_ROWS / (score() / 1000));
  const m = median(rates);
  console.log(
    `W4 MLP inference, ${SCORE_ROWS.toLocaleString('en-US')} rows in batches of 4,096: ` +
      `${Math.round(m).toLocaleString('en-US')} rows/s (median of ${RUNS}; min ` +
      `${Math.round(Math.min(...rates)).toLocaleString('en-US')}, max ${Math.round(Math.max(...rates)).toLocaleString('en-US')}) ` +
      'target ≥ 300,000',
  );
}

benchTraining();
benchInference();
