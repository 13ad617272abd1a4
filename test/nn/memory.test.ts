// Memory: a long training run must not retain graphs, gradients or batch buffers across steps. The heap is measured
// after a full garbage collection at step 1,000 and at step 10,000; it may grow by at most 2 MB (the history arrays
// of 1,000 epochs take ~50 kB; one leaked graph per step would take tens of MB).

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { fitSync } from '@/lib/nn/fit';
import { Activation } from '@/lib/nn/layers/activation';
import { BatchNorm } from '@/lib/nn/layers/batchnorm';
import { Dense } from '@/lib/nn/layers/dense';
import { Dropout } from '@/lib/nn/layers/dropout';
import { Sequential } from '@/lib/nn/layers/sequential';
import { bceWithLogits } from '@/lib/nn/losses';
import { Rng } from '@/lib/nn/rng';

/** A full GC: global.gc under --expose-gc, otherwise obtained by setting the flag at run time. */
function fullGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const GROWTH_LIMIT_BYTES = 2 * 1024 * 1024;

describe('memory over 10,000 training steps', () => {
  it(`heap grows by less than ${GROWTH_LIMIT_BYTES / 1024 / 1024} MB between step 1,000 and step 10,000`, () => {
    const gc = fullGc();
    const rng = new Rng(1);
    const model = new Sequential([
      new Dense({ inFeatures: 4, outFeatures: 16 }, rng),
      new BatchNorm({ features: 16 }),
      new Activation({ fn: 'relu' }),
      new Dropout({ rate: 0.1 }, rng),
      new Dense({ inFeatures: 16, outFeatures: 1 }, rng),
    ]);
    const n = 80;
    const x = Float32Array.from({ length: n * 4 }, () => rng.normal());
    const y = Float32Array.from({ length: n }, (_, i) => (x[i * 4] > 0 ? 1 : 0));
    const heapAt = new Map<number, number>();
    let steps = 0;
    const h = fitSync(
      model,
      { x, xShape: [n, 4], y, yShape: [n, 1] },
      {
        loss: bceWithLogits,
        optimizer: { type: 'adam', lr: 1e-3 },
        epochs: 1000, // 10 batches of 8 per epoch → 10,000 steps
        batchSize: 8,
        clipNorm: 5,
        collectGradNorms: true,
        onProgress: (p) => {
          if (p.phase !== 'batch') return;
          steps++;
          if (steps === 1000 || steps === 10_000) {
            gc();
            heapAt.set(steps, process.memoryUsage().heapUsed);
          }
        },
      },
    );
    expect(steps).toBe(10_000);
    expect(h.stopReason).toBe('completed');
    const growth = heapAt.get(10_000)! - heapAt.get(1000)!;
    expect(growth, `heap grew by ${(growth / 1024).toFixed(0)} kB`).toBeLessThan(GROWTH_LIMIT_BYTES);
  });
});
