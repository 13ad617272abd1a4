// Generative adversarial training (Goodfellow et al. 2014) for any generator and discriminator modules: alternating
// discriminator updates on real vs. detached fake batches and generator updates with the non-saturating loss
// −log D(G(z)); plus latent sampling and drawing samples from a trained generator.

import { bceWithLogits } from './losses';
import type { Module } from './module';
import { createOptimizer, Optimizer, type OptimizerConfig } from './optim';
import type { Rng } from './rng';
import { runSteps, runStepsYielding } from './steps';
import { noGrad, shapeStr, Tensor } from './tensor';

/** Prior of the latent codes z: standard normal (default) or uniform in [−1, 1]. */
export type LatentDistribution = 'normal' | 'uniform';

export interface GanProgress {
  /** 1-based generator step just completed. */
  step: number;
  steps: number;
  /** Discriminator loss of the step's last discriminator update: BCE(D(x), real) + BCE(D(G(z)), 0). */
  dLoss: number;
  /** Generator loss −mean log σ(D(G(z))) (non-saturating). */
  gLoss: number;
  /** Mean σ(D(x)) on that real batch: the discriminator's probability that real rows are real. */
  dReal: number;
  /** Mean σ(D(G(z))) on that fake batch (before the generator update). */
  dFake: number;
}

export interface GanTrainingConfig {
  /** Maps latent codes (B, latentDim) to samples shaped like the data's rows (B, ...). */
  generator: Module;
  /** Maps samples (B, ...) to one logit per sample, (B, 1) or (B). */
  discriminator: Module;
  latentDim: number;
  /** Real samples (N, ...), e.g. (N, D) feature rows. */
  data: Tensor;
  /** Generator updates (default 1000 unless epochs is given). */
  steps?: number;
  /**
   * Alternative to steps: passes of the discriminator over the real rows; steps = ⌈epochs·⌈N / batchSize⌉ / dStepsPerG⌉.
   */
  epochs?: number;
  /** Real and fake samples per discriminator update, and fake samples per generator update (default 64). */
  batchSize?: number;
  /** Default Adam with lr 2e-4, β1 0.5, β2 0.999 (Radford et al. 2015, DCGAN). */
  generatorOptimizer?: Optimizer | OptimizerConfig;
  /** Default Adam with lr 2e-4, β1 0.5, β2 0.999. */
  discriminatorOptimizer?: Optimizer | OptimizerConfig;
  /** Discriminator updates before each generator update (default 1). */
  dStepsPerG?: number;
  /** Latent prior (default 'normal'). */
  latent?: LatentDistribution;
  /** Target of real rows in the discriminator loss; 0.9 gives one-sided label smoothing (default 1). */
  realLabel?: number;
  /** Source of latent codes and batch shuffles. */
  rng: Rng;
  /** Called after every generator step. */
  onProgress?: (p: GanProgress) => void;
  /** Checked before every generator step; true stops training (stopReason 'cancelled'). */
  shouldStop?: () => boolean;
  signal?: AbortSignal;
  /** trainGan (the async variant) yields to the event loop at least this often, in ms (default 20). */
  yieldEveryMs?: number;
}

export type GanStopReason = 'completed' | 'cancelled' | 'diverged';

export interface GanHistory {
  /** Discriminator loss per generator step (its last discriminator update). */
  dLoss: number[];
  gLoss: number[];
  stepsCompleted: number;
  stopReason: GanStopReason;
  stopMessage: string | null;
}

export interface GanResult {
  history: GanHistory;
  /** n new samples (n, ...) from the generator in eval mode; latent codes come from rng (default the training Rng). */
  sample(n: number, rng?: Rng): Tensor;
}

const DEFAULT_GAN_OPTIMIZER: OptimizerConfig = { type: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999 };

/** Latent codes (n, latentDim) drawn from the prior. */
export function sampleLatent(n: number, latentDim: number, rng: Rng, latent: LatentDistribution = 'normal'): Tensor {
  const z = Tensor.zeros([n, latentDim]);
  fillLatent(z.data, rng, latent);
  return z;
}

/** n samples from generator (run in eval mode, without recording gradients; its training flag is restored). */
export function generateSamples(
  generator: Module,
  n: number,
  latentDim: number,
  rng: Rng,
  latent: LatentDistribution = 'normal',
): Tensor {
  if (!Number.isInteger(n) || n < 1) throw new Error(`generateSamples: n must be a positive integer, got ${n}`);
  const wasTraining = generator.training;
  generator.eval();
  try {
    return noGrad(() => generator.forward(sampleLatent(n, latentDim, rng, latent)));
  } finally {
    generator.train(wasTraining);
  }
}

