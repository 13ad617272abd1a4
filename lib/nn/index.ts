// Public exports of the engine (lib/nn): what the app, the job worker and the Lab import. Append-only: add a line
// for a new module rather than reordering.

export * from './activations';
// both ops/arithmetic and activations export softmax; the activation is the public one
export { softmax } from './activations';
export * from './checksum';
export * from './datasets';
export * from './diagnostics';
export * from './fit';
export * from './gradcheck';
export * from './init';
export { K, type KernelBackend, setBackend, typescriptBackend } from './kernels';
export * from './layers/activation';
export * from './layers/batchnorm';
export * from './layers/dense';
export * from './layers/dropout';
export * from './layers/layernorm';
export * from './layers/perceptron';
export * from './layers/registry';
export * from './layers/residual';
export * from './layers/sequential';
export * from './losses';
export * from './module';
export * from './ops/arithmetic';
export * from './ops/dropout';
export * from './ops/linear';
export * from './ops/normalization';
export * from './optim';
export * from './persistence';
export * from './rng';
export * from './schedule';
export * from './tensor';
