// The WebAssembly SIMD attention, layer-norm, softmax and activation kernels (assembly/attention.ts, norm.ts,
// softmax.ts, activation.ts) against the TypeScript kernels they replace: many shapes (sizes that are not multiples of
// 4, causal and not, with and without a dropout mask, null gradients, fused and separate q/k/v), special values, the
// size thresholds of the loader, and a gradient check of a Transformer encoder block with the wasm backend installed.
//
// Tolerances (|wasm − ts| per element, `want` the TypeScript value): wasm sums in float32 lanes and evaluates e^x and
// tanh in float32 (≤ 8e-8 and 1.4e-7 relative), where TypeScript sums and evaluates in float64 and rounds once, so
// results differ by a few float32 ulps (2⁻²⁴ ≈ 6e-8 relative). Measured worst cases on these shapes were 3e-7 absolute
// for attention gradients and 5e-7 for layer-norm gradients; the bounds below are 5–20× that, and far below the O(0.1)
// error of a wrong index, a missed mask or a dropped tail element.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { gradCheck } from '@/lib/nn/gradcheck';
import {
  ActivationKind,
  type AttentionDims,
  type KernelBackend,
  setBackend,
  typescriptBackend as ts,
} from '@/lib/nn/kernels/index';
import { ATTENTION_MIN_WORK, createWasmBackendSync, ELEMENTWISE_MIN_SIZE } from '@/lib/nn/kernels/wasm/backend';
import { TransformerEncoderBlock } from '@/lib/nn/layers/transformer';
import { dropoutMask } from '@/lib/nn/ops/dropout';
import { Rng } from '@/lib/nn/rng';
import { noGrad } from '@/lib/nn/tensor';
import { firstMismatch, rand, randomBuffer, wsum } from './helpers';

/** Every call of the new kernels runs in wasm, however small. */
const wasm: KernelBackend = createWasmBackendSync({ elementwiseMinSize: 0, attentionMinWork: 0, matmulMinWork: 0 });

/** Absolute + relative bound: |got − want| ≤ abs + rel·|want|. */
const within = (abs: number, rel: number, want: ArrayLike<number>) => (i: number) => abs + rel * Math.abs(want[i]);

function expectClose(got: Float32Array, want: Float32Array, abs: number, rel: number, what: string): void {
  expect(firstMismatch(got, want, within(abs, rel, want)), what).toBeNull();
}

afterEach(() => {
  vi.restoreAllMocks();
});

// ---------------------------------------------------------------------------------------------------------------
// Attention

interface AttentionCase {
  batch: number;
  steps: number;
  heads: number;
  headSize: number;
  /** q, k, v as three column blocks of one (B, T, 3d) buffer, as fusedSelfAttention passes them. */
  fused: boolean;
  causal: boolean;
  dropout: boolean;
}

// T and d_head on and off multiples of 4 (the kernels' vector width and 4-row tiles), one-step sequences, W2's shape.
const ATTENTION_CASES: AttentionCase[] = [
  { batch: 1, steps: 1, heads: 1, headSize: 1, fused: true, causal: false, dropout: false },
  { batch: 2, steps: 5, heads: 2, headSize: 3, fused: true, causal: true, dropout: true },
  { batch: 3, steps: 8, heads: 4, headSize: 8, fused: true, causal: false, dropout: false },
  { batch: 1, steps: 7, heads: 1, headSize: 5, fused: false, causal: true, dropout: false },
  { batch: 2, steps: 9, heads: 3, headSize: 4, fused: false, causal: false, dropout: true },
  { batch: 2, steps: 6, heads: 2, headSize: 6, fused: true, causal: true, dropout: false },
  { batch: 1, steps: 13, heads: 2, headSize: 7, fused: true, causal: false, dropout: true },
  { batch: 2, steps: 3, heads: 5, headSize: 2, fused: false, causal: true, dropout: true },
  { batch: 4, steps: 32, heads: 4, headSize: 8, fused: true, causal: true, dropout: false },
  { batch: 4, steps: 32, heads: 4, headSize: 8, fused: true, causal: false, dropout: true },
];