/**
 * Trains the GAN, yielding to the event loop between steps (every yieldEveryMs) so cancellation and progress
 * writes get to run. See trainGanSync for a blocking run.
 */
export async function trainGan(cfg: GanTrainingConfig): Promise<GanResult> {
  return runStepsYielding(ganLoop(cfg), cfg.yieldEveryMs ?? 20);
}

/** trainGan without yielding: blocks until training ends (cancellation then only works through shouldStop). */
export function trainGanSync(cfg: GanTrainingConfig): GanResult {
  return runSteps(ganLoop(cfg));
}

/**
 * One generator step: dStepsPerG discriminator updates, each minimising BCE(D(x), realLabel) + BCE(D(G(z)), 0) on
 * a real batch x and a fake batch generated without recording gradients (so nothing flows into G); then one
 * generator update minimising BCE(D(G(z)), 1) = −mean log σ(D(G(z))) on fresh z, the non-saturating loss whose
 * gradient stays large while D rejects the fakes (−log(1 − D(G(z))) saturates there). During the generator update
 * the discriminator's parameters do not require gradients, so only G's parameters receive them.
 */
function* ganLoop(cfg: GanTrainingConfig): Generator<void, GanResult, void> {
  const { generator, discriminator, latentDim, data, rng } = cfg;
  const batchSize = cfg.batchSize ?? 64;
  const dStepsPerG = cfg.dStepsPerG ?? 1;
  const latent = cfg.latent ?? 'normal';
  const realLabel = cfg.realLabel ?? 1;
  if (!Number.isInteger(latentDim) || latentDim < 1) {
    throw new Error(`trainGan: latentDim must be a positive integer, got ${latentDim}`);
  }
  if (!(data instanceof Tensor) || data.rank < 2 || data.shape[0] < 1) {
    throw new Error(
      `trainGan: data must be a tensor (N, ...) with N ≥ 1 rows, got ${data instanceof Tensor ? shapeStr(data.shape) : typeof data}`,
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`trainGan: batchSize must be a positive integer, got ${batchSize}`);
  }
  if (!Number.isInteger(dStepsPerG) || dStepsPerG < 1) {
    throw new Error(`trainGan: dStepsPerG must be a positive integer, got ${dStepsPerG}`);
  }
  if (!(realLabel > 0 && realLabel <= 1)) throw new Error(`trainGan: realLabel must be in (0, 1], got ${realLabel}`);
  if (latent !== 'normal' && latent !== 'uniform') {
    throw new Error(`trainGan: latent must be 'normal' or 'uniform', got '${latent as string}'`);
  }
  const n = data.shape[0];
  const rowShape = data.shape.slice(1);
  const rowSize = data.size / n;
  const steps = resolveSteps(cfg, n, batchSize, dStepsPerG);

  const gOpt = optimizerFor(generator, cfg.generatorOptimizer);
  const dOpt = optimizerFor(discriminator, cfg.discriminatorOptimizer);
  const dParams = discriminator.parameters();
  // restored after each generator update, so parameters the caller froze stay frozen
  const dRequiresGrad = dParams.map((p) => p.requiresGrad);
  const gWasTraining = generator.training;
  const dWasTraining = discriminator.training;
  generator.train(true);
  discriminator.train(true);

  // batch buffers reused across steps
  const realBuf = new Float32Array(batchSize * rowSize);
  const real = new Tensor(realBuf, [batchSize, ...rowShape]);
  const z = Tensor.zeros([batchSize, latentDim]);
  const realTargets = Tensor.fill([batchSize, 1], realLabel);
  const fakeTargets = Tensor.zeros([batchSize, 1]);
  // the generator's target is 1 (it wants D to call its samples real), whatever the smoothed real label
  const generatorTargets = realLabel === 1 ? realTargets : Tensor.fill([batchSize, 1], 1);
  const sampleShape = [batchSize, ...rowShape];
  const order = rng.permutation(n);
  let cursor = 0;

  const history: GanHistory = { dLoss: [], gLoss: [], stepsCompleted: 0, stopReason: 'completed', stopMessage: null };
  const cancelled = (): boolean => (cfg.shouldStop?.() ?? false) || (cfg.signal?.aborted ?? false);

  const checkLogits = (logits: Tensor, what: string): void => {
    if (logits.size !== batchSize || logits.shape[0] !== batchSize) {
      throw new Error(
        `trainGan: the discriminator must output one logit per sample, (${batchSize}, 1), got ${shapeStr(logits.shape)} for ${what}`,
      );
    }
  };
  const generate = (): Tensor => {
    fillLatent(z.data, rng, latent);
    const fake = generator.forward(z);
    if (fake.shape.length !== sampleShape.length || fake.shape.some((d, i) => d !== sampleShape[i])) {
      throw new Error(
        `trainGan: the generator must map (${batchSize}, ${latentDim}) to samples ${shapeStr(sampleShape)} like the data ${shapeStr(data.shape)}, got ${shapeStr(fake.shape)}`,
      );
    }
    return fake;
  };

  try {
    for (let step = 1; step <= steps; step++) {
      if (cancelled()) {
        history.stopReason = 'cancelled';
        history.stopMessage = `cancelled before generator step ${step} of ${steps}`;
        break;
      }
      let dLoss = 0;
      let dReal = 0;
      let dFake = 0;
      for (let k = 0; k < dStepsPerG; k++) {
        // real batch: the next rows of a shuffled pass over the data, reshuffled when it runs out
        for (let i = 0; i < batchSize; i++) {
          if (cursor === n) {
            rng.shuffle(order);
            cursor = 0;
          }
          const src = order[cursor++] * rowSize;
          const dst = i * rowSize;
          for (let j = 0; j < rowSize; j++) realBuf[dst + j] = data.data[src + j];
        }
        const fake = noGrad(generate);
        dOpt.zeroGrad();
        const realLogits = discriminator.forward(real);
        checkLogits(realLogits, 'real rows');
        const lossReal = bceWithLogits(realLogits, realTargets);
        const fakeLogits = discriminator.forward(fake);
        checkLogits(fakeLogits, 'generated rows');
        const lossFake = bceWithLogits(fakeLogits, fakeTargets);
        dLoss = lossReal.data[0] + lossFake.data[0];
        dReal = meanSigmoid(realLogits.data);
        dFake = meanSigmoid(fakeLogits.data);
        if (!Number.isFinite(dLoss)) break;
        lossReal.backward();
        lossFake.backward();
        dOpt.step();
      }
      if (!Number.isFinite(dLoss)) {
        history.stopReason = 'diverged';
        history.stopMessage = `discriminator loss became ${dLoss} at generator step ${step}`;
        break;
      }

      gOpt.zeroGrad();
      for (const p of dParams) p.requiresGrad = false;
      let gLoss: number;
      try {
        const logits = discriminator.forward(generate());
        checkLogits(logits, 'generated rows');
        const loss = bceWithLogits(logits, generatorTargets);
        gLoss = loss.data[0];
        if (Number.isFinite(gLoss)) loss.backward();
      } finally {
        dParams.forEach((p, i) => {
          p.requiresGrad = dRequiresGrad[i];
        });
      }
      if (!Number.isFinite(gLoss)) {
        history.stopReason = 'diverged';
        history.stopMessage = `generator loss became ${gLoss} at step ${step}`;
        break;
      }
      gOpt.step();
      history.dLoss.push(dLoss);
      history.gLoss.push(gLoss);
      history.stepsCompleted = step;
      cfg.onProgress?.({ step, steps, dLoss, gLoss, dReal, dFake });
      yield;
    }
  } finally {
    generator.train(gWasTraining);
    discriminator.train(dWasTraining);
  }

  return {
    history,
    sample: (count: number, sampleRng: Rng = rng) => generateSamples(generator, count, latentDim, sampleRng, latent),
  };
}

