import { describe, expect, it } from 'vitest';
import { type Dataset, sineData, xorTruthTable } from '@/lib/nn/datasets';
import { deadReluReport, deadUnitShare, GradNormTracker, namedModules } from '@/lib/nn/diagnostics';
import { type FitHistory, type FitOptions, fit as fitAsync, fitSync, type LossFn, predict } from '@/lib/nn/fit';
import { Activation } from '@/lib/nn/layers/activation';
import { BatchNorm } from '@/lib/nn/layers/batchnorm';
import { Dense } from '@/lib/nn/layers/dense';
import { Dropout } from '@/lib/nn/layers/dropout';
import { Sequential } from '@/lib/nn/layers/sequential';
import { bceWithLogits, mse } from '@/lib/nn/losses';
import type { Module } from '@/lib/nn/module';
import { SGD } from '@/lib/nn/optim';
import { Rng } from '@/lib/nn/rng';
import type { Tensor } from '@/lib/nn/tensor';

function mlp(rng: Rng, sizes: number[], act: 'tanh' | 'relu' = 'tanh', dropout = 0): Sequential {
  const layers: Module[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Dense({ inFeatures: sizes[i], outFeatures: sizes[i + 1] }, rng));
    if (i + 2 < sizes.length) {
      layers.push(new Activation({ fn: act }));
      if (dropout > 0) layers.push(new Dropout({ rate: dropout }, rng));
    }
  }
  return new Sequential(layers);
}

function snapshot(model: Module): Float32Array[] {
  return model.namedState().map(([, t]) => t.data.slice());
}

/** y = 2x + 1 with x in [−1, 1] as (N, 1). */
function lineData(n: number, rng: Rng, slope = 2, intercept = 1): Dataset {
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.range(-1, 1);
    y[i] = slope * x[i] + intercept;
  }
  return { x, xShape: [n, 1], y, yShape: [n, 1] };
}

describe('fit: early stopping', () => {
  it('stops after `patience` epochs without improvement and restores the best epoch’s weights', () => {
    // Training pulls the slope from 0 towards 1; the validation set wants 0.5, so its loss falls, then rises.
    const rng = new Rng(1);
    const model = new Dense({ inFeatures: 1, outFeatures: 1, bias: false, init: 'zeros' }, rng);
    const train = lineData(64, rng, 1, 0);
    const val = lineData(32, rng, 0.5, 0);
    const perEpoch: Float32Array[][] = [];
    const h = fitSync(model, train, {
      loss: mse,
      optimizer: new SGD(model.parameters(), { lr: 0.05 }),
      epochs: 100,
      batchSize: 16,
      validationData: val,
      earlyStopping: { patience: 3 },
      onEpochEnd: () => perEpoch.push(snapshot(model)),
    });
    expect(h.stopReason).toBe('earlyStopping');
    const best = h.bestEpoch!;
    expect(best).toBeGreaterThan(1);
    // stopped exactly `patience` epochs after the best one
    expect(h.epochsCompleted).toBe(best + 3);
    expect(Math.min(...h.valLoss)).toBe(h.valLoss[best - 1]);
    expect(h.restoredBestWeights).toBe(true);
    expect(snapshot(model)).toEqual(perEpoch[best - 1]);
    // the restored weights reproduce the best validation loss
    const pred = predict(model, val.x, val.xShape);
    let sq = 0;
    for (let i = 0; i < 32; i++) sq += (pred.data[i] - val.y[i]) ** 2;
    expect(sq / 32).toBeCloseTo(h.valLoss[best - 1], 6);
  });

  it('minDelta: improvements smaller than minDelta do not reset patience', () => {
    const rng = new Rng(2);
    const model = new Dense({ inFeatures: 1, outFeatures: 1 }, rng);
    const h = fitSync(model, lineData(64, rng), {
      loss: mse,
      optimizer: { type: 'sgd', lr: 0.01 },
      epochs: 50,
      batchSize: 64,
      earlyStopping: { patience: 2, minDelta: 1e6, monitor: 'loss' },
    });
    // epoch 1 sets the best; no later improvement can exceed 1e6
    expect(h.bestEpoch).toBe(1);
    expect(h.epochsCompleted).toBe(3);
  });
});

