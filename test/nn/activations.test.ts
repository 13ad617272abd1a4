import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_NAMES,
  ACTIVATIONS,
  type ActivationName,
  applyActivation,
  arctan,
  binaryStep,
  elu,
  gelu,
  identity,
  leakyRelu,
  outputActivation,
  prelu,
  relu,
  sigmoid,
  softmax,
  softplus,
  tanh,
} from '@/lib/nn/activations';
import { gradCheck } from '@/lib/nn/gradcheck';
import { ActivationKind, activationBackward, activationForward, erf, preluBackward } from '@/lib/nn/kernels/activation';
import { Activation, PReLU } from '@/lib/nn/layers/activation';
import { mul, sum } from '@/lib/nn/ops/arithmetic';
import { Rng } from '@/lib/nn/rng';
import { Tensor } from '@/lib/nn/tensor';
import { rand, wsum } from './helpers';

/** Values with |x| in [0.1, 2] and random sign: central differences (step 1e-2) never straddle the kink at 0. */
function awayFromZero(rng: Rng, shape: number[]): Tensor {
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = (rng.uniform() < 0.5 ? -1 : 1) * rng.range(0.1, 2);
  return t;
}

const values = (t: Tensor): number[] => Array.from(t.data);

const SHAPES: number[][] = [[1, 5], [4, 3], [2, 3, 2], [7]];

describe('activations: finite-difference gradients (gradCheck defaults: atol 1e-3, rtol 1e-2)', () => {
  const rng = new Rng(11);
  const smooth: [string, (x: Tensor) => Tensor][] = [
    ['identity', identity],
    ['sigmoid', sigmoid],
    ['tanh', tanh],
    ['arctan', arctan],
    ['softplus', softplus],
    ['gelu tanh', (x) => gelu(x)],
    ['gelu erf', (x) => gelu(x, 'none')],
    ['softmax', softmax],
  ];
  // kinked at 0: checked on inputs at least 0.1 away from it
  const kinked: [string, (x: Tensor) => Tensor][] = [
    ['relu', relu],
    ['leakyRelu', (x) => leakyRelu(x)],
    ['leakyRelu alpha 0.2', (x) => leakyRelu(x, 0.2)],
    ['elu', (x) => elu(x)],
    ['elu alpha 0.5', (x) => elu(x, 0.5)],
    ['binaryStep', binaryStep],
  ];
  for (const shape of SHAPES) {
    for (const [name, f] of smooth) {
      it(`${name} on [${shape}]`, () => {
        const r = gradCheck(([x]) => wsum(f(x), 5), [rand(rng, shape, -3, 3)]);
        expect(r.ok, r.worst).toBe(true);
      });
    }
    for (const [name, f] of kinked) {
      it(`${name} on [${shape}] (|x| ≥ 0.1)`, () => {
        const r = gradCheck(([x]) => wsum(f(x), 5), [awayFromZero(rng, shape)]);
        expect(r.ok, r.worst).toBe(true);
      });
    }
  }

  for (const [label, xShape, aShape] of [
    ['per-channel alpha, batch 1', [1, 4], [4]],
    ['per-channel alpha', [5, 3], [3]],
    ['per-channel alpha, 3-D input', [2, 2, 3], [3]],
    ['one shared alpha', [3, 4], [1]],
    ['scalar alpha', [6], []],
  ] as const) {
    it(`prelu: gradients to x and alpha (${label})`, () => {
      const alpha = rand(rng, aShape.slice(), 0.05, 0.5);
      const r = gradCheck(([x, a]) => wsum(prelu(x, a), 9), [awayFromZero(rng, xShape.slice()), alpha]);
      expect(r.ok, r.worst).toBe(true);
    });
  }
});

