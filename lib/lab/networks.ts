// One small live experiment per network type of the course (perceptron, feed-forward, residual, RNN, LSTM, ESN, 1-D
// CNN, GAN, Transformer), each trained step by step on the engine so a Lab page can show what it learns.

import { type Dataset, gaussianClustersData, shuffleRows, sliceRows, spiralData } from '../nn/datasets';
import { EchoStateNetwork } from '../nn/esn';
import { fitSync } from '../nn/fit';
import { type GanResult, trainGanSync } from '../nn/gan';
import { Activation } from '../nn/layers/activation';
import type { MultiHeadSelfAttention } from '../nn/layers/attention';
import { Conv1D } from '../nn/layers/conv1d';
import { Dense } from '../nn/layers/dense';
import { Perceptron } from '../nn/layers/perceptron';
import { LastStep } from '../nn/layers/pooling';
import { SinusoidalPositionalEncoding } from '../nn/layers/positional';
import { LSTM, SimpleRNN } from '../nn/layers/recurrent';
import { ResidualBlock } from '../nn/layers/residual';
import { Sequential } from '../nn/layers/sequential';
import { TransformerEncoderBlock } from '../nn/layers/transformer';
import { bceWithLogits, mse } from '../nn/losses';
import type { Module } from '../nn/module';
import { Adam, type Optimizer } from '../nn/optim';
import { Rng } from '../nn/rng';
import { mackeyGlass } from '../nn/series';
import { noGrad, Tensor } from '../nn/tensor';
import { DEFAULT_PLAYGROUND, PlaygroundRun } from './playground';

export interface DemoView {
  /** Training steps (epochs or update rounds) so far. */
  step: number;
  /** The curve(s) that show learning, by step. */
  curves: { label: string; values: number[] }[];
  /** Lines over a common x axis (e.g. a forecast against the truth). */
  lines?: { title: string; series: { label: string; values: number[] }[] };
  /** 2-D point clouds (x, y pairs), e.g. data and samples. */
  scatter?: { title: string; groups: { label: string; points: Float32Array }[] };
  /** A surface over [−6, 6]² in (−1, 1) with points on top. */
  surface?: { title: string; grid: Float32Array; res: number; train: { x: Float32Array; y: Float32Array } };
  /** A matrix shown as a heat-map (attention weights, reservoir states, kernels). */
  heat?: { title: string; rows: number; cols: number; values: Float32Array; rowLabel: string; colLabel: string };
  notes: string[];
}

export interface DemoRun {
  step(): void;
  view(): DemoView;
  readonly done: boolean;
}

export interface NetworkDemo {
  id: string;
  title: string;
  /** The idea in a few sentences (course facts, our words). */
  idea: string;
  /** What the page trains. */
  task: string;
  create(seed: number): DemoRun;
}

// ---------------------------------------------------------------------------------------------------------------
// Sequence helpers

/** Windows of a series: x (N, T, 1) of T past values, y (N, 1) the next value. */
function windows(series: Float32Array, steps: number): Dataset {
  const n = series.length - steps;
  const x = new Float32Array(n * steps);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x.set(series.subarray(i, i + steps), i * steps);
    y[i] = series[i + steps];
  }
  return { x, xShape: [n, steps, 1], y, yShape: [n, 1] };
}

function noisySine(rng: Rng, length: number, noise = 0.05): Float32Array {
  const s = new Float32Array(length);
  for (let t = 0; t < length; t++) s[t] = Math.sin((2 * Math.PI * t) / 25) + rng.normal(0, noise);
  return s;
}

