// The WebAssembly SIMD backend against the TypeScript reference: products against a float64 reference and against the
// TypeScript kernels on edge, odd and random sizes, the recurrent cells element by element, and gradient checks and a
// learning run through LSTM, GRU, SimpleRNN and Dense layers with the wasm backend installed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitSync } from '@/lib/nn/fit';
import { gradCheck } from '@/lib/nn/gradcheck';
import { K, type KernelBackend, setBackend, typescriptBackend as ts } from '@/lib/nn/kernels/index';
import { createWasmBackendSync, loadWasmBackend, MATMUL_MIN_WORK } from '@/lib/nn/kernels/wasm/backend';
import { Activation } from '@/lib/nn/layers/activation';
import { Dense } from '@/lib/nn/layers/dense';
import { GRU, LSTM, SimpleRNN } from '@/lib/nn/layers/recurrent';
import { Sequential } from '@/lib/nn/layers/sequential';
import { bceWithLogits } from '@/lib/nn/losses';
import { Rng } from '@/lib/nn/rng';
import { noGrad, Tensor } from '@/lib/nn/tensor';
import { firstMismatch, matmulReference, rand, randomBuffer, wsum } from './helpers';

// Tolerances. Products: |c − c64| ≤ 1e-5 · Σ_p |a_ip·b_pj| + 1e-30 — wasm sums in float32 (the TypeScript kernel in
// float64 per slice), so errors grow like √k·2⁻²⁴ of the absolute sum; 1e-5 stays far below the O(1) errors of an
// indexing or transpose bug. Cells: |wasm − ts| ≤ 2e-6 absolute — both evaluate the same rational tanh, wasm in
// float32 and TypeScript in float64 (each within 3e-7 of tanh), and states are O(1).

/** Every product runs in wasm, however small (the default sends products under MATMUL_MIN_WORK to TypeScript). */
const wasm: KernelBackend = createWasmBackendSync({ matmulMinWork: 0 });

// Sizes crossing the 4 × 8 micro-tile's edges (m mod 4, n mod 8 and n mod 4 all ≠ 0), thin shapes, and the
// engine's own shapes (LSTM step, W3 layers, a long k like the dW products over T·B rows).
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 3],
  [5, 1, 9],
  [3, 5, 2],
  [4, 8, 1],
  [7, 13, 11],
  [9, 4, 17],
  [17, 31, 29],
  [64, 256, 64],
  [256, 64, 30],
  [30, 64, 1000],
  [6, 1, 301], // one output column: dot products along rows, over two blocks of the sum
];

