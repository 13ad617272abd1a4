// Mean and sample standard deviation against hand-computed values, including the empty and one-value cases.

import { describe, expect, it } from 'vitest';
import { mean, sampleStd } from '@/lib/metrics/moments';

describe('mean and sampleStd', () => {
  it('match the textbook example', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − 5)² = 32 → population std 2, sample std √(32 / 7)
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    expect(sampleStd(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sampleStd(Float32Array.from(xs))).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it('give NaN for the mean of nothing and a std of 0 below two values', () => {
    expect(mean([])).toBeNaN();
    expect(sampleStd([])).toBe(0);
    expect(sampleStd([3])).toBe(0);
    expect(sampleStd([1, 3])).toBe(Math.SQRT2);
  });
});
