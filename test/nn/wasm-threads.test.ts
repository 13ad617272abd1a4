// The threaded wasm backend (lib/nn/kernels/wasm/threads.ts) and the fused kernels it splits: a product split by row
// panels, and an LSTM or GRU sequence split by batch rows, compute each output row exactly as one thread does, so the
// threaded results must equal the single-threaded wasm backend's bit for bit; the fused kernels (whole-sequence LSTM
// and GRU, linear + bias + ReLU) are checked against the TypeScript reference to stated tolerances, and layers
// trained on the threaded backend pass gradient checks.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradCheck } from '@/lib/nn/gradcheck';
import {
  ActivationKind,
  type AttentionDims,
  type DenseChainLayer,
  K,
  LinearActivation,
  setBackend,
  typescriptBackend as ts,
} from '@/lib/nn/kernels/index';
import { createWasmBackendSync } from '@/lib/nn/kernels/wasm/backend';
import { createThreadedWasmBackend } from '@/lib/nn/kernels/wasm/threads';
import { Activation } from '@/lib/nn/layers/activation';
import { Dense } from '@/lib/nn/layers/dense';
import { GRU, LSTM } from '@/lib/nn/layers/recurrent';
import { Sequential } from '@/lib/nn/layers/sequential';
import { TransformerEncoderBlock } from '@/lib/nn/layers/transformer';
import { Rng } from '@/lib/nn/rng';
import { noGrad, Tensor } from '@/lib/nn/tensor';
import { firstMismatch, rand, randomBuffer, wsum } from './helpers';

// Every product in wasm (no TypeScript fallback for small ones) and every call threaded, however small.
const single = createWasmBackendSync({ matmulMinWork: 0 });
const threaded = createThreadedWasmBackend({ helpers: 2, matmulMinWork: 0, threadMinWork: 0 });
const mt = threaded.backend;
afterAll(() => threaded.terminate());

function bitsEqual(got: Float32Array, want: Float32Array): number | null {
  const a = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const b = new Uint32Array(want.buffer, want.byteOffset, want.length);
  if (a.length !== b.length) return -1;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return null;
}

describe('threaded products equal single-threaded wasm bit for bit', () => {
  it('runs two helper threads', () => {
    expect(threaded.helpers).toBe(2);
    expect(mt.name).toBe('wasm-simd-3-threads');
  });

  // m below 8 stays on one thread; m not a multiple of 4 leaves a short last part; m = 9..12 gives 3 panels for
  // 3 threads; the big one is split evenly.
  const shapes: [number, number, number][] = [
    [5, 7, 3],
    [9, 13, 11],
    [12, 8, 16],
    [30, 17, 29],
    [64, 256, 64],
    [257, 33, 65],
  ];
  for (const [m, n, k] of shapes) {
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      it(`(${m}×${k})·(${k}×${n}) transA ${transA} transB ${transB}, overwrite and accumulate`, () => {
        const rng = new Rng(m * 31 + n);
        const a = randomBuffer(rng, m * k);
        const b = randomBuffer(rng, k * n);
        const start = randomBuffer(rng, m * n);
        for (const accumulate of [false, true]) {
          const one = start.slice();
          const many = start.slice();
          single.matmul(a, b, one, m, n, k, transA, transB, accumulate);
          mt.matmul(a, b, many, m, n, k, transA, transB, accumulate);
          expect(bitsEqual(many, one), `accumulate ${accumulate}`).toBeNull();
        }
      });
    }
  }

  it('matmulPacked (packed panels) splits the same way', () => {
    const rng = new Rng(5);
    const [m, n, k] = [70, 24, 19];
    const a = randomBuffer(rng, m * k);
    const b = randomBuffer(rng, k * n);
    const packed = new Float32Array(ts.packedSize(k, n));
    ts.packPanels(b, k, n, false, packed);
    const one = new Float32Array(m * n);
    const many = new Float32Array(m * n);
    single.matmulPacked(a, packed, one, m, n, k, false, false);
    mt.matmulPacked(a, packed, many, m, n, k, false, false);
    expect(bitsEqual(many, one)).toBeNull();
  });
});

