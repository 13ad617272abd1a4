// Echo state network (Jaeger 2001): a fixed random sparse recurrent reservoir driven by the input, and a linear
// readout on [1, u, x] fitted in closed form by ridge regression. Only the readout learns; no gradients are involved.

import { K } from './kernels';
import {
  accumulateCross,
  accumulateGram,
  choleskyFactor,
  choleskySolveInPlace,
  spectralRadius,
  symmetrizeUpper,
} from './linalg';
import type { Rng } from './rng';
import { shapeStr, Tensor } from './tensor';

export interface EchoStateNetworkConfig {
  /** Features per time step F of the input u(t). */
  inputSize: number;
  /** Reservoir units N (default 200). */
  reservoirSize?: number;
  /**
   * Fraction of the N×N reservoir weights that are non-zero; every unit gets exactly round(connectivity·N) incoming
   * links (at least 1). Default max(0.01, 5/N) capped at 1: the usual 1% for large reservoirs, but at least 5 links
   * per unit for small ones (e.g. 2.5% for N = 200).
   */
  connectivity?: number;
  /** Target spectral radius ρ(W) the reservoir is scaled to (default 0.9; < 1 for the echo state property). */
  spectralRadius?: number;
  /** Input weights W_in are uniform in [−inputScaling, inputScaling] (default 1). */
  inputScaling?: number;
  /** Reservoir biases b are uniform in [−biasScaling, biasScaling]; 0 removes them (default 0.1). */
  biasScaling?: number;
  /** Leak rate a ∈ (0, 1] of x ← (1 − a)·x + a·tanh(W_in·u + W·x + b) (default 1: no leak). */
  leakRate?: number;
  /** Initial steps of every sequence run but not fitted, while the zero initial state fades (default 100). */
  washout?: number;
  /** Ridge penalties λ tried; the one with the lowest validation error is used (default 1e-8, 1e-7, …, 1e-1). */
  ridgeCandidates?: number[];
  /** Fraction of the fitted rows, the latest in time, held out to choose λ (default 0.2). */
  validationSplit?: number;
}

/** The fixed reservoir: W (N×N) in CSR form, W_in (N×F) and b (N). */
export interface EsnReservoir {
  rowPtr: Int32Array;
  colIdx: Int32Array;
  /** Non-zero values of W, already scaled to the target spectral radius. */
  weights: Float32Array;
  /** (N, F) row-major. */
  inputWeights: Float32Array;
  /** (N) */
  bias: Float32Array;
  /** ρ of the unscaled random W, as estimated by power iteration (see linalg.spectralRadius). */
  rawSpectralRadius: number;
  /** Whether that power iteration converged within its budget. */
  powerIterationConverged: boolean;
}

export interface EsnRidgeCandidate {
  ridge: number;
  /** Mean squared error on the validation rows, or null when the regularised system was not positive definite. */
  validationMse: number | null;
}

export interface EsnFitReport {
  /** The λ of the final readout. */
  ridge: number;
  candidates: EsnRidgeCandidate[];
  trainRows: number;
  validationRows: number;
  /** RMSE of the final readout (refitted on training and validation rows) over all fitted rows. */
  rmse: number;
}

export interface EsnRunOptions {
  /** Reservoir state x(−1) before the first input (N values; default zeros). Applies to every sequence. */
  initialState?: Float32Array;
}

/** Serialised ESN (plain JSON): config, the reservoir and the readout. */
export interface EchoStateNetworkJson {
  format: 'neuralfin-esn';
  version: 1;
  config: Required<EchoStateNetworkConfig>;
  reservoir: {
    rowPtr: number[];
    colIdx: number[];
    weights: number[];
    inputWeights: number[];
    bias: number[];
    rawSpectralRadius: number;
    powerIterationConverged: boolean;
  };
  readout: { outputSize: number; ridge: number; weights: number[] } | null;
}

/** Sequences of inputs or targets: (T, F), a batch (B, T, F), or a list of (T_i, F) of different lengths. */
export type EsnSequences = Tensor | readonly Tensor[];