function attentionInputs(c: AttentionCase, seed: number) {
  const rng = new Rng(seed);
  const d = c.heads * c.headSize;
  const dims: AttentionDims = {
    batch: c.batch,
    steps: c.steps,
    heads: c.heads,
    headSize: c.headSize,
    rowStride: c.fused ? 3 * d : d,
    qOffset: 0,
    kOffset: c.fused ? d : 0,
    vOffset: c.fused ? 2 * d : 0,
    scale: 1 / Math.sqrt(c.headSize),
    causal: c.causal,
  };
  const rows = c.batch * c.steps;
  let q: Float32Array;
  let k: Float32Array;
  let v: Float32Array;
  if (c.fused) {
    q = k = v = randomBuffer(rng, rows * 3 * d, -2, 2);
  } else {
    q = randomBuffer(rng, rows * d, -2, 2);
    k = randomBuffer(rng, rows * d, -2, 2);
    v = randomBuffer(rng, rows * d, -2, 2);
  }
  const probsSize = c.batch * c.heads * c.steps * c.steps;
  const mask = c.dropout ? dropoutMask(probsSize, 0.3, rng) : null;
  const dOut = randomBuffer(rng, rows * d);
  return { dims, q, k, v, mask, dOut, rows, d, probsSize, rng };
}

function label(c: AttentionCase): string {
  return (
    `B ${c.batch}, T ${c.steps}, ${c.heads} heads of ${c.headSize}, ${c.fused ? 'fused qkv' : 'separate q, k, v'}` +
    `${c.causal ? ', causal' : ''}${c.dropout ? ', dropout mask' : ''}`
  );
}

