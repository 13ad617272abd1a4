// Tensor data resident in wasm memory (lib/nn/tensor.ts step scopes, the ResidentHeap of lib/nn/kernels/wasm/backend.ts):
// inside fit's training steps, op outputs and interior gradients live in the backend's shared memory and kernels use
// them in place instead of copying. The kernels are the same, so training on the resident backend must give the
// copying backend's parameters and losses bit for bit — with every block given back at the end of a step filled with
// NaN (poisonScopedData), so a tensor used after its step, or a kernel leaving part of an uninitialised output
// unwritten, would show. Plus: operands that alias each other keep the semantics of separate copies, blocks are all
// given back after a step, and memory stays at one step's peak across steps.

import { afterAll, describe, expect, it } from 'vitest';
import { gelu } from '@/lib/nn/activations';
import { fitSync } from '@/lib/nn/fit';
import { BinaryOp, K, type KernelBackend, setBackend, typescriptBackend as ts } from '@/lib/nn/kernels/index';
import { createWasmBackendSync } from '@/lib/nn/kernels/wasm/backend';
import { createThreadedWasmBackend } from '@/lib/nn/kernels/wasm/threads';
import { Activation } from '@/lib/nn/layers/activation';
import { BatchNorm } from '@/lib/nn/layers/batchnorm';
import { Conv1D } from '@/lib/nn/layers/conv1d';
import { Dense } from '@/lib/nn/layers/dense';
import { Dropout } from '@/lib/nn/layers/dropout';
import { GlobalAvgPool1D } from '@/lib/nn/layers/pooling';
import { SinusoidalPositionalEncoding } from '@/lib/nn/layers/positional';
import { GRU, LSTM, SimpleRNN } from '@/lib/nn/layers/recurrent';
import { ResidualBlock } from '@/lib/nn/layers/residual';
import { Sequential } from '@/lib/nn/layers/sequential';
import { TCNBlock } from '@/lib/nn/layers/tcn';
import { TransformerEncoderBlock } from '@/lib/nn/layers/transformer';
import { mse } from '@/lib/nn/losses';
import type { Module } from '@/lib/nn/module';
import { Adam } from '@/lib/nn/optim';
import { Rng } from '@/lib/nn/rng';
import { closeStepScope, openStepScope, Tensor } from '@/lib/nn/tensor';
import { randomBuffer } from './helpers';

const copying = createWasmBackendSync();
const residentTeam = createThreadedWasmBackend({ helpers: 0, poisonScopedData: true });
const resident = residentTeam.backend;
afterAll(async () => {
  setBackend(ts);
  await residentTeam.terminate();
});

function firstBitDifference(a: Float32Array, b: Float32Array): number | null {
  if (a.length !== b.length) return -1;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return null;
}

interface Case {
  name: string;
  model: (rng: Rng) => Module;
  /** (n, ...row) input shape and output width */
  xRow: number[];
  yWidth: number;
}