interface SequenceView {
  data: Float32Array;
  /** Element offset of the first step. */
  offset: number;
  steps: number;
}

const DEFAULT_RIDGE_CANDIDATES = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1];
/** Feature rows assembled per block when accumulating the normal equations. */
const BLOCK_ROWS = 256;

export class EchoStateNetwork {
  readonly config: Required<EchoStateNetworkConfig>;
  readonly reservoir: EsnReservoir;
  /** Readout (1 + F + N, O): row 0 multiplies the constant 1, rows 1…F the input, the rest the state. */
  readout: Float32Array | null = null;
  outputSize: number | null = null;
  /** λ of the current readout. */
  ridge: number | null = null;

  /** A new random reservoir drawn from rng, or (for fromJSON and tests) a given one. */
  constructor(config: EchoStateNetworkConfig, source: Rng | EsnReservoir) {
    this.config = resolveConfig(config);
    this.reservoir = isReservoir(source) ? checkReservoir(source, this.config) : buildReservoir(this.config, source);
  }

  get featureSize(): number {
    return 1 + this.config.inputSize + this.config.reservoirSize;
  }

  /**
   * Fits the readout: runs every sequence from the zero state, drops the first `washout` steps of each, and solves
   * the ridge normal equations (ΦᵀΦ + λ·I′)·W = ΦᵀY by Cholesky for each candidate λ on the training rows, where Φ
   * holds the feature rows [1, u(t), x(t)] and I′ is the identity without the constant feature's entry (the
   * intercept is not shrunk). The λ with the lowest mean squared error on the validation rows (the last
   * validationSplit of the fitted rows, in order) wins; the readout is then refitted with it on all rows.
   * targets must have the inputs' layout with O features per step.
   */
  fit(inputs: EsnSequences, targets: EsnSequences): EsnFitReport {
    const { inputSize, reservoirSize: n, washout, ridgeCandidates, validationSplit } = this.config;
    const xs = sequenceViews(inputs, inputSize, 'inputs', 'fit');
    const outWidth = lastDim(targets);
    const ys = sequenceViews(targets, outWidth, 'targets', 'fit');
    if (xs.length !== ys.length) {
      throw new Error(`EchoStateNetwork.fit: ${xs.length} input sequences but ${ys.length} target sequences`);
    }
    for (let s = 0; s < xs.length; s++) {
      if (xs[s].steps !== ys[s].steps) {
        throw new Error(
          `EchoStateNetwork.fit: input sequence ${s} has ${xs[s].steps} steps but its targets have ${ys[s].steps} (inputs ${describe(inputs)}, targets ${describe(targets)})`,
        );
      }
    }
    checkFinite(xs, inputSize, 'inputs');
    checkFinite(ys, outWidth, 'targets');
    const states = xs.map((x) => this.runStates(x, null));
    // fitted rows: (sequence, step) pairs after the washout, in order
    let rows = 0;
    for (const x of xs) rows += Math.max(0, x.steps - washout);
    if (rows < 1) {
      throw new Error(
        `EchoStateNetwork.fit: no steps left after the washout of ${washout} (inputs ${describe(inputs)})`,
      );
    }
    const rowSeq = new Int32Array(rows);
    const rowStep = new Int32Array(rows);
    let r = 0;
    for (let s = 0; s < xs.length; s++) {
      for (let t = washout; t < xs[s].steps; t++) {
        rowSeq[r] = s;
        rowStep[r] = t;
        r++;
      }
    }
    const selecting = ridgeCandidates.length > 1;
    const valRows = selecting ? Math.floor(rows * validationSplit) : 0;
    const trainRows = rows - valRows;
    if (selecting && (valRows < 1 || trainRows < 1)) {
      throw new Error(
        `EchoStateNetwork.fit: choosing among ${ridgeCandidates.length} ridge values needs validation rows, but validationSplit ${validationSplit} of ${rows} rows leaves ${trainRows} training and ${valRows} validation rows`,
      );
    }

    const d = this.featureSize;
    const o = outWidth;
    const phi = new Float64Array(d * BLOCK_ROWS); // feature-major block: feature j of block row r at j·BLOCK_ROWS + r
    const yBlock = new Float64Array(BLOCK_ROWS * o); // (BLOCK_ROWS, O)
    const fill = (start: number, end: number): void => {
      for (let i = start; i < end; i++) {
        const s = rowSeq[i];
        const t = rowStep[i];
        const x = xs[s];
        writeFeatures(x.data, x.offset + t * inputSize, inputSize, states[s], t * n, n, phi, i - start);
        const y = ys[s];
        const yOff = y.offset + t * o;
        for (let k = 0; k < o; k++) yBlock[(i - start) * o + k] = y.data[yOff + k];
      }
    };
    const normal = (start: number, end: number): { gram: Float64Array; cross: Float64Array } => {
      const gram = new Float64Array(d * d);
      const cross = new Float64Array(d * o);
      for (let b = start; b < end; b += BLOCK_ROWS) {
        const e = Math.min(end, b + BLOCK_ROWS);
        fill(b, e);
        accumulateGram(phi, d, e - b, BLOCK_ROWS, gram);
        accumulateCross(phi, d, e - b, BLOCK_ROWS, yBlock, o, cross);
      }
      symmetrizeUpper(gram, d);
      return { gram, cross };
    };
    const squaredError = (w: Float64Array, start: number, end: number): number => {
      let sse = 0;
      for (let b = start; b < end; b += BLOCK_ROWS) {
        const e = Math.min(end, b + BLOCK_ROWS);
        fill(b, e);
        for (let i = 0; i < e - b; i++) {
          for (let k = 0; k < o; k++) {
            let pred = 0;
            for (let j = 0; j < d; j++) pred += phi[j * BLOCK_ROWS + i] * w[j * o + k];
            const err = pred - yBlock[i * o + k];
            sse += err * err;
          }
        }
      }
      return sse;
    };

    const train = normal(0, trainRows);
    const l = new Float64Array(d * d);
    const a = new Float64Array(d * d);
    const solve = (gram: Float64Array, cross: Float64Array, ridge: number): Float64Array | null => {
      a.set(gram);
      for (let j = 1; j < d; j++) a[j * d + j] += ridge;
      if (!choleskyFactor(a, d, l)) return null;
      const w = Float64Array.from(cross);
      choleskySolveInPlace(l, d, w, o);
      return w;
    };

    const candidates: EsnRidgeCandidate[] = [];
    let best = ridgeCandidates[0];
    let gram = train.gram;
    let cross = train.cross;
    if (selecting) {
      let bestMse = Number.POSITIVE_INFINITY;
      for (const ridge of ridgeCandidates) {
        const w = solve(train.gram, train.cross, ridge);
        const mse = w === null ? null : squaredError(w, trainRows, rows) / (valRows * o);
        candidates.push({ ridge, validationMse: mse });
        if (mse !== null && mse < bestMse) {
          bestMse = mse;
          best = ridge;
        }
      }
      if (!Number.isFinite(bestMse)) {
        throw new Error(
          `EchoStateNetwork.fit: no ridge value in [${ridgeCandidates.join(', ')}] gave a positive-definite system on the ${d} features`,
        );
      }
      const val = normal(trainRows, rows);
      gram = train.gram.map((g, i) => g + val.gram[i]);
      cross = train.cross.map((c, i) => c + val.cross[i]);
    }
    const w = solve(gram, cross, best);
    if (w === null) {
      throw new Error(
        `EchoStateNetwork.fit: the ridge system (${d} features, λ = ${best}) is not positive definite; use a larger ridge value`,
      );
    }
    if (!selecting) candidates.push({ ridge: best, validationMse: null });
    this.readout = Float32Array.from(w);
    this.outputSize = o;
    this.ridge = best;
    const rmse = Math.sqrt(squaredError(Float64Array.from(this.readout), 0, rows) / (rows * o));
    return { ridge: best, candidates, trainRows, validationRows: valRows, rmse };
  }

