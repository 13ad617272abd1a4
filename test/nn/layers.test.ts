import { describe, expect, it } from 'vitest';
import { BatchNorm } from '@/lib/nn/layers/batchnorm';
import { Dense } from '@/lib/nn/layers/dense';
import { Dropout } from '@/lib/nn/layers/dropout';
import { LayerNorm } from '@/lib/nn/layers/layernorm';
import { Perceptron } from '@/lib/nn/layers/perceptron';
import { buildModule } from '@/lib/nn/layers/registry';
import { ResidualBlock } from '@/lib/nn/layers/residual';
import { Sequential } from '@/lib/nn/layers/sequential';
import { Rng } from '@/lib/nn/rng';
import { noGrad, Tensor } from '@/lib/nn/tensor';
import { checkLayer, rand } from './helpers';

function randomize(t: Tensor, rng: Rng, lo: number, hi: number): void {
  for (let i = 0; i < t.size; i++) t.data[i] = rng.range(lo, hi);
}

describe('Dense', () => {
  const rng = new Rng(1);
  for (const [label, shape] of [
    ['2-D (B, in)', [4, 3]],
    ['3-D (B, T, in)', [2, 3, 3]],
    ['batch 1', [1, 3]],
  ] as const) {
    it(`gradient check ${label} (atol 1e-3, rtol 1e-2)`, () => {
      const dense = new Dense({ inFeatures: 3, outFeatures: 5 }, rng);
      randomize(dense.bias!, rng, -0.5, 0.5);
      const r = checkLayer(dense, rand(rng, [...shape]));
      expect(r.ok, r.worst).toBe(true);
    });
  }

  it('gradient check without bias', () => {
    const dense = new Dense({ inFeatures: 4, outFeatures: 2, bias: false, init: 'heNormal' }, rng);
    expect(dense.parameters()).toEqual([dense.weight]);
    const r = checkLayer(dense, rand(rng, [3, 4]));
    expect(r.ok, r.worst).toBe(true);
  });

  it('computes x·W + b with W stored [in, out], and keeps (B, T) in 3-D', () => {
    const dense = new Dense({ inFeatures: 2, outFeatures: 3 }, new Rng(1));
    dense.weight.data.set([1, 2, 3, 4, 5, 6]); // rows are inputs
    dense.bias!.data.set([0.5, -1, 2]);
    const y = dense.forward(Tensor.from([1, 1, 2, -1], [2, 2]));
    expect(y.shape).toEqual([2, 3]);
    expect(y.toArray()).toEqual([5.5, 6, 11, -1.5, -2, 2]);
    const y3 = dense.forward(Tensor.from([1, 1, 2, -1, 0, 0], [1, 3, 2]));
    expect(y3.shape).toEqual([1, 3, 3]);
    expect(y3.toArray()).toEqual([5.5, 6, 11, -1.5, -2, 2, 0.5, -1, 2]);
  });

  it('names the shapes when the input does not fit', () => {
    const dense = new Dense({ inFeatures: 4, outFeatures: 3 }, new Rng(1));
    expect(() => dense.forward(Tensor.zeros([2, 5]))).toThrow(/\(B, 4\).*\[2, 5\]/);
    expect(() => dense.forward(Tensor.zeros([4]))).toThrow(/\[4\]/);
    expect(() => new Dense({ inFeatures: 0, outFeatures: 3 }, new Rng(1))).toThrow(/inFeatures/);
  });

  it('the same seed gives bit-identical weights', () => {
    const a = new Dense({ inFeatures: 6, outFeatures: 4, init: 'orthogonal' }, new Rng(9));
    const b = new Dense({ inFeatures: 6, outFeatures: 4, init: 'orthogonal' }, new Rng(9));
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
  });
});

