// Echo state network: the sparse reservoir and its spectral scaling, readout-only ridge fitting with validation
// choice of λ, one-step-ahead Mackey–Glass prediction, determinism, persistence; and the Mackey–Glass generator.

import { describe, expect, it } from 'vitest';
import { EchoStateNetwork } from '@/lib/nn/esn';
import { K } from '@/lib/nn/kernels';
import { Rng } from '@/lib/nn/rng';
import { mackeyGlass } from '@/lib/nn/series';
import { Tensor } from '@/lib/nn/tensor';

/**
 * Spectral radius by Gelfand's formula, independent of linalg.spectralRadius: after a burn-in, the mean log growth
 * of ‖W^k·v‖ over k further steps. The oscillation of a rotating dominant pair bounds the error by c^(1/k).
 */
function gelfandRadius(esn: EchoStateNetwork, k = 1500): number {
  const n = esn.config.reservoirSize;
  const { rowPtr, colIdx, weights } = esn.reservoir;
  const rng = new Rng(123);
  let v = Float64Array.from({ length: n }, () => rng.normal());
  let w = new Float64Array(n);
  let logGrowth = 0;
  for (let it = 0; it < 2 * k; it++) {
    K.csrMatVec(rowPtr, colIdx, weights, v, w, n);
    let norm = 0;
    for (let i = 0; i < n; i++) norm += w[i] * w[i];
    norm = Math.sqrt(norm);
    if (it >= k) logGrowth += Math.log(norm);
    for (let i = 0; i < n; i++) w[i] /= norm;
    [v, w] = [w, v];
  }
  return Math.exp(logGrowth / k);
}

/** One-step-ahead data from a scalar series: u(t) = s(t), y(t) = s(t + 1), as (T, 1) tensors. */
function oneStepAhead(series: Float32Array, from: number, to: number): { u: Tensor; y: Tensor } {
  return {
    u: new Tensor(series.slice(from, to), [to - from, 1]),
    y: new Tensor(series.slice(from + 1, to + 1), [to - from, 1]),
  };
}

function nrmse(pred: Float32Array, target: Float32Array): number {
  let mean = 0;
  for (const v of target) mean += v;
  mean /= target.length;
  let se = 0;
  let variance = 0;
  for (let i = 0; i < target.length; i++) {
    se += (pred[i] - target[i]) ** 2;
    variance += (target[i] - mean) ** 2;
  }
  return Math.sqrt(se / variance);
}

