// Peer comparison (issue 9): workloads W1–W4 on NeuralFin (TypeScript and wasm-SIMD kernels), TF.js (cpu, and wasm
// when @tensorflow/tfjs-backend-wasm is installed) and PyTorch (Debian's python3-torch, one thread), alternating
// engines round by round in one run. Each (engine, workload) runs in its own child process, so its peak RSS is its own.
// Prints each figure (median over rounds of each child's median) and NeuralFin's ratio to each peer. Asserts nothing.
//   W1 LSTM training: (B 64, T 32, F 8) → LSTM(H 64) → last hidden → Dense(1), MSE, Adam lr 1e-3: samples/s
//   W2 Transformer training: Dense(8→32) + sinusoidal positions → 2 pre-norm encoder blocks (4 heads, FF 64, GELU,
//      no dropout) → mean over T → Dense(1), MSE, Adam, batch 64, T 32: samples/s
//   W3 MLP training: 30 → 64 ReLU → 32 ReLU → 1, BCE with logits, Adam lr 1e-3, batch 256: samples/s
//   W4 MLP inference: the W3 network scores 100,000 rows in batches of 4,096: rows/s
// Run: npx tsx test/bench/peers.bench.ts [--quick] [--rounds N] [--workloads W2,W4] [--engines torch,neuralfin-wasm]
//        | --soak [--steps N]
//   --soak: each workload for N steps (default 10,000) on the threaded wasm backend in its own process, printing RSS
//   after 10 % of the steps and at the end, and the peak RSS (memory growth check).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fitSync, predict } from '@/lib/nn/fit';
import { setBackend } from '@/lib/nn/kernels/index';
import { createThreadedWasmBackend } from '@/lib/nn/kernels/wasm/threads';
import { Activation } from '@/lib/nn/layers/activation';
import { Dense } from '@/lib/nn/layers/dense';
import { GlobalAvgPool1D } from '@/lib/nn/layers/pooling';
import { SinusoidalPositionalEncoding, sinusoidalTable } from '@/lib/nn/layers/positional';
import { LSTM } from '@/lib/nn/layers/recurrent';
import { Sequential } from '@/lib/nn/layers/sequential';
import { TransformerEncoderBlock } from '@/lib/nn/layers/transformer';
import { bceWithLogits, mse } from '@/lib/nn/losses';
import { Adam } from '@/lib/nn/optim';
import { Rng } from '@/lib/nn/rng';
import { closeStepScope, openStepScope, Tensor } from '@/lib/nn/tensor';

type Workload = 'W1' | 'W2' | 'W3' | 'W4';
type Engine = 'neuralfin-ts' | 'neuralfin-wasm' | 'neuralfin-wasm-mt' | 'tfjs-cpu' | 'tfjs-wasm' | 'torch';
interface Figure {
  rate: number;
  unit: string;
  maxRssMb: number;
  note?: string;
}

const WORKLOADS: Workload[] = ['W1', 'W2', 'W3', 'W4'];
const ENGINES: Engine[] = ['neuralfin-ts', 'neuralfin-wasm', 'neuralfin-wasm-mt', 'tfjs-cpu', 'tfjs-wasm', 'torch'];
const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 3 : 7;
const TORCH_PYTHON = '/usr/bin/python3';
const requireHere = createRequire(__filename);

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Every engine warms up for at least this long (and `warmup` calls) before timing: JIT compilation, wasm tier-up and
 * the helper threads' start would otherwise land in the first timed calls of the faster engines (measured: W1 on the
 * threaded backend read 5.6k samples/s after 8 warm-up steps against 8.6–10k in 6-s runs). peers_torch.py does the same.
 */
const WARMUP_MS = QUICK ? 500 : 2000;

