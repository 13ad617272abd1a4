// Threads for the wasm kernels (Node only: worker_threads). The shared build of the module (kernelsSharedWasmBase64)
// imports one shared WebAssembly.Memory; the calling thread and `helpers` worker threads each instantiate it on that
// memory, so an operand copied in once is visible to all of them. A kernel call splits its work (row panels of a
// product, batch rows of attention) between the caller and the helpers and returns when all parts are done — the
// engine above stays synchronous.
//
// Hand-off: each helper has a control block in its own SharedArrayBuffer: Int32 words [SEQ, DONE, OP, COUNT] and then
// COUNT float64 args, OP indexing TEAM_FUNCTIONS (exports of the module). The caller writes OP and the args, bumps SEQ and notifies; the helper runs the op on its own instance and sets
// DONE = SEQ. Both sides spin on Atomics.load for a while before sleeping in Atomics.wait: a training step issues
// kernels tens of microseconds apart, and a futex wake-up costs about as much as a small product.
// Browsers keep the single-threaded build (shared memory there needs cross-origin isolation).

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { KernelBackend } from '../index';
import { backendFrom, decodeBase64, TEAM_FUNCTIONS, type ThreadTeam, type WasmBackendOptions } from './backend';
import { KERNELS_SHARED_MAX_PAGES, kernelsSharedWasmBase64 } from './binary-shared.generated';

const SEQ = 0;
const DONE = 1;
const OP = 2;
const COUNT = 3;
/** The SEQ of a call that threw in the helper (its message is in the block's text area); 0 = none. */
const FAILED = 4;
/** The args follow the Int32 words as float64s (exact for addresses, sizes and float32 scalars alike). */
const ARGS_BYTE = 24;
const MAX_ARGS = 30;
/** Bytes after the args for a failed call's message (UTF-8, zero-padded). */
const TEXT_BYTES = 512;
const TEXT_BYTE = ARGS_BYTE + 8 * MAX_ARGS;
const OP_EXIT = -1;
/** Spin iterations before sleeping: ~0.7 ms of Atomics.load (≈ 7 ns each, measured); shorter spins let helpers fall asleep
 * between a training step's kernels, and the futex wake-ups then cost more than the split saved (W1 went from ~10k to
 * ~8k samples/s with 20,000 spins, ~6k with 2,000). */
const SPIN = 100_000;

