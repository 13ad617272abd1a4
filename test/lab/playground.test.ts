import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAYGROUND, featurize, type PlaygroundConfig, PlaygroundRun } from '@/lib/lab/playground';

function train(cfg: Partial<PlaygroundConfig>, steps: number): PlaygroundRun {
  const run = new PlaygroundRun({ ...DEFAULT_PLAYGROUND, ...cfg });
  for (let i = 0; i < steps; i++) run.step();
  return run;
}

describe('playground', () => {
  it('XOR with a 4-2 tanh net reaches ≥ 95% test accuracy within 3,000 steps', () => {
    const run = train({ dataset: 'xor', hidden: [4, 2], activation: 'tanh', learningRate: 0.03 }, 3000);
    const m = run.metrics();
    expect(m.testAccuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('one linear neuron cannot learn the circle (test accuracy stays below 75%), a 3-neuron ReLU layer can (≥ 90%)', () => {
    const linear = train({ dataset: 'circle', hidden: [], activation: 'identity' }, 2000).metrics();
    const relu = train({ dataset: 'circle', hidden: [3], activation: 'relu', learningRate: 0.03, seed: 3 }, 4000);
    expect(linear.testAccuracy).toBeLessThan(0.75);
    expect(relu.metrics().testAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('the circle becomes linearly separable with x1² and x2² (a net without hidden layers reaches ≥ 95%)', () => {
    const m = train({ dataset: 'circle', hidden: [], features: ['x1sq', 'x2sq'], learningRate: 0.01 }, 2000).metrics();
    expect(m.testAccuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('the same seed gives the same run; a new seed a different initialisation', () => {
    const a = train({ dataset: 'xor', seed: 5 }, 50).metrics();
    const b = train({ dataset: 'xor', seed: 5 }, 50).metrics();
    const c = train({ dataset: 'xor', seed: 6 }, 50).metrics();
    expect(a).toEqual(b);
    expect(c.trainLoss).not.toEqual(a.trainLoss);
  });

  it('decision grid has one output per cell, in (−1, 1)', () => {
    const run = train({ dataset: 'gauss' }, 10);
    const g = run.decisionGrid(20);
    expect(g.length).toBe(400);
    for (const v of g) expect(Math.abs(v)).toBeLessThan(1);
  });

  it('feature crosses are computed per point', () => {
    const f = featurize(Float32Array.of(2, 3), ['x1', 'x2', 'x1x2', 'x1sq', 'x2sq', 'sinx1', 'sinx2']);
    expect(Array.from(f)).toEqual([2, 3, 6, 4, 9, Math.sin(2), Math.sin(3)].map((v) => Math.fround(v)));
  });

  it('rejects a bad configuration with the field named', () => {
    expect(() => new PlaygroundRun({ ...DEFAULT_PLAYGROUND, hidden: [0] })).toThrow(/hidden layer has 1 to 8 neurons/);
    expect(() => new PlaygroundRun({ ...DEFAULT_PLAYGROUND, features: [] })).toThrow(/at least one input feature/);
  });
});