/** Median duration (ms) of `runs` calls after at least `warmup` calls and WARMUP_MS. */
function timed(step: () => void, warmup: number, runs: number): number {
  const start = performance.now();
  for (let i = 0; i < warmup || performance.now() - start < WARMUP_MS; i++) step();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    step();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** timed() for steps that finish asynchronously (TF.js trainOnBatch resolves its promise after the update). */
async function timedAsync(step: () => Promise<unknown>, warmup: number, runs: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < warmup || performance.now() - start < WARMUP_MS; i++) await step();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await step();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

// ---------------------------------------------------------------------------------------------------------------
// NeuralFin

function mlpNetwork(rng: Rng): Sequential {
  return new Sequential([
    new Dense({ inFeatures: 30, outFeatures: 64, init: 'heUniform' }, rng),
    new Activation({ fn: 'relu' }),
    new Dense({ inFeatures: 64, outFeatures: 32, init: 'heUniform' }, rng),
    new Activation({ fn: 'relu' }),
    new Dense({ inFeatures: 32, outFeatures: 1 }, rng),
  ]);
}

function randomRows(rng: Rng, size: number): Float32Array {
  const x = new Float32Array(size);
  for (let i = 0; i < size; i++) x[i] = rng.normal();
  return x;
}

function neuralfin(workload: Workload): { rate: number; unit: string } {
  const rng = new Rng(42);
  if (workload === 'W1') {
    const model = new Sequential([
      new LSTM({ inputSize: 8, hiddenSize: 64 }, rng),
      new Dense({ inFeatures: 64, outFeatures: 1 }, rng),
    ]);
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    const x = new Tensor(new Float32Array(64 * 32 * 8), [64, 32, 8]);
    const y = new Tensor(new Float32Array(64), [64, 1]);
    const ms = timed(
      () => {
        for (let i = 0; i < x.size; i++) x.data[i] = rng.normal();
        for (let b = 0; b < 64; b++) y.data[b] = x.data[(b * 32 + 31) * 8];
        const scope = openStepScope(); // as fit's steps run (lib/nn/tensor.ts)
        try {
          optimizer.zeroGrad();
          mse(model.forward(x), y).backward();
          optimizer.step();
        } finally {
          closeStepScope(scope);
        }
      },
      QUICK ? 3 : 8,
      QUICK ? 7 : 25,
    );
    return { rate: 64_000 / ms, unit: 'samples/s' };
  }
  if (workload === 'W2') {
    const block = () => new TransformerEncoderBlock({ dModel: 32, numHeads: 4, ffHidden: 64, dropout: 0 }, rng);
    const model = new Sequential([
      new Dense({ inFeatures: 8, outFeatures: 32 }, rng),
      new SinusoidalPositionalEncoding({ dModel: 32 }),
      block(),
      block(),
      new GlobalAvgPool1D(),
      new Dense({ inFeatures: 32, outFeatures: 1 }, rng),
    ]);
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    const x = randomRows(rng, 1024 * 32 * 8);
    const y = randomRows(rng, 1024);
    const data = { x, xShape: [1024, 32, 8], y, yShape: [1024, 1] };
    const shuffle = new Rng(7);
    const ms = timed(
      () => fitSync(model, data, { loss: mse, optimizer, epochs: 1, batchSize: 64, rng: shuffle }),
      1,
      RUNS,
    );
    return { rate: 1_024_000 / ms, unit: 'samples/s' };
  }
  const model = mlpNetwork(rng);
  if (workload === 'W3') {
    const x = randomRows(rng, 16_384 * 30);
    const y = new Float32Array(16_384);
    for (let r = 0; r < 16_384; r++) y[r] = x[r * 30] + x[r * 30 + 1] > 0 ? 1 : 0;
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    const data = { x, xShape: [16_384, 30], y, yShape: [16_384, 1] };
    const shuffle = new Rng(7);
    const epoch = () =>
      fitSync(model, data, { loss: bceWithLogits, optimizer, epochs: 1, batchSize: 256, rng: shuffle });
    const ms = timed(epoch, 2, RUNS);
    return { rate: 16_384_000 / ms, unit: 'samples/s' };
  }
  const x = randomRows(rng, 100_000 * 30);
  const ms = timed(() => predict(model, x, [100_000, 30], 4096), 2, RUNS);
  return { rate: 100_000_000 / ms, unit: 'rows/s' };
}

// ---------------------------------------------------------------------------------------------------------------
// TF.js (3.x, the copy danfojs brings). Its layers API has no multi-head attention, so W2 is written from core ops
// and trained with optimizer.minimize. Only ops that tfjs-backend-wasm 3.21 registers are used, so both backends run
// the same graph: wasm lacks Log1p (hence tfjsBceWithLogits), Erf, Softplus, Reciprocal and Sign, among others.

// biome-ignore lint/suspicious/noExplicitAny: TF.js is an optional peer loaded at run time, untyped here
type Tf = any;

/**
 * Mean BCE with logits as max(x, 0) − x·z + log(1 + e^−|x|). tf.losses.sigmoidCrossEntropy computes the same with
 * log1p, which the wasm backend lacks ("Kernel 'Log1p' not registered for backend 'wasm'"); log(1 + e) differs from
 * log1p(e) by at most one float32 rounding of 1 + e (≤ 6e-8), nothing in a loss.
 */
function tfjsBceWithLogits(tf: Tf, labels: Tf, logits: Tf): Tf {
  const softplusOfMinusAbs = tf.log(tf.add(1, tf.exp(tf.neg(tf.abs(logits)))));
  return tf.mean(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, labels)), softplusOfMinusAbs));
}