describe('BatchNorm', () => {
  const rng = new Rng(2);

  for (const [label, shape] of [
    ['(B, F)', [6, 3]],
    ['(B, T, F)', [2, 3, 4]],
  ] as const) {
    it(`training-mode gradient check ${label}, incl. gamma and beta (atol 1e-3, rtol 1e-2)`, () => {
      const features = shape[shape.length - 1];
      const bn = new BatchNorm({ features });
      randomize(bn.gamma, rng, 0.5, 1.5);
      randomize(bn.beta, rng, -0.5, 0.5);
      const r = checkLayer(bn, rand(rng, [...shape], -2, 2));
      expect(r.ok, r.worst).toBe(true);
      expect(r.checked).toBe(shapeSize(shape) + 2 * features);
    });
  }

  it('eval-mode gradient check (running statistics are constants)', () => {
    const bn = new BatchNorm({ features: 3 });
    randomize(bn.gamma, rng, 0.5, 1.5);
    randomize(bn.runningMean, rng, -0.5, 0.5);
    randomize(bn.runningVar, rng, 0.5, 2);
    bn.eval();
    const r = checkLayer(bn, rand(rng, [4, 3]));
    expect(r.ok, r.worst).toBe(true);
  });

  it('training output has per-feature mean 0 and biased variance 1 (within 1e-4)', () => {
    const bn = new BatchNorm({ features: 2 });
    const y = bn.forward(rand(rng, [50, 2], -3, 7));
    for (let j = 0; j < 2; j++) {
      let m = 0;
      for (let r = 0; r < 50; r++) m += y.data[r * 2 + j];
      m /= 50;
      let v = 0;
      for (let r = 0; r < 50; r++) v += (y.data[r * 2 + j] - m) ** 2;
      v /= 50;
      expect(Math.abs(m)).toBeLessThan(1e-4);
      expect(Math.abs(v - 1)).toBeLessThan(1e-4);
    }
  });

  it('eval uses running statistics updated as PyTorch (momentum 0.2, unbiased variance; within 1e-5)', () => {
    const features = 2;
    const momentum = 0.2;
    const eps = 1e-5;
    const bn = new BatchNorm({ features, momentum, eps });
    bn.gamma.data.set([2, 0.5]);
    bn.beta.data.set([0.1, -0.3]);
    const rm = [0, 0];
    const rv = [1, 1];
    const batchRng = new Rng(3);
    for (let step = 0; step < 3; step++) {
      const rows = 4 + step; // 4, 5, 6 rows
      const x = rand(batchRng, [rows, features], -2, 3);
      bn.forward(x);
      for (let j = 0; j < features; j++) {
        let m = 0;
        for (let r = 0; r < rows; r++) m += x.data[r * features + j];
        m /= rows;
        let ss = 0;
        for (let r = 0; r < rows; r++) ss += (x.data[r * features + j] - m) ** 2;
        rm[j] = (1 - momentum) * rm[j] + momentum * m;
        rv[j] = (1 - momentum) * rv[j] + momentum * (ss / (rows - 1));
      }
    }
    for (let j = 0; j < features; j++) {
      expect(bn.runningMean.data[j]).toBeCloseTo(rm[j], 5);
      expect(bn.runningVar.data[j]).toBeCloseTo(rv[j], 5);
    }
    bn.eval();
    const x = Tensor.from([1, -1, 0.5, 2], [2, 2]);
    const y = bn.forward(x);
    const gamma = [2, 0.5];
    const beta = [0.1, -0.3];
    for (let i = 0; i < 4; i++) {
      const j = i % 2;
      expect(y.data[i]).toBeCloseTo((gamma[j] * (x.data[i] - rm[j])) / Math.sqrt(rv[j] + eps) + beta[j], 5);
    }
    // inference leaves the running statistics alone
    expect(bn.runningMean.data[0]).toBeCloseTo(rm[0], 5);
  });

  it('exposes gamma/beta as parameters and running statistics as buffers, by name', () => {
    const bn = new BatchNorm({ features: 3 });
    expect(bn.namedState().map(([n]) => n)).toEqual(['gamma', 'beta', 'runningMean', 'runningVar']);
    expect(bn.parameters()).toEqual([bn.gamma, bn.beta]);
  });

  it('rejects one value per feature in training and mismatched shapes', () => {
    const bn = new BatchNorm({ features: 3 });
    expect(() => bn.forward(Tensor.zeros([1, 3]))).toThrow(/more than one value.*\[1, 3\]/);
    expect(() => bn.forward(Tensor.zeros([4, 2]))).toThrow(/\(B, 3\).*\[4, 2\]/);
    bn.eval();
    expect(bn.forward(Tensor.zeros([1, 3])).shape).toEqual([1, 3]);
  });
});