function resolveSteps(cfg: GanTrainingConfig, n: number, batchSize: number, dStepsPerG: number): number {
  if (cfg.steps !== undefined && cfg.epochs !== undefined) {
    throw new Error(`trainGan: give steps (${cfg.steps}) or epochs (${cfg.epochs}), not both`);
  }
  if (cfg.epochs !== undefined) {
    if (!(cfg.epochs > 0 && Number.isFinite(cfg.epochs)))
      throw new Error(`trainGan: epochs must be > 0, got ${cfg.epochs}`);
    return Math.ceil((cfg.epochs * Math.ceil(n / batchSize)) / dStepsPerG);
  }
  const steps = cfg.steps ?? 1000;
  if (!Number.isInteger(steps) || steps < 0)
    throw new Error(`trainGan: steps must be a non-negative integer, got ${steps}`);
  return steps;
}

function optimizerFor(model: Module, opt: Optimizer | OptimizerConfig | undefined): Optimizer {
  return opt instanceof Optimizer ? opt : createOptimizer(model.parameters(), opt ?? DEFAULT_GAN_OPTIMIZER);
}

function fillLatent(out: Float32Array, rng: Rng, latent: LatentDistribution): void {
  if (latent === 'uniform') for (let i = 0; i < out.length; i++) out[i] = rng.range(-1, 1);
  else for (let i = 0; i < out.length; i++) out[i] = rng.normal();
}

function meanSigmoid(logits: Float32Array): number {
  let s = 0;
  for (let i = 0; i < logits.length; i++) s += 1 / (1 + Math.exp(-logits[i]));
  return s / logits.length;
}
