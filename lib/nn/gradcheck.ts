// The shared finite-difference gradient check used by every op, activation, layer and loss test.
//
// For f: inputs → scalar, compares the autodiff gradient of each input element with the central difference
// (f(x + h) − f(x − h)) / 2h, computed in float64 around float32 data. An element passes when
// |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|).

import type { Tensor } from './tensor';

export interface GradCheckOptions {
  /** Step for central differences (default 1e-2; float32 data needs a large step). */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Check at most this many elements per input, chosen evenly (default all). */
  maxPerInput?: number;
}

export interface GradCheckResult {
  ok: boolean;
  maxAbsError: number;
  worst: string;
  checked: number;
}

/**
 * f must build a fresh graph from `inputs` on each call and return a scalar tensor. f must be deterministic
 * (e.g. dropout with a re-seeded generator inside f).
 */
export function gradCheck(
  f: (inputs: Tensor[]) => Tensor,
  inputs: Tensor[],
  opts: GradCheckOptions = {},
): GradCheckResult {
  const eps = opts.eps ?? 1e-2;
  const atol = opts.atol ?? 1e-3;
  const rtol = opts.rtol ?? 1e-2;
  for (const t of inputs) {
    t.requiresGrad = true;
    t.grad = null;
  }
  const out = f(inputs);
  if (out.size !== 1) throw new Error(`gradCheck: f must return a scalar, got ${out.shape.join('x')}`);
  out.backward();
  const analytic = inputs.map((t) => (t.grad ? t.grad.slice() : new Float32Array(t.size)));
  let maxAbsError = 0;
  let worst = '';
  let ok = true;
  let checked = 0;
  inputs.forEach((t, ti) => {
    const n = t.size;
    const step = opts.maxPerInput && n > opts.maxPerInput ? n / opts.maxPerInput : 1;
    for (let fi = 0; fi < n; fi += step) {
      const i = Math.floor(fi);
      const orig = t.data[i];
      t.data[i] = orig + eps;
      const fp = evalScalar(f, inputs);
      t.data[i] = orig - eps;
      const fm = evalScalar(f, inputs);
      t.data[i] = orig;
      const numeric = (fp - fm) / (2 * eps);
      const a = analytic[ti][i];
      const err = Math.abs(a - numeric);
      checked++;
      if (err > maxAbsError) {
        maxAbsError = err;
        worst = `input ${ti}${t.name ? ` (${t.name})` : ''} element ${i}: analytic ${a}, numeric ${numeric}`;
      }
      if (err > atol + rtol * Math.max(Math.abs(a), Math.abs(numeric))) ok = false;
    }
  });
  for (const t of inputs) t.grad = null;
  return { ok, maxAbsError, worst, checked };
}

function evalScalar(f: (inputs: Tensor[]) => Tensor, inputs: Tensor[]): number {
  const out = f(inputs);
  const v = out.data[0];
  // drop the graph this evaluation built
  out.parents = null;
  out.backwardFn = null;
  return v;
}