function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

describe('LayerNorm', () => {
  const rng = new Rng(4);
  for (const [label, shape] of [
    ['(B, F)', [3, 5]],
    ['(B, T, F)', [2, 3, 4]],
    ['batch 1', [1, 6]],
  ] as const) {
    it(`gradient check ${label}, incl. gamma and beta (atol 1e-3, rtol 1e-2)`, () => {
      const ln = new LayerNorm({ features: shape[shape.length - 1] });
      randomize(ln.gamma, rng, 0.5, 1.5);
      randomize(ln.beta, rng, -0.5, 0.5);
      const r = checkLayer(ln, rand(rng, [...shape], -2, 2));
      expect(r.ok, r.worst).toBe(true);
    });
  }

  it('normalises each row to mean 0, variance 1 (within 1e-4), the same in eval mode', () => {
    const ln = new LayerNorm({ features: 8 });
    const x = rand(rng, [3, 8], -5, 10);
    const y = ln.forward(x);
    for (let r = 0; r < 3; r++) {
      const row = y.toArray().slice(r * 8, r * 8 + 8);
      const m = row.reduce((a, b) => a + b, 0) / 8;
      const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / 8;
      expect(Math.abs(m)).toBeLessThan(1e-4);
      expect(Math.abs(v - 1)).toBeLessThan(1e-4);
    }
    ln.eval();
    expect(ln.forward(x).toArray()).toEqual(y.toArray());
    expect(() => ln.forward(Tensor.zeros([3, 7]))).toThrow(/\(\.\.\., 8\).*\[3, 7\]/);
  });
});

describe('Dropout', () => {
  it('gradient check with a fixed-seed mask (rate 0.4)', () => {
    const drop = new Dropout({ rate: 0.4 }, new Rng(0));
    const r = checkLayer(drop, rand(new Rng(5), [4, 6]), () => {
      drop.rng = new Rng(21);
    });
    expect(r.ok, r.worst).toBe(true);
  });

  it('eval mode and rate 0 are the identity', () => {
    const x = rand(new Rng(6), [5, 4]);
    const drop = new Dropout({ rate: 0.5 }, new Rng(1));
    drop.eval();
    expect(drop.forward(x).toArray()).toEqual(x.toArray());
    const none = new Dropout({ rate: 0 }, new Rng(1));
    expect(none.forward(x).toArray()).toEqual(x.toArray());
  });

  it('training keeps the expected value: mean of 4000 draws within 5σ of the input; zeros ≈ rate within 2%', () => {
    const rate = 0.3;
    const x = rand(new Rng(8), [1, 40], 0.5, 2);
    const drop = new Dropout({ rate }, new Rng(2));
    const draws = 4000;
    const total = new Float64Array(x.size);
    let zeros = 0;
    noGrad(() => {
      for (let d = 0; d < draws; d++) {
        const y = drop.forward(x).data;
        for (let i = 0; i < y.length; i++) {
          total[i] += y[i];
          if (y[i] === 0) zeros++;
        }
      }
    });
    // per element: std of one draw is x·√(rate/(1 − rate)); of the mean, that / √draws
    const relSigma = Math.sqrt(rate / (1 - rate) / draws);
    for (let i = 0; i < x.size; i++) {
      expect(Math.abs(total[i] / draws - x.data[i])).toBeLessThan(5 * relSigma * x.data[i]);
    }
    expect(Math.abs(zeros / (draws * x.size) - rate)).toBeLessThan(0.02);
  });

  it('the mask comes from the given Rng: same seed, same output; rate 1 drops everything', () => {
    const x = rand(new Rng(9), [3, 7]);
    const a = new Dropout({ rate: 0.5 }, new Rng(77)).forward(x).toArray();
    const b = new Dropout({ rate: 0.5 }, new Rng(77)).forward(x).toArray();
    const c = new Dropout({ rate: 0.5 }, new Rng(78)).forward(x).toArray();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // each element is dropped or kept and scaled by 1/(1 − rate) = 2
    for (let i = 0; i < a.length; i++) expect([0, Math.fround(2 * x.data[i])]).toContain(a[i]);
    expect(
      new Dropout({ rate: 1 }, new Rng(1))
        .forward(x)
        .toArray()
        .every((v) => v === 0),
    ).toBe(true);
    expect(() => new Dropout({ rate: 1.5 }, new Rng(1))).toThrow(/rate must be in \[0, 1\], got 1.5/);
  });
});

