import { describe, expect, it } from 'vitest';
import { Adam, AdamW, clipGradNorm, createOptimizer, gradNorm, RMSprop, SGD } from '@/lib/nn/optim';
import { Rng } from '@/lib/nn/rng';
import { lrAt } from '@/lib/nn/schedule';
import { parameter, type Tensor } from '@/lib/nn/tensor';

function param(values: number[]): Tensor {
  return parameter(Float32Array.from(values), [values.length], 'p');
}

/** Runs `steps` updates with gradient g(p) recomputed from the current weights each step. */
function run(
  opt: { step(): void; zeroGrad(): void },
  p: Tensor,
  grad: (w: number[]) => number[],
  steps: number,
): number[] {
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const g = grad(Array.from(p.data));
    p.gradBuffer().set(g);
    opt.step();
  }
  return Array.from(p.data);
}

function expectClose(got: number[], want: number[], tol: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => {
    expect(Math.abs(v - want[i]), `element ${i}: got ${v}, want ${want[i]}`).toBeLessThanOrEqual(tol);
  });
}

// A gradient that depends on the weights, so weight decay and state interact over steps: g = 2(p − 0.3) + 0.1·i
const quadGrad = (w: number[]): number[] => w.map((v, i) => 2 * (v - 0.3) + 0.1 * i);

describe('SGD (hand-computed, tolerance 1e-6)', () => {
  it('plain: p ← p − lr·g', () => {
    const p = param([1]);
    // g = 0.5 constant, lr 0.1: 1 → 0.95 → 0.9
    expectClose(
      run(new SGD([p], { lr: 0.1 }), p, () => [0.5], 2),
      [0.9],
      1e-6,
    );
  });

  it('momentum 0.9: b₁ = g, b₂ = 0.9·b₁ + g', () => {
    const p = param([1]);
    // b = 0.5, p = 0.95; b = 0.95, p = 0.855
    expectClose(
      run(new SGD([p], { lr: 0.1, momentum: 0.9 }), p, () => [0.5], 2),
      [0.855],
      1e-6,
    );
  });

  it('Nesterov: step uses g + μ·b', () => {
    const p = param([1]);
    // b = 0.5, d = 0.95, p = 0.905; b = 0.95, d = 1.355, p = 0.7695
    expectClose(
      run(new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true }), p, () => [0.5], 2),
      [0.7695],
      1e-6,
    );
  });

  it('weight decay is L2 added to the gradient', () => {
    const p = param([2]);
    // g = 0 + 0.1·2 = 0.2, p = 2 − 0.5·0.2 = 1.9
    expectClose(
      run(new SGD([p], { lr: 0.5, weightDecay: 0.1 }), p, () => [0], 1),
      [1.9],
      1e-6,
    );
  });

  it('momentum + dampening + weight decay match the torch.optim.SGD recurrence over 5 steps', () => {
    const cfg = { lr: 0.05, momentum: 0.8, dampening: 0.2, weightDecay: 0.01 };
    const p = param([1, -0.5, 0.25]);
    const got = run(new SGD([p], cfg), p, quadGrad, 5);
    // float64 reference
    const w = [1, -0.5, 0.25];
    const b = [0, 0, 0];
    for (let s = 0; s < 5; s++) {
      const g = quadGrad(w).map((gi, i) => gi + cfg.weightDecay * w[i]);
      for (let i = 0; i < 3; i++) {
        b[i] = s === 0 ? g[i] : cfg.momentum * b[i] + (1 - cfg.dampening) * g[i];
        w[i] -= cfg.lr * b[i];
      }
    }
    expectClose(got, w, 1e-6);
  });

  it('Nesterov with non-zero dampening is rejected', () => {
    expect(() => new SGD([param([1])], { momentum: 0.9, nesterov: true, dampening: 0.1 })).toThrow(/Nesterov/);
  });
});

describe('RMSprop (hand-computed, tolerance 1e-6)', () => {
  it('first step: v = (1 − α)·g², p −= lr·g/(√v + ε)', () => {
    const p = param([1]);
    // v = 0.01·0.25 = 0.0025, √v = 0.05, step = 0.01·0.5/0.05 = 0.1
    expectClose(
      run(new RMSprop([p], { lr: 0.01 }), p, () => [0.5], 1),
      [0.9],
      1e-6,
    );
  });

  it('centered + momentum + weight decay match the torch.optim.RMSprop recurrence over 5 steps', () => {
    const cfg = { lr: 0.01, alpha: 0.9, eps: 1e-8, weightDecay: 0.05, momentum: 0.5, centered: true };
    const p = param([1, -0.5, 0.25]);
    const got = run(new RMSprop([p], cfg), p, quadGrad, 5);
    const w = [1, -0.5, 0.25];
    const v = [0, 0, 0];
    const ga = [0, 0, 0];
    const buf = [0, 0, 0];
    for (let s = 0; s < 5; s++) {
      const g = quadGrad(w).map((gi, i) => gi + cfg.weightDecay * w[i]);
      for (let i = 0; i < 3; i++) {
        v[i] = cfg.alpha * v[i] + (1 - cfg.alpha) * g[i] * g[i];
        ga[i] = cfg.alpha * ga[i] + (1 - cfg.alpha) * g[i];
        const denom = Math.sqrt(v[i] - ga[i] * ga[i]) + cfg.eps;
        buf[i] = cfg.momentum * buf[i] + g[i] / denom;
        w[i] -= cfg.lr * buf[i];
      }
    }
    expectClose(got, w, 1e-5);
  });
});

