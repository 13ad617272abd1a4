import { describe, expect, it } from 'vitest';
import { gradCheck } from '@/lib/nn/gradcheck';
import {
  add,
  div,
  logSoftmax,
  matmul,
  mean,
  meanAxis,
  mul,
  reshape,
  softmax,
  sub,
  sum,
  sumAxis,
} from '@/lib/nn/ops/arithmetic';
import { Rng } from '@/lib/nn/rng';
import { Tensor } from '@/lib/nn/tensor';
import { rand } from './helpers';

// Weighted sum so that every output element gets a distinct gradient.
function wsum(t: Tensor, rng: Rng): Tensor {
  return sum(mul(t, rand(rng, t.shape)));
}

describe('arithmetic ops: finite-difference gradients', () => {
  const rng = new Rng(1);
  const cases: [string, number[], number[]][] = [
    ['same shape', [3, 4], [3, 4]],
    ['row vector', [5, 3], [3]],
    ['column', [4, 3], [4, 1]],
    ['batch 1', [1, 6], [1, 6]],
    ['3-D middle broadcast', [2, 1, 3], [4, 1]],
  ];
  for (const [label, sa, sb] of cases) {
    for (const [name, op] of [
      ['add', add],
      ['sub', sub],
      ['mul', mul],
    ] as const) {
      it(`${name} ${label}`, () => {
        const r = gradCheck(([a, b]) => wsum(op(a, b), new Rng(7)), [rand(rng, sa), rand(rng, sb)]);
        expect(r.ok, r.worst).toBe(true);
      });
    }
    it(`div ${label}`, () => {
      const r = gradCheck(([a, b]) => wsum(div(a, b), new Rng(7)), [rand(rng, sa), rand(rng, sb, 0.5, 2)]);
      expect(r.ok, r.worst).toBe(true);
    });
  }

  for (const [tA, tB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]) {
    it(`matmul transA=${tA} transB=${tB}`, () => {
      const m = 3;
      const k = 5;
      const n = 4;
      const a = rand(rng, tA ? [k, m] : [m, k]);
      const b = rand(rng, tB ? [n, k] : [k, n]);
      const r = gradCheck(([x, y]) => wsum(matmul(x, y, tA, tB), new Rng(3)), [a, b]);
      expect(r.ok, r.worst).toBe(true);
    });
  }

  it('reductions, reshape, softmax, log-softmax', () => {
    const x = rand(rng, [2, 3, 4]);
    for (const f of [
      (t: Tensor) => wsum(sumAxis(t, 1), new Rng(2)),
      (t: Tensor) => wsum(meanAxis(t, -1, true), new Rng(2)),
      (t: Tensor) => wsum(reshape(t, [6, -1]), new Rng(2)),
      (t: Tensor) => wsum(softmax(t), new Rng(2)),
      (t: Tensor) => wsum(logSoftmax(t), new Rng(2)),
      (t: Tensor) => mean(t),
    ]) {
      const r = gradCheck(([t]) => f(t), [x]);
      expect(r.ok, r.worst).toBe(true);
    }
  });
});

describe('arithmetic ops: values and errors', () => {
  it('matmul computes the product', () => {
    const a = Tensor.from([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = Tensor.from([7, 8, 9, 10, 11, 12], [3, 2]);
    expect(matmul(a, b).toArray()).toEqual([58, 64, 139, 154]);
  });
  it('names shapes when they do not fit', () => {
    expect(() => matmul(Tensor.zeros([2, 3]), Tensor.zeros([2, 3]))).toThrow(/\[2, 3\].*\[2, 3\]/);
    expect(() => add(Tensor.zeros([2, 3]), Tensor.zeros([4]))).toThrow(/\[2, 3\] and \[4\]/);
  });
  it('gradients accumulate across backward calls until zeroed', () => {
    const w = Tensor.from([1, 2], [2], true);
    sum(mul(w, w)).backward();
    sum(mul(w, w)).backward();
    expect(Array.from(w.grad!)).toEqual([4, 8]);
  });
});

describe('gradients handed over instead of copied (passGrad: reshape and same-shape add)', () => {
  it('x + x gives 2 everywhere (no buffer handed to both sides)', () => {
    const x = new Tensor(new Float32Array([1, -2, 3]), [3], true);
    sum(add(x, x)).backward();
    expect(Array.from(x.grad!)).toEqual([2, 2, 2]);
  });

  it('a node used by a reshape, an add and a product sums every path (finite differences)', () => {
    const rng = new Rng(12);
    const x = rand(rng, [2, 6]);
    const w = rand(rng, [3, 4]);
    const r = gradCheck(
      ([a, b]) => {
        const v = reshape(a, [3, 4]); // shares a's data; its gradient is handed back to a
        const h = add(v, mul(v, b)); // h's gradient handed to v, then the product adds its part onto it
        const z = add(reshape(h, [2, 6]), a); // and a receives a second contribution after the hand-over
        return sum(mul(z, z));
      },
      [x, w],
    );
    expect(r.ok, r.worst).toBe(true);
  });

  it('the handed-over buffer is the input gradient and the output keeps none', () => {
    const x = new Tensor(new Float32Array(4).fill(1), [4], true);
    const y = mul(x, x); // interior node
    const v = reshape(y, [2, 2]);
    const s = sum(v);
    s.backward();
    expect(Array.from(x.grad!)).toEqual([2, 2, 2, 2]);
    expect(v.grad).toBeNull();
    expect(y.grad).toBeNull(); // released after its own backward
  });
});

describe('pooled gradient buffers (released interior gradients are reused by later steps)', () => {
  it('the same step twice gives bit-identical gradients (a reused buffer starts at zero)', () => {
    const rng = new Rng(14);
    const x = new Tensor(rand(rng, [64, 48]).data, [64, 48], true); // 3,072 floats: pooled sizes
    const w = new Tensor(rand(rng, [48, 48]).data, [48, 48], true);
    const step = () => {
      x.zeroGrad();
      w.zeroGrad();
      const h = matmul(x, w);
      sum(mul(add(h, h), h)).backward();
      return [x.grad!.slice(), w.grad!.slice()];
    };
    const [gx1, gw1] = step();
    const [gx2, gw2] = step();
    expect(Array.from(gx2)).toEqual(Array.from(gx1));
    expect(Array.from(gw2)).toEqual(Array.from(gw1));
  });
});
