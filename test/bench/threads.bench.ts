// Where splitting a product across threads pays: GFLOP/s of the wasm matmul on one thread against the same call split
// between the calling thread and one helper (lib/nn/kernels/wasm/threads.ts), over the engine's product shapes. The
// crossover recorded as THREAD_MIN_WORK in lib/nn/kernels/wasm/backend.ts comes from this table.
// Run: npx tsx test/bench/threads.bench.ts

import { createWasmBackendSync } from '@/lib/nn/kernels/wasm/backend';
import { createThreadedWasmBackend } from '@/lib/nn/kernels/wasm/threads';

const single = createWasmBackendSync();
const threaded = createThreadedWasmBackend({ helpers: 1, threadMinWork: 0 });

function random(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.random() * 2 - 1;
  return x;
}

/** GFLOP/s of fn over ~150 ms after a warm-up, best of 3. */
function gflops(fn: () => void, flops: number): number {
  for (let i = 0; i < 50; i++) fn();
  let best = 0;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    let runs = 0;
    while (performance.now() - t0 < 150) {
      fn();
      runs++;
    }
    best = Math.max(best, (flops * runs) / ((performance.now() - t0) * 1e6));
  }
  return best;
}

const SHAPES: [number, number, number][] = [
  [16, 64, 64],
  [32, 64, 64],
  [64, 64, 64],
  [64, 256, 64],
  [256, 64, 30],
  [256, 32, 64],
  [128, 128, 128],
  [2048, 64, 32],
  [4096, 64, 30],
  [4096, 32, 64],
  [256, 256, 256],
  [512, 512, 512],
];
console.log('m × n × k          work   1 thread   2 threads (GFLOP/s)');
for (const [m, n, k] of SHAPES) {
  const a = random(m * k);
  const b = random(k * n);
  const c = new Float32Array(m * n);
  const flops = 2 * m * n * k;
  const one = gflops(() => single.matmul(a, b, c, m, n, k), flops);
  const two = gflops(() => threaded.backend.matmul(a, b, c, m, n, k), flops);
  console.log(
    `${`${m} × ${n} × ${k}`.padEnd(16)} ${String(m * n * k).padStart(9)} ${one.toFixed(1).padStart(9)} ${two.toFixed(1).padStart(10)}`,
  );
}
void threaded.terminate();
