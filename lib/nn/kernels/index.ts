// The one door to the numeric kernels: every layer above calls kernels through this module only, so a faster backend
// (WebAssembly SIMD, threads) can replace the reference TypeScript implementations without touching the layers.
// Kernels work on Float32Array with explicit shapes and write into buffers the caller owns.

import { axpy, BinaryOp, binaryBroadcast, broadcastStrides, dot, reduceBroadcastAdd, scale } from './elementwise';
import { matmul } from './matmul';
import {
  expandAxis,
  logSoftmaxRows,
  logSoftmaxRowsBackward,
  softmaxRows,
  softmaxRowsBackward,
  sumAll,
  sumAxis,
} from './reduce';

export interface KernelBackend {
  name: string;
  matmul: typeof matmul;
  binaryBroadcast: typeof binaryBroadcast;
  reduceBroadcastAdd: typeof reduceBroadcastAdd;
  axpy: typeof axpy;
  scale: typeof scale;
  dot: typeof dot;
  sumAll: typeof sumAll;
  sumAxis: typeof sumAxis;
  expandAxis: typeof expandAxis;
  softmaxRows: typeof softmaxRows;
  logSoftmaxRows: typeof logSoftmaxRows;
  softmaxRowsBackward: typeof softmaxRowsBackward;
  logSoftmaxRowsBackward: typeof logSoftmaxRowsBackward;
}

export const typescriptBackend: KernelBackend = {
  name: 'typescript',
  matmul,
  binaryBroadcast,
  reduceBroadcastAdd,
  axpy,
  scale,
  dot,
  sumAll,
  sumAxis,
  expandAxis,
  softmaxRows,
  logSoftmaxRows,
  softmaxRowsBackward,
  logSoftmaxRowsBackward,
};

/** The kernels in use. Replace with setBackend; layers read `K.x` at call time, so a swap takes effect at once. */
export let K: KernelBackend = typescriptBackend;

export function setBackend(backend: KernelBackend): void {
  K = backend;
}

export { BinaryOp, broadcastStrides };
