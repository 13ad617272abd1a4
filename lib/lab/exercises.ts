// The course's playground exercises as guided tasks: each pre-loads a playground set-up and says what to try and
// what the course expects the learner to see.

import type { PlaygroundConfig } from './playground';

export interface Exercise {
  id: string;
  title: string;
  /** What to try, in the course's order. */
  tasks: string[];
  /** What the learner should come away with. */
  takeaway: string;
  setup: Partial<PlaygroundConfig>;
}

export const EXERCISES: Exercise[] = [
  {
    id: 'linear-neuron',
    title: 'Can one linear neuron learn a non-linear problem?',
    tasks: [
      'Press play. The two inputs feed one neuron with the identity activation, straight into the output.',
      'Watch the decision surface: whatever the weights, it stays a straight line through the plane.',
    ],
    takeaway:
      'A weighted sum followed by a linear activation is a linear model: stacking or training longer cannot bend the boundary, so the XOR pattern stays out of reach.',
    setup: { dataset: 'xor', hidden: [1], activation: 'identity', features: ['x1', 'x2'], learningRate: 0.03 },
  },
  {
    id: 'two-vs-three-relu',
    title: 'Two versus three ReLU neurons',
    tasks: [
      'Start with 2 ReLU neurons in one hidden layer and press play: the surface bends, but usually not enough.',
      'Add a third neuron (the + button on the layer) and reset: most initialisations now fit the data.',
      'Reset several times with 3 neurons: how much does the result vary from run to run?',
    ],
    takeaway:
      'A non-linear activation lets the network combine half-planes; with too few units the fit depends heavily on the starting weights.',
    setup: { dataset: 'xor', hidden: [2], activation: 'relu', features: ['x1', 'x2'], learningRate: 0.03 },
  },
  {
    id: 'smallest-network',
    title: 'Find the smallest network with test loss ≤ 0.177',
    tasks: [
      'Add or remove layers and neurons, change the learning rate, regularisation and batch size.',
      'Stop when the test loss stays at or below 0.177; note the number of neurons and layers.',
      'Try 3 + 3 neurons in two layers: does a bigger model converge faster or more often?',
    ],
    takeaway:
      'Capacity beyond what the data needs mainly changes how reliably and quickly training converges, not how low the test loss goes.',
    setup: { dataset: 'xor', hidden: [3], activation: 'relu', features: ['x1', 'x2'], learningRate: 0.03 },
  },
  {
    id: 'xor-initialisations',
    title: 'Rerun XOR from five random initialisations',
    tasks: [
      'Run for at least 500 steps, then press reset (a new seed) and run again; repeat five times.',
      'Compare the shapes the output converges to; the seed of each run is shown above the plot.',
      'Add a layer and a couple of neurons and repeat: are the results more stable?',
    ],
    takeaway:
      'Training is non-convex: different initialisations reach different solutions, and more capacity makes good solutions easier to find.',
    setup: { dataset: 'xor', hidden: [3], activation: 'relu', features: ['x1', 'x2'], learningRate: 0.03 },
  },
  {
    id: 'spiral-plain',
    title: 'The spiral with x₁ and x₂ only',
    tasks: [
      'Train the best model you can from the raw coordinates: layers, neurons, learning rate, regularisation, batch size.',
      'How low does the test loss get, and how smooth is the output surface?',
    ],
    takeaway: 'Raw coordinates make the spiral hard: it needs a deep, wide network and a lot of steps.',
    setup: {
      dataset: 'spiral',
      noise: 0.1,
      hidden: [8, 8, 4],
      activation: 'tanh',
      features: ['x1', 'x2'],
      learningRate: 0.03,
    },
  },
  {
    id: 'spiral-sin',
    title: 'The spiral with sin features',
    tasks: [
      'The same spiral, now with sin x₁ and sin x₂ (and optionally the crosses) as extra inputs.',
      'Compare the test loss and the smoothness of the surface with the previous exercise.',
    ],
    takeaway: 'Feature engineering still matters with neural networks: the right inputs make a smaller net enough.',
    setup: {
      dataset: 'spiral',
      noise: 0.1,
      hidden: [8, 8, 4],
      activation: 'tanh',
      features: ['x1', 'x2', 'sinx1', 'sinx2'],
      learningRate: 0.03,
    },
  },
];

export function exerciseById(id: string | undefined): Exercise | undefined {
  return EXERCISES.find((e) => e.id === id);
}
