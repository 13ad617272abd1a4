// The one door to the numeric kernels: every layer above calls kernels through this module only, so a faster backend
// (WebAssembly SIMD, threads) can replace the reference TypeScript implementations without touching the layers.
// Kernels work on Float32Array with explicit shapes and write into buffers the caller owns.

import { type DataAllocator, setDataAllocator } from '../tensor';
import { ActivationKind, activationBackward, activationForward, preluBackward, preluForward } from './activation';
import { type AttentionDims, attentionBackward, attentionForward } from './attention';
import { gatherRows } from './batch';
import {
  avgPool1dBackward,
  avgPool1dForward,
  conv1dBackwardInput,
  conv1dBackwardParams,
  conv1dForward,
  gatherTimeStep,
  maxPool1dBackward,
  maxPool1dForward,
  scatterTimeStep,
} from './conv';
import { axpy, BinaryOp, binaryBroadcast, broadcastStrides, dot, reduceBroadcastAdd, scale } from './elementwise';
import { type DenseChainLayer, denseChainForward, fillRows, LinearActivation, linearForward } from './linear';
import {
  accumulateWeightedGrad,
  bceWithLogitsElements,
  crossEntropyRows,
  focalWithLogitsElements,
  mulBinaryClassWeights,
  mulLabelClassWeights,
  pinballLossElements,
  RegressionLoss,
  regressionLossElements,
  spreadRowWeights,
} from './loss';
import { matmul } from './matmul';
import { batchNormBackward, batchNormForward, batchNormInference, layerNormBackward, layerNormForward } from './norm';
import { adamStep, rmspropStep, sgdStep } from './optim';
import {
  fromTimeMajor,
  gruCellBackward,
  gruCellForward,
  gruSequenceBackward,
  gruSequenceForward,
  lstmCellBackward,
  lstmCellForward,
  lstmSequenceBackward,
  lstmSequenceForward,
  matmulPacked,
  packedSize,
  packPanels,
  rnnCellBackward,
  rnnCellForward,
  toTimeMajor,
} from './recurrent';
import {
  expandAxis,
  logSoftmaxRows,
  logSoftmaxRowsBackward,
  softmaxRows,
  softmaxRowsBackward,
  sumAll,
  sumAxis,
} from './reduce';
import { csrMatMul, csrMatVec, reservoirRun } from './sparse';

export interface KernelBackend {
  name: string;
  /**
   * Where tensor data lives inside step scopes (lib/nn/tensor.ts), when this backend can read it in place; absent: on
   * the JS heap, as everywhere else.
   */
  dataAllocator?: DataAllocator;
  activationForward: typeof activationForward;
  activationBackward: typeof activationBackward;
  preluForward: typeof preluForward;
  preluBackward: typeof preluBackward;
  regressionLossElements: typeof regressionLossElements;
  pinballLossElements: typeof pinballLossElements;
  bceWithLogitsElements: typeof bceWithLogitsElements;
  focalWithLogitsElements: typeof focalWithLogitsElements;
  crossEntropyRows: typeof crossEntropyRows;
  spreadRowWeights: typeof spreadRowWeights;
  mulBinaryClassWeights: typeof mulBinaryClassWeights;
  mulLabelClassWeights: typeof mulLabelClassWeights;
  accumulateWeightedGrad: typeof accumulateWeightedGrad;
  matmul: typeof matmul;
  fillRows: typeof fillRows;
  linearForward: typeof linearForward;
  denseChainForward: typeof denseChainForward;
  batchNormForward: typeof batchNormForward;
  batchNormInference: typeof batchNormInference;
  batchNormBackward: typeof batchNormBackward;
  layerNormForward: typeof layerNormForward;
  layerNormBackward: typeof layerNormBackward;
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
  sgdStep: typeof sgdStep;
  rmspropStep: typeof rmspropStep;
  adamStep: typeof adamStep;
  attentionForward: typeof attentionForward;
  attentionBackward: typeof attentionBackward;
  gatherRows: typeof gatherRows;
  toTimeMajor: typeof toTimeMajor;
  fromTimeMajor: typeof fromTimeMajor;
  lstmCellForward: typeof lstmCellForward;
  lstmCellBackward: typeof lstmCellBackward;
  lstmSequenceForward: typeof lstmSequenceForward;
  lstmSequenceBackward: typeof lstmSequenceBackward;
  gruCellForward: typeof gruCellForward;
  gruCellBackward: typeof gruCellBackward;
  gruSequenceForward: typeof gruSequenceForward;
  gruSequenceBackward: typeof gruSequenceBackward;
  rnnCellForward: typeof rnnCellForward;
  rnnCellBackward: typeof rnnCellBackward;
  packedSize: typeof packedSize;
  packPanels: typeof packPanels;
  matmulPacked: typeof matmulPacked;
  csrMatVec: typeof csrMatVec;
  csrMatMul: typeof csrMatMul;
  reservoirRun: typeof reservoirRun;
  conv1dForward: typeof conv1dForward;
  conv1dBackwardInput: typeof conv1dBackwardInput;
  conv1dBackwardParams: typeof conv1dBackwardParams;
  maxPool1dForward: typeof maxPool1dForward;
  maxPool1dBackward: typeof maxPool1dBackward;
  avgPool1dForward: typeof avgPool1dForward;
  avgPool1dBackward: typeof avgPool1dBackward;
  gatherTimeStep: typeof gatherTimeStep;
  scatterTimeStep: typeof scatterTimeStep;
}

export const typescriptBackend: KernelBackend = {
  name: 'typescript',
  activationForward,
  activationBackward,
  preluForward,
  preluBackward,
  regressionLossElements,
  pinballLossElements,
  bceWithLogitsElements,
  focalWithLogitsElements,
  crossEntropyRows,
  spreadRowWeights,
  mulBinaryClassWeights,
  mulLabelClassWeights,
  accumulateWeightedGrad,
  matmul,
  fillRows,
  linearForward,
  denseChainForward,
  batchNormForward,
  batchNormInference,
  batchNormBackward,
  layerNormForward,
  layerNormBackward,
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
  sgdStep,
  rmspropStep,
  adamStep,
  attentionForward,
  attentionBackward,
  gatherRows,
  toTimeMajor,
  fromTimeMajor,
  lstmCellForward,
  lstmCellBackward,
  lstmSequenceForward,
  lstmSequenceBackward,
  gruCellForward,
  gruCellBackward,
  gruSequenceForward,
  gruSequenceBackward,
  rnnCellForward,
  rnnCellBackward,
  packedSize,
  packPanels,
  matmulPacked,
  csrMatVec,
  csrMatMul,
  reservoirRun,
  conv1dForward,
  conv1dBackwardInput,
  conv1dBackwardParams,
  maxPool1dForward,
  maxPool1dBackward,
  avgPool1dForward,
  avgPool1dBackward,
  gatherTimeStep,
  scatterTimeStep,
};

/** The kernels in use. Replace with setBackend; layers read `K.x` at call time, so a swap takes effect at once. */
export let K: KernelBackend = typescriptBackend;

export function setBackend(backend: KernelBackend): void {
  K = backend;
  setDataAllocator(backend.dataAllocator ?? null);
}

export type { Conv1dGeometry } from './conv';
export {
  ActivationKind,
  type AttentionDims,
  BinaryOp,
  broadcastStrides,
  type DenseChainLayer,
  LinearActivation,
  RegressionLoss,
};