describe('wasm attention against the TypeScript kernel (out 2e-6 + 2e-6·|want|, probs 1e-6, gradients 2e-6 + 4e-6·|want|)', () => {
  ATTENTION_CASES.forEach((c, ci) => {
    it(`forward and backward: ${label(c)}`, () => {
      const { dims, q, k, v, mask, dOut, rows, d, probsSize } = attentionInputs(c, 100 + ci);
      const run = (backend: KernelBackend) => {
        const out = new Float32Array(rows * d);
        const probs = new Float32Array(probsSize);
        backend.attentionForward(q, k, v, dims, out, probs, true, mask);
        // gradients start non-zero: the kernel accumulates
        const start = (n: number) => new Float32Array(n).fill(0.25);
        const dq = start(q.length);
        const dk = c.fused ? dq : start(k.length);
        const dv = c.fused ? dq : start(v.length);
        backend.attentionBackward(q, k, v, dims, out, probs, mask, dOut, dq, dk, dv);
        return { out, probs, dq, dk, dv };
      };
      const got = run(wasm);
      const want = run(ts);
      expectClose(got.out, want.out, 2e-6, 2e-6, 'out');
      expectClose(got.probs, want.probs, 1e-6, 0, 'probs');
      expectClose(got.dq, want.dq, 2e-6, 4e-6, 'dq');
      expectClose(got.dk, want.dk, 2e-6, 4e-6, 'dk');
      expectClose(got.dv, want.dv, 2e-6, 4e-6, 'dv');
      // the causal mask: every weight above the diagonal is exactly 0
      if (c.causal) {
        let above = 0;
        for (let bh = 0; bh < c.batch * c.heads; bh++) {
          for (let i = 0; i < c.steps; i++) {
            for (let j = i + 1; j < c.steps; j++) if (got.probs[(bh * c.steps + i) * c.steps + j] !== 0) above++;
          }
        }
        expect(above, 'weights above the diagonal that are not 0').toBe(0);
      }
    });
  });

  it('null dq, dk or dv leaves that gradient out and the others unchanged (separate q, k, v, causal, T 7, d_head 5)', () => {
    const c: AttentionCase = { batch: 2, steps: 7, heads: 2, headSize: 5, fused: false, causal: true, dropout: true };
    const { dims, q, k, v, mask, dOut, rows, d, probsSize } = attentionInputs(c, 200);
    const out = new Float32Array(rows * d);
    const probs = new Float32Array(probsSize);
    ts.attentionForward(q, k, v, dims, out, probs, true, mask);
    const full = { dq: new Float32Array(q.length), dk: new Float32Array(k.length), dv: new Float32Array(v.length) };
    ts.attentionBackward(q, k, v, dims, out, probs, mask, dOut, full.dq, full.dk, full.dv);
    for (const skip of ['dq', 'dk', 'dv'] as const) {
      const g = { dq: new Float32Array(q.length), dk: new Float32Array(k.length), dv: new Float32Array(v.length) };
      wasm.attentionBackward(
        q,
        k,
        v,
        dims,
        out,
        probs,
        mask,
        dOut,
        skip === 'dq' ? null : g.dq,
        skip === 'dk' ? null : g.dk,
        skip === 'dv' ? null : g.dv,
      );
      for (const name of ['dq', 'dk', 'dv'] as const) {
        if (name === skip) expect(g[name].every((x) => x === 0)).toBe(true);
        else expectClose(g[name], full[name], 2e-6, 4e-6, `${name} with ${skip} null`);
      }
    }
  });

  it('inference (probs kept for one head only) gives the same out, and probs holds the last head’s block', () => {
    const c: AttentionCase = { batch: 2, steps: 6, heads: 3, headSize: 5, fused: true, causal: false, dropout: false };
    const { dims, q, k, v, rows, d } = attentionInputs(c, 300);
    const run = (backend: KernelBackend) => {
      const out = new Float32Array(rows * d);
      const probs = new Float32Array(c.steps * c.steps);
      backend.attentionForward(q, k, v, dims, out, probs, false, null);
      return { out, probs };
    };
    const got = run(wasm);
    const want = run(ts);
    expectClose(got.out, want.out, 2e-6, 2e-6, 'out');
    expectClose(got.probs, want.probs, 1e-6, 0, 'probs of the last (b, h)');
  });

  it('a batch range computed alone (buffers advanced to its first row) equals those rows of the whole call, bit for bit', () => {
    const c: AttentionCase = { batch: 5, steps: 9, heads: 2, headSize: 6, fused: true, causal: true, dropout: true };
    const { dims, q, mask, dOut, rows, d, probsSize } = attentionInputs(c, 400);
    const out = new Float32Array(rows * d);
    const probs = new Float32Array(probsSize);
    wasm.attentionForward(q, q, q, dims, out, probs, true, mask);
    const dq = new Float32Array(q.length);
    wasm.attentionBackward(q, q, q, dims, out, probs, mask, dOut, dq, dq, dq);
    const [b0, b1] = [2, 5];
    const rowFloats = c.steps * dims.rowStride; // one batch row of qkv
    const outRow = c.steps * d;
    const probsRow = c.heads * c.steps * c.steps;
    const part = { ...dims, batch: b1 - b0 };
    const qPart = q.subarray(b0 * rowFloats, b1 * rowFloats);
    const maskPart = mask!.subarray(b0 * probsRow, b1 * probsRow);
    const outPart = new Float32Array((b1 - b0) * outRow);
    const probsPart = new Float32Array((b1 - b0) * probsRow);
    wasm.attentionForward(qPart, qPart, qPart, part, outPart, probsPart, true, maskPart);
    const dqPart = new Float32Array(qPart.length);
    wasm.attentionBackward(
      qPart,
      qPart,
      qPart,
      part,
      outPart,
      probsPart,
      maskPart,
      dOut.subarray(b0 * outRow, b1 * outRow),
      dqPart,
      dqPart,
      dqPart,
    );
    expect(Array.from(outPart)).toEqual(Array.from(out.subarray(b0 * outRow, b1 * outRow)));
    expect(Array.from(probsPart)).toEqual(Array.from(probs.subarray(b0 * probsRow, b1 * probsRow)));
    expect(Array.from(dqPart)).toEqual(Array.from(dq.subarray(b0 * rowFloats, b1 * rowFloats)));
  });

  it('throws naming the buffer when q is shorter than the call reads', () => {
    const c: AttentionCase = { batch: 2, steps: 4, heads: 1, headSize: 4, fused: false, causal: false, dropout: false };
    const { dims, q, k, v, rows, d, probsSize } = attentionInputs(c, 500);
    const out = new Float32Array(rows * d);
    expect(() =>
      wasm.attentionForward(q.subarray(1), k, v, dims, out, new Float32Array(probsSize), true, null),
    ).toThrow(/attentionForward: buffer 0 has 31 elements, the call reads 32/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Layer norm and softmax

const ROW_SHAPES: [number, number][] = [
  [1, 1],
  [3, 7],
  [5, 32],
  [4, 13],
  [2, 3],
  [64, 33],
];

describe('wasm layer norm against the TypeScript kernel (values 2e-6 + 2e-6·|want|, gradients 1e-5 + 1e-5·|want|)', () => {
  for (const [rows, cols] of ROW_SHAPES) {
    it(`forward and backward, (${rows}, ${cols}), every subset of dx, dgamma, dbeta`, () => {
      const rng = new Rng(rows * 100 + cols);
      const n = rows * cols;
      const x = randomBuffer(rng, n, -3, 5);
      const gamma = randomBuffer(rng, cols, 0.5, 1.5);
      const beta = randomBuffer(rng, cols);
      const dy = randomBuffer(rng, n);
      const forward = (backend: KernelBackend) => {
        const out = new Float32Array(n);
        const xhat = new Float32Array(n);
        const invStd = new Float32Array(rows);
        backend.layerNormForward(x, gamma, beta, rows, cols, 1e-5, out, xhat, invStd);
        return { out, xhat, invStd };
      };
      const got = forward(wasm);
      const want = forward(ts);
      expectClose(got.out, want.out, 2e-6, 2e-6, 'out');
      expectClose(got.xhat, want.xhat, 2e-6, 2e-6, 'xhat');
      expectClose(got.invStd, want.invStd, 0, 2e-6, 'invStd');
      for (let mask = 0; mask < 8; mask++) {
        const grads = () => ({
          dx: mask & 1 ? new Float32Array(n).fill(0.5) : null,
          dgamma: mask & 2 ? new Float32Array(cols).fill(-1) : null,
          dbeta: mask & 4 ? new Float32Array(cols).fill(2) : null,
        });
        const g = grads();
        const r = grads();
        wasm.layerNormBackward(dy, want.xhat, gamma, want.invStd, rows, cols, g.dx, g.dgamma, g.dbeta);
        ts.layerNormBackward(dy, want.xhat, gamma, want.invStd, rows, cols, r.dx, r.dgamma, r.dbeta);
        for (const name of ['dx', 'dgamma', 'dbeta'] as const) {
          if (r[name] !== null) expectClose(g[name]!, r[name]!, 1e-5, 1e-5, `${name}, outputs ${mask}`);
        }
      }
    });
  }
});

describe('wasm softmax and log-softmax rows against the TypeScript kernels (1e-6 + 1e-6·|want|)', () => {
  for (const [rows, cols] of ROW_SHAPES) {
    it(`forward and backward, (${rows}, ${cols}), scores in [−30, 30]`, () => {
      const rng = new Rng(rows * 1000 + cols);
      const n = rows * cols;
      const x = randomBuffer(rng, n, -30, 30);
      const dy = randomBuffer(rng, n);
      const y = new Float32Array(n);
      const logY = new Float32Array(n);
      ts.softmaxRows(x, y, rows, cols);
      ts.logSoftmaxRows(x, logY, rows, cols);
      const sm = new Float32Array(n);
      const lsm = new Float32Array(n);
      wasm.softmaxRows(x, sm, rows, cols);
      wasm.logSoftmaxRows(x, lsm, rows, cols);
      expectClose(sm, y, 1e-6, 1e-6, 'softmax');
      expectClose(lsm, logY, 1e-6, 1e-6, 'log-softmax');
      for (const kernel of ['softmaxRowsBackward', 'logSoftmaxRowsBackward'] as const) {
        const out = kernel === 'softmaxRowsBackward' ? y : logY;
        const got = new Float32Array(n).fill(0.5);
        const want = new Float32Array(n).fill(0.5);
        wasm[kernel](out, dy, got, rows, cols);
        ts[kernel](out, dy, want, rows, cols);
        expectClose(got, want, 1e-6, 1e-6, kernel);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Activations

// Per kind: forward and backward bounds as [abs, rel]. Sigmoid, tanh and GELU evaluate e^x / tanh in float32; GELU
// as x·σ(2u), which TypeScript's ½x(1 + tanh u) in float64 matches to about an ulp; LeakyReLU rounds alpha to float32.
const ACTIVATIONS: [ActivationKind, [number, number], [number, number]][] = [
  [ActivationKind.Relu, [0, 0], [0, 0]],
  [ActivationKind.LeakyRelu, [0, 1.2e-7], [1e-8, 1.2e-7]],
  [ActivationKind.Sigmoid, [1e-30, 2.5e-7], [1e-7, 2.5e-7]],
  [ActivationKind.Tanh, [1e-30, 2.5e-7], [1e-7, 2.5e-7]],
  [ActivationKind.GeluTanh, [1e-7, 3e-7], [2e-7, 3e-7]],
];

describe('wasm activations against the TypeScript kernels (bounds per kind: ReLU exact, others a few ulps)', () => {
  for (const [kind, [fAbs, fRel], [bAbs, bRel]] of ACTIVATIONS) {
    for (const n of [1, 3, 4, 7, 1029]) {
      it(`${ActivationKind[kind]}, n ${n}, x in [−12, 12] (forward ${fAbs} + ${fRel}·|want|, backward ${bAbs} + ${bRel}·|want|)`, () => {
        const rng = new Rng(kind * 10_000 + n);
        const x = randomBuffer(rng, n, -12, 12);
        if (n >= 3) x[1] = 0; // f'(0) = 1 for the ReLU family
        const y = new Float32Array(n);
        const yTs = new Float32Array(n);
        wasm.activationForward(kind, x, y, n, 0.1);
        ts.activationForward(kind, x, yTs, n, 0.1);
        expectClose(y, yTs, fAbs, fRel, 'forward');
        // backward from the same y (sigmoid and tanh differentiate through it), into a non-zero dx
        const dy = randomBuffer(rng, n);
        const dx = randomBuffer(rng, n);
        const dxTs = dx.slice();
        wasm.activationBackward(kind, x, yTs, dy, dx, n, 0.1);
        ts.activationBackward(kind, x, yTs, dy, dxTs, n, 0.1);
        expectClose(dx, dxTs, bAbs, bRel, 'backward');
      });
    }
  }

  it('ReLU: −0, −∞ and negatives give +0, NaN stays NaN; backward passes dy where x ≥ 0 (−0 too), 0 elsewhere', () => {
    const x = new Float32Array([-0, 0, -1, 2, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NaN, -3e-38]);
    const y = new Float32Array(8);
    wasm.activationForward(ActivationKind.Relu, x, y, 8);
    expect(Array.from(y)).toEqual([0, 0, 0, 2, 0, Number.POSITIVE_INFINITY, Number.NaN, 0]);
    for (const v of y) if (v === 0) expect(Object.is(v, 0)).toBe(true); // +0, never −0
    const dy = new Float32Array([1, 2, Number.POSITIVE_INFINITY, 4, Number.NaN, 6, 7, 8]);
    const dx = new Float32Array(8);
    const dxTs = new Float32Array(8);
    wasm.activationBackward(ActivationKind.Relu, x, y, dy, dx, 8);
    ts.activationBackward(ActivationKind.Relu, x, y, dy, dxTs, 8);
    expect(Array.from(dx)).toEqual([1, 2, 0, 4, 0, 6, 0, 0]);
    expect(Array.from(dx)).toEqual(Array.from(dxTs));
  });

  it('sigmoid, tanh and GELU at ±∞, NaN, ±0 and ±100 agree with TypeScript, forward and backward (NaN where it is NaN, else within 1e-37)', () => {
    const x = new Float32Array([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 0, -0, 100, -100, -20]);
    const n = x.length;
    const agree = (got: Float32Array, want: Float32Array, what: string) => {
      for (let i = 0; i < n; i++) {
        if (got[i] === want[i]) continue; // ±∞ and exact limits
        if (Number.isNaN(want[i])) expect(got[i], `${what}(${x[i]})`).toBeNaN();
        else expect(Math.abs(got[i] - want[i]), `${what}(${x[i]}): ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(1e-37);
      }
    };
    for (const kind of [ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.GeluTanh]) {
      const y = new Float32Array(n);
      const yTs = new Float32Array(n);
      wasm.activationForward(kind, x, y, n);
      ts.activationForward(kind, x, yTs, n);
      agree(y, yTs, ActivationKind[kind]);
      const dy = new Float32Array(n).fill(1);
      const dx = new Float32Array(n);
      const dxTs = new Float32Array(n);
      wasm.activationBackward(kind, x, yTs, dy, dx, n);
      ts.activationBackward(kind, x, yTs, dy, dxTs, n);
      agree(dx, dxTs, `${ActivationKind[kind]}'`);
    }
  });

  it('kinds without a wasm kernel (ELU, softplus, exact GELU, arctan) run the TypeScript kernel', () => {
    const spy = vi.spyOn(ts, 'activationForward');
    const x = randomBuffer(new Rng(600), 300, -3, 3);
    for (const kind of [ActivationKind.Elu, ActivationKind.Softplus, ActivationKind.GeluErf, ActivationKind.Arctan]) {
      const y = new Float32Array(300);
      wasm.activationForward(kind, x, y, 300, 1);
      expect(spy).toHaveBeenLastCalledWith(kind, x, y, 300, 1);
    }
    expect(spy).toHaveBeenCalledTimes(4);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The loader's thresholds

describe('size thresholds of the default wasm backend', () => {
  const fast = createWasmBackendSync();

  it(`activations under ELEMENTWISE_MIN_SIZE (${ELEMENTWISE_MIN_SIZE}) run in TypeScript, bit for bit; at it in wasm`, () => {
    const spy = vi.spyOn(ts, 'activationForward');
    const rng = new Rng(700);
    const small = ELEMENTWISE_MIN_SIZE - 1;
    const x = randomBuffer(rng, ELEMENTWISE_MIN_SIZE, -3, 3);
    const y = new Float32Array(small);
    fast.activationForward(ActivationKind.GeluTanh, x, y, small);
    expect(spy).toHaveBeenCalledTimes(1);
    const yTs = new Float32Array(small);
    spy.mockRestore();
    ts.activationForward(ActivationKind.GeluTanh, x, yTs, small);
    expect(Array.from(y)).toEqual(Array.from(yTs));
    const spy2 = vi.spyOn(ts, 'activationForward');
    fast.activationForward(ActivationKind.GeluTanh, x, new Float32Array(ELEMENTWISE_MIN_SIZE), ELEMENTWISE_MIN_SIZE);
    expect(spy2).not.toHaveBeenCalled();
  });

  it(`attention under ATTENTION_MIN_WORK (${ATTENTION_MIN_WORK}) runs in TypeScript; at or above it in wasm`, () => {
    const spy = vi.spyOn(ts, 'attentionForward');
    const below: AttentionCase = {
      batch: 1,
      steps: 4,
      heads: 1,
      headSize: 4,
      fused: true,
      causal: false,
      dropout: false,
    };
    const above: AttentionCase = { ...below, steps: 8, heads: 4 };
    for (const [c, runsTs] of [
      [below, true],
      [above, false],
    ] as const) {
      expect(c.batch * c.heads * c.steps * c.steps * c.headSize < ATTENTION_MIN_WORK).toBe(runsTs);
      const { dims, q, rows, d, probsSize } = attentionInputs(c, 800);
      spy.mockClear();
      fast.attentionForward(q, q, q, dims, new Float32Array(rows * d), new Float32Array(probsSize), true, null);
      expect(spy.mock.calls.length).toBe(runsTs ? 1 : 0);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A Transformer encoder block on the wasm backend

describe('TransformerEncoderBlock with the wasm backend installed (every new kernel in wasm)', () => {
  afterEach(() => setBackend(ts));

  for (const [causal, dropout] of [
    [false, 0],
    [true, 0],
    [true, 0.2],
  ] as const) {
    it(`gradCheck of the input and all 16 parameters (atol 1e-3, rtol 1e-2), B 2, T 5, d 6, 2 heads, FF 10, causal ${causal}, dropout ${dropout}`, () => {
      const rng = new Rng(900);
      const block = new TransformerEncoderBlock({ dModel: 6, numHeads: 2, ffHidden: 10, dropout, causal }, rng);
      for (const p of block.parameters()) if (p.rank === 1) p.data.set(rand(rng, p.shape, 0.5, 1.5).data);
      const x = rand(rng, [2, 5, 6]);
      // the TypeScript kernels this test replaces must not be reached (each wasm kernel falls back only below its
      // threshold, here 0)
      const fallbacks = (
        ['attentionForward', 'attentionBackward', 'layerNormForward', 'layerNormBackward'] as const
      ).map((name) => vi.spyOn(ts, name));
      const geluForward = vi.spyOn(ts, 'activationForward');
      setBackend(wasm);
      const r = gradCheck(
        ([input]) => {
          block.setDropoutRng(new Rng(901));
          return wsum(block.forward(input));
        },
        [x, ...block.parameters()],
      );
      expect(r.ok, r.worst).toBe(true);
      for (const spy of [...fallbacks, geluForward]) expect(spy).not.toHaveBeenCalled();
      // and the block's output equals the TypeScript backend's to 1e-5
      block.eval();
      const onWasm = noGrad(() => block.forward(x)).data.slice();
      setBackend(ts);
      const onTs = noGrad(() => block.forward(x)).data.slice();
      expect(firstMismatch(onWasm, onTs, () => 1e-5)).toBeNull();
    });
  }
});