  /**
   * Readout outputs for every step, (T, O) / (B, T, O) / a list, from the given or zero initial state. The first
   * `washout` outputs of a sequence are less accurate while the initial state fades.
   */
  predict(inputs: Tensor, opts?: EsnRunOptions): Tensor;
  predict(inputs: readonly Tensor[], opts?: EsnRunOptions): Tensor[];
  predict(inputs: EsnSequences, opts: EsnRunOptions = {}): Tensor | Tensor[] {
    const readout = this.readout;
    const o = this.outputSize;
    if (readout === null || o === null) throw new Error('EchoStateNetwork.predict: call fit() before predict()');
    const { inputSize: f, reservoirSize: n } = this.config;
    const xs = sequenceViews(inputs, f, 'inputs', 'predict');
    const initial = this.initialState(opts, 'predict');
    const bias = readout.subarray(0, o);
    const inputPart = readout.subarray(o, (1 + f) * o); // (F, O)
    const statePart = readout.subarray((1 + f) * o); // (N, O)
    const outs = xs.map((x) => {
      const states = this.runStates(x, initial);
      const out = new Float32Array(x.steps * o); // (T, O)
      K.fillRows(bias, out, x.steps, o);
      const u = x.data.subarray(x.offset, x.offset + x.steps * f);
      K.matmul(u, inputPart, out, x.steps, o, f, false, false, true);
      K.matmul(states, statePart, out, x.steps, o, n, false, false, true);
      return out;
    });
    return assemble(inputs, outs, o);
  }