describe('linearForward: product, bias and ReLU fused (against the TypeScript composition, 1e-5·Σ|x·w| + 1e-6)', () => {
  for (const [m, n, k] of [
    [3, 5, 7],
    [64, 33, 30],
    [256, 64, 30],
  ] as [number, number, number][]) {
    for (const act of [LinearActivation.None, LinearActivation.Relu]) {
      for (const withBias of [true, false]) {
        it(`(${m}×${k})·(${k}×${n}) ${LinearActivation[act]} bias ${withBias}`, () => {
          const rng = new Rng(m + n + k);
          const x = randomBuffer(rng, m * k);
          const w = randomBuffer(rng, k * n);
          const bias = withBias ? randomBuffer(rng, n) : null;
          const want = new Float32Array(m * n);
          ts.linearForward(x, w, bias, want, m, n, k, act);
          for (const backend of [single, mt]) {
            const got = new Float32Array(m * n).fill(Number.NaN); // every element must be written
            backend.linearForward(x, w, bias, got, m, n, k, act);
            expect(
              firstMismatch(got, want, () => 1e-5 * k + 1e-6),
              backend.name,
            ).toBeNull();
            if (act === LinearActivation.Relu) expect(got.every((v) => v >= 0 && !Object.is(v, -0))).toBe(true);
          }
        });
      }
    }
  }

  it('ReLU keeps NaN and gives +0 for −0 and negative sums, like the ReLU kernel', () => {
    const x = new Float32Array([Number.NaN, 1, -0, 1, -2, 1, 3, 1]); // 4 rows of (x, 1)
    const w = new Float32Array([1, 0]); // (2, 1): out = x
    const got = new Float32Array(4);
    single.linearForward(x, w, null, got, 4, 1, 2, LinearActivation.Relu);
    expect(Number.isNaN(got[0])).toBe(true);
    expect(Object.is(got[1], 0)).toBe(true);
    expect(Object.is(got[2], 0)).toBe(true);
    expect(got[3]).toBe(3);
  });
});

describe('whole-sequence LSTM kernels', () => {
  for (const [batch, hidden, steps, hasH0] of [
    [3, 5, 4, false], // hidden not a multiple of 4; batch below one panel
    [9, 8, 6, true], // three 4-row parts, the last short
    [64, 16, 5, true],
  ] as [number, number, number, boolean][]) {
    it(`forward and backward, B ${batch}, H ${hidden}, T ${steps}, h0 ${hasH0}: TypeScript (2e-5), threads = one thread (bits)`, () => {
      const rng = new Rng(batch * 7 + hidden);
      const bh = batch * hidden;
      const g4 = 4 * hidden;
      const gates = randomBuffer(rng, steps * batch * g4, -2, 2);
      const wh = randomBuffer(rng, hidden * g4, -0.5, 0.5);
      const packedWH = new Float32Array(ts.packedSize(hidden, g4));
      ts.packPanels(wh, hidden, g4, false, packedWH);
      const packedWHT = new Float32Array(ts.packedSize(g4, hidden));
      ts.packPanels(wh, g4, hidden, true, packedWHT);
      const h0 = randomBuffer(rng, bh);
      const c0 = randomBuffer(rng, bh);
      const dhOut = randomBuffer(rng, steps * bh);
      const dcOut = randomBuffer(rng, bh);
      const run = (backend: typeof ts) => {
        const g = gates.slice();
        const hs = new Float32Array((steps + 1) * bh);
        const cs = new Float32Array((steps + 1) * bh);
        const tanhC = new Float32Array(steps * bh);
        if (hasH0) hs.set(h0);
        cs.set(c0);
        backend.lstmSequenceForward(g, packedWH, hs, cs, tanhC, batch, hidden, steps, hasH0);
        const dhT = dhOut.slice();
        const dc = dcOut.slice();
        const dG = new Float32Array(steps * batch * g4);
        const dh0 = new Float32Array(bh);
        backend.lstmSequenceBackward(g, cs, tanhC, dhT, dc, dG, packedWHT, dh0, batch, hidden, steps, hasH0);
        return { g, hs, cs, tanhC, dhT, dc, dG, dh0 };
      };
      const want = run(ts);
      const one = run(single);
      const many = run(mt);
      for (const key of Object.keys(want) as (keyof typeof want)[]) {
        expect(
          firstMismatch(one[key], want[key], () => 2e-5),
          `${key} wasm vs TypeScript`,
        ).toBeNull();
        expect(bitsEqual(many[key], one[key]), `${key} threads vs one thread`).toBeNull();
      }
      if (!hasH0) expect(want.dh0.every((v) => v === 0)).toBe(true);
    });
  }
});

