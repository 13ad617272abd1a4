// Matmul throughput benchmark: prints GFLOP/s (median of several timed runs after warm-up) for cube sizes and for
// the Dense-layer shapes of the finance models in the transpose variants their forward and backward passes use.
// Run: npx tsx test/bench/matmul.bench.ts [--quick]   (--quick times only the NN variant of 1024³)
// Two figures per case: by this process's CPU time (steady on a shared machine, where other processes take turns on
// the cores) and by wall-clock time (what a user waits for). On an idle machine they agree.

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

/** CPU time of this process in milliseconds (user + system). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** GFLOP/s (2·m·n·k flops per product) by CPU time and by wall time, one pair per timed run. */
function measure(c: Case, rng: Rng): { cpu: number[]; wall: number[] } {
  const { m, n, k, transA, transB, accumulate } = c;
  const a = randomBuffer(rng, m * k);
  const b = randomBuffer(rng, k * n);
  const out = new Float32Array(m * n);
  let wallMs = 0;
  const run = (reps: number): number => {
    const w0 = performance.now();
    const c0 = cpuMs();
    for (let r = 0; r < reps; r++) matmul(a, b, out, m, n, k, transA, transB, accumulate);
    wallMs = performance.now() - w0;
    return cpuMs() - c0;
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
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    cpu.push(flops / run(reps) / 1e6);
    wall.push(flops / wallMs / 1e6);
  }
  return { cpu, wall };
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
// warm-up: run every shape a few times so the JIT optimises matmul for the whole mix before anything is timed
for (const c of cases) {
  if (c.m * c.n * c.k > 1 << 24) continue;
  const a = randomBuffer(rng, c.m * c.k);
  const b = randomBuffer(rng, c.k * c.n);
  const out = new Float32Array(c.m * c.n);
  for (let r = 0; r < 20; r++) matmul(a, b, out, c.m, c.n, c.k, c.transA, c.transB, c.accumulate);
}
console.log(
  `matmul GFLOP/s, median of ${RUNS} runs (each >= ${MIN_RUN_MS} ms CPU), single thread, node ${process.version}`,
);
console.log(`${'case'.padEnd(28)} ${'cpu'.padStart(6)} ${'wall'.padStart(6)}   cpu min–max`);
const fmt = (x: number): string => x.toFixed(2).padStart(6);
for (const c of cases) {
  const { cpu, wall } = measure(c, rng);
  const range = `${Math.min(...cpu).toFixed(2)}–${Math.max(...cpu).toFixed(2)}`;
  console.log(`${c.label.padEnd(28)} ${fmt(median(cpu))} ${fmt(median(wall))}   ${range}`);
}