describe('EchoStateNetwork reservoir', () => {
  const sparsity: [number, number | undefined, number][] = [
    [200, undefined, 5], // default: max(1%, 5 links per unit) = 2.5%
    [1000, undefined, 10], // default: 1%
    [100, 0.1, 10],
    [50, 0.02, 1], // at least one link per unit
  ];
  for (const [n, connectivity, k] of sparsity) {
    it(`N = ${n}, connectivity ${connectivity ?? 'default'}: every unit has exactly ${k} incoming links at distinct columns`, () => {
      const esn = new EchoStateNetwork({ inputSize: 2, reservoirSize: n, connectivity }, new Rng(1));
      const { rowPtr, colIdx, weights } = esn.reservoir;
      expect(rowPtr.length).toBe(n + 1);
      expect(colIdx.length).toBe(n * k);
      expect(weights.length).toBe(n * k);
      for (let i = 0; i < n; i++) {
        expect(rowPtr[i + 1] - rowPtr[i]).toBe(k);
        const cols = Array.from(colIdx.subarray(rowPtr[i], rowPtr[i + 1]));
        expect(new Set(cols).size).toBe(k);
        for (const c of cols) expect(c >= 0 && c < n).toBe(true);
      }
      expect(esn.reservoir.inputWeights.length).toBe(n * 2);
    });
  }

  // seed 4 at N = 100 has two complex pairs 0.015% apart in modulus: power iteration falls back to the growth rate
  for (const [n, rho, seed] of [
    [200, 0.9, 1],
    [200, 0.9, 2],
    [300, 1.25, 3],
    [100, 0.5, 4],
  ]) {
    it(`N = ${n} scaled to ρ = ${rho} (seed ${seed}): independent Gelfand estimate within 1 percent of the target`, () => {
      const esn = new EchoStateNetwork({ inputSize: 1, reservoirSize: n, spectralRadius: rho }, new Rng(seed));
      expect(Math.abs(gelfandRadius(esn) - rho) / rho).toBeLessThan(0.01);
      expect(esn.reservoir.rawSpectralRadius).toBeGreaterThan(0);
    });
  }

  it('input weights lie in [−inputScaling, inputScaling] and biases in [−biasScaling, biasScaling]', () => {
    const esn = new EchoStateNetwork(
      { inputSize: 3, reservoirSize: 50, inputScaling: 0.3, biasScaling: 0.05 },
      new Rng(2),
    );
    for (const w of esn.reservoir.inputWeights) expect(Math.abs(w)).toBeLessThanOrEqual(0.3);
    for (const b of esn.reservoir.bias) expect(Math.abs(b)).toBeLessThanOrEqual(0.05);
    const noBias = new EchoStateNetwork({ inputSize: 3, reservoirSize: 50, biasScaling: 0 }, new Rng(2));
    expect(noBias.reservoir.bias.every((b) => b === 0)).toBe(true);
  });

  it('has the echo state property at ρ = 0.9: two different initial states converge (gap < 1e-4 after 300 steps)', () => {
    const esn = new EchoStateNetwork({ inputSize: 1, reservoirSize: 100 }, new Rng(5));
    const rng = new Rng(6);
    const u = new Tensor(
      Float32Array.from({ length: 300 }, () => rng.range(-1, 1)),
      [300, 1],
    );
    const a = esn.collectStates(u, { initialState: new Float32Array(100).fill(0.9) });
    const b = esn.collectStates(u, { initialState: new Float32Array(100).fill(-0.9) });
    expect(a.shape).toEqual([300, 100]);
    let firstGap = 0;
    let lastGap = 0;
    for (let i = 0; i < 100; i++) {
      firstGap = Math.max(firstGap, Math.abs(a.data[i] - b.data[i]));
      lastGap = Math.max(lastGap, Math.abs(a.data[299 * 100 + i] - b.data[299 * 100 + i]));
    }
    expect(firstGap).toBeGreaterThan(0.1);
    expect(lastGap).toBeLessThan(1e-4);
  });

  it('leaky integration: with leak rate a the state moves a fraction a of the way to tanh(·)', () => {
    const esn = new EchoStateNetwork({ inputSize: 1, reservoirSize: 20, leakRate: 0.25 }, new Rng(8));
    const x0 = Float32Array.from({ length: 20 }, (_, i) => (i - 10) / 20);
    const u = Tensor.from([0.7], [1, 1]);
    const state = esn.collectStates(u, { initialState: x0 }).data;
    const { rowPtr, colIdx, weights, inputWeights, bias } = esn.reservoir;
    for (let i = 0; i < 20; i++) {
      let pre = bias[i] + inputWeights[i] * 0.7;
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) pre += weights[p] * x0[colIdx[p]];
      expect(state[i]).toBeCloseTo(0.75 * x0[i] + 0.25 * Math.tanh(pre), 6);
    }
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = new EchoStateNetwork({ inputSize: 1, reservoirSize: 80 }, new Rng(11));
    const b = new EchoStateNetwork({ inputSize: 1, reservoirSize: 80 }, new Rng(11));
    const c = new EchoStateNetwork({ inputSize: 1, reservoirSize: 80 }, new Rng(12));
    expect(b.toJSON()).toEqual(a.toJSON());
    expect(Array.from(c.reservoir.weights)).not.toEqual(Array.from(a.reservoir.weights));
  });

  it('rejects invalid configs with messages naming the field', () => {
    const rng = new Rng(1);
    expect(() => new EchoStateNetwork({ inputSize: 0 }, rng)).toThrow(/inputSize must be a positive integer, got 0/);
    expect(() => new EchoStateNetwork({ inputSize: 1, connectivity: 0 }, rng)).toThrow(/connectivity must be in/);
    expect(() => new EchoStateNetwork({ inputSize: 1, leakRate: 1.5 }, rng)).toThrow(/leakRate must be in \(0, 1\]/);
    expect(() => new EchoStateNetwork({ inputSize: 1, ridgeCandidates: [] }, rng)).toThrow(/ridgeCandidates/);
    expect(() => new EchoStateNetwork({ inputSize: 1, validationSplit: 1 }, rng)).toThrow(/validationSplit/);
  });
});