describe('whole-sequence GRU kernels', () => {
  for (const [batch, hidden, steps, hasH0] of [
    [3, 5, 4, false],
    [9, 8, 6, true],
    [64, 12, 5, true],
  ] as [number, number, number, boolean][]) {
    it(`forward and backward, B ${batch}, H ${hidden}, T ${steps}, h0 ${hasH0}: TypeScript (2e-5), threads = one thread (bits)`, () => {
      const rng = new Rng(batch * 11 + hidden);
      const bh = batch * hidden;
      const g3 = 3 * hidden;
      const gx = randomBuffer(rng, steps * batch * g3, -2, 2);
      const bhRow = randomBuffer(rng, g3, -0.5, 0.5);
      const wh = randomBuffer(rng, hidden * g3, -0.5, 0.5);
      const packedWH = new Float32Array(ts.packedSize(hidden, g3));
      ts.packPanels(wh, hidden, g3, false, packedWH);
      const packedWHT = new Float32Array(ts.packedSize(g3, hidden));
      ts.packPanels(wh, g3, hidden, true, packedWHT);
      const h0 = randomBuffer(rng, bh);
      const dhOut = randomBuffer(rng, steps * bh);
      const run = (backend: typeof ts) => {
        const gh = new Float32Array(steps * batch * g3);
        ts.fillRows(bhRow, gh, steps * batch, g3);
        const hs = new Float32Array((steps + 1) * bh);
        if (hasH0) hs.set(h0);
        const acts = new Float32Array(steps * batch * g3);
        backend.gruSequenceForward(gx, gh, packedWH, hs, acts, batch, hidden, steps, hasH0);
        const dhT = dhOut.slice();
        const dGx = new Float32Array(steps * batch * g3);
        const dGh = new Float32Array(steps * batch * g3);
        const dh0 = new Float32Array(bh);
        backend.gruSequenceBackward(acts, gh, hs, dhT, dGx, dGh, packedWHT, dh0, batch, hidden, steps, hasH0);
        return { gh, hs, acts, dhT, dGx, dGh, dh0 };
      };
      const want = run(ts);
      const one = run(single);
      const many = run(mt);
      for (const key of Object.keys(want) as (keyof typeof want)[]) {
        expect(
          firstMismatch(one[key], want[key], () => 2e-5),
          `${key} wasm vs TypeScript`,
        ).toBeNull();
        expect(bitsEqual(many[key], one[key]), `${key} threads vs one thread`).toBeNull();
      }
    });
  }
});

describe('threaded attention (batch rows split) equals single-threaded wasm bit for bit', () => {
  for (const [fused, causal, dropout] of [
    [true, false, false],
    [false, true, true],
    [true, true, true],
  ]) {
    it(`B 9, T 7, 2 heads of 5, ${fused ? 'fused' : 'separate'} q/k/v, causal ${causal}, dropout ${dropout}`, () => {
      const rng = new Rng(41);
      const [batch, steps, heads, headSize] = [9, 7, 2, 5];
      const d = heads * headSize;
      const rows = batch * steps;
      const dims: AttentionDims = {
        batch,
        steps,
        heads,
        headSize,
        rowStride: fused ? 3 * d : d,
        qOffset: 0,
        kOffset: fused ? d : 0,
        vOffset: fused ? 2 * d : 0,
        scale: 1 / Math.sqrt(headSize),
        causal,
      };
      const q = randomBuffer(rng, rows * (fused ? 3 * d : d), -2, 2);
      const k = fused ? q : randomBuffer(rng, rows * d, -2, 2);
      const v = fused ? q : randomBuffer(rng, rows * d, -2, 2);
      const probsSize = batch * heads * steps * steps;
      const mask = dropout ? randomBuffer(rng, probsSize, 0, 1).map((u) => (u < 0.3 ? 0 : 1 / 0.7)) : null;
      const dOut = randomBuffer(rng, rows * d);
      const run = (backend: typeof ts) => {
        const out = new Float32Array(rows * d);
        const probs = new Float32Array(probsSize);
        backend.attentionForward(q, k, v, dims, out, probs, true, mask);
        const dq = new Float32Array(q.length).fill(0.25);
        const dk = fused ? dq : new Float32Array(k.length).fill(0.25);
        const dv = fused ? dq : new Float32Array(v.length).fill(0.25);
        backend.attentionBackward(q, k, v, dims, out, probs, mask, dOut, dq, dk, dv);
        return { out, probs, dq, dk, dv };
      };
      const one = run(single);
      const many = run(mt);
      const want = run(ts);
      for (const key of Object.keys(one) as (keyof typeof one)[]) {
        expect(bitsEqual(many[key], one[key]), `${key} threads vs one thread`).toBeNull();
        expect(
          firstMismatch(many[key], want[key], (i) => 1e-5 + 1e-5 * Math.abs(want[key][i])),
          key,
        ).toBeNull();
      }
    });
  }
});