/** float64 Adam/AdamW following torch.optim's single-tensor implementation. */
function adamReference(
  w0: number[],
  steps: number,
  cfg: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; amsgrad?: boolean },
  decoupled: boolean,
): number[] {
  const w = w0.slice();
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  const vMax = w.map(() => 0);
  for (let t = 1; t <= steps; t++) {
    let g = quadGrad(w);
    if (decoupled) for (let i = 0; i < w.length; i++) w[i] *= 1 - cfg.lr * cfg.weightDecay;
    else g = g.map((gi, i) => gi + cfg.weightDecay * w[i]);
    for (let i = 0; i < w.length; i++) {
      m[i] = cfg.beta1 * m[i] + (1 - cfg.beta1) * g[i];
      v[i] = cfg.beta2 * v[i] + (1 - cfg.beta2) * g[i] * g[i];
      vMax[i] = Math.max(vMax[i], v[i]);
      const vUsed = cfg.amsgrad ? vMax[i] : v[i];
      const denom = Math.sqrt(vUsed) / Math.sqrt(1 - cfg.beta2 ** t) + cfg.eps;
      w[i] -= (cfg.lr / (1 - cfg.beta1 ** t)) * (m[i] / denom);
    }
  }
  return w;
}

describe('Adam / AdamW', () => {
  it('Adam first step is lr·sign(g) after bias correction (tolerance 1e-6)', () => {
    const p = param([1, -1, 0.5]);
    // m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε)
    expectClose(
      run(new Adam([p], { lr: 0.1 }), p, () => [0.5, -2, 1e-3], 1),
      [0.9, -0.9, 0.4],
      1e-6,
    );
  });

  it('AdamW first step decays the weights before the Adam step (tolerance 1e-6)', () => {
    const p = param([1, -1]);
    // p·(1 − 0.1·0.5) − 0.1·sign(g): 0.95 − 0.1, −0.95 + 0.1
    expectClose(
      run(new AdamW([p], { lr: 0.1, weightDecay: 0.5 }), p, () => [3, -3], 1),
      [0.85, -0.85],
      1e-6,
    );
  });

  // Parity to 1e-5 with torch.optim.Adam / AdamW (same formulas, float64 reference), one step and ten steps.
  const cfg = { lr: 0.01, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1 };
  for (const steps of [1, 10]) {
    it(`Adam with L2 weight decay, ${steps} step(s), within 1e-5`, () => {
      const p = param([1, -0.5, 0.25, 2]);
      expectClose(
        run(new Adam([p], cfg), p, quadGrad, steps),
        adamReference([1, -0.5, 0.25, 2], steps, cfg, false),
        1e-5,
      );
    });
    it(`AdamW with decoupled weight decay, ${steps} step(s), within 1e-5`, () => {
      const p = param([1, -0.5, 0.25, 2]);
      expectClose(
        run(new AdamW([p], cfg), p, quadGrad, steps),
        adamReference([1, -0.5, 0.25, 2], steps, cfg, true),
        1e-5,
      );
    });
  }

  it('AMSGrad keeps the running maximum of v (10 steps, within 1e-5)', () => {
    const c = { ...cfg, amsgrad: true };
    const p = param([1, -0.5, 0.25, 2]);
    expectClose(run(new Adam([p], c), p, quadGrad, 10), adamReference([1, -0.5, 0.25, 2], 10, c, false), 1e-5);
  });

  it('AdamW and Adam differ when weight decay is on (decoupled ≠ L2)', () => {
    const a = param([1, -0.5]);
    const b = param([1, -0.5]);
    run(new Adam([a], cfg), a, quadGrad, 3);
    run(new AdamW([b], cfg), b, quadGrad, 3);
    expect(Math.abs(a.data[0] - b.data[0])).toBeGreaterThan(1e-4);
  });
});