describe('wasm matmul against a float64 reference and the TypeScript kernel (1e-5 · Σ|a·b|)', () => {
  const rng = new Rng(3);
  for (const [m, n, k] of SHAPES) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`(${m}×${k})·(${k}×${n}) transA ${transA} transB ${transB}, overwrite and accumulate`, () => {
          const a = randomBuffer(rng, m * k);
          const b = randomBuffer(rng, k * n);
          const start = randomBuffer(rng, m * n);
          const { value, magnitude: scale } = matmulReference(a, b, m, n, k, transA, transB);
          const tol = (i: number) => 1e-5 * scale[i] + 1e-30;
          for (const accumulate of [false, true]) {
            const got = start.slice();
            const fromTs = start.slice();
            wasm.matmul(a, b, got, m, n, k, transA, transB, accumulate);
            ts.matmul(a, b, fromTs, m, n, k, transA, transB, accumulate);
            const want = accumulate ? value.map((v, i) => v + start[i]) : value;
            const tolAcc = (i: number) => tol(i) + (accumulate ? 1e-7 * Math.abs(start[i]) : 0);
            expect(firstMismatch(got, want, tolAcc), `wasm vs float64, accumulate ${accumulate}`).toBeNull();
            expect(
              firstMismatch(got, fromTs, (i) => 2 * tolAcc(i)),
              `wasm vs TypeScript`,
            ).toBeNull();
          }
        });
      }
    }
  }

  it('writes only the (m, n) block of c and reads only the first m·k / k·n elements of a and b', () => {
    const rng2 = new Rng(4);
    const [m, n, k] = [5, 6, 7];
    const a = randomBuffer(rng2, m * k + 9);
    const b = randomBuffer(rng2, k * n + 9);
    const c = new Float32Array(m * n + 5).fill(42);
    wasm.matmul(a, b, c, m, n, k);
    const want = matmulReference(a, b, m, n, k, false, false).value;
    expect(firstMismatch(c.subarray(0, m * n), want, () => 1e-5 * k)).toBeNull();
    expect(Array.from(c.subarray(m * n))).toEqual([42, 42, 42, 42, 42]);
  });

  it('reads subarray views at their offsets (the layers pass per-step views of one buffer)', () => {
    const rng2 = new Rng(5);
    const [m, n, k] = [6, 10, 9];
    const big = randomBuffer(rng2, 3 + m * k + k * n);
    const a = big.subarray(3, 3 + m * k);
    const b = big.subarray(3 + m * k);
    const cBig = new Float32Array(2 + m * n);
    wasm.matmul(a, b, cBig.subarray(2), m, n, k);
    const want = matmulReference(a.slice(), b.slice(), m, n, k, false, false).value;
    expect(firstMismatch(cBig.subarray(2), want, () => 1e-5 * k)).toBeNull();
    expect(cBig[0]).toBe(0);
    expect(cBig[1]).toBe(0);
  });

  it('stays correct after its memory grows (a 512 × 512 × 512 product after small ones)', () => {
    const rng2 = new Rng(6);
    wasm.matmul(randomBuffer(rng2, 16), randomBuffer(rng2, 16), new Float32Array(16), 4, 4, 4);
    const s = 512;
    const a = randomBuffer(rng2, s * s);
    const b = randomBuffer(rng2, s * s);
    const c = new Float32Array(s * s);
    wasm.matmul(a, b, c, s, s, s, true, false);
    // spot-check 64 entries against float64 (the full reference would take seconds)
    for (let t = 0; t < 64; t++) {
      const i = (t * 97) % s;
      const j = (t * 193) % s;
      let want = 0;
      let scale = 0;
      for (let p = 0; p < s; p++) {
        want += a[p * s + i] * b[p * s + j];
        scale += Math.abs(a[p * s + i] * b[p * s + j]);
      }
      expect(Math.abs(c[i * s + j] - want)).toBeLessThanOrEqual(1e-5 * scale);
    }
  });

  it('propagates NaN and Inf like IEEE arithmetic (0·Inf is NaN, not skipped)', () => {
    const a = new Float32Array([0, 1, 1, 1, 1, 1, 1, 1]); // (4, 2)
    const b = new Float32Array([Number.POSITIVE_INFINITY, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]); // (2, 8)
    const c = new Float32Array(32);
    wasm.matmul(a, b, c, 4, 8, 2);
    expect(c[0]).toBeNaN();
    expect(c[8]).toBe(Number.POSITIVE_INFINITY);
    expect(c[1]).toBe(1); // 0·1 + 1·1: a zero times a finite value adds nothing
  });

  it('throws naming the shapes when a buffer is too small', () => {
    expect(() => wasm.matmul(new Float32Array(5), new Float32Array(6), new Float32Array(4), 2, 2, 3)).toThrow(
      /\(2×3\) · \(3×2\) → \(2×2\).*a has 5/,
    );
  });

  it('the default backend sends products under MATMUL_MIN_WORK and dot products to TypeScript, bit for bit', () => {
    const fast = createWasmBackendSync();
    const rng2 = new Rng(8);
    for (const [m, n, k] of [
      [4, 4, 4],
      [1, 1, 1000],
    ] as const) {
      expect(m * n * k < MATMUL_MIN_WORK || m * n < 4).toBe(true);
      const a = randomBuffer(rng2, m * k);
      const b = randomBuffer(rng2, k * n);
      const c1 = new Float32Array(m * n);
      const c2 = new Float32Array(m * n);
      fast.matmul(a, b, c1, m, n, k);
      ts.matmul(a, b, c2, m, n, k);
      expect(Array.from(c1)).toEqual(Array.from(c2));
    }
  });
});