function mseOf(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

function predictAll(model: Module, d: Dataset): Float32Array {
  return noGrad(() => {
    model.eval();
    const out = model.forward(new Tensor(d.x, d.xShape)).data;
    model.train(true);
    return out;
  });
}

/** A one-step-ahead forecaster of a noisy sine trained an epoch per step, with the naive last-value forecast beside it. */
function sequenceForecastDemo(build: (rng: Rng) => Module, epochs: number, lr = 0.01) {
  return (seed: number): DemoRun => {
    const rng = new Rng(seed);
    const series = noisySine(new Rng(seed + 100), 400);
    const all = windows(series, 20);
    const nTrain = 300;
    const train = sliceRows(all, 0, nTrain);
    const test = sliceRows(all, nTrain, all.xShape[0]);
    const model = build(rng);
    const optimizer = new Adam(model.parameters(), { lr });
    const naive = new Float32Array(test.y.length);
    for (let i = 0; i < naive.length; i++) naive[i] = test.x[i * 20 + 19];
    const naiveMse = mseOf(naive, test.y);
    const trainLoss: number[] = [];
    const testLoss: number[] = [];
    let step = 0;
    return {
      get done() {
        return step >= epochs;
      },
      step() {
        const h = fitSync(model, train, { loss: mse, optimizer, epochs: 1, batchSize: 32, rng });
        trainLoss.push(h.loss[0]);
        testLoss.push(mseOf(predictAll(model, test), test.y));
        step++;
      },
      view() {
        const pred = predictAll(model, test);
        return {
          step,
          curves: [
            { label: 'training MSE', values: trainLoss },
            { label: 'test MSE', values: testLoss },
            { label: 'naive (last value) test MSE', values: testLoss.map(() => naiveMse) },
          ],
          lines: {
            title: 'test segment: next value, predicted vs actual',
            series: [
              { label: 'actual', values: Array.from(test.y) },
              { label: 'predicted', values: Array.from(pred) },
            ],
          },
          notes: [
            `test MSE ${testLoss.at(-1)?.toFixed(4) ?? '—'} against ${naiveMse.toFixed(4)} for the naive last-value forecast`,
          ],
        };
      },
    };
  };
}

// ---------------------------------------------------------------------------------------------------------------

const perceptronDemo: NetworkDemo = {
  id: 'perceptron',
  title: 'Perceptron',
  idea: "Rosenblatt's perceptron weighs its inputs, adds a bias and fires when the sum reaches zero. It learns by the perceptron rule: after a mistake, w ← w + η(y − ŷ)x. On linearly separable data it converges to a separating line in a finite number of mistakes; it can never learn XOR.",
  task: 'Two well-separated clusters; one epoch of the perceptron rule per step.',
  create(seed) {
    const rng = new Rng(seed);
    const data = gaussianClustersData(new Rng(seed + 1), { samples: 120, noise: 0 });
    const p = new Perceptron({ inFeatures: 2 }, rng);
    const mistakes: number[] = [];
    let converged = false;
    const x = new Tensor(data.x, data.xShape);
    const y = new Tensor(data.y, data.yShape);
    return {
      get done() {
        return converged || mistakes.length >= 30;
      },
      step() {
        const errors = p.fit(x, y, { epochs: 1, lr: 0.1, shuffle: rng, stopWhenConverged: false });
        const m = errors[0] ?? 0;
        mistakes.push(m);
        converged = m === 0;
      },
      view() {
        const [w1, w2] = [p.weight.data[0], p.weight.data[1]];
        const b = p.bias.data[0];
        // the boundary w1·x + w2·y + b = 0 as points across the plot
        const line: number[] = [];
        for (let t = -6; t <= 6; t += 0.1) {
          if (Math.abs(w2) > 1e-9) line.push(t, -(w1 * t + b) / w2);
          else if (Math.abs(w1) > 1e-9) line.push(-b / w1, t);
        }
        const pos: number[] = [];
        const neg: number[] = [];
        for (let i = 0; i < data.y.length; i++) (data.y[i] > 0.5 ? pos : neg).push(data.x[2 * i], data.x[2 * i + 1]);
        return {
          step: mistakes.length,
          curves: [{ label: 'mistakes per epoch', values: mistakes }],
          scatter: {
            title: 'the learned line w·x + b = 0',
            groups: [
              { label: 'class 1', points: Float32Array.from(pos) },
              { label: 'class 0', points: Float32Array.from(neg) },
              { label: 'decision line', points: Float32Array.from(line) },
            ],
          },
          notes: [
            `w = (${w1.toFixed(3)}, ${w2.toFixed(3)}), b = ${b.toFixed(3)}`,
            converged ? 'converged: an epoch without a mistake' : 'still making mistakes',
          ],
        };
      },
    };
  },
};

const feedForwardDemo: NetworkDemo = {
  id: 'feed-forward',
  title: 'Feed-forward network',
  idea: 'Layers of neurons, each a weighted sum followed by a non-linear activation, pass signals one way from inputs to output. Backpropagation computes every weight’s gradient in one backward sweep, and gradient descent follows it. With hidden layers the decision boundary can bend.',
  task: 'The circle data with a 2-4-2-1 tanh network; 25 mini-batch updates per step.',
  create(seed) {
    const run = new PlaygroundRun({ ...DEFAULT_PLAYGROUND, dataset: 'circle', hidden: [4, 2], seed });
    const test: number[] = [];
    let step = 0;
    return {
      get done() {
        return step >= 200;
      },
      step() {
        for (let i = 0; i < 25; i++) run.step();
        test.push(run.metrics().testLoss);
        step++;
      },
      view() {
        const m = run.metrics();
        return {
          step,
          curves: [{ label: 'test loss', values: test }],
          surface: {
            title: 'network output over the plane',
            grid: run.decisionGrid(40),
            res: 40,
            train: { x: run.trainPoints.x, y: run.trainPoints.y },
          },
          notes: [`test accuracy ${(100 * m.testAccuracy).toFixed(1)}% after ${run.steps} updates`],
        };
      },
    };
  },
};

function deepPlain(rng: Rng, depth: number, width: number): Sequential {
  const layers: Module[] = [new Dense({ inFeatures: 2, outFeatures: width }, rng)];
  for (let i = 0; i < depth; i++) {
    layers.push(new Dense({ inFeatures: width, outFeatures: width, init: 'heNormal' }, rng));
    layers.push(new Activation({ fn: 'relu' }));
  }
  layers.push(new Dense({ inFeatures: width, outFeatures: 1 }, rng));
  return new Sequential(layers);
}

function deepResidual(rng: Rng, depth: number, width: number): Sequential {
  const layers: Module[] = [new Dense({ inFeatures: 2, outFeatures: width }, rng)];
  for (let i = 0; i < depth / 2; i++) layers.push(new ResidualBlock({ features: width, norm: 'layer' }, rng));
  layers.push(new Dense({ inFeatures: width, outFeatures: 1 }, rng));
  return new Sequential(layers);
}

const residualDemo: NetworkDemo = {
  id: 'resnet',
  title: 'Residual network',
  idea: 'A residual block adds its input back to its output, y = x + F(x), so each block only learns a correction and the gradient has a direct path through the skip connections. Very deep plain stacks are hard to train; the same depth with skips trains readily.',
  task: 'The spiral with a 20-layer plain ReLU stack against 10 residual blocks of equal depth; one epoch each per step.',
  create(seed) {
    const data = shuffleRows(spiralData(new Rng(seed + 1), { samples: 300, noise: 0.1 }), new Rng(seed + 2));
    const plain = deepPlain(new Rng(seed), 20, 16);
    const res = deepResidual(new Rng(seed), 20, 16);
    const optPlain = new Adam(plain.parameters(), { lr: 0.003 });
    const optRes = new Adam(res.parameters(), { lr: 0.003 });
    const lossPlain: number[] = [];
    const lossRes: number[] = [];
    const rng = new Rng(seed + 3);
    return {
      get done() {
        return lossRes.length >= 60;
      },
      step() {
        lossPlain.push(
          fitSync(plain, data, { loss: bceWithLogits, optimizer: optPlain, epochs: 1, batchSize: 32, rng }).loss[0],
        );
        lossRes.push(
          fitSync(res, data, { loss: bceWithLogits, optimizer: optRes, epochs: 1, batchSize: 32, rng }).loss[0],
        );
      },
      view() {
        return {
          step: lossRes.length,
          curves: [
            { label: 'plain 20-layer stack', values: lossPlain },
            { label: 'residual (10 blocks)', values: lossRes },
          ],
          notes: [
            `training loss: plain ${lossPlain.at(-1)?.toFixed(3) ?? '—'}, residual ${lossRes.at(-1)?.toFixed(3) ?? '—'}`,
          ],
        };
      },
    };
  },
};

const rnnDemo: NetworkDemo = {
  id: 'rnn',
  title: 'Recurrent network (RNN)',
  idea: 'A recurrent network reads a sequence one step at a time and carries a hidden state from step to step, h_t = tanh(W·[x_t, h_{t−1}] + b), so its output can depend on everything seen so far. It is trained by backpropagation through time; long sequences make its gradients vanish or explode.',
  task: 'Forecast the next value of a noisy sine from the last 20 values; one epoch per step.',
  create: sequenceForecastDemo(
    (rng) =>
      new Sequential([
        new SimpleRNN({ inputSize: 1, hiddenSize: 16 }, rng),
        new Dense({ inFeatures: 16, outFeatures: 1 }, rng),
      ]),
    30,
  ),
};

const lstmDemo: NetworkDemo = {
  id: 'lstm',
  title: 'Long short-term memory (LSTM)',
  idea: 'The LSTM adds a cell state that runs through time with only element-wise changes, guarded by input, forget and output gates (sigmoids) that decide what to write, keep and show. The near-constant path through the cell lets gradients survive long sequences.',
  task: 'Forecast the next value of a noisy sine from the last 20 values; one epoch per step.',
  create: sequenceForecastDemo(
    (rng) =>
      new Sequential([
        new LSTM({ inputSize: 1, hiddenSize: 16 }, rng),
        new Dense({ inFeatures: 16, outFeatures: 1 }, rng),
      ]),
    30,
  ),
};

const esnDemo: NetworkDemo = {
  id: 'esn',
  title: 'Echo state network (ESN)',
  idea: 'An echo state network keeps a large, fixed, randomly connected recurrent reservoir scaled so its echoes fade (spectral radius below 1). Only the linear readout from the reservoir states is trained, in closed form by ridge regression — no backpropagation at all.',
  task: 'Predict the chaotic Mackey–Glass series (τ = 17) one step ahead; a single closed-form fit.',
  create(seed) {
    const series = mackeyGlass({ length: 1600, transient: 200 });
    const esn = new EchoStateNetwork(
      { inputSize: 1, reservoirSize: 300, spectralRadius: 0.95, leakRate: 0.3 },
      new Rng(seed),
    );
    const trainLen = 1200;
    const u = new Tensor(series.slice(0, trainLen), [trainLen, 1]);
    const y = new Tensor(series.slice(1, trainLen + 1), [trainLen, 1]);
    let fitted = false;
    let nrmse = Number.NaN;
    let pred = new Float32Array(0);
    const testIn = new Tensor(series.slice(trainLen - 100, series.length - 1), [
      series.length - 1 - (trainLen - 100),
      1,
    ]);
    return {
      get done() {
        return fitted;
      },
      step() {
        esn.fit(u, y);
        const out = esn.predict(testIn).data.slice(100);
        const actual = series.slice(trainLen + 1);
        pred = out;
        let se = 0;
        let mean = 0;
        for (const v of actual) mean += v / actual.length;
        let varr = 0;
        for (let i = 0; i < actual.length; i++) {
          se += (out[i] - actual[i]) ** 2;
          varr += (actual[i] - mean) ** 2;
        }
        nrmse = Math.sqrt(se / varr);
        fitted = true;
      },
      view() {
        const states = esn.collectStates(new Tensor(series.slice(0, 200), [200, 1])).data; // (200, 300)
        const units = 24;
        const heat = new Float32Array(units * 200);
        for (let t = 0; t < 200; t++) for (let k = 0; k < units; k++) heat[k * 200 + t] = states[t * 300 + k];
        const actual = Array.from(series.slice(trainLen + 1, trainLen + 301));
        return {
          step: fitted ? 1 : 0,
          curves: [],
          lines: fitted
            ? {
                title: 'held-out Mackey–Glass: predicted vs actual (first 300 steps)',
                series: [
                  { label: 'actual', values: actual },
                  { label: 'predicted', values: Array.from(pred.slice(0, 300)) },
                ],
              }
            : undefined,
          heat: {
            title: 'reservoir states x(t) of 24 units over the first 200 steps',
            rows: units,
            cols: 200,
            values: heat,
            rowLabel: 'unit',
            colLabel: 'time',
          },
          notes: fitted
            ? [
                `held-out NRMSE ${nrmse.toFixed(4)} (ridge λ = ${esn.ridge?.toExponential(0)})`,
                'only the readout was trained',
              ]
            : ['the reservoir is random and fixed; press train to fit the readout'],
        };
      },
    };
  },
};

const cnnDemo: NetworkDemo = {
  id: 'cnn',
  title: '1-D convolutional network',
  idea: 'A convolution slides the same small kernel along the sequence, so a pattern is detected wherever it occurs with few weights. Causal padding keeps the output at t from seeing later inputs; dilation widens the view exponentially with depth (temporal CNNs).',
  task: 'Forecast the next value of a noisy sine from the last 20 values with causal dilated convolutions; one epoch per step.',
  create: sequenceForecastDemo(
    (rng) =>
      new Sequential([
        new Conv1D({ inChannels: 1, outChannels: 8, kernelSize: 3, dilation: 1 }, rng),
        new Activation({ fn: 'relu' }),
        new Conv1D({ inChannels: 8, outChannels: 8, kernelSize: 3, dilation: 2 }, rng),
        new Activation({ fn: 'relu' }),
        new Conv1D({ inChannels: 8, outChannels: 8, kernelSize: 3, dilation: 4 }, rng),
        new LastStep(),
        new Dense({ inFeatures: 8, outFeatures: 1 }, rng),
      ]),
    30,
  ),
};

/** Eight Gaussians on a circle of radius 2 (std 0.05), the classic GAN mode-coverage toy. */
function ringOfGaussians(rng: Rng, n: number): Float32Array {
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const k = i % 8;
    const a = (2 * Math.PI * k) / 8;
    out[2 * i] = 2 * Math.cos(a) + rng.normal(0, 0.05);
    out[2 * i + 1] = 2 * Math.sin(a) + rng.normal(0, 0.05);
  }
  return out;
}