describe('optimizer plumbing', () => {
  it('parameters without a gradient are skipped and their step count does not advance', () => {
    const p = param([1]);
    const q = param([1]);
    const opt = new Adam([p, q], { lr: 0.1 });
    p.gradBuffer()[0] = 1;
    opt.step(); // q has no grad
    expect(q.data[0]).toBe(1);
    q.gradBuffer()[0] = 1;
    opt.step();
    // q's first step is bias-corrected as step 1: exactly lr·sign(g)
    expect(q.data[0]).toBeCloseTo(0.9, 6);
  });

  it('zeroGrad clears every gradient; the .grad buffer is never modified by step()', () => {
    const p = param([1, 2]);
    const opt = new SGD([p], { lr: 0.1, weightDecay: 0.5, momentum: 0.9 });
    p.gradBuffer().set([1, 1]);
    opt.step();
    expect(Array.from(p.grad!)).toEqual([1, 1]);
    opt.zeroGrad();
    expect(Array.from(p.grad!)).toEqual([0, 0]);
  });

  it('createOptimizer builds each type and config() round-trips', () => {
    for (const type of ['sgd', 'rmsprop', 'adam', 'adamw'] as const) {
      const opt = createOptimizer([param([1])], { type, lr: 0.02 });
      const cfg = opt.config();
      expect(cfg.type).toBe(type);
      expect(cfg.lr).toBe(0.02);
      expect(createOptimizer([param([1])], cfg).config()).toEqual(cfg);
    }
    expect(new AdamW([param([1])]).weightDecay).toBe(0.01);
    expect(() => createOptimizer([], { type: 'lbfgs' } as never)).toThrow(/unknown optimizer type 'lbfgs'/);
  });

  it('rejects invalid hyper-parameters and duplicate parameters with specific messages', () => {
    expect(() => new Adam([param([1])], { beta1: 1 })).toThrow(/beta1 must be in \[0, 1\), got 1/);
    expect(() => new SGD([param([1])], { lr: -1 })).toThrow(/learning rate must be ≥ 0, got -1/);
    const p = param([1]);
    expect(() => new SGD([p, p])).toThrow(/appears twice/);
  });
});

describe('LR schedules (tolerance 1e-12)', () => {
  it('step decay: base·γ^⌊t/stepSize⌋', () => {
    const s = { type: 'step', stepSize: 3, gamma: 0.5 } as const;
    expect([0, 2, 3, 5, 6, 9].map((t) => lrAt(s, 0.1, t))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]);
  });

  it('cosine annealing: base at 0, midpoint halfway, minLr at and after tMax', () => {
    const s = { type: 'cosine', tMax: 10, minLr: 0.01 } as const;
    expect(lrAt(s, 0.1, 0)).toBeCloseTo(0.1, 12);
    expect(lrAt(s, 0.1, 5)).toBeCloseTo(0.055, 12);
    expect(lrAt(s, 0.1, 10)).toBeCloseTo(0.01, 12);
    expect(lrAt(s, 0.1, 20)).toBeCloseTo(0.01, 12);
    expect(lrAt(s, 0.1, 2.5)).toBeCloseTo(0.01 + (0.09 * (1 + Math.cos(Math.PI / 4))) / 2, 12);
  });

  it('linear warm-up then cosine: ramps from startFactor·base, then the cosine clock starts at 0', () => {
    const s = { type: 'warmup', warmupSteps: 4, startFactor: 0.2, after: { type: 'cosine', tMax: 4 } } as const;
    const lrs = [0, 1, 2, 3, 4, 6, 8].map((t) => lrAt(s, 1, t));
    expectClose(lrs, [0.2, 0.4, 0.6, 0.8, 1, 0.5, 0], 1e-12);
  });

  it('warm-up alone ends at the base rate; unknown types fail', () => {
    expect(lrAt({ type: 'warmup', warmupSteps: 2 }, 0.5, 5)).toBe(0.5);
    expect(lrAt({ type: 'constant' }, 0.5, 100)).toBe(0.5);
    expect(() => lrAt({ type: 'exp' } as never, 1, 0)).toThrow(/unknown LR schedule type 'exp'/);
  });
});

describe('clipGradNorm', () => {
  it('scales all gradients by maxNorm/‖g‖ and returns the pre-clip global norm', () => {
    const a = param([0, 0]);
    const b = param([0]);
    a.gradBuffer().set([3, 0]);
    b.gradBuffer().set([4]);
    const norm = clipGradNorm([a, b], 1);
    expect(norm).toBeCloseTo(5, 6);
    expect(gradNorm([a, b])).toBeCloseTo(1, 5);
    expectClose([...a.grad!, ...b.grad!], [0.6, 0, 0.8], 1e-6);
  });

  it('leaves gradients below the limit untouched and ignores parameters without gradients', () => {
    const rng = new Rng(3);
    const a = param([0, 0, 0]);
    const none = param([1]);
    a.gradBuffer().set([rng.uniform(), rng.uniform(), rng.uniform()]);
    const before = Array.from(a.grad!);
    const norm = clipGradNorm([a, none], 10);
    expect(norm).toBeCloseTo(Math.hypot(...before), 6);
    expect(Array.from(a.grad!)).toEqual(before);
    expect(none.grad).toBeNull();
  });

  it('returns a non-finite norm without touching the gradients', () => {
    const a = param([0, 0]);
    a.gradBuffer().set([Number.NaN, 1]);
    expect(clipGradNorm([a], 1)).toBeNaN();
    expect(a.grad![1]).toBe(1);
  });
});
