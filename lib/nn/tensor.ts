// Tensor and reverse-mode autodiff: a Float32Array with a shape, plus (while gradients are recorded) the op that made
// it and how to push its gradient back to its inputs. Each op in ops/ defines forward and backward side by side.
//
// Memory: backward() frees the graph as it goes (parents and closures dropped, intermediate grads released), so no
// graph or buffer is retained across training steps. Leaf tensors (parameters) keep .grad, which accumulates across
// backward calls until zeroGrad(). An interior node's gradient buffer goes back to a small pool when the node is
// released (its backward has run, so nothing reads it again; ops that keep a gradient for later take it over and set
// .grad to null first), and gradBuffer() takes from that pool: the next step's gradients reuse this step's buffers
// instead of allocating (and the garbage collector freeing) megabytes per step.
//
// Step scopes: a training loop runs each step inside openStepScope() … closeStepScope(). While a scope is open, and a
// kernel backend has installed a DataAllocator (the Node wasm backend: blocks of its shared WebAssembly memory), the
// data of every tensor an op makes (Tensor.zeros) and every interior gradient come from that allocator, so wasm
// kernels read and write them in place instead of copying them in and out; closing the scope gives all of them back
// at once. Nothing made inside a scope may be used after it closes: the loops that open one (fit's training steps)
// keep only numbers, parameters and parameter gradients (leaves, always ordinary arrays) past the step.

export type Shape = number[];

/** Buffers below this many floats are cheap to allocate and are not pooled. */
const POOL_MIN_FLOATS = 1024;
/** Buffers kept per length: a step's gradients of one size rarely outnumber this. */
const POOL_PER_LENGTH = 16;
const gradPool = new Map<number, Float32Array[]>();

/**
 * Hands out zeroed Float32Arrays from memory a kernel backend reads in place (lib/nn/kernels/wasm/backend.ts), in
 * scopes: close(mark) takes back every array handed out since the open() that returned mark.
 */
export interface DataAllocator {
  /**
   * An array of `floats` floats, zeroed when `zero`, else holding whatever was there; null when the allocator is full
   * (the caller then uses the JS heap).
   */
  alloc(floats: number, zero: boolean): Float32Array | null;
  open(): number;
  close(mark: number): void;
  /** Bytes the allocator holds, handed out or free (its memory footprint). */
  reservedBytes(): number;
}

/** Arrays smaller than this stay on the JS heap even inside a scope (kernels that small run in TypeScript). */
const SCOPED_MIN_FLOATS = 256;
let dataAllocator: DataAllocator | null = null;
/** The allocator of each open scope, innermost last (null: the scope was opened without one). */
const openScopes: (DataAllocator | null)[] = [];

/** Installs (or with null removes) the allocator of scoped tensor data; kernels/index.ts setBackend calls it. */
export function setDataAllocator(allocator: DataAllocator | null): void {
  dataAllocator = allocator;
}

/**
 * Opens a step scope (see the header): until the matching closeStepScope, op outputs and interior gradients may live
 * in the backend's memory. Returns the token to close it with.
 */
export function openStepScope(): number {
  const allocator = dataAllocator;
  openScopes.push(allocator);
  return allocator === null ? -1 : allocator.open();
}

/** True inside a step scope whose backend holds tensor data (scopedArray then hands out its blocks). */
export function stepScopeOpen(): boolean {
  return openScopes.length > 0 && openScopes[openScopes.length - 1] !== null;
}

/** Closes the innermost step scope; every tensor array made in it is given back and must no longer be used. */
export function closeStepScope(token: number): void {
  const allocator = openScopes.pop();
  if (allocator === undefined) throw new Error('closeStepScope: no step scope is open');
  if (allocator !== null) allocator.close(token);
}

/**
 * An array for data that lives no longer than the current step scope (an op's output, or what its backward keeps):
 * from the scope's allocator when one is open, else the JS heap. Zeroed, unless `zero` is false and the array comes
 * from the allocator: then its contents are arbitrary and the caller must write every element before reading any.
 */
export function scopedArray(length: number, zero = true): Float32Array {
  if (length >= SCOPED_MIN_FLOATS && stepScopeOpen()) {
    const data = openScopes[openScopes.length - 1]!.alloc(length, zero);
    if (data !== null) return data;
  }
  return new Float32Array(length);
}

function takeZeroed(length: number): Float32Array {
  if (length >= POOL_MIN_FLOATS) {
    const buf = gradPool.get(length)?.pop();
    if (buf !== undefined) {
      buf.fill(0);
      return buf;
    }
  }
  return new Float32Array(length);
}

function recycle(buf: Float32Array): void {
  // only whole buffers of their own (a view into a larger buffer would hand out memory someone else owns)
  if (buf.length < POOL_MIN_FLOATS || buf.byteOffset !== 0 || buf.byteLength !== buf.buffer.byteLength) return;
  let list = gradPool.get(buf.length);
  if (list === undefined) {
    list = [];
    gradPool.set(buf.length, list);
  }
  if (list.length < POOL_PER_LENGTH && !list.includes(buf)) list.push(buf);
}

let gradEnabled = true;

