import { describe, expect, it } from 'vitest';
import {
  constant,
  fans,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  INIT_NAMES,
  type InitName,
  initialize,
  orthogonal,
  zeros,
} from '@/lib/nn/init';
import { Rng } from '@/lib/nn/rng';

function moments(w: Float32Array): { mean: number; variance: number } {
  let s = 0;
  for (const v of w) s += v;
  const mean = s / w.length;
  let ss = 0;
  for (const v of w) ss += (v - mean) * (v - mean);
  return { mean, variance: ss / w.length };
}

/** Max |(AᵀA − I)[i, j]| for A (rows, cols) when tall, or |(AAᵀ − I)| when wide. */
function orthonormalityError(w: Float32Array, rows: number, cols: number): number {
  const tall = rows >= cols;
  const vecs = tall ? cols : rows;
  const len = tall ? rows : cols;
  const at = (v: number, i: number): number => (tall ? w[i * cols + v] : w[v * cols + i]);
  let worst = 0;
  for (let a = 0; a < vecs; a++) {
    for (let b = 0; b < vecs; b++) {
      let d = 0;
      for (let i = 0; i < len; i++) d += at(a, i) * at(b, i);
      worst = Math.max(worst, Math.abs(d - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

describe('initialisers', () => {
  it('fans follow the [.., in, out] storage convention', () => {
    expect(fans([7, 3])).toEqual({ fanIn: 7, fanOut: 3 });
    expect(fans([5, 4, 8])).toEqual({ fanIn: 20, fanOut: 40 });
    expect(fans([6])).toEqual({ fanIn: 6, fanOut: 6 });
  });

  // 60 000 draws: the sample variance's relative standard error is below 1%, so 4% is a > 4σ band.
  const shape = [200, 300];
  const cases: [string, typeof glorotUniform, number][] = [
    ['glorotUniform: variance 2/(in+out)', glorotUniform, 2 / 500],
    ['glorotNormal: variance 2/(in+out)', glorotNormal, 2 / 500],
    ['heUniform: variance 2/in', heUniform, 2 / 200],
    ['heNormal: variance 2/in', heNormal, 2 / 200],
  ];
  for (const [label, init, expected] of cases) {
    it(`${label} within 4%, mean within 4σ of 0`, () => {
      const w = init(shape, new Rng(11));
      const { mean, variance } = moments(w);
      expect(Math.abs(variance / expected - 1)).toBeLessThan(0.04);
      expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(expected / w.length));
    });
  }

  it('uniform initialisers stay inside their bound √(3·variance)', () => {
    const bound = Math.sqrt(6 / 500);
    let largest = 0;
    for (const v of glorotUniform(shape, new Rng(2))) largest = Math.max(largest, Math.abs(v));
    expect(largest).toBeLessThanOrEqual(bound);
    expect(largest).toBeGreaterThan(0.99 * bound);
  });

  it('gain scales the standard deviation', () => {
    const a = heNormal([100, 100], new Rng(5));
    const b = heNormal([100, 100], new Rng(5), { gain: 0.5 });
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(0.5 * a[i], 6);
  });

  for (const [rows, cols] of [
    [32, 32],
    [64, 16],
    [10, 40],
  ]) {
    it(`orthogonal [${rows}, ${cols}]: ${rows >= cols ? 'WᵀW' : 'WWᵀ'} = I within 1e-5`, () => {
      const w = orthogonal([rows, cols], new Rng(3));
      expect(orthonormalityError(w, rows, cols)).toBeLessThan(1e-5);
    });
  }

  it('orthogonal with gain 2: WᵀW = 4·I (W/2 orthonormal within 1e-5)', () => {
    const w = orthogonal([20, 8], new Rng(4), { gain: 2 });
    const half = w.map((v) => v / 2);
    expect(orthonormalityError(half, 20, 8)).toBeLessThan(1e-5);
  });

  it('zeros and constant fill', () => {
    expect(Array.from(zeros([2, 3], new Rng(1)))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(constant([3], new Rng(1), { value: 0.25 }))).toEqual([0.25, 0.25, 0.25]);
  });

  it('the same seed gives bit-identical weights for every initialiser; another seed differs', () => {
    for (const name of INIT_NAMES) {
      const a = initialize(name, [17, 9], new Rng(42));
      const b = initialize(name, [17, 9], new Rng(42));
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer)), name).toBe(true);
      if (name !== 'zeros' && name !== 'constant') {
        const c = initialize(name, [17, 9], new Rng(43));
        expect(Array.from(c), name).not.toEqual(Array.from(a));
      }
    }
  });

  it('an unknown initialiser name throws naming the valid ones', () => {
    expect(() => initialize('lecun' as InitName, [2, 2], new Rng(1))).toThrow(
      /Unknown initialiser 'lecun'.*glorotUniform/,
    );
  });
});