describe('layers on the threaded backend', () => {
  beforeAll(() => setBackend(mt));
  afterAll(() => setBackend(ts));

  for (const kind of ['LSTM', 'GRU'] as const) {
    it(`${kind} (2 layers, sequences out, B 9): gradient check through time (atol 1e-3, rtol 1e-2)`, () => {
      expect(K.name).toBe('wasm-simd-3-threads');
      const rng = new Rng(31);
      const config = { inputSize: 3, hiddenSize: 5, numLayers: 2, returnSequences: true };
      const layer = kind === 'LSTM' ? new LSTM(config, rng) : new GRU(config, rng);
      for (const p of layer.parameters())
        if (p.rank === 1) for (let i = 0; i < p.size; i++) p.data[i] += rng.range(-0.5, 0.5);
      const x = rand(rng, [9, 4, 3]);
      const r = gradCheck(([input]) => wsum(layer.forward(input)), [x, ...layer.parameters()]);
      expect(r.ok, r.worst).toBe(true);
    });
  }

  it('TransformerEncoderBlock (2 heads, causal, B 9): gradient check (atol 1e-3, rtol 1e-2)', () => {
    const rng = new Rng(33);
    const block = new TransformerEncoderBlock({ dModel: 8, numHeads: 2, ffHidden: 12, dropout: 0, causal: true }, rng);
    const x = rand(rng, [9, 5, 8]);
    const r = gradCheck(([input]) => wsum(block.forward(input)), [x, ...block.parameters()]);
    expect(r.ok, r.worst).toBe(true);
  });

  it('Dense → ReLU → Dense: inference (fused Dense + ReLU) equals the unfused forward to 1e-5', () => {
    const rng = new Rng(32);
    const model = new Sequential([
      new Dense({ inFeatures: 6, outFeatures: 40 }, rng),
      new Activation({ fn: 'relu' }),
      new Dense({ inFeatures: 40, outFeatures: 2 }, rng),
    ]);
    const x = rand(rng, [33, 6]);
    const fused = noGrad(() => model.forward(x)).data.slice(); // Sequential fuses under noGrad
    const unfused = model.layers.reduce((h: Tensor, l) => noGrad(() => l.forward(h)), x).data;
    expect(firstMismatch(fused, unfused, () => 1e-5)).toBeNull();
    const recorded = model.forward(new Tensor(x.data, x.shape)).data; // with the graph: Dense and ReLU apart
    expect(firstMismatch(recorded, unfused, () => 1e-5)).toBeNull();
  });
});

describe('wasm column sums (sumAxis over one outer block) against TypeScript (1e-6·rows)', () => {
  for (const [rows, cols] of [
    [1, 1024],
    [3, 401],
    [2048, 256],
    [257, 7],
  ]) {
    it(`(${rows}, ${cols}), overwrite and accumulate; other shapes fall back`, () => {
      const rng = new Rng(rows + cols);
      const x = randomBuffer(rng, rows * cols);
      for (const accumulate of [false, true]) {
        const want = new Float32Array(cols).fill(0.5);
        const got = want.slice();
        ts.sumAxis(x, 1, rows, cols, want, accumulate);
        single.sumAxis(x, 1, rows, cols, got, accumulate);
        expect(
          firstMismatch(got, want, () => 1e-6 * rows + 1e-6),
          `accumulate ${accumulate}`,
        ).toBeNull();
      }
      const outer = new Float32Array(2 * cols);
      single.sumAxis(new Float32Array(2 * rows * cols).fill(1), 2, rows, cols, outer);
      expect(outer.every((v) => v === rows)).toBe(true);
    });
  }
});

describe('dense chains (inference through stacked Dense + ReLU in one call)', () => {
  const rng = new Rng(51);
  const dims = [30, 64, 32, 1];
  const layers: DenseChainLayer[] = dims.slice(1).map((out, i) => ({
    weight: randomBuffer(rng, dims[i] * out),
    bias: i === 1 ? null : randomBuffer(rng, out),
    inFeatures: dims[i],
    outFeatures: out,
    act: i < 2 ? LinearActivation.Relu : LinearActivation.None,
  }));
  // 3 rows: below one panel (TypeScript); 5: a short panel; 600: three 256-row tiles, the last short; 4,097: a
  // thread's block spanning many tiles with a 1-row remainder
  for (const rows of [3, 5, 600, 4097]) {
    it(`${rows} rows through 30 → 64 ReLU → 32 ReLU → 1: TypeScript (1e-4 relative), threads = one thread (bits)`, () => {
      const x = randomBuffer(rng, rows * 30);
      const want = new Float32Array(rows);
      ts.denseChainForward(x, rows, layers, want);
      const one = new Float32Array(rows).fill(Number.NaN);
      single.denseChainForward(x, rows, layers, one);
      const many = new Float32Array(rows).fill(Number.NaN);
      mt.denseChainForward(x, rows, layers, many);
      expect(firstMismatch(one, want, (i) => 1e-4 * (1 + Math.abs(want[i])))).toBeNull();
      expect(bitsEqual(many, one)).toBeNull();
    });
  }
});