describe('wasm matmulPacked (panels packed by packPanels) against float64 (1e-5 · Σ|a·b|)', () => {
  const rng = new Rng(9);
  for (const [m, n, k] of SHAPES) {
    for (const transA of [false, true]) {
      it(`(${m}×${k})·packed(${k}×${n}) transA ${transA}, transposed and plain panels, overwrite and accumulate`, () => {
        const a = randomBuffer(rng, m * k);
        for (const transB of [false, true]) {
          const b = randomBuffer(rng, k * n);
          const packed = new Float32Array(wasm.packedSize(k, n));
          wasm.packPanels(b, k, n, transB, packed);
          const start = randomBuffer(rng, m * n);
          const { value, magnitude: scale } = matmulReference(a, b, m, n, k, transA, transB);
          for (const accumulate of [false, true]) {
            const got = start.slice();
            wasm.matmulPacked(a, packed, got, m, n, k, transA, accumulate);
            const want = accumulate ? value.map((v, i) => v + start[i]) : value;
            const tol = (i: number) => 1e-5 * scale[i] + (accumulate ? 1e-7 * Math.abs(start[i]) : 1e-30);
            expect(firstMismatch(got, want, tol), `transB ${transB} accumulate ${accumulate}`).toBeNull();
          }
        }
      });
    }
  }
});

describe('wasm recurrent cells against the TypeScript cells (2e-6 absolute)', () => {
  const close = (got: Float32Array, want: Float32Array, what: string) =>
    expect(
      firstMismatch(got, want, () => 2e-6),
      what,
    ).toBeNull();

  for (const [batch, hidden] of [
    [3, 6], // hidden not a multiple of 4: the scalar tail
    [5, 8],
    [2, 13],
  ]) {
    it(`LSTM forward and backward, B ${batch}, H ${hidden}`, () => {
      const rng = new Rng(batch * 100 + hidden);
      const bh = batch * hidden;
      const gates = randomBuffer(rng, 4 * bh, -4, 4);
      const cPrev = randomBuffer(rng, bh, -2, 2);
      const out = () => ({
        g: gates.slice(),
        c: new Float32Array(bh),
        t: new Float32Array(bh),
        h: new Float32Array(bh),
      });
      const w = out();
      const r = out();
      wasm.lstmCellForward(w.g, cPrev, w.c, w.t, w.h, batch, hidden);
      ts.lstmCellForward(r.g, cPrev, r.c, r.t, r.h, batch, hidden);
      close(w.g, r.g, 'gate activations');
      close(w.c, r.c, 'c');
      close(w.t, r.t, 'tanh c');
      close(w.h, r.h, 'h');
      const dh = randomBuffer(rng, bh);
      const dc = randomBuffer(rng, bh);
      const dcW = dc.slice();
      const dcR = dc.slice();
      const dGW = new Float32Array(4 * bh);
      const dGR = new Float32Array(4 * bh);
      wasm.lstmCellBackward(r.g, cPrev, r.t, dh, dcW, dGW, batch, hidden);
      ts.lstmCellBackward(r.g, cPrev, r.t, dh, dcR, dGR, batch, hidden);
      close(dGW, dGR, 'dGates');
      close(dcW, dcR, 'dc_{t−1}');
    });

    it(`GRU forward and backward, B ${batch}, H ${hidden}`, () => {
      const rng = new Rng(batch * 1000 + hidden);
      const bh = batch * hidden;
      const gx = randomBuffer(rng, 3 * bh, -3, 3);
      const gh = randomBuffer(rng, 3 * bh, -3, 3);
      const hPrev = randomBuffer(rng, bh);
      const hW = new Float32Array(bh);
      const hR = new Float32Array(bh);
      const aW = new Float32Array(3 * bh);
      const aR = new Float32Array(3 * bh);
      wasm.gruCellForward(gx, gh, hPrev, hW, aW, batch, hidden);
      ts.gruCellForward(gx, gh, hPrev, hR, aR, batch, hidden);
      close(aW, aR, 'gate activations');
      close(hW, hR, 'h');
      const dh = randomBuffer(rng, bh);
      const dhPrev = randomBuffer(rng, bh);
      const dpW = dhPrev.slice();
      const dpR = dhPrev.slice();
      const out = () => [new Float32Array(3 * bh), new Float32Array(3 * bh)];
      const [dxW, dhW] = out();
      const [dxR, dhR] = out();
      wasm.gruCellBackward(aR, gh, hPrev, dh, dpW, dxW, dhW, batch, hidden);
      ts.gruCellBackward(aR, gh, hPrev, dh, dpR, dxR, dhR, batch, hidden);
      close(dxW, dxR, 'dGx');
      close(dhW, dhR, 'dGh');
      close(dpW, dpR, 'dhPrev (accumulated)');
    });
  }

  it('SimpleRNN tanh in place over 4-lane blocks and a tail (n 11), including |x| past the clamp', () => {
    const pre = new Float32Array([-20, -8, -3, -1, -0.1, 0, 1e-5, 0.5, 2, 9, 30]);
    const w = pre.slice();
    const r = pre.slice();
    wasm.rnnCellForward(w, w.length);
    ts.rnnCellForward(r, r.length);
    close(w, r, 'tanh');
    for (const v of w) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });
});