  /** Reservoir states x(t), (T, N) / (B, T, N) / a list, e.g. for plotting the reservoir's response. */
  collectStates(inputs: Tensor, opts?: EsnRunOptions): Tensor;
  collectStates(inputs: readonly Tensor[], opts?: EsnRunOptions): Tensor[];
  collectStates(inputs: EsnSequences, opts: EsnRunOptions = {}): Tensor | Tensor[] {
    const xs = sequenceViews(inputs, this.config.inputSize, 'inputs', 'collectStates');
    const initial = this.initialState(opts, 'collectStates');
    return assemble(
      inputs,
      xs.map((x) => this.runStates(x, initial)),
      this.config.reservoirSize,
    );
  }

  toJSON(): EchoStateNetworkJson {
    const r = this.reservoir;
    return {
      format: 'neuralfin-esn',
      version: 1,
      config: { ...this.config, ridgeCandidates: this.config.ridgeCandidates.slice() },
      reservoir: {
        rowPtr: Array.from(r.rowPtr),
        colIdx: Array.from(r.colIdx),
        weights: Array.from(r.weights),
        inputWeights: Array.from(r.inputWeights),
        bias: Array.from(r.bias),
        rawSpectralRadius: r.rawSpectralRadius,
        powerIterationConverged: r.powerIterationConverged,
      },
      readout:
        this.readout === null || this.outputSize === null || this.ridge === null
          ? null
          : { outputSize: this.outputSize, ridge: this.ridge, weights: Array.from(this.readout) },
    };
  }