const ganDemo: NetworkDemo = {
  id: 'gan',
  title: 'Generative adversarial network (GAN)',
  idea: 'A generator turns random noise into samples; a discriminator learns to tell them from real data; the generator learns to fool it. Trained in alternation, the generator’s samples move towards the real distribution — or collapse onto a few of its modes.',
  task: 'A ring of eight Gaussians; 25 alternating discriminator/generator updates per step.',
  create(seed) {
    const rng = new Rng(seed);
    const real = ringOfGaussians(new Rng(seed + 1), 2048);
    const g = new Sequential([
      new Dense({ inFeatures: 4, outFeatures: 32 }, rng),
      new Activation({ fn: 'relu' }),
      new Dense({ inFeatures: 32, outFeatures: 32 }, rng),
      new Activation({ fn: 'relu' }),
      new Dense({ inFeatures: 32, outFeatures: 2 }, rng),
    ]);
    const d = new Sequential([
      new Dense({ inFeatures: 2, outFeatures: 32 }, rng),
      new Activation({ fn: 'leakyRelu' }),
      new Dense({ inFeatures: 32, outFeatures: 32 }, rng),
      new Activation({ fn: 'leakyRelu' }),
      new Dense({ inFeatures: 32, outFeatures: 1 }, rng),
    ]);
    const gOpt: Optimizer = new Adam(g.parameters(), { lr: 1e-3, beta1: 0.5 });
    const dOpt: Optimizer = new Adam(d.parameters(), { lr: 1e-3, beta1: 0.5 });
    const dLoss: number[] = [];
    const gLoss: number[] = [];
    let last: GanResult | null = null;
    let rounds = 0;
    return {
      get done() {
        return rounds >= 240;
      },
      step() {
        last = trainGanSync({
          generator: g,
          discriminator: d,
          latentDim: 4,
          data: new Tensor(real, [2048, 2]),
          steps: 25,
          batchSize: 64,
          generatorOptimizer: gOpt,
          discriminatorOptimizer: dOpt,
          rng,
        });
        dLoss.push(last.history.dLoss.at(-1) ?? Number.NaN);
        gLoss.push(last.history.gLoss.at(-1) ?? Number.NaN);
        rounds++;
      },
      view() {
        const fake = last ? last.sample(512, new Rng(seed + 7)).data : new Float32Array(0);
        return {
          step: rounds * 25,
          curves: [
            { label: 'discriminator loss', values: dLoss },
            { label: 'generator loss', values: gLoss },
          ],
          scatter: {
            title: 'real data and generated samples',
            groups: [
              { label: 'real', points: real.subarray(0, 1024) },
              { label: 'generated', points: fake },
            ],
          },
          notes: [`${rounds * 25} generator updates`],
        };
      },
    };
  },
};

