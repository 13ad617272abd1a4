// Backtest benchmark: a 10-year daily LSTM walk-forward backtest on one ticker — window 30, hidden 32, retrain every
// 63 days (expanding window from 2 years), up to 20 epochs per fold (patience 20, so every fold runs all 20), batch
// 64, one seed, default features — and where the wall time goes: features, baselines, training (forward, backward,
// Adam, validation), prediction, metrics. Prints figures; asserts nothing. Target: under 60 s on the 2-core machine.
// Data: the last 2520 days of SPY from $NEURALFIN_DATA_DIR/stocks_ml4t (synthetic bars when the folder is missing).
// Run: npx tsx test/bench/backtest.bench.ts [--folds N] [--wasm] (N limits the folds, for a quick look; --wasm runs on
// the WebAssembly SIMD kernels, as the training worker does)

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePriceCsv } from '@/lib/data/price-csv';
import { adjustedSeries, type PriceBar } from '@/lib/data/prices';
import { generateSyntheticPrices } from '@/lib/data/samples';
import { walkForwardBacktest } from '@/lib/forecast/backtest';
import { resolveRunConfig } from '@/lib/forecast/config';
import { buildFeatures } from '@/lib/forecast/features';
import { buildNetwork, networkInputs } from '@/lib/forecast/models';
import { fitScaler } from '@/lib/forecast/scaler';
import { setBackend } from '@/lib/nn/kernels';
import { createWasmBackendSync } from '@/lib/nn/kernels/wasm/backend';
import { pinball } from '@/lib/nn/losses';
import { Adam } from '@/lib/nn/optim';
import { Rng } from '@/lib/nn/rng';
import { noGrad, Tensor } from '@/lib/nn/tensor';

if (process.argv.includes('--wasm')) setBackend(createWasmBackendSync());

const foldsArg = process.argv.indexOf('--folds');
const maxFolds = foldsArg > 0 ? Number(process.argv[foldsArg + 1]) : null;

function loadBars(): { bars: PriceBar[]; source: string } {
  const dir = process.env.NEURALFIN_DATA_DIR ?? path.resolve(import.meta.dirname, '../../../shared/data');
  const file = path.join(dir, 'stocks_ml4t', 'SPY.csv');
  if (existsSync(file)) {
    const { bars } = parsePriceCsv(readFileSync(file, 'utf8'));
    return { bars: bars.slice(-2520), source: `SPY ${bars.at(-2520)?.date} … ${bars.at(-1)?.date}` };
  }
  return { bars: generateSyntheticPrices(1, { days: 2520 }).bars, source: 'synthetic (SPY file not found)' };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[(s.length >> 1) - 1] + s[s.length >> 1]) / 2;
}

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const { bars, source } = loadBars();
  const config = resolveRunConfig({
    horizon: 1,
    model: { type: 'lstm', window: 30, hidden: 32, epochs: 20, patience: 20, batchSize: 64 },
    walkForward: { window: 'expanding', trainSize: 504, retrainEvery: 63, maxFolds },
    seeds: [1],
  });
  const series = adjustedSeries(bars);
  const tf = performance.now();
  const features = buildFeatures(series, config.features);
  const featuresMs = performance.now() - tf;
  let fitSamples = 0;
  let valSamples = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await walkForwardBacktest(
    { series, features, config },
    {
      onFoldTrained: (f) => {
        fitSamples += f.fitEnd - f.trainStart + 1;
        valSamples += f.trainEnd - f.valStart + 1;
      },
    },
  );
  const wall = performance.now() - t0 + featuresMs;
  const cpu = process.cpuUsage(cpu0);
  const t = r.timing;
  console.log(`Backtest benchmark: LSTM(window 30, hidden 32) walk-forward on ${source}, ${bars.length} days`);
  console.log(
    `  ${r.folds.length} folds (retrain every 63 days, expanding from 504), ${r.dates.length} test days, ${t.epochs} epochs, ` +
      `${fitSamples.toLocaleString('en-US')} fit samples (${(fitSamples / r.folds.length).toFixed(0)}/fold) + ${valSamples.toLocaleString('en-US')} validation`,
  );
  console.log(`  wall time ${s(wall)} (CPU ${s((cpu.user + cpu.system) / 1000)}) — target < 60 s`);
  console.log(
    `  where it goes: training ${s(t.trainMs)} (${((100 * t.trainMs) / wall).toFixed(1)} %), prediction ${s(t.predictMs)}, ` +
      `baselines ${s(t.baselinesMs)}, metrics ${s(t.metricsMs)}, features ${s(featuresMs)}`,
  );
  const trainedPerSec = (fitSamples * 20 + valSamples * 20) / (t.trainMs / 1000);
  console.log(
    `  training throughput ≈ ${Math.round(trainedPerSec).toLocaleString('en-US')} sample-epochs/s (fit + validation)`,
  );

  // split of one training step of this network into forward, backward and Adam (median of timed steps)
  const F = features.cols;
  const net = buildNetwork(config.model, F, new Rng(1));
  const opt = new Adam(net.parameters(), { lr: 1e-3 });
  const scaler = fitScaler(features, 100, 600);
  const days = Int32Array.from({ length: 64 }, (_, i) => 700 + i);
  const x = networkInputs(features, scaler, days, config.model); // (64, 30, F)
  const y = new Tensor(
    new Float32Array(64).map(() => 0.1),
    [64, 1],
  );
  const fw: number[] = [];
  const bw: number[] = [];
  const st: number[] = [];
  for (let i = 0; i < 25; i++) {
    const a = performance.now();
    opt.zeroGrad();
    const loss = pinball(net.forward(x), y, { quantiles: [0.1, 0.5, 0.9] });
    const b = performance.now();
    loss.backward();
    const c = performance.now();
    opt.step();
    const d = performance.now();
    if (i >= 5) {
      fw.push(b - a);
      bw.push(c - b);
      st.push(d - c);
    }
  }
  const ev: number[] = [];
  for (let i = 0; i < 10; i++) {
    const a = performance.now();
    net.eval();
    noGrad(() => net.forward(x));
    net.train();
    ev.push(performance.now() - a);
  }
  const step = median(fw) + median(bw) + median(st);
  console.log(
    `  one batch of 64: forward ${median(fw).toFixed(1)} ms (${((100 * median(fw)) / step).toFixed(0)} %), backward ${median(bw).toFixed(1)} ms ` +
      `(${((100 * median(bw)) / step).toFixed(0)} %), Adam ${median(st).toFixed(2)} ms; inference ${median(ev).toFixed(1)} ms ` +
      `→ ${Math.round((64 * 1000) / step).toLocaleString('en-US')} training samples/s`,
  );
  const m = r.models[0].metrics;
  console.log(
    `  result: LSTM MASE ${m.mase.mean?.toFixed(3)}, direction ${((m.directionalAccuracy.mean ?? 0) * 100).toFixed(1)} % ` +
      `(chance band ${(r.chanceBand.lower * 100).toFixed(1)}–${(r.chanceBand.upper * 100).toFixed(1)} %), Sharpe ${m.sharpe.mean?.toFixed(2)} ` +
      `vs buy-and-hold ${r.buyAndHold.metrics.sharpe?.toFixed(2)}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