describe('EchoStateNetwork readout', () => {
  // 2501 samples: fit on steps [0, 1500), evaluate one-step-ahead on the held-out steps [1500, 2500)
  const series = mackeyGlass({ length: 2501 });
  const trainSteps = 1500;

  it('predicts Mackey–Glass (τ = 17) one step ahead with held-out NRMSE < 0.05 (measured 5.5e-4; persistence 0.15)', () => {
    const esn = new EchoStateNetwork({ inputSize: 1 }, new Rng(1));
    const { u, y } = oneStepAhead(series, 0, trainSteps);
    const report = esn.fit(u, y);
    // the reservoir runs through the whole series (teacher-forced input); only the held-out part is scored
    const all = oneStepAhead(series, 0, 2500);
    const pred = esn.predict(all.u);
    expect(pred.shape).toEqual([2500, 1]);
    const heldOut = nrmse(pred.data.subarray(trainSteps), all.y.data.subarray(trainSteps));
    const persistence = nrmse(all.u.data.subarray(trainSteps), all.y.data.subarray(trainSteps));
    expect(heldOut).toBeLessThan(0.05);
    expect(heldOut).toBeLessThan(persistence / 10);
    expect(report.trainRows + report.validationRows).toBe(trainSteps - 100);
    expect(report.validationRows).toBe(Math.floor((trainSteps - 100) * 0.2));
  });

  it('fit changes only the readout: reservoir, input weights and biases stay bit-identical', () => {
    const esn = new EchoStateNetwork({ inputSize: 1, reservoirSize: 60 }, new Rng(3));
    const before = structuredClone(esn.reservoir);
    expect(esn.readout).toBeNull();
    const { u, y } = oneStepAhead(series, 0, 600);
    esn.fit(u, y);
    expect(esn.reservoir).toEqual(before);
    expect(esn.readout).not.toBeNull();
    expect(esn.readout?.length).toBe(1 + 1 + 60);
    expect(esn.readout?.some((w) => w !== 0)).toBe(true);
  });

  it('chooses λ with the lowest validation MSE among the candidates and reports them all', () => {
    const esn = new EchoStateNetwork(
      { inputSize: 1, reservoirSize: 50, ridgeCandidates: [1e-6, 1e-3, 1, 1e3], validationSplit: 0.25 },
      new Rng(4),
    );
    const { u, y } = oneStepAhead(series, 0, 800);
    const report = esn.fit(u, y);
    expect(report.candidates.map((c) => c.ridge)).toEqual([1e-6, 1e-3, 1, 1e3]);
    const mses = report.candidates.map((c) => c.validationMse ?? Number.POSITIVE_INFINITY);
    expect(report.ridge).toBe(report.candidates[mses.indexOf(Math.min(...mses))].ridge);
    expect(esn.ridge).toBe(report.ridge);
    // a huge penalty must hurt on this smooth, fully predictable series
    expect(mses[3]).toBeGreaterThan(mses[0]);
    expect(report.validationRows).toBe(Math.floor(700 * 0.25));
  });

  it('with one ridge candidate fits on all rows without a validation split', () => {
    const esn = new EchoStateNetwork({ inputSize: 1, reservoirSize: 40, ridgeCandidates: [1e-4] }, new Rng(4));
    const { u, y } = oneStepAhead(series, 0, 500);
    const report = esn.fit(u, y);
    expect(report).toMatchObject({ ridge: 1e-4, trainRows: 400, validationRows: 0 });
    expect(report.candidates).toEqual([{ ridge: 1e-4, validationMse: null }]);
  });

  it('fits batches (B, T, F) and lists of sequences of different lengths, predicting in the same layout', () => {
    const esn = new EchoStateNetwork({ inputSize: 1, reservoirSize: 50, washout: 50 }, new Rng(6));
    // three windows of 300 steps, batch-first (3, 300, 1); targets with two outputs: s(t + 1) and s(t + 2)
    const b = 3;
    const t = 300;
    const u = new Float32Array(b * t);
    const y = new Float32Array(b * t * 2);
    for (let i = 0; i < b; i++) {
      for (let s = 0; s < t; s++) {
        const at = i * 400 + s;
        u[i * t + s] = series[at];
        y[(i * t + s) * 2] = series[at + 1];
        y[(i * t + s) * 2 + 1] = series[at + 2];
      }
    }
    const report = esn.fit(new Tensor(u, [b, t, 1]), new Tensor(y, [b, t, 2]));
    expect(report.trainRows + report.validationRows).toBe(b * (t - 50));
    expect(esn.outputSize).toBe(2);
    const pred = esn.predict(new Tensor(u, [b, t, 1]));
    expect(pred.shape).toEqual([b, t, 2]);
    expect(report.rmse).toBeLessThan(0.01);

    const list = esn.predict([new Tensor(u.slice(0, 120), [120, 1]), new Tensor(u.slice(300, 500), [200, 1])]);
    expect(list.map((p) => p.shape)).toEqual([
      [120, 2],
      [200, 2],
    ]);
    // the list's second sequence is the batch's second window (its first 200 steps)
    expect(Array.from(list[1].data)).toEqual(Array.from(pred.data.subarray(t * 2, t * 2 + 400)));
    const states = esn.collectStates(new Tensor(u, [b, t, 1]));
    expect(states.shape).toEqual([b, t, 50]);
  });

  it('predictions are deterministic for a seed', () => {
    const run = (): Float32Array => {
      const esn = new EchoStateNetwork({ inputSize: 1, reservoirSize: 60 }, new Rng(9));
      const { u, y } = oneStepAhead(series, 0, 600);
      esn.fit(u, y);
      return esn.predict(u).data;
    };
    expect(Array.from(run())).toEqual(Array.from(run()));
  });

  it('toJSON / fromJSON round-trips through JSON text with identical predictions', () => {
    const esn = new EchoStateNetwork({ inputSize: 1, reservoirSize: 60, leakRate: 0.5 }, new Rng(10));
    const { u, y } = oneStepAhead(series, 0, 600);
    esn.fit(u, y);
    const restored = EchoStateNetwork.fromJSON(JSON.parse(JSON.stringify(esn.toJSON())));
    expect(restored.config).toEqual(esn.config);
    expect(restored.ridge).toBe(esn.ridge);
    expect(Array.from(restored.predict(u).data)).toEqual(Array.from(esn.predict(u).data));
    const unfitted = EchoStateNetwork.fromJSON(
      JSON.parse(JSON.stringify(new EchoStateNetwork({ inputSize: 1, reservoirSize: 10 }, new Rng(1)).toJSON())),
    );
    expect(unfitted.readout).toBeNull();
  });

  it('fromJSON refuses a corrupted file with a message naming what is wrong', () => {
    const json = new EchoStateNetwork({ inputSize: 2, reservoirSize: 10 }, new Rng(1)).toJSON();
    expect(() => EchoStateNetwork.fromJSON({ ...json, format: 'other' as 'neuralfin-esn' })).toThrow(/not a saved ESN/);
    const short = { ...json, reservoir: { ...json.reservoir, inputWeights: json.reservoir.inputWeights.slice(1) } };
    expect(() => EchoStateNetwork.fromJSON(short)).toThrow(/inputWeights has 19 values, \(10, 2\) needs 20/);
  });

  it('checks shapes at the boundary with messages naming them', () => {
    const esn = new EchoStateNetwork({ inputSize: 2, reservoirSize: 10, washout: 5 }, new Rng(1));
    const u = Tensor.zeros([20, 2]);
    expect(() => esn.predict(u)).toThrow(/call fit\(\) before predict\(\)/);
    expect(() => esn.fit(Tensor.zeros([20, 3]), Tensor.zeros([20, 1]))).toThrow(
      /inputs must be \(T, 2\), \(B, T, 2\) or a list of \(T, 2\), got \[20, 3\]/,
    );
    expect(() => esn.fit(u, Tensor.zeros([19, 1]))).toThrow(/has 20 steps but its targets have 19/);
    expect(() => esn.fit(Tensor.zeros([4, 2]), Tensor.zeros([4, 1]))).toThrow(/no steps left after the washout of 5/);
    const bad = Tensor.zeros([20, 1]);
    bad.data[13] = Number.NaN;
    expect(() => esn.fit(u, bad)).toThrow(/targets of sequence 0 hold NaN at step 13, feature 0/);
    expect(() => esn.collectStates(u, { initialState: new Float32Array(3) })).toThrow(
      /initialState has 3 values, the reservoir has 10 units/,
    );
  });
});