  /** Rebuilds an ESN saved by toJSON (bit-identical weights; no Rng needed). */
  static fromJSON(json: EchoStateNetworkJson): EchoStateNetwork {
    if (json === null || typeof json !== 'object' || json.format !== 'neuralfin-esn') {
      throw new Error(`EchoStateNetwork.fromJSON: not a saved ESN (format ${JSON.stringify(json?.format)})`);
    }
    if (json.version !== 1) throw new Error(`EchoStateNetwork.fromJSON: unsupported version ${json.version}`);
    const r = json.reservoir;
    const esn = new EchoStateNetwork(json.config, {
      rowPtr: Int32Array.from(r.rowPtr),
      colIdx: Int32Array.from(r.colIdx),
      weights: Float32Array.from(r.weights),
      inputWeights: Float32Array.from(r.inputWeights),
      bias: Float32Array.from(r.bias),
      rawSpectralRadius: r.rawSpectralRadius,
      powerIterationConverged: r.powerIterationConverged,
    });
    if (json.readout !== null) {
      const { outputSize, ridge, weights } = json.readout;
      if (!Number.isInteger(outputSize) || outputSize < 1 || weights.length !== esn.featureSize * outputSize) {
        throw new Error(
          `EchoStateNetwork.fromJSON: readout has ${weights.length} weights; (${esn.featureSize}, ${outputSize}) needs ${esn.featureSize * outputSize}`,
        );
      }
      esn.readout = Float32Array.from(weights);
      esn.outputSize = outputSize;
      esn.ridge = ridge;
    }
    return esn;
  }

  /** Runs the reservoir over one sequence: states (T, N). */
  private runStates(x: SequenceView, initial: Float32Array | null): Float32Array {
    const { inputSize: f, reservoirSize: n, leakRate } = this.config;
    const r = this.reservoir;
    const states = new Float32Array(x.steps * n);
    K.reservoirRun(
      r.rowPtr,
      r.colIdx,
      r.weights,
      r.inputWeights,
      r.bias,
      leakRate,
      x.data,
      x.offset,
      initial ?? new Float32Array(n),
      states,
      0,
      x.steps,
      n,
      f,
    );
    return states;
  }

  private initialState(opts: EsnRunOptions, op: string): Float32Array | null {
    const s = opts.initialState;
    if (s === undefined) return null;
    if (s.length !== this.config.reservoirSize) {
      throw new Error(
        `EchoStateNetwork.${op}: initialState has ${s.length} values, the reservoir has ${this.config.reservoirSize} units`,
      );
    }
    return s;
  }
}

function resolveConfig(c: EchoStateNetworkConfig): Required<EchoStateNetworkConfig> {
  const n = c.reservoirSize ?? 200;
  const cfg: Required<EchoStateNetworkConfig> = {
    inputSize: c.inputSize,
    reservoirSize: n,
    connectivity: c.connectivity ?? Math.min(1, Math.max(0.01, 5 / n)),
    spectralRadius: c.spectralRadius ?? 0.9,
    inputScaling: c.inputScaling ?? 1,
    biasScaling: c.biasScaling ?? 0.1,
    leakRate: c.leakRate ?? 1,
    washout: c.washout ?? 100,
    ridgeCandidates: (c.ridgeCandidates ?? DEFAULT_RIDGE_CANDIDATES).slice(),
    validationSplit: c.validationSplit ?? 0.2,
  };
  const bad = (field: string, rule: string, value: unknown): never => {
    throw new Error(`EchoStateNetwork: ${field} must be ${rule}, got ${JSON.stringify(value)}`);
  };
  if (!Number.isInteger(cfg.inputSize) || cfg.inputSize < 1) bad('inputSize', 'a positive integer', c.inputSize);
  if (!Number.isInteger(n) || n < 1) bad('reservoirSize', 'a positive integer', n);
  if (!(cfg.connectivity > 0 && cfg.connectivity <= 1)) bad('connectivity', 'in (0, 1]', cfg.connectivity);
  if (!(cfg.spectralRadius > 0 && Number.isFinite(cfg.spectralRadius))) {
    bad('spectralRadius', 'finite and > 0', cfg.spectralRadius);
  }
  if (!(cfg.inputScaling >= 0 && Number.isFinite(cfg.inputScaling)))
    bad('inputScaling', 'finite and ≥ 0', cfg.inputScaling);
  if (!(cfg.biasScaling >= 0 && Number.isFinite(cfg.biasScaling)))
    bad('biasScaling', 'finite and ≥ 0', cfg.biasScaling);
  if (!(cfg.leakRate > 0 && cfg.leakRate <= 1)) bad('leakRate', 'in (0, 1]', cfg.leakRate);
  if (!Number.isInteger(cfg.washout) || cfg.washout < 0) bad('washout', 'a non-negative integer', cfg.washout);
  if (cfg.ridgeCandidates.length < 1 || cfg.ridgeCandidates.some((l) => !(l >= 0 && Number.isFinite(l)))) {
    bad('ridgeCandidates', 'a non-empty list of finite values ≥ 0', cfg.ridgeCandidates);
  }
  if (!(cfg.validationSplit >= 0 && cfg.validationSplit < 1)) bad('validationSplit', 'in [0, 1)', cfg.validationSplit);
  return cfg;
}

