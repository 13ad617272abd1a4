// Matmul throughput benchmark: prints GFLOP/s (median of several timed runs after warm-up) for cube sizes and for
// the Dense-layer shapes of the finance models in the transpose variants their forward and backward passes use.
// Run: npx tsx test/bench/matmul.bench.ts [--quick]

import { matmul } from '@/lib/nn/kernels/matmul';
import { Rng } from '@/lib/nn/rng';

type Case = { label: string; m: number; n: number; k: number; transA: boolean; transB: boolean; accumulate: boolean };

const RUNS = 7; // timed runs per case; the median is reported
const MIN_RUN_MS = 60; // each run repeats the product until at least this long, so small shapes time reliably

function randomBuffer(rng: Rng, size: number): Float32Array {
  const x = new Float32Array(size);
  for (let i = 0; i < size; i++) x[i] = rng.range(-1, 1);
  return x;
}

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** GFLOP/s (2·m·n·k flops per product) for each timed run. */
function measure(c: Case, rng: Rng): number[] {
  const { m, n, k, transA, transB, accumulate } = c;
  const a = randomBuffer(rng, m * k);
  const b = randomBuffer(rng, k * n);
  const out = new Float32Array(m * n);
  const run = (reps: number): number => {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) matmul(a, b, out, m, n, k, transA, transB, accumulate);
    return performance.now() - t0;
  };
  // warm-up (lets the JIT optimise) and calibration of the repetitions per run
  run(1);
  let reps = 1;
  let ms = run(reps);
  while (ms < MIN_RUN_MS) {
    reps *= 2;
    ms = run(reps);
  }
  const flops = 2 * m * n * k * reps;
  const figures: number[] = [];
  for (let r = 0; r < RUNS; r++) figures.push(flops / run(reps) / 1e6);
  return figures;
}

function cube(size: number): Case[] {
  return [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ].map(([transA, transB]) => ({
    label: `${size}³ ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`,
    m: size,
    n: size,
    k: size,
    transA,
    transB,
    accumulate: false,
  }));
}

/** Dense(inF → outF) on a batch: forward x·W (NN), dX += g·Wᵀ (NT), dW += xᵀ·g (TN). */
function dense(batch: number, inF: number, outF: number): Case[] {
  const tag = `${batch}×${inF}·${inF}×${outF}`;
  return [
    { label: `${tag} fwd  NN`, m: batch, n: outF, k: inF, transA: false, transB: false, accumulate: false },
    { label: `${tag} dX   NT`, m: batch, n: inF, k: outF, transA: false, transB: true, accumulate: true },
    { label: `${tag} dW   TN`, m: inF, n: outF, k: batch, transA: true, transB: false, accumulate: true },
  ];
}

const quick = process.argv.includes('--quick');
const cases: Case[] = [
  ...dense(256, 30, 64),
  ...dense(256, 64, 32),
  ...dense(64, 72, 256),
  ...cube(256),
  ...(quick ? cube(1024).slice(0, 1) : cube(1024)),
];

const rng = new Rng(2024);
console.log(`matmul GFLOP/s, median of ${RUNS} runs (min ${MIN_RUN_MS} ms each), single thread, ${process.version}`);
for (const c of cases) {
  const figures = measure(c, rng);
  const lo = Math.min(...figures);
  const hi = Math.max(...figures);
  console.log(`${c.label.padEnd(28)} ${median(figures).toFixed(2).padStart(6)}   (min ${lo.toFixed(2)}, max ${hi.toFixed(2)})`);
}
