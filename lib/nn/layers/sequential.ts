// Sequential container: applies its layers in order, each output feeding the next.
// Under noGrad (inference), consecutive Dense layers (each optionally followed by a ReLU Activation) run as one
// kernel call, K.denseChainForward, whose activations stay in the kernels' memory between layers; a lone Dense + ReLU
// runs as one fused kernel (product, bias and ReLU in one pass). With the graph recorded they run apart (see
// ops/linear.ts for why), and so do layers whose forward is being observed.

import { type DenseChainLayer, K, LinearActivation } from '../kernels';
import { Module, type ModuleSpec } from '../module';
import { linearReluInference } from '../ops/linear';
import { isGradEnabled, Tensor } from '../tensor';
import { Activation } from './activation';
import { Dense } from './dense';

/** An instance whose forward was replaced (diagnostics.ts wraps forward to capture outputs) must run on its own. */
function observed(m: Module): boolean {
  return Object.hasOwn(m, 'forward');
}

/** Dense (+ ReLU) layers from `start` that take `width` features in turn; `end` is the first layer after them. */
function denseChain(layers: Module[], start: number, width: number): { chain: DenseChainLayer[]; end: number } {
  const chain: DenseChainLayer[] = [];
  let j = start;
  let w = width;
  while (j < layers.length) {
    const dense = layers[j];
    if (!(dense instanceof Dense) || observed(dense) || dense.config.inFeatures !== w) break;
    const next = layers[j + 1];
    const relu = next instanceof Activation && next.config.fn === 'relu' && !observed(next);
    chain.push({
      weight: dense.weight.data,
      bias: dense.bias?.data ?? null,
      inFeatures: dense.config.inFeatures,
      outFeatures: dense.config.outFeatures,
      act: relu ? LinearActivation.Relu : LinearActivation.None,
    });
    w = dense.config.outFeatures;
    j += relu ? 2 : 1;
  }
  return { chain, end: j };
}

export class Sequential extends Module {
  readonly layers: Module[];

  constructor(layers: Module[]) {
    super('sequential');
    this.layers = layers.slice();
  }

  forward(x: Tensor): Tensor {
    let h = x;
    const fuse = !isGradEnabled();
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i];
      const next = this.layers[i + 1];
      if (fuse && h.rank === 2 && layer instanceof Dense) {
        const { chain, end } = denseChain(this.layers, i, h.shape[1]);
        if (chain.length >= 2) {
          const rows = h.shape[0];
          const out = Tensor.zeros([rows, chain[chain.length - 1].outFeatures]);
          K.denseChainForward(h.data, rows, chain, out.data);
          h = out;
          i = end - 1;
          continue;
        }
      }
      if (
        fuse &&
        h.rank === 2 &&
        layer instanceof Dense &&
        next instanceof Activation &&
        next.config.fn === 'relu' &&
        h.shape[1] === layer.config.inFeatures &&
        !observed(layer) &&
        !observed(next)
      ) {
        h = linearReluInference(h, layer.weight, layer.bias);
        i++;
        continue;
      }
      h = layer.forward(h);
    }
    return h;
  }

  children(): Module[] {
    return this.layers;
  }

  spec(): ModuleSpec {
    return { type: 'Sequential', config: {}, children: this.layers.map((l) => l.spec()) };
  }
}