const cases: Case[] = [
  {
    name: 'MLP with batch norm, dropout and GELU',
    model: (rng) =>
      new Sequential([
        new Dense({ inFeatures: 12, outFeatures: 64 }, rng),
        new BatchNorm({ features: 64 }),
        new Activation({ fn: 'relu' }),
        new Dropout({ rate: 0.2 }, rng),
        new Dense({ inFeatures: 64, outFeatures: 48 }, rng),
        new Activation({ fn: 'gelu' }),
        new ResidualBlock({ features: 48, hidden: 96, dropout: 0.1, norm: 'layer' }, rng),
        new Dense({ inFeatures: 48, outFeatures: 2 }, rng),
      ]),
    xRow: [12],
    yWidth: 2,
  },
  {
    name: 'two-layer LSTM',
    model: (rng) =>
      new Sequential([
        new LSTM({ inputSize: 5, hiddenSize: 32, numLayers: 2, dropout: 0.1 }, rng),
        new Dense({ inFeatures: 32, outFeatures: 1 }, rng),
      ]),
    xRow: [16, 5],
    yWidth: 1,
  },
  {
    name: 'GRU',
    model: (rng) =>
      new Sequential([
        new GRU({ inputSize: 5, hiddenSize: 24, returnSequences: true }, rng),
        new GlobalAvgPool1D(),
        new Dense({ inFeatures: 24, outFeatures: 1 }, rng),
      ]),
    xRow: [16, 5],
    yWidth: 1,
  },
  {
    name: 'simple RNN',
    model: (rng) =>
      new Sequential([
        new SimpleRNN({ inputSize: 5, hiddenSize: 24 }, rng),
        new Dense({ inFeatures: 24, outFeatures: 1 }, rng),
      ]),
    xRow: [16, 5],
    yWidth: 1,
  },
  {
    name: 'temporal CNN',
    model: (rng) =>
      new Sequential([
        new Conv1D({ inChannels: 5, outChannels: 32, kernelSize: 3 }, rng),
        new TCNBlock({ channels: 32, kernelSize: 3, dilation: 2, dropout: 0.1 }, rng),
        new GlobalAvgPool1D(),
        new Dense({ inFeatures: 32, outFeatures: 1 }, rng),
      ]),
    xRow: [16, 5],
    yWidth: 1,
  },
  {
    name: 'causal Transformer with dropout',
    model: (rng) =>
      new Sequential([
        new Dense({ inFeatures: 5, outFeatures: 32 }, rng),
        new SinusoidalPositionalEncoding({ dModel: 32 }),
        new TransformerEncoderBlock({ dModel: 32, numHeads: 4, ffHidden: 64, dropout: 0.1, causal: true }, rng),
        new TransformerEncoderBlock({ dModel: 32, numHeads: 4, ffHidden: 64, dropout: 0.1 }, rng),
        new GlobalAvgPool1D(),
        new Dense({ inFeatures: 32, outFeatures: 1 }, rng),
      ]),
    xRow: [16, 5],
    yWidth: 1,
  },
];

/** Trains case c from seed 7 on backend b for 2 epochs of 96 rows in batches of 32 (and a last one of 16). */
function train(c: Case, backend: KernelBackend): { params: Float32Array[]; losses: number[] } {
  setBackend(backend);
  try {
    const model = c.model(new Rng(7));
    const rng = new Rng(11);
    const rows = 112;
    const rowSize = c.xRow.reduce((a, b) => a * b, 1);
    const data = {
      x: randomBuffer(rng, rows * rowSize),
      xShape: [rows, ...c.xRow],
      y: randomBuffer(rng, rows * c.yWidth),
      yShape: [rows, c.yWidth],
    };
    const history = fitSync(model, data, {
      loss: mse,
      optimizer: new Adam(model.parameters(), { lr: 1e-3 }),
      epochs: 2,
      batchSize: 32,
      rng: new Rng(3),
    });
    return { params: model.parameters().map((p) => p.data.slice()), losses: history.loss };
  } finally {
    setBackend(ts);
  }
}

describe('training with tensors resident in wasm memory equals training with copies, bit for bit', () => {
  it('the shared-memory backend offers an allocator and the copying one does not', () => {
    expect(resident.dataAllocator).toBeDefined();
    expect(copying.dataAllocator).toBeUndefined();
  });

  for (const c of cases) {
    it(c.name, () => {
      const want = train(c, copying);
      const got = train(c, resident);
      expect(got.losses.every(Number.isFinite)).toBe(true);
      expect(got.losses).toEqual(want.losses);
      for (let i = 0; i < want.params.length; i++) expect(firstBitDifference(got.params[i], want.params[i])).toBe(null);
    });
  }
});