describe('layers on the wasm backend (every product in wasm)', () => {
  beforeAll(() => setBackend(wasm));
  afterAll(() => setBackend(ts));

  it('is the backend in use', () => {
    expect(K.name).toBe('wasm-simd');
  });

  for (const kind of ['LSTM', 'GRU', 'SimpleRNN'] as const) {
    it(`${kind}: gradient check through time, B 3, T 4, H 5, 2 layers, sequence out (atol 1e-3, rtol 1e-2)`, () => {
      const rng = new Rng(21);
      const config = { inputSize: 3, hiddenSize: 5, numLayers: 2, returnSequences: true };
      const layer =
        kind === 'LSTM' ? new LSTM(config, rng) : kind === 'GRU' ? new GRU(config, rng) : new SimpleRNN(config, rng);
      for (const p of layer.parameters())
        if (p.rank === 1) for (let i = 0; i < p.size; i++) p.data[i] += rng.range(-0.5, 0.5);
      const x = rand(rng, [3, 4, 3]);
      const r = gradCheck(([input]) => wsum(layer.forward(input)), [x, ...layer.parameters()]);
      expect(r.ok, r.worst).toBe(true);
    });

    it(`${kind}: forward equals the TypeScript backend's to 2e-6 (B 4, T 6, H 12)`, () => {
      const rng = new Rng(22);
      const config = { inputSize: 5, hiddenSize: 12, returnSequences: true };
      const layer =
        kind === 'LSTM' ? new LSTM(config, rng) : kind === 'GRU' ? new GRU(config, rng) : new SimpleRNN(config, rng);
      const x = rand(rng, [4, 6, 5]);
      const onWasm = noGrad(() => layer.forward(x)).data.slice();
      setBackend(ts);
      const onTs = noGrad(() => layer.forward(x)).data.slice();
      setBackend(wasm);
      expect(firstMismatch(onWasm, onTs, () => 2e-6)).toBeNull();
    });
  }

  it('Dense → tanh → Dense: gradient check (atol 1e-3, rtol 1e-2)', () => {
    const rng = new Rng(23);
    const model = new Sequential([
      new Dense({ inFeatures: 6, outFeatures: 9 }, rng),
      new Activation({ fn: 'tanh' }),
      new Dense({ inFeatures: 9, outFeatures: 3 }, rng),
    ]);
    const x = rand(rng, [7, 6]);
    const r = gradCheck(([input]) => wsum(model.forward(input)), [x, ...model.parameters()]);
    expect(r.ok, r.worst).toBe(true);
  });

  it('learns a noisy linear rule, 8-16-1 ReLU MLP, Adam, 30 epochs: ≥ 90% training accuracy', () => {
    const rng = new Rng(24);
    const rows = 512;
    const x = new Float32Array(rows * 8);
    const y = new Float32Array(rows);
    const w = Array.from({ length: 8 }, () => rng.normal());
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < 8; j++) s += (x[r * 8 + j] = rng.normal()) * w[j];
      y[r] = s + 0.1 * rng.normal() > 0 ? 1 : 0;
    }
    const model = new Sequential([
      new Dense({ inFeatures: 8, outFeatures: 16 }, rng),
      new Activation({ fn: 'relu' }),
      new Dense({ inFeatures: 16, outFeatures: 1 }, rng),
    ]);
    fitSync(
      model,
      { x, xShape: [rows, 8], y, yShape: [rows, 1] },
      {
        loss: bceWithLogits,
        optimizer: { type: 'adam', lr: 0.01 },
        epochs: 30,
        batchSize: 64,
        seed: 1,
      },
    );
    const logits = noGrad(() => model.forward(new Tensor(x, [rows, 8]))).data;
    let correct = 0;
    for (let r = 0; r < rows; r++) if (logits[r] > 0 === (y[r] === 1)) correct++;
    expect(correct / rows).toBeGreaterThanOrEqual(0.9);
  });
});

describe('loading', () => {
  it('loadWasmBackend (asynchronous compile, as in a browser) gives a working backend', async () => {
    const backend = await loadWasmBackend({ matmulMinWork: 0 });
    const c = new Float32Array(4);
    backend.matmul(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), c, 2, 2, 2);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
  });
});