/** Runs fn without recording the graph (inference, optimizer updates, metrics). */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

export function isGradEnabled(): boolean {
  return gradEnabled;
}

export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeStr(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export class Tensor {
  data: Float32Array;
  shape: Shape;
  /** Accumulated dL/d(this); allocated (zeroed) on first use by gradBuffer(). */
  grad: Float32Array | null = null;
  requiresGrad: boolean;
  /** Optional label used in messages and diagnostics (e.g. "dense1.weight"). */
  name: string | undefined;
  /** Inputs of the op that produced this tensor (null for leaves or after backward). */
  parents: Tensor[] | null = null;
  /** Pushes this.grad into the parents' grads (accumulating). */
  backwardFn: (() => void) | null = null;

  constructor(data: Float32Array, shape: Shape, requiresGrad = false, name?: string) {
    const n = shapeSize(shape);
    if (data.length !== n) {
      throw new Error(`Tensor data has ${data.length} elements but shape ${shapeStr(shape)} needs ${n}`);
    }
    this.data = data;
    this.shape = shape;
    this.requiresGrad = requiresGrad;
    this.name = name;
  }

  static zeros(shape: Shape, requiresGrad = false): Tensor {
    return new Tensor(scopedArray(shapeSize(shape)), shape, requiresGrad);
  }

  /** Like zeros, but inside a step scope the data may hold garbage: for ops whose kernel writes every element. */
  static empty(shape: Shape): Tensor {
    return new Tensor(scopedArray(shapeSize(shape), false), shape);
  }

  static fill(shape: Shape, value: number): Tensor {
    return new Tensor(new Float32Array(shapeSize(shape)).fill(value), shape);
  }

  static from(values: ArrayLike<number>, shape?: Shape, requiresGrad = false): Tensor {
    return new Tensor(Float32Array.from(values), shape ?? [values.length], requiresGrad);
  }

  static scalar(v: number): Tensor {
    return new Tensor(Float32Array.of(v), []);
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) throw new Error(`item() needs one element, tensor has shape ${shapeStr(this.shape)}`);
    return this.data[0];
  }

  /**
   * The gradient buffer, allocated zeroed on first use. Backward functions accumulate (+=) into it. overwrite: the
   * caller checked that grad was null and will write every element (not accumulate), so a scoped buffer need not be
   * zeroed first.
   */
  gradBuffer(overwrite = false): Float32Array {
    // an interior node's gradient lives only within backward: scoped; a leaf's (a parameter's) outlives the step
    if (this.grad === null) {
      this.grad =
        this.parents !== null && stepScopeOpen()
          ? scopedArray(this.data.length, !overwrite)
          : takeZeroed(this.data.length);
    }
    return this.grad;
  }

  zeroGrad(): void {
    if (this.grad !== null) this.grad.fill(0);
  }

  /** A new leaf with a copy of the data and no graph. */
  detach(): Tensor {
    return new Tensor(this.data.slice(), this.shape.slice());
  }

  toArray(): number[] {
    return Array.from(this.data);
  }

  /**
   * Reverse-mode sweep from this tensor. A scalar output is seeded with 1; otherwise pass seed (same shape).
   * The graph is released as it is walked, so call backward once per forward pass.
   */
  backward(seed?: Float32Array): void {
    if (seed === undefined) {
      if (this.data.length !== 1) {
        throw new Error(`backward() without a seed needs a scalar, got shape ${shapeStr(this.shape)}`);
      }
      this.gradBuffer()[0] += 1;
    } else {
      if (seed.length !== this.data.length) {
        throw new Error(`backward seed has ${seed.length} elements, tensor has ${this.data.length}`);
      }
      const g = this.gradBuffer();
      for (let i = 0; i < g.length; i++) g[i] += seed[i];
    }
    const order = topoOrder(this);
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const fn = t.backwardFn;
      if (fn !== null && t.grad !== null) fn();
      // release the graph: an interior node's grad and closure are no longer needed
      if (t.parents !== null) {
        t.parents = null;
        t.backwardFn = null;
        if (t.grad !== null) recycle(t.grad);
        t.grad = null;
      }
    }
  }
}

/** Interior nodes reachable from root, in topological order (inputs before outputs). Iterative: deep graphs from
 * long sequences must not overflow the stack. */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    const ps = t.parents;
    if (ps !== null && i < ps.length) {
      top[1] = i + 1;
      const p = ps[i];
      if (!visited.has(p) && p.parents !== null) {
        visited.add(p);
        stack.push([p, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

/**
 * Records out as the result of an op on inputs, if any input requires a gradient and recording is on.
 * backward reads out.grad and accumulates into each input that requiresGrad (via input.gradBuffer()).
 */
export function record(out: Tensor, inputs: Tensor[], backward: () => void): Tensor {
  if (!gradEnabled) return out;
  let any = false;
  for (const t of inputs) if (t.requiresGrad) any = true;
  if (!any) return out;
  out.requiresGrad = true;
  out.parents = inputs;
  out.backwardFn = backward;
  return out;
}

/** A trainable leaf tensor. */
export function parameter(data: Float32Array, shape: Shape, name?: string): Tensor {
  return new Tensor(data, shape, true, name);
}