function isReservoir(source: Rng | EsnReservoir): source is EsnReservoir {
  return (source as EsnReservoir).rowPtr instanceof Int32Array;
}

/**
 * Draws W with exactly k = max(1, round(connectivity·N)) incoming links per unit at distinct random columns, values
 * uniform in [−1, 1], then scales W by target / ρ̂ where ρ̂ is the power-iteration estimate of its spectral radius.
 */
function buildReservoir(cfg: Required<EchoStateNetworkConfig>, rng: Rng): EsnReservoir {
  const n = cfg.reservoirSize;
  const f = cfg.inputSize;
  const k = Math.min(n, Math.max(1, Math.round(cfg.connectivity * n)));
  const rowPtr = new Int32Array(n + 1);
  const colIdx = new Int32Array(n * k);
  const weights = new Float32Array(n * k);
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) pool[j] = j;
    // partial Fisher–Yates: the first k entries of pool become a uniform random k-subset
    for (let j = 0; j < k; j++) {
      const pick = j + rng.int(n - j);
      const tmp = pool[j];
      pool[j] = pool[pick];
      pool[pick] = tmp;
    }
    const cols = pool.subarray(0, k).sort();
    colIdx.set(cols, i * k);
    for (let p = 0; p < k; p++) weights[i * k + p] = rng.range(-1, 1);
    rowPtr[i + 1] = (i + 1) * k;
  }
  const est = spectralRadius((x, y) => K.csrMatVec(rowPtr, colIdx, weights, x, y, n), n, rng);
  if (!(est.radius > 0)) {
    throw new Error(
      `EchoStateNetwork: the random reservoir (${n} units, ${k} links each) has spectral radius 0 and cannot be scaled; use another seed or a higher connectivity`,
    );
  }
  const factor = cfg.spectralRadius / est.radius;
  for (let p = 0; p < weights.length; p++) weights[p] *= factor;
  const inputWeights = new Float32Array(n * f);
  for (let i = 0; i < inputWeights.length; i++) inputWeights[i] = rng.range(-cfg.inputScaling, cfg.inputScaling);
  const bias = new Float32Array(n);
  for (let i = 0; i < n; i++) bias[i] = cfg.biasScaling === 0 ? 0 : rng.range(-cfg.biasScaling, cfg.biasScaling);
  return {
    rowPtr,
    colIdx,
    weights,
    inputWeights,
    bias,
    rawSpectralRadius: est.radius,
    powerIterationConverged: est.converged,
  };
}

function checkReservoir(r: EsnReservoir, cfg: Required<EchoStateNetworkConfig>): EsnReservoir {
  const n = cfg.reservoirSize;
  const f = cfg.inputSize;
  const nnz = r.rowPtr[n];
  const problem =
    r.rowPtr.length !== n + 1
      ? `rowPtr has ${r.rowPtr.length} entries, ${n} units need ${n + 1}`
      : r.colIdx.length !== nnz || r.weights.length !== nnz
        ? `colIdx (${r.colIdx.length}) and weights (${r.weights.length}) must both have rowPtr[${n}] = ${nnz} entries`
        : r.inputWeights.length !== n * f
          ? `inputWeights has ${r.inputWeights.length} values, (${n}, ${f}) needs ${n * f}`
          : r.bias.length !== n
            ? `bias has ${r.bias.length} values, ${n} units need ${n}`
            : r.colIdx.some((c) => c < 0 || c >= n)
              ? `colIdx has a column outside [0, ${n})`
              : null;
  if (problem !== null) throw new Error(`EchoStateNetwork: invalid reservoir: ${problem}`);
  for (let i = 0; i < n; i++) {
    if (r.rowPtr[i + 1] < r.rowPtr[i]) throw new Error(`EchoStateNetwork: invalid reservoir: rowPtr decreases at ${i}`);
  }
  return r;
}