/**
 * W2 from TF.js core ops, the same network as the NeuralFin and torch versions: Dense(8→32) + sinusoidal positions →
 * 2 pre-norm encoder blocks (x + MHA(LN(x)), then x + FF(LN(x)); 4 heads of 8, FF 64 with GELU-tanh, LayerNorm eps
 * 1e-5, no dropout) → mean over T → Dense(32→1), MSE, Adam lr 1e-3, batch 64 of T 32 over 1,024 rows, reshuffled
 * each epoch. Weights Glorot-uniform, biases 0. Returns one epoch (16 steps); tf.tidy frees each step's tensors.
 */
function tfjsTransformerEpoch(tf: Tf): () => void {
  const [rows, batch, steps, features, d, heads, ffHidden] = [1024, 64, 32, 8, 32, 4, 64];
  const headDim = d / heads;
  const weight = (fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return tf.variable(tf.randomUniform([fanIn, fanOut], -limit, limit));
  };
  // the dtype must be given: tfjs-backend-wasm's Fill throws "Unknown dtype undefined" without it
  const filled = (size: number, value: number) => tf.variable(tf.fill([size], value, 'float32'));
  const inW = weight(features, d);
  const inB = filled(d, 0);
  const blocks = [0, 1].map(() => ({
    norm1Gain: filled(d, 1),
    norm1Bias: filled(d, 0),
    // separate Q, K and V projections, as NeuralFin's and Keras's attention: one (d, 3d) matMul and tf.split cost
    // more on tfjs-cpu (SplitV and its Concat gradient copy strided columns; 35 vs 29 s per epoch under tf.profile)
    qW: weight(d, d),
    qB: filled(d, 0),
    kW: weight(d, d),
    kB: filled(d, 0),
    vW: weight(d, d),
    vB: filled(d, 0),
    outW: weight(d, d),
    outB: filled(d, 0),
    norm2Gain: filled(d, 1),
    norm2Bias: filled(d, 0),
    ff1W: weight(d, ffHidden),
    ff1B: filled(ffHidden, 0),
    ff2W: weight(ffHidden, d),
    ff2B: filled(d, 0),
  }));
  const headW = weight(d, 1);
  const headB = filled(1, 0);
  const positions = tf.tensor2d(sinusoidalTable(steps, d), [steps, d]);

  // Activations stay (batch·T, d) between blocks so every projection is a plain 2-D matMul.
  const dense = (x: Tf, w: Tf, b: Tf) => tf.add(tf.matMul(x, w), b);
  const layerNorm = (x: Tf, gain: Tf, bias: Tf) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), gain), bias);
  };
  // GELU-tanh, as NeuralFin's block: ½h(1 + tanh(√(2/π)(h + 0.044715h³)))
  const gelu = (h: Tf) => {
    const inner = tf.mul(tf.add(h, tf.mul(tf.mul(tf.mul(h, h), h), 0.044715)), Math.sqrt(2 / Math.PI));
    return tf.mul(tf.mul(h, 0.5), tf.add(tf.tanh(inner), 1));
  };
  const splitHeads = (t: Tf) => tf.transpose(tf.reshape(t, [batch, steps, heads, headDim]), [0, 2, 1, 3]);
  const encoderBlock = (x: Tf, p: (typeof blocks)[number]) => {
    const normed = layerNorm(x, p.norm1Gain, p.norm1Bias);
    const [q, k, v] = [dense(normed, p.qW, p.qB), dense(normed, p.kW, p.kB), dense(normed, p.vW, p.vB)];
    const scores = tf.mul(tf.matMul(splitHeads(q), splitHeads(k), false, true), 1 / Math.sqrt(headDim));
    const context = tf.matMul(tf.softmax(scores), splitHeads(v)); // (batch, heads, T, headDim)
    const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [batch * steps, d]);
    const x1 = tf.add(x, dense(merged, p.outW, p.outB));
    const hidden = gelu(dense(layerNorm(x1, p.norm2Gain, p.norm2Bias), p.ff1W, p.ff1B));
    return tf.add(x1, dense(hidden, p.ff2W, p.ff2B));
  };
  const loss = (xb: Tf, yb: Tf) => {
    const embedded = tf.reshape(dense(tf.reshape(xb, [batch * steps, features]), inW, inB), [batch, steps, d]);
    let h = tf.reshape(tf.add(embedded, positions), [batch * steps, d]);
    for (const p of blocks) h = encoderBlock(h, p);
    const pooled = tf.mean(tf.reshape(h, [batch, steps, d]), 1);
    return tf.mean(tf.squaredDifference(dense(pooled, headW, headB), yb));
  };

  // target: the mean of each row's inputs, as the torch version (learnable, so the loss can be seen to fall)
  const x = tf.randomNormal([rows, steps, features]);
  const y = tf.reshape(tf.mean(x, [1, 2]), [rows, 1]);
  const optimizer = tf.train.adam(1e-3);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  return () => {
    tf.util.shuffle(order);
    for (let i = 0; i < rows; i += batch) {
      tf.tidy(() => {
        const idx = tf.tensor1d(order.subarray(i, i + batch), 'int32');
        const xb = tf.gather(x, idx);
        const yb = tf.gather(y, idx);
        optimizer.minimize(() => loss(xb, yb));
      });
    }
  };
}

