// Module: the base of every layer and model. A module owns parameters (trainable leaves), buffers (state saved with
// the model but not trained, e.g. BatchNorm running statistics) and child modules, and switches between training
// and inference behaviour (dropout, batch statistics).

import type { Tensor } from './tensor';

/** JSON description of a module, enough to rebuild it (without weights) via the layer registry. */
export interface ModuleSpec {
  type: string;
  config: Record<string, unknown>;
  children?: ModuleSpec[];
}

export abstract class Module {
  training = true;
  /** Short name used in parameter paths, diagnostics and messages. */
  name: string;

  constructor(name: string) {
    this.name = name;
  }

  abstract forward(x: Tensor): Tensor;

  /** Direct trainable parameters (children excluded). */
  ownParameters(): Tensor[] {
    return [];
  }

  /** Direct non-trainable state saved with the model (children excluded). */
  ownBuffers(): Tensor[] {
    return [];
  }

  children(): Module[] {
    return [];
  }

  /** Every trainable parameter in this module and its children, in a stable order. */
  parameters(): Tensor[] {
    const out = this.ownParameters().slice();
    for (const c of this.children()) out.push(...c.parameters());
    return out;
  }

  /** [path, tensor] for every parameter and buffer, e.g. "0.weight"; the order is the save/load order. */
  namedState(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const p of this.ownParameters()) out.push([`${prefix}${p.name ?? 'param'}`, p]);
    for (const b of this.ownBuffers()) out.push([`${prefix}${b.name ?? 'buffer'}`, b]);
    this.children().forEach((c, i) => {
      out.push(...c.namedState(`${prefix}${i}.`));
    });
    return out;
  }

  train(on = true): this {
    this.training = on;
    for (const c of this.children()) c.train(on);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** JSON description for persistence; every concrete layer overrides it. */
  abstract spec(): ModuleSpec;
}