describe('threaded activations and layer norm (element and row ranges split) equal single-threaded wasm bit for bit', () => {
  const kinds = [ActivationKind.GeluTanh, ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.Relu];
  for (const kind of kinds) {
    for (const n of [5, 1001, 40_003]) {
      it(`kind ${ActivationKind[kind]}, ${n} elements: forward and backward`, () => {
        const rng = new Rng(n + kind);
        const x = randomBuffer(rng, n, -6, 6);
        const dy = randomBuffer(rng, n);
        const y1 = new Float32Array(n);
        const yN = new Float32Array(n);
        single.activationForward(kind, x, y1, n);
        mt.activationForward(kind, x, yN, n);
        expect(bitsEqual(yN, y1)).toBe(null);
        const dx1 = randomBuffer(new Rng(1), n);
        const dxN = dx1.slice();
        single.activationBackward(kind, x, y1, dy, dx1, n);
        mt.activationBackward(kind, x, yN, dy, dxN, n);
        expect(bitsEqual(dxN, dx1)).toBe(null);
      });
    }
  }
  for (const [rows, cols] of [
    [3, 7],
    [37, 19],
    [2048, 32],
  ]) {
    it(`layer norm forward (${rows}, ${cols})`, () => {
      const rng = new Rng(rows);
      const x = randomBuffer(rng, rows * cols, -3, 3);
      const gamma = randomBuffer(rng, cols);
      const beta = randomBuffer(rng, cols);
      const out = [new Float32Array(rows * cols), new Float32Array(rows * cols)];
      const xhat = [new Float32Array(rows * cols), new Float32Array(rows * cols)];
      const inv = [new Float32Array(rows), new Float32Array(rows)];
      single.layerNormForward(x, gamma, beta, rows, cols, 1e-5, out[0], xhat[0], inv[0]);
      mt.layerNormForward(x, gamma, beta, rows, cols, 1e-5, out[1], xhat[1], inv[1]);
      expect(bitsEqual(out[1], out[0])).toBe(null);
      expect(bitsEqual(xhat[1], xhat[0])).toBe(null);
      expect(bitsEqual(inv[1], inv[0])).toBe(null);
    });
  }
});

describe('a helper that fails', () => {
  it('reports its error to the calling thread, which can go on using the team', async () => {
    const { WorkerTeam } = await import('@/lib/nn/kernels/wasm/threads');
    const { kernelsSharedWasmBase64 } = await import('@/lib/nn/kernels/wasm/binary-shared.generated');
    const { decodeBase64, TEAM_FUNCTIONS } = await import('@/lib/nn/kernels/wasm/backend');
    const module = new WebAssembly.Module(decodeBase64(kernelsSharedWasmBase64));
    const memory = new WebAssembly.Memory({ initial: 32, maximum: 64, shared: true });
    const team = new WorkerTeam(module, memory, 1);
    try {
      const gemm = TEAM_FUNCTIONS.indexOf('gemmStrided');
      // c far past the memory's end: the helper's store traps
      team.start(0, gemm, [65536, 16, 4, 65600, 16, 16, 2 ** 30, 4, 4, 4, 0, 0, 0]);
      expect(() => team.wait()).toThrow(/helper 1 failed in gemmStrided: RuntimeError: memory access out of bounds/);
      // a valid call afterwards, above the module's static data: c (4, 4) = I · B with B = 1..16
      const f32 = new Float32Array(memory.buffer);
      const a = 65536 / 4; // float index of A; B follows at a + 16, c at a + 32
      f32.fill(0, a, a + 48);
      for (let i = 0; i < 4; i++) f32[a + i * 5] = 1;
      for (let i = 0; i < 16; i++) f32[a + 16 + i] = i + 1;
      team.start(0, gemm, [65536, 16, 4, 65600, 16, 16, 65664, 4, 4, 4, 0, 0, 0]);
      team.wait();
      expect(Array.from(f32.subarray(a + 32, a + 48))).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    } finally {
      await team.terminate();
    }
  });
});