describe('step scopes', () => {
  it('put op outputs in wasm memory, give them back on close (poisoned with NaN), and reuse them', () => {
    setBackend(resident);
    try {
      const allocator = resident.dataAllocator!;
      const before = allocator.open();
      const scope = openStepScope();
      const x = Tensor.zeros([64, 32]);
      x.data.fill(2);
      const small = Tensor.zeros([4, 4]); // below the size worth a block: an ordinary array
      const y = gelu(x, 'tanh');
      expect(x.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(small.data.buffer).toBeInstanceOf(ArrayBuffer);
      expect(y.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(y.data[0]).toBeCloseTo(1.9546, 4);
      closeStepScope(scope);
      expect(allocator.open()).toBe(before); // every block given back
      expect(Number.isNaN(x.data[0]) && Number.isNaN(y.data[100])).toBe(true);
      expect(small.data[0]).toBe(0);
      // the next scope gets the same blocks back, zeroed
      const again = openStepScope();
      const z = Tensor.zeros([64, 32]);
      expect(z.data.byteOffset === x.data.byteOffset || z.data.byteOffset === y.data.byteOffset).toBe(true);
      expect(z.data.every((v) => v === 0)).toBe(true);
      closeStepScope(again);
      // outside a scope, tensors are ordinary arrays
      expect(Tensor.zeros([64, 32]).data.buffer).toBeInstanceOf(ArrayBuffer);
    } finally {
      setBackend(ts);
    }
  });

  it('closing without an open scope is an error', () => {
    expect(() => closeStepScope(0)).toThrow(/no step scope is open/);
  });

  it('operands that alias each other behave as separate copies (in-place add, y += y)', () => {
    setBackend(resident);
    try {
      const scope = openStepScope();
      const rng = new Rng(5);
      const a = Tensor.zeros([64, 32]);
      const b = Tensor.zeros([64, 32]);
      a.data.set(randomBuffer(rng, a.size));
      b.data.set(randomBuffer(rng, b.size));
      const wantSum = new Float32Array(a.size);
      ts.binaryBroadcast(BinaryOp.Add, a.data, a.shape, b.data, b.shape, wantSum, a.shape);
      K.binaryBroadcast(BinaryOp.Add, a.data, a.shape, b.data, b.shape, a.data, a.shape); // a ← a + b
      expect(firstBitDifference(a.data, wantSum)).toBe(null);
      const wantDouble = a.data.map((v) => v + v);
      K.axpy(1, a.data, a.data); // a ← a + a
      expect(firstBitDifference(a.data, wantDouble)).toBe(null);
      // a half-overlapping pair: out is a shifted view of the same block
      const shifted = a.data.subarray(4, 4 + 1024);
      const src = a.data.subarray(0, 1024);
      const want = new Float32Array(1024);
      ts.axpy(2, src, want);
      const expected = shifted.map((v, i) => v + want[i]);
      K.axpy(2, src, shifted);
      expect(Array.from(shifted)).toEqual(Array.from(expected));
      closeStepScope(scope);
    } finally {
      setBackend(ts);
    }
  });

  it('memory stays at one step peak: more training reserves no more blocks', () => {
    const c = cases.find((x) => x.name.startsWith('causal Transformer'))!;
    setBackend(resident);
    try {
      const allocator = resident.dataAllocator!;
      const model = c.model(new Rng(1));
      const rng = new Rng(2);
      const data = { x: randomBuffer(rng, 64 * 80), xShape: [64, 16, 5], y: randomBuffer(rng, 64), yShape: [64, 1] };
      const opts = { loss: mse, optimizer: new Adam(model.parameters()), epochs: 1, batchSize: 32, rng: new Rng(3) };
      fitSync(model, data, opts);
      const reserved = allocator.reservedBytes();
      expect(reserved).toBeGreaterThan(100_000); // the step's tensors did go to wasm memory
      fitSync(model, data, { ...opts, epochs: 3 });
      expect(allocator.reservedBytes()).toBe(reserved);
      expect(allocator.open()).toBe(0);
    } finally {
      setBackend(ts);
    }
  });
});
