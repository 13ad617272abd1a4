// Synthetic time series for the Lab and the tests: the Mackey–Glass delay differential equation, the standard
// chaotic benchmark for reservoir computing (τ = 17 gives a mildly chaotic attractor).

export interface MackeyGlassConfig {
  /** Number of samples returned (default 2000). */
  length?: number;
  /** Delay τ in time units (default 17). */
  tau?: number;
  /** Production rate β (default 0.2). */
  beta?: number;
  /** Decay rate γ (default 0.1). */
  gamma?: number;
  /** Nonlinearity exponent n (default 10). */
  exponent?: number;
  /** RK4 step in time units; τ / dt and sampleInterval / dt must be whole numbers (default 0.1). */
  dt?: number;
  /** Time between returned samples, in time units (default 1). */
  sampleInterval?: number;
  /** Value of x(t) for t ≤ 0, the constant initial history (default 1.2). */
  initialValue?: number;
  /** Time units integrated and dropped before the first returned sample, to start on the attractor (default 0). */
  transient?: number;
}

/**
 * Mackey–Glass series dx/dt = β·x(t − τ) / (1 + x(t − τ)^n) − γ·x(t) (Mackey & Glass 1977), integrated by fourth-order
 * Runge–Kutta with step dt from the constant history x(t ≤ 0) = initialValue. The delayed term is read from the
 * stored trajectory: at t and t + dt exactly, at the half step t + dt/2 as the mean of its two neighbours. Returns
 * x(transient + k·sampleInterval) for k = 0 … length − 1.
 */
export function mackeyGlass(cfg: MackeyGlassConfig = {}): Float32Array {
  const length = cfg.length ?? 2000;
  const tau = cfg.tau ?? 17;
  const beta = cfg.beta ?? 0.2;
  const gamma = cfg.gamma ?? 0.1;
  const n = cfg.exponent ?? 10;
  const dt = cfg.dt ?? 0.1;
  const sampleInterval = cfg.sampleInterval ?? 1;
  const x0 = cfg.initialValue ?? 1.2;
  const transient = cfg.transient ?? 0;
  if (!Number.isInteger(length) || length < 1)
    throw new Error(`mackeyGlass: length must be a positive integer, got ${length}`);
  if (!(dt > 0)) throw new Error(`mackeyGlass: dt must be > 0, got ${dt}`);
  if (!(tau >= 0)) throw new Error(`mackeyGlass: tau must be ≥ 0, got ${tau}`);
  if (!(transient >= 0)) throw new Error(`mackeyGlass: transient must be ≥ 0, got ${transient}`);
  const delaySteps = wholeSteps('tau', tau, dt);
  const sampleSteps = wholeSteps('sampleInterval', sampleInterval, dt);
  const transientSteps = wholeSteps('transient', transient, dt);
  if (sampleSteps < 1) throw new Error(`mackeyGlass: sampleInterval must be ≥ dt, got ${sampleInterval} < ${dt}`);

  const rate = (x: number, xTau: number): number => (beta * xTau) / (1 + xTau ** n) - gamma * x;
  const totalSteps = transientSteps + (length - 1) * sampleSteps;
  // trajectory at every step (float64): the delayed term needs the last delaySteps values
  const traj = new Float64Array(totalSteps + 1);
  traj[0] = x0;
  const at = (i: number): number => (i < 0 ? x0 : traj[i]);
  for (let i = 0; i < totalSteps; i++) {
    const x = traj[i];
    const lagNow = at(i - delaySteps);
    const lagNext = delaySteps === 0 ? x : at(i + 1 - delaySteps);
    const lagHalf = 0.5 * (lagNow + lagNext);
    // with τ = 0 the delayed term is the current state at each stage
    const k1 = rate(x, delaySteps === 0 ? x : lagNow);
    const xa = x + 0.5 * dt * k1;
    const k2 = rate(xa, delaySteps === 0 ? xa : lagHalf);
    const xb = x + 0.5 * dt * k2;
    const k3 = rate(xb, delaySteps === 0 ? xb : lagHalf);
    const xc = x + dt * k3;
    const k4 = rate(xc, delaySteps === 0 ? xc : lagNext);
    traj[i + 1] = x + (dt / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  const out = new Float32Array(length);
  for (let k = 0; k < length; k++) out[k] = traj[transientSteps + k * sampleSteps];
  return out;
}

function wholeSteps(name: string, value: number, dt: number): number {
  const steps = Math.round(value / dt);
  if (Math.abs(steps * dt - value) > 1e-9 * Math.max(1, value)) {
    throw new Error(`mackeyGlass: ${name} (${value}) must be a whole number of steps dt (${dt})`);
  }
  return steps;
}
