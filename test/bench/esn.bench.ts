// Echo state network and GAN benchmark: reservoir throughput (steps/s of the fused CSR leaky-tanh update) and
// closed-form readout fit time (normal equations + one Cholesky per ridge candidate) on Mackey–Glass for reservoirs
// of 200 and 1000 units, and GAN training speed (generator steps/s) for the 8-Gaussian test's networks.
// Prints medians of several timed runs; asserts nothing.
// Run: npx tsx test/bench/esn.bench.ts [--quick]

import { EchoStateNetwork } from '@/lib/nn/esn';
import { trainGanSync } from '@/lib/nn/gan';
import { Activation } from '@/lib/nn/layers/activation';
import { Dense } from '@/lib/nn/layers/dense';
import { Sequential } from '@/lib/nn/layers/sequential';
import { Rng } from '@/lib/nn/rng';
import { mackeyGlass } from '@/lib/nn/series';
import { Tensor } from '@/lib/nn/tensor';

const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 3 : 5;
const STEPS = 5000;

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function timed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

const series = mackeyGlass({ length: STEPS + 1 });
const u = new Tensor(series.slice(0, STEPS), [STEPS, 1]);
const y = new Tensor(series.slice(1), [STEPS, 1]);

for (const units of [200, 1000]) {
  const esn = new EchoStateNetwork({ inputSize: 1, reservoirSize: units }, new Rng(1));
  esn.collectStates(u); // warm-up
  const runMs = median(Array.from({ length: RUNS }, () => timed(() => esn.collectStates(u))));
  const fitMs = median(Array.from({ length: QUICK ? 1 : 3 }, () => timed(() => esn.fit(u, y))));
  console.log(
    `ESN N=${units}: reservoir ${((STEPS / runMs) * 1000).toFixed(0)} steps/s; fit on ${STEPS} steps with ${esn.config.ridgeCandidates.length} ridge candidates ${fitMs.toFixed(0)} ms`,
  );
}

function mlp(sizes: number[], rng: Rng, alpha?: number): Sequential {
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Dense({ inFeatures: sizes[i], outFeatures: sizes[i + 1] }, rng));
    if (i + 2 < sizes.length) layers.push(new Activation({ fn: 'leakyRelu', alpha }));
  }
  return new Sequential(layers);
}

const ganSteps = QUICK ? 100 : 300;
const ganMs = median(
  Array.from({ length: RUNS }, (_, run) => {
    const rng = new Rng(run + 1);
    const data = new Tensor(
      Float32Array.from({ length: 4000 }, () => rng.normal()),
      [2000, 2],
    );
    const generator = mlp([4, 32, 32, 2], rng);
    const discriminator = mlp([2, 32, 32, 1], rng, 0.2);
    return timed(() => {
      trainGanSync({ generator, discriminator, latentDim: 4, data, steps: ganSteps, batchSize: 64, rng });
    });
  }),
);
console.log(`GAN 4→32→32→2 vs 2→32→32→1, batch 64: ${((ganSteps / ganMs) * 1000).toFixed(0)} generator steps/s`);