describe('ResidualBlock', () => {
  // Central differences are wrong across ReLU's kink, so each check uses the first seed whose ReLU inputs all lie at
  // least 0.1 from 0 (a step of 1e-2 in any input or weight moves them by far less).
  function awayFromKinks(make: (rng: Rng) => ResidualBlock, shape: number[]): { block: ResidualBlock; x: Tensor } {
    for (let seed = 1; seed <= 50; seed++) {
      const rng = new Rng(seed);
      const block = make(rng);
      randomize(block.expand.bias!, rng, -0.3, 0.3);
      const x = rand(rng, shape);
      const pre = noGrad(() => block.expand.forward(block.norm.forward(x))).toArray();
      if (Math.min(...pre.map(Math.abs)) >= 0.1) return { block, x };
    }
    throw new Error('no seed in 1..50 keeps the ReLU inputs 0.1 away from the kink');
  }

  for (const norm of ['batch', 'layer'] as const) {
    it(`gradient check, ${norm} norm, dropout 0 (atol 1e-3, rtol 1e-2)`, () => {
      const { block, x } = awayFromKinks((rng) => new ResidualBlock({ features: 4, hidden: 6, norm }, rng), [5, 4]);
      const r = checkLayer(block, x);
      expect(r.ok, r.worst).toBe(true);
    });
  }

  it('gradient check with dropout 0.3 and a fixed-seed mask, 3-D input', () => {
    const { block, x } = awayFromKinks(
      (rng) => new ResidualBlock({ features: 3, hidden: 5, dropout: 0.3, norm: 'layer' }, rng),
      [2, 2, 3],
    );
    const r = checkLayer(block, x, () => block.setDropoutRng(new Rng(4)));
    expect(r.ok, r.worst).toBe(true);
    // the mask really drops something: training output differs from eval (no dropout)
    block.setDropoutRng(new Rng(4));
    const trained = block.forward(x).toArray();
    expect(block.eval().forward(x).toArray()).not.toEqual(trained);
  });

  it('computes x + Dropout(Linear(Dropout(ReLU(Linear(Norm(x)))))), identity when the last layer is zero', () => {
    const block = new ResidualBlock({ features: 3, norm: 'layer' }, new Rng(1));
    expect(block.config).toEqual({ features: 3, hidden: 6, dropout: 0, norm: 'layer' });
    const x = rand(new Rng(2), [4, 3]);
    block.project.weight.data.fill(0);
    block.project.bias!.data.fill(0);
    expect(block.forward(x).toArray()).toEqual(x.toArray());
    block.project.bias!.data.set([1, 2, 3]);
    const y = block.forward(x).toArray();
    expect(y[0]).toBeCloseTo(x.data[0] + 1, 6);
    expect(y[5]).toBeCloseTo(x.data[5] + 3, 6);
    expect(block.namedState().map(([n]) => n)).toEqual([
      '0.gamma',
      '0.beta',
      '1.weight',
      '1.bias',
      '3.weight',
      '3.bias',
    ]);
  });
});

