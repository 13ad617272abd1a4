// The 'demo' job: fits y = w·x + b to noisy synthetic points by full-batch gradient descent, one step per
// progress report, pacing each step by stepMs so the UI has a live loss curve to show. A stand-in for an engine
// training run while lib/nn is being written.

import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { JobHandler } from './types';

export const demoPayloadSchema = z.object({
  steps: z.number().int().min(1).max(10_000).default(20),
  /** pause after each step (ms), so progress is visible */
  stepMs: z.number().int().min(0).max(60_000).default(150),
  seed: z.number().int().default(42),
});
export type DemoPayload = z.input<typeof demoPayloadSchema>;

export type DemoResult = {
  w: number;
  b: number;
  loss: number;
  valLoss: number;
  steps: number;
  /** which worker ran the job, and on which claim: lets tests prove each job ran exactly once */
  workerId: string;
  attempt: number;
};

const TRUE_W = 3;
const TRUE_B = -2;
const N_TRAIN = 160;
const N_VAL = 40;
const LEARNING_RATE = 0.1;

/** mulberry32: a tiny seeded generator, uniform in [0, 1). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mse(xs: Float64Array, ys: Float64Array, w: number, b: number): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += (w * xs[i] + b - ys[i]) ** 2;
  return sum / xs.length;
}

export const demoJob: JobHandler = async (ctx) => {
  const parsed = demoPayloadSchema.safeParse(ctx.payload ?? {});
  if (!parsed.success) throw new Error(`invalid demo payload: ${z.prettifyError(parsed.error)}`);
  const { steps, stepMs, seed } = parsed.data;

  const rand = uniform(seed);
  const make = (n: number): [Float64Array, Float64Array] => {
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = rand() * 2 - 1;
      ys[i] = TRUE_W * xs[i] + TRUE_B + (rand() - 0.5) * 0.2; // noise uniform in ±0.1
    }
    return [xs, ys];
  };
  const [xTrain, yTrain] = make(N_TRAIN);
  const [xVal, yVal] = make(N_VAL);

  let w = 0;
  let b = 0;
  let loss = mse(xTrain, yTrain, w, b);
  for (let step = 1; step <= steps; step++) {
    // d/dw mean((w x + b − y)²) = mean(2 (w x + b − y) x); d/db = mean(2 (w x + b − y))
    let gw = 0;
    let gb = 0;
    for (let i = 0; i < N_TRAIN; i++) {
      const r = w * xTrain[i] + b - yTrain[i];
      gw += 2 * r * xTrain[i];
      gb += 2 * r;
    }
    w -= (LEARNING_RATE * gw) / N_TRAIN;
    b -= (LEARNING_RATE * gb) / N_TRAIN;
    loss = mse(xTrain, yTrain, w, b);
    await ctx.progress({
      stage: 'train',
      epoch: step,
      epochs: steps,
      loss,
      valLoss: mse(xVal, yVal, w, b),
      pct: (100 * step) / steps,
      message: `w=${w.toFixed(3)} b=${b.toFixed(3)}`,
    });
    if (stepMs > 0) await sleep(stepMs, undefined, { signal: ctx.signal }).catch(() => ctx.yield());
    else await ctx.yield();
  }
  return {
    w,
    b,
    loss,
    valLoss: mse(xVal, yVal, w, b),
    steps,
    workerId: ctx.workerId,
    attempt: ctx.job.attempts,
  } satisfies DemoResult;
};
