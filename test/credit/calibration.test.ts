// Platt and isotonic calibration: a hand-worked PAV fit, recovery of a known Platt map, and cross-fitting that never
// lets a row's own label shape its calibrated PD.

import { describe, expect, it } from 'vitest';
import {
  calibrate,
  crossFitCalibration,
  fitIsotonic,
  fitPlatt,
  PD_MAX,
  PD_MIN,
  sigmoid,
} from '../../lib/credit/calibration';
import { expectedCalibrationError } from '../../lib/credit/metrics';
import { Rng } from '../../lib/nn/rng';

describe('isotonic calibration (pool adjacent violators)', () => {
  it('pools the violating neighbours: labels 0 1 0 1 1 on scores 1…5 give 0, ½, ½, 1, 1', () => {
    const c = fitIsotonic([1, 2, 3, 4, 5], [0, 1, 0, 1, 1]);
    expect(c).toEqual({ method: 'isotonic', x: [1, 2, 3, 4, 5], y: [0, 0.5, 0.5, 1, 1] });
    expect(calibrate(c, 2.5)).toBeCloseTo(0.5, 12);
    expect(calibrate(c, 3.5)).toBeCloseTo(0.75, 12); // linear between the blocks' ends
    expect(calibrate(c, -10)).toBe(PD_MIN); // clipped, never exactly 0 or 1
    expect(calibrate(c, 10)).toBe(PD_MAX);
  });

  it('is non-decreasing in the score', () => {
    const rng = new Rng(3);
    const z = Array.from({ length: 500 }, () => rng.normal(0, 2));
    const y = z.map((v) => (rng.uniform() < sigmoid(v) ? 1 : 0));
    const c = fitIsotonic(z, y);
    let prev = -1;
    for (let v = -6; v <= 6; v += 0.01) {
      const p = calibrate(c, v);
      expect(p).toBeGreaterThanOrEqual(prev);
      prev = p;
    }
  });
});

describe('Platt scaling', () => {
  it('recovers a and b of data drawn from σ(0.5·z − 1) within 0.06', () => {
    const rng = new Rng(11);
    const z = Array.from({ length: 20_000 }, () => rng.normal(0, 2));
    const y = z.map((v) => (rng.uniform() < sigmoid(0.5 * v - 1) ? 1 : 0));
    const c = fitPlatt(z, y);
    if (c.method !== 'platt') throw new Error('expected platt');
    expect(c.a).toBeCloseTo(0.5, 1);
    expect(Math.abs(c.a - 0.5)).toBeLessThan(0.06);
    expect(Math.abs(c.b + 1)).toBeLessThan(0.06);
  });

  it('fixes over-confident scores: ECE drops below 0.03 from above 0.1', () => {
    const rng = new Rng(5);
    const truth = Array.from({ length: 5000 }, () => rng.normal(-1, 1));
    const y = truth.map((v) => (rng.uniform() < sigmoid(v) ? 1 : 0));
    const z = truth.map((v) => 3 * v + 1); // too steep and shifted
    const raw = z.map(sigmoid);
    const c = fitPlatt(z, y);
    const fixed = z.map((v) => calibrate(c, v));
    expect(expectedCalibrationError(raw, y)).toBeGreaterThan(0.1);
    expect(expectedCalibrationError(fixed, y)).toBeLessThan(0.03);
  });

  it('needs both classes', () => {
    expect(() => fitPlatt([1, 2], [1, 1])).toThrow(/both bads and goods/);
  });
});

describe('cross-fitted calibration', () => {
  it("a fold's calibrated PDs do not depend on that fold's own labels", () => {
    const rng = new Rng(2);
    const n = 400;
    const z = Array.from({ length: n }, () => rng.normal(0, 1.5));
    const y = z.map((v) => (rng.uniform() < sigmoid(v) ? 1 : 0));
    const foldOf = Array.from({ length: n }, (_, i) => i % 4);
    for (const method of ['platt', 'isotonic'] as const) {
      const a = crossFitCalibration(method, z, y, foldOf, 4);
      // flip every label of fold 0: fold 0's PDs stay the same, the other folds' change
      const flipped = y.map((v, i) => (foldOf[i] === 0 ? 1 - v : v));
      const b = crossFitCalibration(method, z, flipped, foldOf, 4);
      const fold0 = (arr: Float64Array) => Array.from(arr).filter((_, i) => foldOf[i] === 0);
      const rest = (arr: Float64Array) => Array.from(arr).filter((_, i) => foldOf[i] !== 0);
      expect(fold0(b)).toEqual(fold0(a));
      expect(rest(b)).not.toEqual(rest(a));
    }
  });
});
