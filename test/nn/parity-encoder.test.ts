// PyTorch parity of one pre-norm Transformer encoder block (d 8, 2 heads, feed-forward 16, GELU tanh, dropout 0),
// without a mask and with a causal mask: forward output, loss Σ out ⊙ R and the gradients of the input and of every
// parameter. Numbers and layouts: test/fixtures/torch/encoder.json and its README (torch 1.13, float32).

import { describe, expect, it } from 'vitest';
import { TransformerEncoderBlock } from '@/lib/nn/layers/transformer';
import { mul, sum } from '@/lib/nn/ops/arithmetic';
import { Rng } from '@/lib/nn/rng';
import type { Tensor } from '@/lib/nn/tensor';
import fixture from '@/test/fixtures/torch/encoder.json';
import { expectCloseWithin, fromJson, setParam } from './parity-fixture';

/** Absolute tolerance against torch (the brief's 1e-4; float32 summation-order noise is ~1e-6 on these values). */
const TOL = 1e-4;

type ParamName = keyof typeof fixture.params;
const PARAM_NAMES = Object.keys(fixture.params) as ParamName[];
const expectClose = expectCloseWithin(TOL);

/** The fixture's block with torch's weights; params maps fixture names to our tensors. */
function buildBlock(causal: boolean) {
  const { dModel, heads, dFF, dropout, layerNormEps } = fixture.config;
  const block = new TransformerEncoderBlock(
    { dModel, numHeads: heads, ffHidden: dFF, dropout, causal, layerNormEps },
    new Rng(0), // initial draws are overwritten below
  );
  const a = block.attention;
  const params: Record<ParamName, Tensor> = {
    wq: a.wq,
    wk: a.wk,
    wv: a.wv,
    bq: a.bq,
    bk: a.bk,
    bv: a.bv,
    wo: a.wo,
    bo: a.bo,
    'ln1.gamma': block.norm1.gamma,
    'ln1.beta': block.norm1.beta,
    'ln2.gamma': block.norm2.gamma,
    'ln2.beta': block.norm2.beta,
    'ff1.weight': block.ff1.weight,
    'ff1.bias': block.ff1.bias!,
    'ff2.weight': block.ff2.weight,
    'ff2.bias': block.ff2.bias!,
  };
  expect(new Set(Object.values(params)).size, 'every fixture parameter maps to its own tensor').toBe(
    PARAM_NAMES.length,
  );
  expect(block.parameters().length, 'the block has exactly the fixture parameters').toBe(PARAM_NAMES.length);
  for (const name of PARAM_NAMES) setParam(name, params[name], fixture.params[name]);
  return { block, params };
}

describe('Transformer encoder block parity with PyTorch (encoder.json, tolerance 1e-4 absolute)', () => {
  for (const [label, causal, ref] of [
    ['no mask', false, fixture.noMask],
    ['causal mask', true, fixture.causal],
  ] as const) {
    it(`${label}: output and loss Σ out ⊙ R match`, () => {
      const { block } = buildBlock(causal);
      const out = block.forward(fromJson(fixture.inputs.x));
      expectClose('output', out, ref.output);
      expect(Math.abs(sum(mul(out, fromJson(fixture.inputs.R))).item() - ref.loss)).toBeLessThanOrEqual(TOL);
    });

    it(`${label}: gradients of the input and of all 16 parameters match`, () => {
      const { block, params } = buildBlock(causal);
      const x = fromJson(fixture.inputs.x, true);
      sum(mul(block.forward(x), fromJson(fixture.inputs.R))).backward();
      expectClose('grad x', x.grad ?? new Float32Array(x.size), ref.grads.x);
      for (const name of PARAM_NAMES) {
        const g = params[name].grad;
        expect(g, `grad ${name} was not written`).not.toBeNull();
        expectClose(`grad ${name}`, g!, ref.grads[name]);
      }
    });
  }

  it('the two fixture cases differ by more than the tolerance (so the mask is really exercised)', () => {
    let diff = 0;
    for (let i = 0; i < fixture.noMask.output.data.length; i++) {
      diff = Math.max(diff, Math.abs(fixture.noMask.output.data[i] - fixture.causal.output.data[i]));
    }
    expect(diff).toBeGreaterThan(100 * TOL);
  });
});
