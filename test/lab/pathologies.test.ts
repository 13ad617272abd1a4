import { describe, expect, it } from 'vitest';
import {
  batchNormHighLr,
  deadRelus,
  dropoutOverfit,
  explodingGradients,
  vanishingGradients,
} from '@/lib/lab/pathologies';

const lastEpoch = (norms: number[][]) => norms.map((n) => n[n.length - 1]);

describe('training pathologies of the course', () => {
  it('vanishing gradients: in a 10-layer sigmoid net the first layer gets < 1e-3 of the last layer’s gradient, with ReLU > 0.1', async () => {
    const sig = lastEpoch((await vanishingGradients('sigmoid')).norms);
    const relu = lastEpoch((await vanishingGradients('relu')).norms);
    expect(sig.length).toBe(11);
    expect(sig[0] / sig[sig.length - 1]).toBeLessThan(1e-3);
    expect(relu[0] / relu[relu.length - 1]).toBeGreaterThan(0.1);
  });

  it('exploding gradients: without clipping training diverges; clipping the global norm to 1 keeps every loss finite', async () => {
    const plain = await explodingGradients(null);
    const clipped = await explodingGradients(1);
    expect(plain.stopReason).toBe('diverged');
    expect(clipped.stopReason).toBe('completed');
    expect(clipped.loss.every(Number.isFinite)).toBe(true);
    expect(clipped.loss.at(-1)!).toBeLessThan(clipped.loss[0]);
  });

  it('dead ReLUs: at learning rate 1 over 20% of hidden units die, at 0.01 under 10%', async () => {
    const high = await deadRelus(1);
    const low = await deadRelus(0.01);
    expect(high.deadShare.at(-1)!).toBeGreaterThan(0.2);
    expect(low.deadShare.at(-1)!).toBeLessThan(0.1);
  });

  it('dropout: without it 40 noisy points are memorised (train loss < 0.05); with 0.5 the final test loss is lower', async () => {
    const plain = await dropoutOverfit(0);
    const dropped = await dropoutOverfit(0.5);
    expect(plain.trainLoss.at(-1)!).toBeLessThan(0.05);
    expect(dropped.testLoss.at(-1)!).toBeLessThan(plain.testLoss.at(-1)!);
  });

  it('batch norm at learning rate 1: the plain net diverges, the normalised one reaches ≥ 95% accuracy', async () => {
    const plain = await batchNormHighLr(false);
    const bn = await batchNormHighLr(true);
    expect(plain.stopReason).toBe('diverged');
    expect(bn.accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