describe('Sequential and the registry', () => {
  function model(rng: Rng): Sequential {
    return new Sequential([
      new Dense({ inFeatures: 4, outFeatures: 8, init: 'heNormal' }, rng),
      new BatchNorm({ features: 8, momentum: 0.05 }),
      new Dropout({ rate: 0.2 }, rng),
      new ResidualBlock({ features: 8, hidden: 12, dropout: 0.1, norm: 'layer' }, rng),
      new LayerNorm({ features: 8 }),
      new Dense({ inFeatures: 8, outFeatures: 2, bias: false }, rng),
    ]);
  }

  it('chains forward and collects parameters in order', () => {
    const m = model(new Rng(3)).eval();
    const x = rand(new Rng(4), [5, 4]);
    let h = x;
    for (const layer of m.layers) h = layer.forward(h);
    expect(m.forward(x).toArray()).toEqual(h.toArray());
    expect(m.forward(x).shape).toEqual([5, 2]);
    expect(m.parameters().length).toBe(2 + 2 + 6 + 2 + 1);
    expect(m.namedState()[0][0]).toBe('0.weight');
    expect(m.layers.every((l) => !l.training)).toBe(true);
  });

  it('gradient check through a Sequential stack in training mode', () => {
    const m = new Sequential([
      new Dense({ inFeatures: 3, outFeatures: 4 }, new Rng(5)),
      new BatchNorm({ features: 4 }),
      new Dense({ inFeatures: 4, outFeatures: 2 }, new Rng(6)),
    ]);
    const r = checkLayer(m, rand(new Rng(7), [5, 3]));
    expect(r.ok, r.worst).toBe(true);
  });

  it('buildModule rebuilds every layer from its spec: same spec, same seed → identical weights', () => {
    const original = model(new Rng(12));
    const spec = JSON.parse(JSON.stringify(original.spec()));
    const rebuilt = buildModule(spec, new Rng(12));
    expect(rebuilt.spec()).toEqual(original.spec());
    const a = original.namedState();
    const b = rebuilt.namedState();
    expect(b.map(([n]) => n)).toEqual(a.map(([n]) => n));
    a.forEach(([, t], i) => {
      expect(Array.from(b[i][1].data)).toEqual(Array.from(t.data));
    });
    const perceptron = new Perceptron({ inFeatures: 3 }, new Rng(1));
    expect(buildModule(perceptron.spec(), new Rng(1)).spec()).toEqual(perceptron.spec());
  });

  it('buildModule includes the activation layers', () => {
    const spec = { type: 'Sequential', config: {}, children: [{ type: 'Activation', config: { fn: 'relu' } }] };
    const m = buildModule(spec, new Rng(1));
    expect(
      m
        .forward(Tensor.from([-1, 2], [1, 2]))
        .toArray()
        .map((v) => v + 0),
    ).toEqual([0, 2]); // −0 → 0
    expect(
      buildModule({ type: 'PReLU', config: { channels: 2, init: 0.1 } }, new Rng(1))
        .parameters()[0]
        .toArray(),
    ).toEqual([0.1, 0.1].map(Math.fround));
  });

  it('buildModule throws for an unknown type, a bad config, or ResidualBlock children that contradict its config', () => {
    expect(() => buildModule({ type: 'Conv9D', config: {} }, new Rng(1))).toThrow(
      /unknown module type 'Conv9D'.*Dense/,
    );
    expect(() => buildModule({ type: 'Dense', config: { inFeatures: 2 } }, new Rng(1))).toThrow(/outFeatures/);
    const block = new ResidualBlock({ features: 2 }, new Rng(1)).spec();
    const children = block.children!.slice(1);
    expect(() => buildModule({ ...block, children }, new Rng(1))).toThrow(/children.*do not match/);
  });
});