async function tfjs(workload: Workload, backend: 'cpu' | 'wasm'): Promise<{ rate: number; unit: string }> {
  const tf: Tf = requireHere('@tensorflow/tfjs');
  if (backend === 'wasm') requireHere('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend(backend);
  await tf.ready();
  if (workload === 'W2') {
    const ms = timed(tfjsTransformerEpoch(tf), 1, RUNS);
    return { rate: 1_024_000 / ms, unit: 'samples/s' };
  }
  if (workload === 'W1') {
    const model = tf.sequential({
      layers: [tf.layers.lstm({ units: 64, inputShape: [32, 8] }), tf.layers.dense({ units: 1 })],
    });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
    const ms = await timedAsync(
      async () => {
        const x = tf.randomNormal([64, 32, 8]);
        const y = tf.tidy(() => x.slice([0, 31, 0], [64, 1, 1]).reshape([64, 1]));
        await model.trainOnBatch(x, y);
        tf.dispose([x, y]);
      },
      2,
      QUICK ? 5 : 15,
    );
    return { rate: 64_000 / ms, unit: 'samples/s' };
  }
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 64, activation: 'relu', inputShape: [30] }),
      tf.layers.dense({ units: 32, activation: 'relu' }),
      tf.layers.dense({ units: 1 }),
    ],
  });
  if (workload === 'W3') {
    model.compile({
      optimizer: tf.train.adam(1e-3),
      loss: (yTrue: Tf, yPred: Tf) => tfjsBceWithLogits(tf, yTrue, yPred),
    });
    const x = tf.randomNormal([16_384, 30]);
    const y = tf.cast(tf.greater(x.slice([0, 0], [16_384, 1]), 0), 'float32');
    const epoch = async () => {
      for (let i = 0; i < 16_384; i += 256) {
        const xb = x.slice([i, 0], [256, 30]);
        const yb = y.slice([i, 0], [256, 1]);
        await model.trainOnBatch(xb, yb);
        tf.dispose([xb, yb]);
      }
    };
    const ms = await timedAsync(epoch, 1, RUNS);
    return { rate: 16_384_000 / ms, unit: 'samples/s' };
  }
  const x = tf.randomNormal([100_000, 30]);
  const score = () => {
    for (let i = 0; i < 100_000; i += 4096) {
      tf.tidy(() => model.predict(x.slice([i, 0], [Math.min(4096, 100_000 - i), 30])).dataSync());
    }
  };
  const ms = timed(score, 2, RUNS);
  return { rate: 100_000_000 / ms, unit: 'rows/s' };
}

