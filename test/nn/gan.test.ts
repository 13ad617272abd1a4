// GAN training loop: the exact discriminator and non-saturating generator updates of one step, learning a 2-D ring
// of 8 Gaussians (every mode covered, component means recovered), determinism, cancellation and input checks.

import { describe, expect, it } from 'vitest';
import { generateSamples, sampleLatent, trainGan, trainGanSync } from '@/lib/nn/gan';
import { Activation } from '@/lib/nn/layers/activation';
import { Dense } from '@/lib/nn/layers/dense';
import { Dropout } from '@/lib/nn/layers/dropout';
import { Sequential } from '@/lib/nn/layers/sequential';
import { SGD } from '@/lib/nn/optim';
import { Rng } from '@/lib/nn/rng';
import { Tensor } from '@/lib/nn/tensor';

const sigmoid = (s: number): number => 1 / (1 + Math.exp(-s));

/** n points from a ring of k Gaussians (radius r, std sd), cycling through the components. */
function ringData(k: number, r: number, sd: number, n: number, rng: Rng): { data: Tensor; means: [number, number][] } {
  const means: [number, number][] = [];
  for (let c = 0; c < k; c++) means.push([r * Math.cos((2 * Math.PI * c) / k), r * Math.sin((2 * Math.PI * c) / k)]);
  const x = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const [mx, my] = means[i % k];
    x[2 * i] = mx + sd * rng.normal();
    x[2 * i + 1] = my + sd * rng.normal();
  }
  return { data: new Tensor(x, [n, 2]), means };
}

function mlp(sizes: number[], hidden: 'leakyRelu', rng: Rng, alpha?: number): Sequential {
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Dense({ inFeatures: sizes[i], outFeatures: sizes[i + 1] }, rng));
    if (i + 2 < sizes.length) layers.push(new Activation({ fn: hidden, alpha }));
  }
  return new Sequential(layers);
}

describe('trainGan: one step, in closed form', () => {
  it('updates D on real vs detached fake, then G with −log σ(D(G(z))) while D is frozen (SGD, tol 1e-6)', () => {
    const rng = new Rng(1);
    const b = 5;
    const real = new Tensor(
      Float32Array.from({ length: b * 2 }, () => rng.normal()),
      [b, 2],
    );
    // G(z) = z·0 + g: every fake row is g until G's first update, so D's gradient is known in closed form
    const gen = new Dense({ inFeatures: 3, outFeatures: 2, init: 'zeros' }, rng);
    gen.bias!.data.set([0.5, -0.3]);
    const disc = new Dense({ inFeatures: 2, outFeatures: 1 }, rng);
    disc.weight.data.set([0.8, -0.4]);
    disc.bias!.data.set([0.1]);
    const lr = 0.1;
    // batchSize = N: the real batch is the whole data set, so the (order-free) mean gradient is known
    const result = trainGanSync({
      generator: gen,
      discriminator: disc,
      latentDim: 3,
      data: real,
      steps: 1,
      batchSize: b,
      rng: new Rng(2),
      generatorOptimizer: new SGD(gen.parameters(), { lr }),
      discriminatorOptimizer: new SGD(disc.parameters(), { lr }),
    });
    const [w0, w1, c, g0, g1] = [0.8, -0.4, 0.1, 0.5, -0.3];
    // D: BCE(D(x), 1) + BCE(D(g), 0), each a mean over the b rows
    let gw0 = 0;
    let gw1 = 0;
    let gc = 0;
    for (let i = 0; i < b; i++) {
      const [x0, x1] = [real.data[2 * i], real.data[2 * i + 1]];
      const e = sigmoid(x0 * w0 + x1 * w1 + c) - 1;
      gw0 += (e * x0) / b;
      gw1 += (e * x1) / b;
      gc += e / b;
    }
    const sf = sigmoid(g0 * w0 + g1 * w1 + c);
    gw0 += sf * g0;
    gw1 += sf * g1;
    gc += sf;
    const [nw0, nw1, nc] = [w0 - lr * gw0, w1 - lr * gw1, c - lr * gc];
    expect(disc.weight.data[0]).toBeCloseTo(nw0, 6);
    expect(disc.weight.data[1]).toBeCloseTo(nw1, 6);
    expect(disc.bias!.data[0]).toBeCloseTo(nc, 6);
    // G: ∂/∂g [−log σ(g·w′ + c′)] = (σ(s′) − 1)·w′ (the saturating log(1 − σ) would give σ(s′)·w′)
    const e = sigmoid(g0 * nw0 + g1 * nw1 + nc) - 1;
    expect(gen.bias!.data[0]).toBeCloseTo(g0 - lr * e * nw0, 6);
    expect(gen.bias!.data[1]).toBeCloseTo(g1 - lr * e * nw1, 6);
    expect(gen.weight.data.some((v) => v !== 0)).toBe(true);
    expect(result.history.gLoss[0]).toBeCloseTo(-Math.log(sigmoid(g0 * nw0 + g1 * nw1 + nc)), 5);
    expect(result.history.stepsCompleted).toBe(1);
    // D's parameters require gradients again after the generator step
    expect(disc.parameters().every((p) => p.requiresGrad)).toBe(true);
  });
});