describe('fit: cancellation', () => {
  it('shouldStop() stops before the next batch (within one batch)', () => {
    const rng = new Rng(3);
    const model = mlp(rng, [1, 4, 1]);
    let batchesRun = 0;
    let stopRequested = false;
    const h = fitSync(model, lineData(100, rng), {
      loss: mse,
      epochs: 50,
      batchSize: 10,
      onProgress: (p) => {
        if (p.phase === 'batch') batchesRun++;
        if (batchesRun === 23) stopRequested = true;
      },
      shouldStop: () => stopRequested,
    });
    expect(h.stopReason).toBe('cancelled');
    expect(batchesRun).toBe(23);
    expect(h.epochsCompleted).toBe(2);
    expect(h.stopMessage).toMatch(/epoch 3 before batch 4 of 10/);
    expect(h.loss).toHaveLength(2);
  });

  it('an AbortSignal aborted from a timer stops the async fit with no batch started after the abort', async () => {
    const rng = new Rng(4);
    const model = mlp(rng, [1, 16, 1]);
    const ac = new AbortController();
    let batchesAfterAbort = 0;
    setTimeout(() => ac.abort(), 30);
    const h = await fitAsync(model, lineData(256, rng), {
      loss: mse,
      epochs: 100_000,
      batchSize: 8,
      signal: ac.signal,
      yieldEveryMs: 5,
      onProgress: (p) => {
        if (p.phase === 'batch' && ac.signal.aborted) batchesAfterAbort++;
      },
    });
    expect(h.stopReason).toBe('cancelled');
    expect(batchesAfterAbort).toBe(0);
  });

  it('an already-aborted signal trains nothing', () => {
    const rng = new Rng(5);
    const model = mlp(rng, [1, 4, 1]);
    const before = snapshot(model);
    const ac = new AbortController();
    ac.abort();
    const h = fitSync(model, lineData(32, rng), { loss: mse, epochs: 3, signal: ac.signal });
    expect(h.stopReason).toBe('cancelled');
    expect(h.epochsCompleted).toBe(0);
    expect(snapshot(model)).toEqual(before);
  });
});