// ---------------------------------------------------------------------------------------------------------------
// Child: one (engine, workload), printing one JSON line

async function child(engine: Engine, workload: Workload): Promise<void> {
  let result: { rate: number; unit: string };
  // one thread on the shared-memory build (as the training worker runs with NEURALFIN_KERNEL_THREADS=1): tensors of a
  // training step stay in wasm memory
  if (engine === 'neuralfin-wasm') setBackend(createThreadedWasmBackend({ helpers: 0 }).backend);
  if (engine === 'neuralfin-wasm-mt') setBackend(createThreadedWasmBackend({ helpers: 1 }).backend);
  if (engine.startsWith('neuralfin')) result = neuralfin(workload);
  else result = await tfjs(workload, engine === 'tfjs-cpu' ? 'cpu' : 'wasm');
  const figure: Figure = { ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(figure));
  process.exit(0); // helper threads (neuralfin-wasm-mt) are unref'd, but exit without waiting for them anyway
}

function runChild(engine: Engine, workload: Workload): Figure | string {
  const args = QUICK ? ['--quick'] : [];
  const r =
    engine === 'torch'
      ? spawnSync(TORCH_PYTHON, [join(__dirname, 'peers_torch.py'), workload, ...args], {
          encoding: 'utf8',
          env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
        })
      : spawnSync(process.execPath, [...process.execArgv, __filename, '--child', engine, workload, ...args], {
          encoding: 'utf8',
        });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    const figure = JSON.parse(line) as Figure & { blas?: string };
    if (figure.blas) figure.note = `BLAS: ${figure.blas}`;
    return figure;
  } catch {
    const why =
      `${r.stderr}`
        .trim()
        .split('\n')
        .find((l) => /Error|not run|Cannot find/.test(l)) ?? 'failed';
    return why.slice(0, 100);
  }
}

function available(engine: Engine): string | null {
  const resolvable = (name: string) => {
    try {
      requireHere.resolve(name);
      return true;
    } catch {
      return false;
    }
  };
  if (engine === 'tfjs-cpu' && !resolvable('@tensorflow/tfjs')) return '@tensorflow/tfjs not installed';
  if (engine === 'tfjs-wasm' && !resolvable('@tensorflow/tfjs-backend-wasm'))
    return '@tensorflow/tfjs-backend-wasm not installed';
  if (engine === 'torch') {
    if (!existsSync(TORCH_PYTHON)) return `${TORCH_PYTHON} not found`;
    const r = spawnSync(TORCH_PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.status !== 0) return 'python3-torch not installed';
  }
  return null;
}