describe('activations: values', () => {
  it('match hand-computed numbers (|error| < 1e-6)', () => {
    const x = Tensor.from([-1, 0, 1, 2]);
    const close = (got: Tensor, want: number[]) => {
      got.data.forEach((v, i) => {
        expect(v).toBeCloseTo(want[i], 6);
      });
    };
    close(identity(x), [-1, 0, 1, 2]);
    close(binaryStep(x), [0, 1, 1, 1]);
    close(sigmoid(x), [0.2689414, 0.5, 0.7310586, 0.8807971]);
    close(tanh(x), [-0.7615942, 0, 0.7615942, 0.9640276]);
    close(arctan(x), [-Math.PI / 4, 0, Math.PI / 4, 1.1071487]);
    close(relu(x), [0, 0, 1, 2]);
    close(leakyRelu(x), [-0.01, 0, 1, 2]);
    close(elu(x), [-0.6321206, 0, 1, 2]);
    close(softplus(x), [0.3132617, Math.LN2, 1.3132617, 2.126928]);
    // PyTorch: gelu(x, approximate='tanh') and gelu(x)
    close(gelu(x), [-0.158808, 0, 0.841192, 1.9545977]);
    close(gelu(x, 'none'), [-0.1586553, 0, 0.8413447, 1.9544997]);
    close(softmax(Tensor.from([1, 2, 3], [1, 3])), [0.0900306, 0.2447285, 0.665241]);
  });

  it('sigmoid and softplus stay finite and exact at ±100 and ±1e4', () => {
    const s = sigmoid(Tensor.from([100, -100, 1e4, -1e4]));
    expect(s.data[0]).toBe(1);
    expect(s.data[1]).toBeGreaterThanOrEqual(0);
    expect(s.data[1]).toBeLessThan(1e-40); // true value 3.7e-44 (float32 subnormal)
    expect(s.data[2]).toBe(1);
    expect(s.data[3]).toBe(0);
    const p = softplus(Tensor.from([100, -100, 1e4, -1e4]));
    expect(p.data[0]).toBe(100);
    expect(p.data[1]).toBeGreaterThanOrEqual(0);
    expect(p.data[1]).toBeLessThan(1e-40);
    expect(p.data[2]).toBe(1e4);
    expect(p.data[3]).toBe(0);
  });

  it('gradients stay finite for large |x| (sigmoid, softplus, gelu, elu at ±1e4)', () => {
    for (const f of [
      sigmoid,
      softplus,
      (t: Tensor) => gelu(t),
      (t: Tensor) => gelu(t, 'none'),
      (t: Tensor) => elu(t),
    ]) {
      const x = Tensor.from([1e4, -1e4, 100, -100], [4], true);
      sum(f(x)).backward();
      for (const g of x.grad!) expect(Number.isFinite(g)).toBe(true);
    }
  });

  it('binaryStep passes a zero gradient everywhere, including at 0', () => {
    const x = Tensor.from([-3, -0.5, 0, 0.5, 3], [5], true);
    wsum(binaryStep(x), 1).backward();
    expect(values(Tensor.from(x.grad!))).toEqual([0, 0, 0, 0, 0]);
  });

  it('relu takes derivative 1 at 0 (the course table: 1 for x ≥ 0)', () => {
    const x = Tensor.from([-1, 0, 1], [3], true);
    sum(relu(x)).backward();
    expect(Array.from(x.grad!)).toEqual([0, 1, 1]);
  });

  it('backward accumulates into existing gradients', () => {
    const x = Tensor.from([0.3, -0.7], [2], true);
    sum(tanh(x)).backward();
    const once = Array.from(x.grad!);
    sum(tanh(x)).backward();
    x.grad!.forEach((g, i) => {
      expect(g).toBeCloseTo(2 * once[i], 6);
    });
  });

  it('prelu rejects an alpha that fits neither one slope nor one per channel, naming both shapes', () => {
    expect(() => prelu(Tensor.zeros([2, 3]), Tensor.zeros([2]))).toThrow(/\[2\].*\[2, 3\]/);
  });
});