/** Writes the feature row [1, u, x] (1 + F + N values) as column `row` of the feature-major block out. */
function writeFeatures(
  u: Float32Array,
  uOffset: number,
  f: number,
  x: Float32Array,
  xOffset: number,
  n: number,
  out: Float64Array,
  row: number,
): void {
  out[row] = 1;
  for (let j = 0; j < f; j++) out[(1 + j) * BLOCK_ROWS + row] = u[uOffset + j];
  const base = (1 + f) * BLOCK_ROWS + row;
  for (let j = 0; j < n; j++) out[base + j * BLOCK_ROWS] = x[xOffset + j];
}

function describe(s: EsnSequences): string {
  return s instanceof Tensor ? shapeStr(s.shape) : `[${s.map((t) => shapeStr(t.shape)).join(', ')}]`;
}

function lastDim(s: EsnSequences): number {
  const t = s instanceof Tensor ? s : s[0];
  if (t === undefined || t.rank < 2) {
    throw new Error(`EchoStateNetwork: targets must be (T, O), (B, T, O) or a list of (T, O), got ${describe(s)}`);
  }
  return t.shape[t.rank - 1];
}

/** Views of each sequence in s, whose steps must have `width` features. */
function sequenceViews(s: EsnSequences, width: number, what: string, op: string): SequenceView[] {
  const expected = `(T, ${width}), (B, T, ${width}) or a list of (T, ${width})`;
  const fail = (): never => {
    throw new Error(`EchoStateNetwork.${op}: ${what} must be ${expected}, got ${describe(s)}`);
  };
  if (s instanceof Tensor) {
    if (s.shape[s.rank - 1] !== width) fail();
    if (s.rank === 2) return [{ data: s.data, offset: 0, steps: s.shape[0] }];
    if (s.rank !== 3) fail();
    const [b, t] = s.shape;
    const views: SequenceView[] = [];
    for (let i = 0; i < b; i++) views.push({ data: s.data, offset: i * t * width, steps: t });
    return views;
  }
  if (s.length === 0) fail();
  return s.map((t) => {
    if (t.rank !== 2 || t.shape[1] !== width) fail();
    return { data: t.data, offset: 0, steps: t.shape[0] };
  });
}

/** Throws, naming the sequence, step and feature, at the first NaN or infinity. */
function checkFinite(views: SequenceView[], width: number, what: string): void {
  views.forEach((v, s) => {
    const end = v.offset + v.steps * width;
    for (let i = v.offset; i < end; i++) {
      if (!Number.isFinite(v.data[i])) {
        const at = i - v.offset;
        throw new Error(
          `EchoStateNetwork.fit: ${what} of sequence ${s} hold ${v.data[i]} at step ${Math.floor(at / width)}, feature ${at % width}`,
        );
      }
    }
  });
}

/** Per-sequence outputs (T_i × width) in the layout of the input: one tensor, a batch or a list. */
function assemble(like: EsnSequences, outs: Float32Array[], width: number): Tensor | Tensor[] {
  if (!(like instanceof Tensor)) return outs.map((o) => new Tensor(o, [o.length / width, width]));
  if (like.rank === 2) return new Tensor(outs[0], [like.shape[0], width]); // (T, width)
  const [b, t] = like.shape;
  const all = new Float32Array(b * t * width); // (B, T, width)
  outs.forEach((o, i) => {
    all.set(o, i * t * width);
  });
  return new Tensor(all, [b, t, width]);
}
