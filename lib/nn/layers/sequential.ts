// Sequential container: applies its layers in order, each output feeding the next.
// Under noGrad (inference), a Dense layer followed by a ReLU Activation runs as one fused kernel (product, bias and
// ReLU in one pass over the output); with the graph recorded they run apart (see ops/linear.ts for why), and so do
// layers whose forward is being observed.

import { Module, type ModuleSpec } from '../module';
import { linearReluInference } from '../ops/linear';
import { isGradEnabled, type Tensor } from '../tensor';
import { Activation } from './activation';
import { Dense } from './dense';

/** An instance whose forward was replaced (diagnostics.ts wraps forward to capture outputs) must run on its own. */
function observed(m: Module): boolean {
  return Object.hasOwn(m, 'forward');
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
