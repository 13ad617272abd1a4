// Layer registry: rebuilds a module (fresh weights, drawn from the given Rng) from the JSON spec its spec() returned.
// Weights are restored separately (by namedState path) by the persistence code.

import type { Module, ModuleSpec } from '../module';
import type { Rng } from '../rng';
import { Activation, type ActivationConfig, PReLU, type PReLUConfig } from './activation';
import { MultiHeadSelfAttention, type MultiHeadSelfAttentionConfig } from './attention';
import { BatchNorm, type BatchNormConfig } from './batchnorm';
import { Conv1D, type Conv1DConfig } from './conv1d';
import { Dense, type DenseConfig } from './dense';
import { Dropout, type DropoutConfig } from './dropout';
import { LayerNorm, type LayerNormConfig } from './layernorm';
import { Perceptron, type PerceptronConfig } from './perceptron';
import { AvgPool1D, GlobalAvgPool1D, GlobalMaxPool1D, LastStep, MaxPool1D, type Pool1DConfig } from './pooling';
import {
  LearnedPositionalEncoding,
  type LearnedPositionalEncodingConfig,
  SinusoidalPositionalEncoding,
  type SinusoidalPositionalEncodingConfig,
} from './positional';
import { GRU, LSTM, type LSTMConfig, type RecurrentConfig, SimpleRNN } from './recurrent';
import { ResidualBlock, type ResidualBlockConfig } from './residual';
import { Sequential } from './sequential';
import { TCNBlock, type TCNBlockConfig } from './tcn';
import { TransformerEncoderBlock, type TransformerEncoderBlockConfig } from './transformer';

export const MODULE_TYPES = [
  'Dense',
  'Dropout',
  'BatchNorm',
  'LayerNorm',
  'ResidualBlock',
  'Sequential',
  'Perceptron',
  'Activation',
  'PReLU',
  'SimpleRNN',
  'LSTM',
  'GRU',
  'Conv1D',
  'MaxPool1D',
  'AvgPool1D',
  'GlobalAvgPool1D',
  'GlobalMaxPool1D',
  'LastStep',
  'TCNBlock',
  'MultiHeadSelfAttention',
  'TransformerEncoderBlock',
  'SinusoidalPositionalEncoding',
  'LearnedPositionalEncoding',
] as const;

/** Rebuilds any registered layer from its spec; children are built in order from the same Rng. */
export function buildModule(spec: ModuleSpec, rng: Rng): Module {
  if (spec === null || typeof spec !== 'object' || typeof spec.type !== 'string') {
    throw new Error(`buildModule: a spec needs a string 'type', got ${JSON.stringify(spec)}`);
  }
  // Configs come from JSON; each layer's constructor validates its own fields.
  const config = (spec.config ?? {}) as unknown;
  switch (spec.type) {
    case 'Dense':
      return new Dense(config as DenseConfig, rng);
    case 'Dropout':
      return new Dropout(config as DropoutConfig, rng);
    case 'BatchNorm':
      return new BatchNorm(config as BatchNormConfig);
    case 'LayerNorm':
      return new LayerNorm(config as LayerNormConfig);
    case 'Perceptron':
      return new Perceptron(config as PerceptronConfig, rng);
    case 'ResidualBlock': {
      // built from its config; listed children must be what that config builds
      const block = new ResidualBlock(config as ResidualBlockConfig, rng);
      const expected = canonicalJson(block.spec().children);
      if (spec.children !== undefined && canonicalJson(spec.children) !== expected) {
        throw new Error(
          `buildModule: ResidualBlock children ${canonicalJson(spec.children)} do not match its config (expected ${expected})`,
        );
      }
      return block;
    }
    case 'MultiHeadSelfAttention':
      return new MultiHeadSelfAttention(config as MultiHeadSelfAttentionConfig, rng);
    case 'TransformerEncoderBlock':
      return new TransformerEncoderBlock(config as TransformerEncoderBlockConfig, rng);
    case 'SinusoidalPositionalEncoding':
      return new SinusoidalPositionalEncoding(config as SinusoidalPositionalEncodingConfig);
    case 'LearnedPositionalEncoding':
      return new LearnedPositionalEncoding(config as LearnedPositionalEncodingConfig, rng);
    case 'Sequential':
      return new Sequential((spec.children ?? []).map((child) => buildModule(child, rng)));
    case 'Activation':
      return new Activation(config as ActivationConfig);
    case 'PReLU':
      return new PReLU(config as PReLUConfig);
    case 'SimpleRNN':
      return new SimpleRNN(config as RecurrentConfig, rng);
    case 'LSTM':
      return new LSTM(config as LSTMConfig, rng);
    case 'GRU':
      return new GRU(config as RecurrentConfig, rng);
    case 'Conv1D':
      return new Conv1D(config as Conv1DConfig, rng);
    case 'MaxPool1D':
      return new MaxPool1D(config as Pool1DConfig);
    case 'AvgPool1D':
      return new AvgPool1D(config as Pool1DConfig);
    case 'GlobalAvgPool1D':
      return new GlobalAvgPool1D();
    case 'GlobalMaxPool1D':
      return new GlobalMaxPool1D();
    case 'LastStep':
      return new LastStep();
    case 'TCNBlock': {
      // built from its config, like ResidualBlock; listed children must be what that config builds
      const block = new TCNBlock(config as TCNBlockConfig, rng);
      const expected = canonicalJson(block.spec().children);
      if (spec.children !== undefined && canonicalJson(spec.children) !== expected) {
        throw new Error(
          `buildModule: TCNBlock children ${canonicalJson(spec.children)} do not match its config (expected ${expected})`,
        );
      }
      return block;
    }
    default:
      throw new Error(`buildModule: unknown module type '${spec.type}'; known types: ${MODULE_TYPES.join(', ')}`);
  }
}

/** JSON with object keys sorted, so specs compare equal whatever order their keys were written in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