const transformerDemo: NetworkDemo = {
  id: 'transformer',
  title: 'Transformer',
  idea: 'Self-attention lets every position look at every other one at once: each forms a query, compares it with all keys, and takes the softmax-weighted mix of their values. Positional encodings tell it where each step is; a causal mask keeps it from seeing the future. The attention weights show what it looks at.',
  task: 'Forecast the next value of a noisy sine from the last 20 values with one causal encoder block; one epoch per step.',
  create(seed) {
    const rng = new Rng(seed);
    const block = new TransformerEncoderBlock({ dModel: 16, numHeads: 2, ffHidden: 32, dropout: 0, causal: true }, rng);
    const model = new Sequential([
      new Dense({ inFeatures: 1, outFeatures: 16 }, rng),
      new SinusoidalPositionalEncoding({ dModel: 16 }),
      block,
      new LastStep(),
      new Dense({ inFeatures: 16, outFeatures: 1 }, rng),
    ]);
    const base = sequenceForecastDemo(() => model, 30, 0.003)(seed);
    const attention: MultiHeadSelfAttention = block.attention;
    return {
      get done() {
        return base.done;
      },
      step: () => base.step(),
      view() {
        const v = base.view();
        const window = new Float32Array(20);
        for (let t = 0; t < 20; t++) window[t] = Math.sin((2 * Math.PI * t) / 25);
        attention.keepAttention = true;
        noGrad(() => {
          model.eval();
          model.forward(new Tensor(window, [1, 20, 1]));
          model.train(true);
        });
        attention.keepAttention = false;
        const w = attention.lastAttention;
        if (w) {
          v.heat = {
            title: 'attention weights of head 1 for one window (row: query step, column: key step)',
            rows: 20,
            cols: 20,
            values: w.data.slice(0, 400),
            rowLabel: 'query t',
            colLabel: 'key t',
          };
        }
        return v;
      },
    };
  },
};

export const NETWORK_DEMOS: NetworkDemo[] = [
  perceptronDemo,
  feedForwardDemo,
  residualDemo,
  rnnDemo,
  lstmDemo,
  esnDemo,
  cnnDemo,
  ganDemo,
  transformerDemo,
];

export function networkDemo(id: string): NetworkDemo | undefined {
  return NETWORK_DEMOS.find((d) => d.id === id);
}
