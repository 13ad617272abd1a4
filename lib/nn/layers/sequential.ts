// Sequential container: applies its layers in order, each output feeding the next.

import { Module, type ModuleSpec } from '../module';
import type { Tensor } from '../tensor';

export class Sequential extends Module {
  readonly layers: Module[];

  constructor(layers: Module[]) {
    super('sequential');
    this.layers = layers.slice();
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h);
    return h;
  }

  children(): Module[] {
    return this.layers;
  }

  spec(): ModuleSpec {
    return { type: 'Sequential', config: {}, children: this.layers.map((l) => l.spec()) };
  }
}