describe('mackeyGlass', () => {
  it('stays on the attractor range (0.2, 1.5) and is deterministic', () => {
    const s = mackeyGlass({ length: 3000 });
    expect(s.length).toBe(3000);
    expect(s[0]).toBeCloseTo(1.2, 6);
    for (const v of s) expect(v > 0.2 && v < 1.5).toBe(true);
    expect(Array.from(mackeyGlass({ length: 3000 }))).toEqual(Array.from(s));
  });

  it('RK4 with dt = 0.1 agrees with dt = 0.01 to 5e-4 over the first 200 time units (measured 1.2e-4)', () => {
    const coarse = mackeyGlass({ length: 200 });
    const fine = mackeyGlass({ length: 200, dt: 0.01 });
    for (let i = 0; i < 200; i++) expect(Math.abs(coarse[i] - fine[i])).toBeLessThan(5e-4);
  });

  it('transient drops the first time units; sampleInterval thins the samples', () => {
    const base = mackeyGlass({ length: 400 });
    expect(Array.from(mackeyGlass({ length: 100, transient: 50 }))).toEqual(Array.from(base.subarray(50, 150)));
    const thinned = mackeyGlass({ length: 100, sampleInterval: 2 });
    for (let i = 0; i < 100; i++) expect(thinned[i]).toBe(base[2 * i]);
  });

  it('decays to 0 without the delayed feedback (β = 0): x(t) = x₀·e^(−γt)', () => {
    const s = mackeyGlass({ length: 50, beta: 0 });
    for (let t = 0; t < 50; t++) expect(s[t]).toBeCloseTo(1.2 * Math.exp(-0.1 * t), 5);
  });

  it('rejects a delay that is not a whole number of steps', () => {
    expect(() => mackeyGlass({ tau: 17.05 })).toThrow(/tau \(17.05\) must be a whole number of steps dt \(0.1\)/);
  });
});