// The helper's loop. Plain JavaScript evaluated by the Worker (no loader, no TypeScript), instantiating the module on
// the shared memory (the kernels write only where their arguments point, so helpers never touch what the caller does).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, spin, functions } = workerData;
const w = new WebAssembly.Instance(module, { env: { memory } }).exports;
const calls = functions.map((name) => w[name]);
const ctl = new Int32Array(control);
const values = new Float64Array(control, ${ARGS_BYTE});
let seen = 0;
for (;;) {
  let n = 0;
  while (Atomics.load(ctl, ${SEQ}) === seen) {
    if (++n > spin) { Atomics.wait(ctl, ${SEQ}, seen); n = 0; }
  }
  seen = Atomics.load(ctl, ${SEQ});
  const op = ctl[${OP}];
  if (op === ${OP_EXIT}) break;
  const count = ctl[${COUNT}];
  const args = [];
  for (let i = 0; i < count; i++) args.push(values[i]);
  try {
    calls[op](...args);
  } catch (e) {
    // report instead of dying: the caller is blocked in wait() and would never hear of an exit
    const text = new Uint8Array(control, ${TEXT_BYTE}, ${TEXT_BYTES});
    text.fill(0);
    new TextEncoder().encodeInto(String(e && e.stack ? e.stack : e).slice(0, ${TEXT_BYTES - 8}), text);
    Atomics.store(ctl, ${FAILED}, seen);
  }
  Atomics.store(ctl, ${DONE}, seen);
  Atomics.notify(ctl, ${DONE});
}
`;

/** Exported for tests; use createThreadedWasmBackend. */
export class WorkerTeam implements ThreadTeam {
  readonly helpers: number;
  private readonly controls: Int32Array[];
  private readonly values: Float64Array[];
  private readonly workers: Worker[];
  private readonly started: boolean[];

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, helpers: number) {
    this.helpers = helpers;
    this.controls = Array.from(
      { length: helpers },
      () => new Int32Array(new SharedArrayBuffer(TEXT_BYTE + TEXT_BYTES)),
    );
    this.values = this.controls.map((c) => new Float64Array(c.buffer, ARGS_BYTE));
    this.started = this.controls.map(() => false);
    this.workers = this.controls.map((control) => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          module,
          memory,
          control: control.buffer,
          spin: SPIN,
          functions: TEAM_FUNCTIONS,
        },
      });
      worker.unref(); // an idle helper never keeps the process alive
      return worker;
    });
  }

  start(helper: number, op: number, args: ArrayLike<number>): void {
    const ctl = this.controls[helper];
    if (args.length > MAX_ARGS) throw new Error(`thread team: ${args.length} args do not fit`);
    const values = this.values[helper];
    ctl[OP] = op;
    ctl[COUNT] = args.length;
    for (let i = 0; i < args.length; i++) values[i] = args[i];
    Atomics.add(ctl, SEQ, 1);
    Atomics.notify(ctl, SEQ);
    this.started[helper] = true;
  }

  wake(): void {
    for (const ctl of this.controls) Atomics.notify(ctl, SEQ);
  }

  wait(): void {
    let failure: Error | null = null;
    for (let h = 0; h < this.helpers; h++) {
      if (!this.started[h]) continue;
      const ctl = this.controls[h];
      const seq = Atomics.load(ctl, SEQ);
      let n = 0;
      for (;;) {
        const done = Atomics.load(ctl, DONE);
        if (done === seq) break;
        if (++n > SPIN) {
          Atomics.wait(ctl, DONE, done, 1);
          n = 0;
        }
      }
      this.started[h] = false;
      if (Atomics.load(ctl, FAILED) === seq) {
        const text = new Uint8Array(ctl.buffer, TEXT_BYTE, TEXT_BYTES);
        const end = text.indexOf(0);
        const message = new TextDecoder().decode(text.slice(0, end < 0 ? TEXT_BYTES : end));
        const op = TEAM_FUNCTIONS[ctl[OP]] ?? `op ${ctl[OP]}`;
        failure ??= new Error(`thread team: helper ${h + 1} failed in ${op}: ${message}`);
      }
    }
    if (failure !== null) throw failure;
  }

  terminate(): Promise<unknown> {
    for (let h = 0; h < this.helpers; h++) this.start(h, OP_EXIT, []);
    return Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export interface ThreadedWasmOptions extends WasmBackendOptions {
  /** Worker threads beside the calling one (default: one per further CPU, at most 3). 0 = one thread, shared build. */
  helpers?: number;
}

export interface ThreadedWasmBackend {
  backend: KernelBackend;
  helpers: number;
  /** Stops the helper threads (the backend then must not be used). */
  terminate(): Promise<unknown>;
}

/** The wasm backend on a shared memory with `helpers` worker threads (Node). */
export function createThreadedWasmBackend(options: ThreadedWasmOptions = {}): ThreadedWasmBackend {
  const helpers = Math.max(0, Math.min(options.helpers ?? Math.min(3, availableParallelism() - 1), 15));
  const module = new WebAssembly.Module(decodeBase64(kernelsSharedWasmBase64));
  const memory = new WebAssembly.Memory({ initial: 16, maximum: KERNELS_SHARED_MAX_PAGES, shared: true });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const team = helpers > 0 ? new WorkerTeam(module, memory, helpers) : undefined;
  const backend = backendFrom(instance, options, team);
  return {
    backend,
    helpers,
    terminate: () => team?.terminate() ?? Promise.resolve(),
  };
}