describe('fit: data handling', () => {
  it('validationSplit holds out the LAST fraction of rows, unshuffled; training sees only the rest', () => {
    const n = 20;
    const x = Float32Array.from({ length: n }, (_, i) => i);
    const y = Float32Array.from({ length: n }, (_, i) => i);
    const model = new Dense({ inFeatures: 1, outFeatures: 1 }, new Rng(6));
    const seenTrain = new Set<number>();
    let valTargets: number[] = [];
    const recordingLoss: LossFn = (pred, target, opts) => {
      if (opts === undefined && target.shape[0] === 5) valTargets = Array.from(target.data);
      else for (const v of target.data) seenTrain.add(v);
      return mse(pred, target, opts);
    };
    fitSync(
      model,
      { x, xShape: [n, 1], y, yShape: [n, 1] },
      {
        loss: recordingLoss,
        epochs: 2,
        batchSize: 4,
        validationSplit: 0.25,
      },
    );
    expect(valTargets).toEqual([15, 16, 17, 18, 19]);
    expect([...seenTrain].sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });

  it('per-sample weights reach the loss in batch order; weight-0 rows do not change training', () => {
    const rng = new Rng(7);
    const good = lineData(16, rng);
    // the same rows plus 16 contradictory rows that carry weight 0
    const bad = lineData(16, rng, -5, 3);
    const joined: Dataset = {
      x: Float32Array.from([...good.x, ...bad.x]),
      xShape: [32, 1],
      y: Float32Array.from([...good.y, ...bad.y]),
      yShape: [32, 1],
    };
    const weights = Float32Array.from({ length: 32 }, (_, i) => (i < 16 ? 1 : 0));
    const a = new Dense({ inFeatures: 1, outFeatures: 1 }, new Rng(8));
    const b = new Dense({ inFeatures: 1, outFeatures: 1 }, new Rng(8));
    const seen: number[][] = [];
    const spy: LossFn = (p, t, o) => {
      if (o?.sampleWeights) seen.push(Array.from(o.sampleWeights));
      return mse(p, t, o);
    };
    // full-batch, no shuffle: both runs take identical gradient steps
    fitSync(a, joined, {
      loss: spy,
      epochs: 20,
      batchSize: 32,
      shuffle: false,
      sampleWeights: weights,
      optimizer: { type: 'sgd', lr: 0.1 },
    });
    fitSync(b, good, { loss: mse, epochs: 20, batchSize: 16, shuffle: false, optimizer: { type: 'sgd', lr: 0.1 } });
    expect(seen[0]).toEqual(Array.from(weights));
    const wa = snapshot(a);
    const wb = snapshot(b);
    for (let i = 0; i < wa.length; i++)
      for (let j = 0; j < wa[i].length; j++) expect(wa[i][j]).toBeCloseTo(wb[i][j], 5);
  });

  it('rejects mismatched shapes with messages naming them', () => {
    const model = new Dense({ inFeatures: 1, outFeatures: 1 }, new Rng(9));
    const d = lineData(8, new Rng(9));
    expect(() => fitSync(model, { ...d, yShape: [7, 1] }, { loss: mse })).toThrow(
      /training data y has 8 values but shape \[7, 1\]/,
    );
    expect(() =>
      fitSync(model, d, { loss: mse, validationData: { ...d, x: new Float32Array(16), xShape: [8, 2] } }),
    ).toThrow(/validation rows x \[2\], y \[1\] differ from training rows x \[1\], y \[1\]/);
    expect(() => fitSync(model, d, { loss: mse, sampleWeights: new Float32Array(3) })).toThrow(
      /sampleWeights has 3 values for 8 rows/,
    );
  });

  it('stops with stopReason "diverged" when the loss is not finite', () => {
    const d = lineData(8, new Rng(10));
    d.x[3] = Number.NaN;
    const model = new Dense({ inFeatures: 1, outFeatures: 1 }, new Rng(10));
    const h = fitSync(model, d, { loss: mse, epochs: 3, batchSize: 8 });
    expect(h.stopReason).toBe('diverged');
    expect(h.stopMessage).toMatch(/training loss became NaN in epoch 1, batch 1/);
  });
});

describe('fit: reproducibility and options', () => {
  function run(seed: number): { h: FitHistory; w: Float32Array[] } {
    const rng = new Rng(seed);
    const model = mlp(rng, [2, 8, 8, 1], 'tanh', 0.2);
    const data = xorTruthTable();
    const many: Dataset = {
      x: Float32Array.from({ length: 64 }, (_, i) => data.x[i % 8] + 0.01 * (i % 7)),
      xShape: [32, 2],
      y: Float32Array.from({ length: 32 }, (_, i) => data.y[i % 4]),
      yShape: [32, 1],
    };
    const h = fitSync(model, many, {
      loss: bceWithLogits,
      optimizer: { type: 'adamw', lr: 0.01 },
      epochs: 8,
      batchSize: 5,
      rng: new Rng(seed + 1),
      validationSplit: 0.25,
      schedule: { type: 'cosine', tMax: 8 },
      clipNorm: 1,
    });
    return { h, w: snapshot(model) };
  }

  it('two runs with the same seed give bit-identical losses and weights (dropout, shuffling, AdamW, clipping)', () => {
    const a = run(11);
    const b = run(11);
    expect(a.h.loss).toEqual(b.h.loss);
    expect(a.h.valLoss).toEqual(b.h.valLoss);
    expect(a.w).toEqual(b.w);
    const c = run(12);
    expect(c.h.loss).not.toEqual(a.h.loss);
  });

  it('applies the LR schedule per epoch (history.lr) or per batch', () => {
    const rng = new Rng(13);
    const model = new Dense({ inFeatures: 1, outFeatures: 1 }, rng);
    const lrs: number[] = [];
    const h = fitSync(model, lineData(20, rng), {
      loss: mse,
      optimizer: { type: 'sgd', lr: 0.1 },
      epochs: 5,
      batchSize: 10,
      schedule: { type: 'step', stepSize: 2, gamma: 0.5 },
    });
    expect(h.lr.map((v) => +v.toFixed(6))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    fitSync(model, lineData(20, rng), {
      loss: mse,
      optimizer: { type: 'sgd', lr: 1 },
      epochs: 2,
      batchSize: 10,
      schedule: { type: 'warmup', warmupSteps: 4, startFactor: 0 },
      scheduleUnit: 'batch',
      onProgress: (p) => {
        if (p.phase === 'batch' && lrs.length < 4) lrs.push(p.lr);
      },
    });
    expect(lrs).toEqual([0, 0.25, 0.5, 0.75]);
  });

  it('clipNorm bounds each SGD step by lr·clipNorm', () => {
    const rng = new Rng(14);
    const model = new Dense({ inFeatures: 1, outFeatures: 1 }, rng);
    const before = snapshot(model);
    fitSync(model, lineData(8, rng, 100, 100), {
      loss: mse,
      optimizer: { type: 'sgd', lr: 1 },
      epochs: 1,
      batchSize: 8,
      clipNorm: 0.01,
    });
    const after = snapshot(model);
    let sq = 0;
    for (let i = 0; i < before.length; i++)
      for (let j = 0; j < before[i].length; j++) sq += (after[i][j] - before[i][j]) ** 2;
    expect(Math.sqrt(sq)).toBeLessThanOrEqual(0.01 + 1e-6);
    expect(Math.sqrt(sq)).toBeGreaterThan(0.009);
  });

  it('reports progress with the spec’d fields, metrics per epoch, and the epoch-end valLoss', () => {
    const rng = new Rng(15);
    const model = mlp(rng, [1, 4, 1]);
    const reports: Parameters<NonNullable<FitOptions['onProgress']>>[0][] = [];
    const h = fitSync(model, sineData(rng, { samples: 50 }), {
      loss: mse,
      epochs: 2,
      batchSize: 16,
      validationSplit: 0.2,
      metrics: { maxAbs: (p: Tensor, t: Tensor) => Math.max(...p.data.map((v, i) => Math.abs(v - t.data[i]))) },
      metricsOnTrain: true,
      onProgress: (p) => reports.push(p),
    });
    // 40 training rows → 3 batches, plus one epoch-end report per epoch
    expect(reports.length).toBe(8);
    expect(reports[0]).toMatchObject({
      phase: 'batch',
      epoch: 1,
      epochs: 2,
      batch: 1,
      batches: 3,
      valLoss: null,
      lr: 1e-3,
    });
    expect(reports[3].phase).toBe('epochEnd');
    expect(reports[3].valLoss).toBe(h.valLoss[0]);
    expect(reports[3].loss).toBe(h.loss[0]);
    expect(h.metrics.maxAbs).toHaveLength(2);
    expect(h.trainMetrics.maxAbs).toHaveLength(2);
  });

  it('leaves no graph behind: parameters stay leaves and the model keeps its training flag', () => {
    const rng = new Rng(16);
    const model = mlp(rng, [1, 4, 1]);
    fitSync(model, lineData(16, rng), { loss: mse, epochs: 2, batchSize: 4 });
    for (const p of model.parameters()) {
      expect(p.parents).toBeNull();
      expect(p.backwardFn).toBeNull();
    }
    expect(model.training).toBe(true);
  });
});

describe('predict', () => {
  it('runs in eval mode under noGrad, batching does not change the output, the training flag is restored', () => {
    const rng = new Rng(17);
    const model = new Sequential([
      new Dense({ inFeatures: 3, outFeatures: 6 }, rng),
      new BatchNorm({ features: 6 }),
      new Activation({ fn: 'relu' }),
      new Dropout({ rate: 0.5 }, rng),
      new Dense({ inFeatures: 6, outFeatures: 2 }, rng),
    ]);
    const x = Float32Array.from({ length: 30 }, () => rng.normal());
    const whole = predict(model, x, [10, 3], 10);
    const chunked = predict(model, x, [10, 3], 3);
    expect(whole.shape).toEqual([10, 2]);
    expect(chunked.data).toEqual(whole.data);
    expect(whole.requiresGrad).toBe(false);
    expect(whole.parents).toBeNull();
    expect(model.training).toBe(true);
    expect(() => predict(model, x, [10, 4])).toThrow(/predict x has 30 values but shape \[10, 4\] needs 40/);
  });
});

describe('diagnostics', () => {
  it('gradient norms per layer per epoch are collected by fit and match a direct computation', () => {
    const rng = new Rng(18);
    const model = mlp(rng, [1, 8, 8, 1]);
    const h = fitSync(model, lineData(32, rng), { loss: mse, epochs: 3, batchSize: 32, collectGradNorms: true });
    expect(Object.keys(h.gradNorms!)).toEqual(['0:dense', '2:dense', '4:dense']);
    for (const norms of Object.values(h.gradNorms!)) {
      expect(norms).toHaveLength(3);
      for (const v of norms) expect(v).toBeGreaterThan(0);
    }
    const tracker = new GradNormTracker(model);
    const last = model.parameters().at(-1)!;
    last.gradBuffer().fill(0);
    last.grad![0] = 3;
    model.parameters().at(-2)!.gradBuffer().fill(0);
    model.parameters().at(-2)!.grad![0] = 4;
    tracker.accumulate();
    tracker.endEpoch();
    expect(tracker.history['4:dense'][0]).toBeCloseTo(5, 6);
  });

  it('a deep sigmoid stack shows vanishing gradients: the first layer’s norm is far below the last’s', () => {
    const rng = new Rng(19);
    const layers: Module[] = [];
    for (let i = 0; i < 8; i++)
      layers.push(new Dense({ inFeatures: 8, outFeatures: 8 }, rng), new Activation({ fn: 'sigmoid' }));
    layers.push(new Dense({ inFeatures: 8, outFeatures: 1 }, rng));
    const model = new Sequential(layers);
    const x = Float32Array.from({ length: 64 * 8 }, () => rng.normal());
    const y = Float32Array.from({ length: 64 }, () => rng.normal());
    const h = fitSync(
      model,
      { x, xShape: [64, 8], y, yShape: [64, 1] },
      { loss: mse, epochs: 1, batchSize: 64, collectGradNorms: true },
    );
    const first = h.gradNorms!['0:dense'][0];
    const last = h.gradNorms!['16:dense'][0];
    // σ' ≤ 1/4 per layer: eight layers shrink the gradient by well over 100×
    expect(first * 100).toBeLessThan(last);
  });

  it('deadUnitShare counts columns that are 0 for every row', () => {
    // (3 rows, 4 units): unit 1 and 3 are dead
    const a = Float32Array.of(1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0);
    expect(deadUnitShare(a, 3, 4)).toBe(0.5);
    expect(() => deadUnitShare(a, 5, 4)).toThrow(/12 activations do not form \(5, 4\)/);
  });

  it('deadReluReport finds ReLU layers and reports units dead for the whole batch', () => {
    const rng = new Rng(20);
    const dense = new Dense({ inFeatures: 2, outFeatures: 4 }, rng);
    // units 0 and 2 get a large negative bias: dead for inputs in [−1, 1]
    dense.bias!.data.set([-10, 0.5, -10, 0.5]);
    const model = new Sequential([
      dense,
      new Activation({ fn: 'relu' }),
      new Dense({ inFeatures: 4, outFeatures: 1 }, rng),
    ]);
    const x = Float32Array.from({ length: 20 }, () => rng.range(-1, 1));
    const report = deadReluReport(model, x, [10, 2]);
    expect(report).toEqual([{ label: '1:relu', units: 4, deadUnits: 2, share: 0.5 }]);
    // the wrapper is removed again
    expect(Object.hasOwn(model.layers[1], 'forward')).toBe(false);
    expect(namedModules(model).map(([p]) => p)).toEqual(['', '0', '1', '2']);
  });
});