/** One training step (W1–W3) or one 4,096-row scoring batch (W4) of each workload, for the soak. */
function soakStep(workload: Workload, rng: Rng): () => void {
  if (workload === 'W1' || workload === 'W2') {
    const model =
      workload === 'W1'
        ? new Sequential([
            new LSTM({ inputSize: 8, hiddenSize: 64 }, rng),
            new Dense({ inFeatures: 64, outFeatures: 1 }, rng),
          ])
        : new Sequential([
            new Dense({ inFeatures: 8, outFeatures: 32 }, rng),
            new SinusoidalPositionalEncoding({ dModel: 32 }),
            new TransformerEncoderBlock({ dModel: 32, numHeads: 4, ffHidden: 64, dropout: 0 }, rng),
            new TransformerEncoderBlock({ dModel: 32, numHeads: 4, ffHidden: 64, dropout: 0 }, rng),
            new GlobalAvgPool1D(),
            new Dense({ inFeatures: 32, outFeatures: 1 }, rng),
          ]);
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    const x = new Tensor(randomRows(rng, 64 * 32 * 8), [64, 32, 8]);
    const y = new Tensor(randomRows(rng, 64), [64, 1]);
    return () => {
      optimizer.zeroGrad();
      mse(model.forward(x), y).backward();
      optimizer.step();
    };
  }
  const model = mlpNetwork(rng);
  if (workload === 'W4') {
    const x = randomRows(rng, 4096 * 30);
    return () => predict(model, x, [4096, 30], 4096);
  }
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const x = new Tensor(randomRows(rng, 256 * 30), [256, 30]);
  const y = new Tensor(
    new Float32Array(256).map((_, i) => (x.data[i * 30] > 0 ? 1 : 0)),
    [256, 1],
  );
  return () => {
    optimizer.zeroGrad();
    bceWithLogits(model.forward(x), y).backward();
    optimizer.step();
  };
}

/**
 * Memory soak of one workload on the threaded wasm backend: RSS after 10 % of the steps and at the end, and the
 * process's peak RSS. Growth after the first 10 % (arena, pools and JIT warm) would be a leak.
 */
function soakChild(workload: Workload, steps: number): void {
  const backend = createThreadedWasmBackend().backend;
  setBackend(backend);
  const step = soakStep(workload, new Rng(1));
  const mb = (bytes: number) => bytes / 2 ** 20;
  // tensor data of the steps' scopes in wasm memory (lib/nn/tensor.ts): blocks held, free or in use
  const wasmHeld = () => mb(backend.dataAllocator?.reservedBytes() ?? 0);
  let early = 0;
  let earlyWasm = 0;
  const t0 = performance.now();
  for (let s = 1; s <= steps; s++) {
    const scope = openStepScope(); // as fit's steps and predict's batches run
    try {
      step();
    } finally {
      closeStepScope(scope);
    }
    if (s === Math.ceil(steps / 10)) {
      globalThis.gc?.();
      early = mb(process.memoryUsage().rss);
      earlyWasm = wasmHeld();
    }
  }
  globalThis.gc?.();
  const late = mb(process.memoryUsage().rss);
  const lateWasm = wasmHeld();
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `${workload}: ${steps.toLocaleString('en-US')} steps in ${seconds.toFixed(0)} s; RSS after ${Math.ceil(steps / 10).toLocaleString('en-US')} ` +
      `${early.toFixed(0)} MB, after ${steps.toLocaleString('en-US')} ${late.toFixed(0)} MB ` +
      `(growth ${(late - early).toFixed(1)} MB); peak RSS ${mb(process.resourceUsage().maxRSS * 1024).toFixed(0)} MB; ` +
      `tensor blocks in wasm memory ${earlyWasm.toFixed(1)} → ${lateWasm.toFixed(1)} MB`,
  );
  process.exit(0);
}