describe('trainGan: learning a mixture', () => {
  it('learns a ring of 8 Gaussians (r = 2, σ = 0.1): every mode ≥ 5% of samples, means within 0.25, ≥ 60% within 4σ', () => {
    // measured (seed 1): mode shares 8.6–14.6% (ideal 12.5%), mean errors 0.04–0.19, 74% within 4σ;
    // seeds 1–6 all pass with min share 6.5%, max mean error 0.19, min 74% within 4σ
    const rng = new Rng(1);
    const { data, means } = ringData(8, 2, 0.1, 2000, rng);
    const latentDim = 4;
    const generator = mlp([latentDim, 32, 32, 2], 'leakyRelu', rng);
    const discriminator = mlp([2, 32, 32, 1], 'leakyRelu', rng, 0.2);
    const adam = { type: 'adam', lr: 2e-3, beta1: 0.5 } as const;
    const result = trainGanSync({
      generator,
      discriminator,
      latentDim,
      data,
      steps: 1500,
      batchSize: 64,
      rng,
      generatorOptimizer: adam,
      discriminatorOptimizer: adam,
    });
    expect(result.history.stopReason).toBe('completed');
    const n = 2000;
    const samples = result.sample(n, new Rng(5));
    expect(samples.shape).toEqual([n, 2]);
    const count = new Array(8).fill(0);
    const sumX = new Array(8).fill(0);
    const sumY = new Array(8).fill(0);
    let near = 0;
    for (let i = 0; i < n; i++) {
      const [px, py] = [samples.data[2 * i], samples.data[2 * i + 1]];
      let best = 0;
      let bestDist = Number.POSITIVE_INFINITY;
      means.forEach(([mx, my], c) => {
        const d = Math.hypot(px - mx, py - my);
        if (d < bestDist) [best, bestDist] = [c, d];
      });
      count[best]++;
      sumX[best] += px;
      sumY[best] += py;
      if (bestDist < 0.4) near++;
    }
    for (let c = 0; c < 8; c++) {
      expect(count[c], `mode ${c} holds ${count[c]} of ${n} samples`).toBeGreaterThanOrEqual(0.05 * n);
      const err = Math.hypot(sumX[c] / count[c] - means[c][0], sumY[c] / count[c] - means[c][1]);
      expect(err, `mode ${c} mean is ${err} from the true mean`).toBeLessThan(0.25);
    }
    expect(near / n).toBeGreaterThanOrEqual(0.6);
  });
});

