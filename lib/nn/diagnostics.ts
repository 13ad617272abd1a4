// Training diagnostics from the lecture's failure scenarios: per-layer gradient norms over epochs (vanishing or
// exploding gradients) and the share of dead ReLU units (output 0 for every sample of a batch).

import { K } from './kernels';
import type { Module } from './module';
import { noGrad, shapeStr, Tensor } from './tensor';

/** Every module under root with its path ("" for the root, then "0", "0.1", ... as in namedState). */
export function namedModules(root: Module, prefix = ''): [string, Module][] {
  const out: [string, Module][] = [[prefix, root]];
  root.children().forEach((c, i) => {
    out.push(...namedModules(c, prefix === '' ? `${i}` : `${prefix}.${i}`));
  });
  return out;
}

function layerLabel(path: string, m: Module): string {
  return path === '' ? m.name : `${path}:${m.name}`;
}

/**
 * Collects the L2 norm of each layer's gradient (all its own parameters together) after every backward pass, and
 * averages it over each epoch. Layers are the modules that own parameters, labelled "path:name" (e.g. "0:dense").
 */
export class GradNormTracker {
  readonly layers: { label: string; params: Tensor[] }[];
  /** label → mean gradient norm per epoch. */
  readonly history: Record<string, number[]> = {};
  private readonly sums: Float64Array;
  private batches = 0;

  constructor(model: Module) {
    this.layers = namedModules(model)
      .filter(([, m]) => m.ownParameters().length > 0)
      .map(([path, m]) => ({ label: layerLabel(path, m), params: m.ownParameters() }));
    for (const l of this.layers) this.history[l.label] = [];
    this.sums = new Float64Array(this.layers.length);
  }

  /** Adds the current gradients' per-layer norms to the running epoch sums (call after backward, before clipping). */
  accumulate(): void {
    for (let i = 0; i < this.layers.length; i++) {
      let sq = 0;
      for (const p of this.layers[i].params) if (p.grad !== null) sq += K.dot(p.grad, p.grad);
      this.sums[i] += Math.sqrt(sq);
    }
    this.batches++;
  }

  /** Closes an epoch: appends each layer's mean norm over the epoch's batches to history. */
  endEpoch(): void {
    for (let i = 0; i < this.layers.length; i++) {
      this.history[this.layers[i].label].push(this.batches > 0 ? this.sums[i] / this.batches : 0);
    }
    this.sums.fill(0);
    this.batches = 0;
  }
}

/**
 * Share of units (columns) whose activation is exactly 0 for every row: activations (rows, units) row-major.
 * For a ReLU output these are the dead units of that batch.
 */
export function deadUnitShare(activations: Float32Array, rows: number, units: number): number {
  if (activations.length !== rows * units) {
    throw new Error(`deadUnitShare: ${activations.length} activations do not form (${rows}, ${units})`);
  }
  if (units === 0) return 0;
  let dead = 0;
  for (let u = 0; u < units; u++) {
    let alive = false;
    for (let r = 0; r < rows && !alive; r++) alive = activations[r * units + u] !== 0;
    if (!alive) dead++;
  }
  return dead / units;
}

export interface DeadReluLayer {
  /** "path:name" of the ReLU module. */
  label: string;
  /** Units = the last dimension of the module's output (earlier dimensions count as samples). */
  units: number;
  deadUnits: number;
  share: number;
}

/** Whether a module is a ReLU activation layer (an Activation whose spec has fn 'relu'). */
export function isReluModule(m: Module): boolean {
  const spec = m.spec();
  return spec.type === 'Activation' && spec.config.fn === 'relu';
}

/**
 * Runs one batch x (shape xShape) through model in eval mode without gradients and reports, for every ReLU module
 * (isRelu decides which), the units whose output was 0 for every sample. The model's training flag is restored.
 */
export function deadReluReport(
  model: Module,
  x: Float32Array,
  xShape: number[],
  isRelu: (m: Module) => boolean = isReluModule,
): DeadReluLayer[] {
  const watched = namedModules(model).filter(([, m]) => isRelu(m));
  const outputs = new Map<Module, Tensor>();
  // capture outputs by wrapping each watched instance's forward for the duration of this pass
  const hadOwnForward = watched.map(([, m]) => Object.hasOwn(m, 'forward'));
  const originals = watched.map(([, m]) => {
    const original = m.forward;
    m.forward = (input: Tensor): Tensor => {
      const y = original.call(m, input);
      outputs.set(m, y);
      return y;
    };
    return original;
  });
  const wasTraining = model.training;
  try {
    model.eval();
    noGrad(() => model.forward(new Tensor(x, xShape)));
  } finally {
    watched.forEach(([, m], i) => {
      if (hadOwnForward[i]) m.forward = originals[i];
      else delete (m as { forward?: unknown }).forward;
    });
    model.train(wasTraining);
  }
  return watched.map(([path, m]) => {
    const y = outputs.get(m);
    if (y === undefined) throw new Error(`deadReluReport: module ${layerLabel(path, m)} was not called by forward`);
    if (y.rank < 1) throw new Error(`deadReluReport: ${layerLabel(path, m)} output ${shapeStr(y.shape)} has no units`);
    const units = y.shape[y.rank - 1];
    const rows = units === 0 ? 0 : y.size / units;
    const share = deadUnitShare(y.data, rows, units);
    return { label: layerLabel(path, m), units, deadUnits: Math.round(share * units), share };
  });
}
