// Public exports of the engine (lib/nn): what the app, the job worker and the Lab import. To publish a new module,
// add one line (biome keeps the lines sorted); never remove one.

export * from './activations';
// both ops/arithmetic and activations export softmax; the activation is the public one
export { softmax } from './activations';
export * from './checksum';
export * from './datasets';
export * from './diagnostics';
export * from './esn';
export * from './fit';
export * from './gan';
export * from './gradcheck';
export * from './init';
export { K, type KernelBackend, setBackend, typescriptBackend } from './kernels';
export * from './layers/activation';
export * from './layers/attention';
export * from './layers/batchnorm';
export * from './layers/conv1d';
export * from './layers/dense';
export * from './layers/dropout';
export * from './layers/layernorm';
export * from './layers/perceptron';
export * from './layers/pooling';
export * from './layers/positional';
export * from './layers/recurrent';
export * from './layers/registry';
export * from './layers/residual';
export * from './layers/sequential';
export * from './layers/tcn';
export * from './layers/transformer';
export * from './linalg';
export * from './losses';
export * from './module';
export * from './ops/arithmetic';
export * from './ops/attention';
export * from './ops/conv';
export * from './ops/dropout';
export * from './ops/linear';
export * from './ops/normalization';
export * from './ops/recurrent';
export * from './ops/shape';
export * from './optim';
export * from './persistence';
export * from './rng';
export * from './schedule';
export * from './series';
export * from './tensor';
