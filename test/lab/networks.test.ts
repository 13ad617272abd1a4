import { describe, expect, it } from 'vitest';
import { NETWORK_DEMOS, networkDemo } from '@/lib/lab/networks';

function finite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

describe('Lab network pages', () => {
  for (const demo of NETWORK_DEMOS) {
    it(`${demo.id}: trains two steps and shows finite results`, () => {
      const run = demo.create(1);
      run.step();
      run.step();
      const v = run.view();
      expect(v.step).toBeGreaterThan(0);
      for (const c of v.curves) expect(finite(c.values), c.label).toBe(true);
      if (v.lines) for (const s of v.lines.series) expect(finite(s.values), s.label).toBe(true);
      if (v.heat) expect(v.heat.values.length).toBe(v.heat.rows * v.heat.cols);
      expect(v.notes.length).toBeGreaterThan(0);
    });
  }

  it('the perceptron converges on separable clusters (an epoch without mistakes)', () => {
    const run = networkDemo('perceptron')!.create(1);
    while (!run.done) run.step();
    expect(run.view().curves[0].values.at(-1)).toBe(0);
  });

  it('the LSTM page beats the naive forecast after its 30 epochs (test MSE < 0.7 × naive)', () => {
    const run = networkDemo('lstm')!.create(1);
    while (!run.done) run.step();
    const [, test, naive] = run.view().curves;
    expect(test.values.at(-1)!).toBeLessThan(0.7 * naive.values[0]);
  });

  it('the ESN page predicts held-out Mackey–Glass with NRMSE < 0.05', () => {
    const run = networkDemo('esn')!.create(1);
    run.step();
    const note = run.view().notes[0];
    const nrmse = Number(/NRMSE ([0-9.]+)/.exec(note)?.[1]);
    expect(nrmse).toBeLessThan(0.05);
  });
});