describe('ACTIVATIONS table', () => {
  const kinks = new Set<ActivationName>(['binaryStep', 'relu', 'leakyRelu', 'prelu', 'elu']);
  // grid on [−6, 6] offset so it does not hit 0 exactly
  const grid = Array.from({ length: 97 }, (_, i) => -6 + i * 0.125 + 0.0371);

  it('lists every ActivationName', () => {
    expect(Object.keys(ACTIVATIONS).sort()).toEqual([...ACTIVATION_NAMES].sort());
    for (const name of ACTIVATION_NAMES) {
      const a = ACTIVATIONS[name];
      expect(a.label.length).toBeGreaterThan(0);
      expect(a.formula).toMatch(/f\(x\)/);
      expect(a.use.length).toBeGreaterThan(20);
    }
  });

  for (const name of ACTIVATION_NAMES) {
    it(`${name}: derivative matches the central difference of fn (|error| ≤ 1e-6 + 1e-5·|f'|)`, () => {
      const { fn, derivative } = ACTIVATIONS[name];
      const h = 1e-5;
      for (const x of grid) {
        if (kinks.has(name) && Math.abs(x) < 2 * h) continue;
        const numeric = (fn(x + h) - fn(x - h)) / (2 * h);
        const analytic = derivative(x);
        expect(Math.abs(analytic - numeric), `${name} at x = ${x}`).toBeLessThanOrEqual(
          1e-6 + 1e-5 * Math.abs(analytic),
        );
      }
    });
  }

  it('binaryStep derivative is 0 on the whole grid and at 0', () => {
    for (const x of [...grid, 0]) expect(ACTIVATIONS.binaryStep.derivative(x)).toBe(0);
  });

  it('scalar fn agrees with the tensor op on the grid (float32: |error| ≤ 1e-6 + 1e-6·|f|)', () => {
    const x = Tensor.from(grid);
    const ops: Record<ActivationName, () => Tensor> = {
      identity: () => identity(x),
      binaryStep: () => binaryStep(x),
      sigmoid: () => sigmoid(x),
      tanh: () => tanh(x),
      arctan: () => arctan(x),
      relu: () => relu(x),
      leakyRelu: () => leakyRelu(x),
      prelu: () => prelu(x, Tensor.from([0.25])),
      elu: () => elu(x),
      softplus: () => softplus(x),
      gelu: () => gelu(x),
      // the table plots the first output of softmax([x, 0])
      softmax: () => {
        const pairs = Tensor.zeros([grid.length, 2]);
        grid.forEach((v, i) => {
          pairs.data[2 * i] = v;
        });
        const s = softmax(pairs);
        return Tensor.from(grid.map((_, i) => s.data[2 * i]));
      },
    };
    for (const name of ACTIVATION_NAMES) {
      const got = ops[name]();
      grid.forEach((v, i) => {
        const want = ACTIVATIONS[name].fn(v);
        expect(Math.abs(got.data[i] - want), `${name} at ${v}`).toBeLessThanOrEqual(1e-6 + 1e-6 * Math.abs(want));
      });
    }
  });
});

describe('output activations and applyActivation', () => {
  it('maps each task to the course choice', () => {
    expect(outputActivation('regression')).toBe('identity');
    expect(outputActivation('binary')).toBe('sigmoid');
    expect(outputActivation('multiclass')).toBe('softmax');
    expect(outputActivation('multilabel')).toBe('sigmoid');
  });

  it('applies by name with options, and refuses prelu', () => {
    const x = Tensor.from([-2, 3]);
    expect(values(applyActivation(x, 'leakyRelu', { alpha: 0.5 }))).toEqual([-1, 3]);
    expect(values(applyActivation(x, 'relu'))).toEqual([0, 3]);
    expect(values(applyActivation(x, 'gelu', { approximate: 'none' }))).toEqual(values(gelu(x, 'none')));
    expect(() => applyActivation(x, 'prelu')).toThrow(/PReLU/);
  });
});

describe('activation layers', () => {
  it('Activation applies its function and describes itself in spec()', () => {
    const layer = new Activation({ fn: 'elu', alpha: 0.5 });
    const x = Tensor.from([-1, 2], [1, 2]);
    expect(values(layer.forward(x))).toEqual(values(elu(x, 0.5)));
    expect(layer.parameters()).toEqual([]);
    expect(layer.spec()).toEqual({ type: 'Activation', config: { fn: 'elu', alpha: 0.5 } });
    expect(new Activation({ fn: 'relu' }).spec()).toEqual({ type: 'Activation', config: { fn: 'relu' } });
    expect(() => new Activation({ fn: 'prelu' as 'relu' })).toThrow(/PReLU/);
    expect(() => new Activation({ fn: 'swish' as 'relu' })).toThrow(/unknown fn 'swish'/);
  });

  it('PReLU owns a parameter named alpha, initialised to 0.25, and trains it', () => {
    const layer = new PReLU({ channels: 3 });
    expect(layer.alpha.shape).toEqual([3]);
    expect(values(layer.alpha)).toEqual([0.25, 0.25, 0.25]);
    expect(layer.namedState().map(([path]) => path)).toEqual(['alpha']);
    expect(layer.spec()).toEqual({ type: 'PReLU', config: { channels: 3, init: 0.25 } });
    const x = awayFromZero(new Rng(3), [4, 3]);
    const r = gradCheck(([t]) => wsum(layer.forward(t), 2), [x, layer.alpha]);
    expect(r.ok, r.worst).toBe(true);
  });

  it('PReLU with one shared slope accepts any shape; per-channel checks the last axis', () => {
    const shared = new PReLU();
    expect(values(shared.forward(Tensor.from([-4, 4], [2, 1])))).toEqual([-1, 4]);
    expect(() => new PReLU({ channels: 3 }).forward(Tensor.zeros([2, 4]))).toThrow(/\[2, 4\].*3 channels/);
    expect(() => new PReLU({ channels: 0 })).toThrow(/channels/);
  });
});