function soak(): void {
  const stepsAt = process.argv.indexOf('--steps');
  const steps = stepsAt >= 0 ? Number(process.argv[stepsAt + 1]) : 10_000;
  for (const w of WORKLOADS) {
    const r = spawnSync(
      process.execPath,
      [...process.execArgv, '--expose-gc', __filename, '--soak-child', w, '--steps', String(steps)],
      { encoding: 'utf8' },
    );
    console.log(r.stdout.trim() || `${w}: failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    await child(process.argv[at + 1] as Engine, process.argv[at + 2] as Workload);
    return;
  }
  const soakAt = process.argv.indexOf('--soak-child');
  if (soakAt >= 0) {
    const stepsAt = process.argv.indexOf('--steps');
    soakChild(process.argv[soakAt + 1] as Workload, Number(process.argv[stepsAt + 1]));
    return;
  }
  if (process.argv.includes('--soak')) {
    soak();
    return;
  }
  const roundsAt = process.argv.indexOf('--rounds');
  const rounds = roundsAt >= 0 ? Number(process.argv[roundsAt + 1]) : QUICK ? 1 : 3;
  const skipped = new Map<Engine, string>();
  for (const e of ENGINES) {
    const why = available(e);
    if (why) skipped.set(e, why);
  }
  /** --name a,b: only those of `all` (default all of them). */
  const listArg = <T extends string>(name: string, all: readonly T[]): T[] => {
    const at = process.argv.indexOf(name);
    if (at < 0) return all.slice();
    const want = (process.argv[at + 1] ?? '').split(',');
    const bad = want.filter((x) => !all.includes(x as T));
    if (bad.length > 0) throw new Error(`${name}: unknown ${bad.join(', ')} (one of ${all.join(', ')})`);
    return all.filter((x) => want.includes(x));
  };
  const workloads = listArg('--workloads', WORKLOADS);
  const engines = listArg('--engines', ENGINES).filter((e) => !skipped.has(e));
  const figures = new Map<string, Figure[]>();
  const failures = new Map<string, string>();
  for (let r = 0; r < rounds; r++) {
    for (const w of workloads) {
      for (const e of engines) {
        const f = runChild(e, w);
        if (typeof f === 'string') failures.set(`${e} ${w}`, f);
        else figures.set(`${e} ${w}`, [...(figures.get(`${e} ${w}`) ?? []), f]);
        process.stderr.write('.');
      }
    }
  }
  process.stderr.write('\n');
  const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
  for (const [e, why] of skipped) console.log(`${e}: skipped (${why})`);
  for (const w of workloads) {
    console.log(`\n${w} (median of ${rounds} round${rounds > 1 ? 's' : ''}; peak RSS of the child process)`);
    const rate = new Map<Engine, number>();
    for (const e of engines) {
      const fs = figures.get(`${e} ${w}`);
      if (!fs) {
        console.log(`  ${e.padEnd(15)} ${failures.get(`${e} ${w}`) ?? 'no figure'}`);
        continue;
      }
      const m = median(fs.map((f) => f.rate));
      rate.set(e, m);
      const rss = Math.max(...fs.map((f) => f.maxRssMb));
      console.log(
        `  ${e.padEnd(15)} ${fmt(m).padStart(12)} ${fs[0].unit}   peak RSS ${rss.toFixed(0)} MB` +
          (fs[0].note ? `   (${fs[0].note})` : ''),
      );
    }
    for (const ours of ['neuralfin-ts', 'neuralfin-wasm', 'neuralfin-wasm-mt'] as const) {
      const mine = rate.get(ours);
      if (mine === undefined) continue;
      const ratios = engines
        .filter((e) => !e.startsWith('neuralfin') && rate.has(e))
        .map((e) => `${(mine / rate.get(e)!).toFixed(2)}× ${e}`);
      if (ratios.length) console.log(`  ${ours}: ${ratios.join(', ')}`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