describe('trainGan: loop behaviour', () => {
  const setup = (seed: number) => {
    const rng = new Rng(seed);
    const { data } = ringData(4, 1, 0.1, 64, rng);
    return {
      generator: mlp([2, 8, 2], 'leakyRelu', rng),
      discriminator: mlp([2, 8, 1], 'leakyRelu', rng),
      latentDim: 2,
      data,
      batchSize: 16,
      rng,
    };
  };

  it('is deterministic for a seed: identical losses and samples', () => {
    const a = trainGanSync({ ...setup(3), steps: 30 });
    const b = trainGanSync({ ...setup(3), steps: 30 });
    expect(a.history.dLoss).toEqual(b.history.dLoss);
    expect(a.history.gLoss).toEqual(b.history.gLoss);
    expect(Array.from(a.sample(10, new Rng(1)).data)).toEqual(Array.from(b.sample(10, new Rng(1)).data));
    const c = trainGanSync({ ...setup(4), steps: 30 });
    expect(c.history.dLoss).not.toEqual(a.history.dLoss);
  });

  it('reports progress every step, runs dStepsPerG discriminator updates per step, and converts epochs to steps', () => {
    const cfg = setup(5);
    const progress: number[] = [];
    let dSteps = 0;
    class CountingSGD extends SGD {
      step(): void {
        dSteps++;
        super.step();
      }
    }
    const result = trainGanSync({
      ...cfg,
      steps: 7,
      dStepsPerG: 3,
      discriminatorOptimizer: new CountingSGD(cfg.discriminator.parameters(), { lr: 0.01 }),
      onProgress: (p) => {
        expect(p.steps).toBe(7);
        expect(Number.isFinite(p.dLoss) && Number.isFinite(p.gLoss)).toBe(true);
        expect(p.dReal > 0 && p.dReal < 1 && p.dFake > 0 && p.dFake < 1).toBe(true);
        progress.push(p.step);
      },
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(dSteps).toBe(21);
    expect(result.history.dLoss.length).toBe(7);
    // 64 rows, batch 16: 4 real batches per epoch; 2.5 epochs with dStepsPerG 2 → ⌈10 / 2⌉ = 5 generator steps
    expect(trainGanSync({ ...setup(5), epochs: 2.5, dStepsPerG: 2 }).history.stepsCompleted).toBe(5);
  });

  it('stops when shouldStop returns true or the AbortSignal fires (async trainGan)', async () => {
    let calls = 0;
    const stopped = trainGanSync({ ...setup(6), steps: 50, shouldStop: () => ++calls > 4 });
    expect(stopped.history).toMatchObject({ stepsCompleted: 4, stopReason: 'cancelled' });
    expect(stopped.history.stopMessage).toMatch(/before generator step 5 of 50/);

    const controller = new AbortController();
    const aborted = await trainGan({
      ...setup(6),
      steps: 50,
      signal: controller.signal,
      yieldEveryMs: 0,
      onProgress: (p) => {
        if (p.step === 3) controller.abort();
      },
    });
    expect(aborted.history).toMatchObject({ stepsCompleted: 3, stopReason: 'cancelled' });
  });

  it('stops with "diverged" when a loss becomes non-finite', () => {
    const cfg = setup(7);
    cfg.data.data[5] = Number.NaN;
    const result = trainGanSync({ ...cfg, data: cfg.data, batchSize: 64, steps: 5 });
    expect(result.history.stopReason).toBe('diverged');
    expect(result.history.stopMessage).toMatch(/discriminator loss became NaN at generator step 1/);
  });

  it('restores the training flags and frozen parameters; samples come from the generator in eval mode', () => {
    const rng = new Rng(8);
    const generator = new Sequential([
      new Dense({ inFeatures: 2, outFeatures: 8 }, rng),
      new Dropout({ rate: 0.5 }, rng),
      new Dense({ inFeatures: 8, outFeatures: 2 }, rng),
    ]).eval();
    const { data } = ringData(4, 1, 0.1, 32, rng);
    const discriminator = mlp([2, 8, 1], 'leakyRelu', rng);
    // a parameter the caller froze stays frozen (and unchanged) through the generator steps' freeze and restore
    const frozen = discriminator.parameters()[0];
    frozen.requiresGrad = false;
    const frozenBefore = Array.from(frozen.data);
    const result = trainGanSync({ generator, discriminator, latentDim: 2, data, steps: 3, batchSize: 8, rng });
    expect(generator.training).toBe(false);
    expect(discriminator.training).toBe(true);
    expect(frozen.requiresGrad).toBe(false);
    expect(Array.from(frozen.data)).toEqual(frozenBefore);
    expect(discriminator.parameters()[1].requiresGrad).toBe(true);
    // eval mode: no dropout, so the same latent codes give the same samples
    const z = sampleLatent(4, 2, new Rng(1));
    const direct = generator.forward(z);
    expect(Array.from(result.sample(4, new Rng(1)).data)).toEqual(Array.from(direct.data));
    expect(Array.from(generateSamples(generator, 4, 2, new Rng(1)).data)).toEqual(Array.from(direct.data));
  });

  it('uniform latent codes lie in [−1, 1]', () => {
    const z = sampleLatent(100, 3, new Rng(1), 'uniform');
    expect(z.shape).toEqual([100, 3]);
    for (const v of z.data) expect(v >= -1 && v < 1).toBe(true);
  });

  it('checks shapes and settings with messages naming them', () => {
    const cfg = setup(9);
    const rng = new Rng(1);
    expect(() => trainGanSync({ ...cfg, discriminator: mlp([2, 4, 2], 'leakyRelu', rng), steps: 1 })).toThrow(
      /discriminator must output one logit per sample, \(16, 1\), got \[16, 2\]/,
    );
    expect(() => trainGanSync({ ...cfg, generator: mlp([2, 4, 3], 'leakyRelu', rng), steps: 1 })).toThrow(
      /generator must map \(16, 2\) to samples \[16, 2\] like the data \[64, 2\], got \[16, 3\]/,
    );
    expect(() => trainGanSync({ ...cfg, steps: 1, epochs: 1 })).toThrow(/give steps \(1\) or epochs \(1\), not both/);
    expect(() => trainGanSync({ ...cfg, data: Tensor.zeros([5]) })).toThrow(/data must be a tensor \(N, \.\.\.\)/);
    expect(() => trainGanSync({ ...cfg, realLabel: 0 })).toThrow(/realLabel must be in \(0, 1\]/);
  });
});