// The branchless kernels (kernels/activation.ts) must keep the branchy forms' edge semantics; Object.is tells
// +0 from −0 and matches NaN.
describe('activation kernels: edge semantics of the branchless selects', () => {
  const { NEGATIVE_INFINITY: NEG_INF, POSITIVE_INFINITY: INF } = Number;
  const F32_MAX = 3.4028234663852886e38;
  const F32_MIN_SUBNORMAL = 1.401298464324817e-45;
  const edges = [-2, -0, 0, 3, INF, NEG_INF, Number.NaN, -F32_MIN_SUBNORMAL, F32_MAX, -F32_MAX];
  const forward = (kind: ActivationKind, xs: number[], alpha = 0): number[] => {
    const x = Float32Array.from(xs);
    const out = new Float32Array(xs.length);
    activationForward(kind, x, out, xs.length, alpha);
    return Array.from(out);
  };
  /** dx after dx = start; dx += dy · f'(x). */
  const backward = (kind: ActivationKind, xs: number[], dys: number[], alpha = 0, start = 0.5): number[] => {
    const x = Float32Array.from(xs);
    const y = new Float32Array(xs.length);
    activationForward(kind, x, y, xs.length, alpha);
    const dx = new Float32Array(xs.length).fill(start);
    activationBackward(kind, x, y, Float32Array.from(dys), dx, xs.length, alpha);
    return Array.from(dx);
  };
  const expectSame = (got: number[], want: number[]) => {
    got.forEach((g, i) => {
      expect(Object.is(g, want[i]), `element ${i}: got ${Object.is(g, -0) ? '-0' : g}, want ${want[i]}`).toBe(true);
    });
  };

  it('relu forward is max(x, 0): +0 for negatives, −0 and −∞; +∞ and NaN kept; float32 extremes exact', () => {
    expectSame(forward(ActivationKind.Relu, edges), [0, 0, 0, 3, INF, 0, Number.NaN, 0, F32_MAX, 0]);
    // the tensor op gives the same
    expectSame(Array.from(relu(Tensor.from(edges)).data), [0, 0, 0, 3, INF, 0, Number.NaN, 0, F32_MAX, 0]);
  });

  it('relu backward adds dy for x ≥ 0 (also −0) and exactly 0 elsewhere, even for dy = ±∞ or NaN', () => {
    const xs = [-2, -0, 0, 3, INF, NEG_INF, Number.NaN];
    expectSame(backward(ActivationKind.Relu, xs, [1, 2, 3, 4, 5, 6, 7]), [0.5, 2.5, 3.5, 4.5, 5.5, 0.5, 0.5]);
    // where x < 0 (or NaN) a non-finite dy must not leak in as ∞·0 = NaN
    for (const dy of [INF, NEG_INF, Number.NaN]) {
      const dys = xs.map(() => dy);
      const passed = 0.5 + dy;
      expectSame(backward(ActivationKind.Relu, xs, dys), [0.5, passed, passed, passed, passed, 0.5, 0.5]);
    }
    // through the tensor graph: d/dx Σ relu(x)·w with w = ±∞ on the negative inputs
    const x = Tensor.from([-1, 2, -3, 0], [4], true);
    sum(mul(relu(x), Tensor.from([INF, 1, NEG_INF, 2]))).backward();
    expectSame(Array.from(x.grad!), [0, 1, 0, 2]);
  });

  it('leakyRelu: x·1 for x ≥ 0 (−0 stays −0), alpha·x below; backward is dy or alpha·dy', () => {
    expectSame(forward(ActivationKind.LeakyRelu, [-2, -0, 0, 3, INF, NEG_INF, Number.NaN], 0.25), [
      -0.5,
      -0,
      0,
      3,
      INF,
      NEG_INF,
      Number.NaN,
    ]);
    expectSame(backward(ActivationKind.LeakyRelu, [-2, -0, 3, -1, 1], [4, 4, 4, INF, NEG_INF], 0.25), [
      1.5,
      4.5,
      4.5,
      INF,
      NEG_INF,
    ]);
    // alpha = 0 is a multiply, not ReLU's select: ∞·0 = NaN, as PyTorch's leaky_relu_backward
    expectSame(backward(ActivationKind.LeakyRelu, [-1], [INF], 0), [Number.NaN]);
  });

  it('prelu: dx selects the slope per channel; dAlpha takes only x < 0, ignoring ±∞ dy at x ≥ 0', () => {
    // 2 rows × 2 channels, slopes 0.5 and 0.25
    const x = Float32Array.from([-2, 3, 0, -4]);
    const alpha = Float32Array.from([0.5, 0.25]);
    const dy = Float32Array.from([2, INF, NEG_INF, 1]);
    const dx = new Float32Array(4);
    const dAlpha = Float32Array.from([-0, -0]);
    preluBackward(x, alpha, dy, dx, dAlpha, 2, 2);
    expectSame(Array.from(dx), [1, INF, NEG_INF, 0.25]);
    expectSame(Array.from(dAlpha), [-4, -4]);
    // a channel whose inputs are all ≥ 0 gets nothing added: −0 stays −0 (no 0·∞ = NaN, no +0)
    const none = Float32Array.from([-0]);
    preluBackward(Float32Array.from([1, 0]), Float32Array.from([0.5]), Float32Array.from([INF, 5]), null, none, 2, 1);
    expectSame(Array.from(none), [-0]);
    // the kernels share a two-entry scratch: one that runs next must not see what preluBackward left there
    expectSame(forward(ActivationKind.Sigmoid, [3]), [Math.fround(1 / (1 + Math.exp(-3)))]);
    expectSame(Array.from(prelu(Tensor.from([-2, 3, 0, -4], [2, 2]), Tensor.from([0.5, 0.25])).data), [-1, 3, 0, -1]);
  });

  it('binaryStep is 1 for x ≥ 0 (also −0), 0 for x < 0 and NaN', () => {
    expectSame(forward(ActivationKind.BinaryStep, [-2, -0, 0, 3, INF, NEG_INF, Number.NaN]), [0, 1, 1, 1, 1, 0, 0]);
  });

  it('sigmoid and softplus at ±∞, ±0 and NaN (softplus(−∞) = 0, not −∞ + ∞ = NaN)', () => {
    const xs = [NEG_INF, -0, 0, INF, Number.NaN];
    expectSame(forward(ActivationKind.Sigmoid, xs), [0, 0.5, 0.5, 1, Number.NaN]);
    expectSame(forward(ActivationKind.Softplus, xs), [
      0,
      Math.fround(Math.LN2),
      Math.fround(Math.LN2),
      INF,
      Number.NaN,
    ]);
    // softplus' = σ: 0 at −∞, ½ at −0, 1 at +∞
    expectSame(backward(ActivationKind.Softplus, [NEG_INF, -0, INF], [1, 1, 1], 0, 0), [0, 0.5, 1]);
  });

  it('erf is odd to the bit and keeps its sign on a grid of ±x (|erf| < 1, erf(±∞) = ±1)', () => {
    for (let i = 1; i <= 400; i++) {
      const v = i * 0.0137;
      expect(Object.is(erf(-v), -erf(v)), `erf(±${v})`).toBe(true);
      expect(erf(v)).toBeGreaterThan(0);
      expect(erf(v)).toBeLessThanOrEqual(1);
    }
    expect(erf(INF)).toBe(1);
    expect(erf(NEG_INF)).toBe(-1);
    expect(erf(Number.NaN)).toBeNaN();
  });
});
