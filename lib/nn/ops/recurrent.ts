// Recurrent ops: a whole LSTM, GRU or simple-RNN layer over a (B, T, F) sequence as ONE autodiff op, with its
// forward over time and its backpropagation through time side by side.
//
// Forward: the input projection of every step is one (T·B, F)·(F, kH) product up front; each step then adds only
// h_{t−1}·W_h (B, H)·(H, kH) and runs a fused cell kernel over the (B, kH) gate block. The per-step activations
// (gates, c, h) stay in time-major (T, B, ·) buffers for the backward pass.
// Backward: the time loop only computes the gate gradients and pushes dh back through W_h; the weight, bias and input
// gradients are then one big product each over all T·B rows (dW_x = Xᵀ·dG, dW_h = H_prevᵀ·dG, dX = dG·W_xᵀ).
// Products run on K.matmulPacked: each weight is packed once per call, and the recurrent one reused by all T steps.
//
// The last hidden and cell states are also returned as tensors whose gradients flow back into the same op, so they
// can seed another layer (encoder → decoder) and still be trained through.

import { K } from '../kernels';
import { record, scopedArray, shapeStr, stepScopeOpen, Tensor } from '../tensor';

export interface RecurrentOpOptions {
  /** Initial hidden state (B, H); zeros when absent. */
  h0?: Tensor | null;
  /** Initial cell state (B, H), LSTM only; zeros when absent. */
  c0?: Tensor | null;
  /** true: output is h_t for every step (B, T, H); false (default): only the last h_T (B, H). */
  returnSequences?: boolean;
}

export interface RecurrentResult {
  /** (B, T, H) when returnSequences, else (B, H) — then the same tensor as h. */
  output: Tensor;
  /** Last hidden state h_T (B, H). */
  h: Tensor;
  /** Last cell state c_T (B, H) of an LSTM; null for GRU and simple RNN. */
  c: Tensor | null;
}

/** The dimensions of one recurrent op call, checked against its input and weights. */
interface Dims {
  batch: number;
  steps: number;
  features: number;
  hidden: number;
}

function checkInput(op: string, x: Tensor): [number, number, number] {
  if (x.rank !== 3 || x.shape[0] < 1 || x.shape[1] < 1 || x.shape[2] < 1) {
    throw new Error(`${op}: input must be (B, T, F) with B, T, F ≥ 1, got ${shapeStr(x.shape)}`);
  }
  return [x.shape[0], x.shape[1], x.shape[2]];
}

function checkShape(op: string, what: string, t: Tensor, expected: number[]): void {
  if (t.rank !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${op}: ${what} must be ${shapeStr(expected)}, got ${shapeStr(t.shape)}`);
  }
}

function checkState(op: string, what: string, s: Tensor | null | undefined, d: Dims): Tensor | null {
  if (s === undefined || s === null) return null;
  checkShape(op, `${what} (B, H)`, s, [d.batch, d.hidden]);
  return s;
}

/**
 * Gradients that reach the op through its last-state outputs (h_T when returnSequences, and c_T). Each is a tensor
 * recorded as a child of the op's main output, so the sweep visits it first; its backward hands its gradient over
 * here and makes sure the main output's backward runs.
 */
class StateGrads {
  h: Float32Array | null = null;
  c: Float32Array | null = null;

  output(main: Tensor, data: Float32Array, shape: number[], which: 'h' | 'c'): Tensor {
    const t = new Tensor(data, shape);
    return record(t, [main], () => {
      // take the buffer over (t.grad = null): released nodes' gradients go back to the pool, and this one is read later
      this[which] = t.grad;
      t.grad = null;
      main.gradBuffer();
    });
  }

  /** Adds a handed-over gradient into dst and forgets it (one backward per forward). */
  take(which: 'h' | 'c', dst: Float32Array): void {
    const g = this[which];
    if (g === null) return;
    K.axpy(1, g, dst);
    this[which] = null;
  }
}

/** The op's output (B, T, H) or (B, H) from the time-major hidden states hs (T + 1, B, H) whose slot 0 is h0. */
function outputFromStates(hs: Float32Array, d: Dims, returnSequences: boolean): Tensor {
  const bh = d.batch * d.hidden;
  if (!returnSequences) return new Tensor(hs.slice(d.steps * bh), [d.batch, d.hidden]);
  const out = Tensor.zeros([d.batch, d.steps, d.hidden]); // (B, T, H)
  K.fromTimeMajor(hs.subarray(bh), out.data, d.batch, d.steps, d.hidden);
  return out;
}

/**
 * dL/dh_t from the op's outputs, time-major (T, B, H); the backward loop then adds the recurrent part of each step
 * into the slot before it.
 */
function hiddenGradsFromOutput(out: Tensor, stateGrads: StateGrads, d: Dims, returnSequences: boolean): Float32Array {
  const bh = d.batch * d.hidden;
  const dhT = backwardScratch('dhT', d.steps * bh); // (T, B, H)
  const last = dhT.subarray((d.steps - 1) * bh);
  if (returnSequences) {
    K.toTimeMajor(out.grad!, dhT, d.batch, d.steps, d.hidden);
    stateGrads.take('h', last);
  } else {
    last.set(out.grad!);
  }
  return dhT;
}

/** op(b) (k, n) packed for K.matmulPacked; op(b) is b (k, n) or, with transB, b stored (n, k). */
function pack(b: Float32Array, k: number, n: number, transB: boolean): Float32Array {
  const packed = new Float32Array(K.packedSize(k, n));
  K.packPanels(b, k, n, transB, packed);
  return packed;
}

/** The time-major rows of x (T·B, F) and their projection (T·B, G) = x_t·W_x + b for every step at once. */
function projectInput(x: Tensor, weightX: Float32Array, bias: Float32Array, d: Dims, gateWidth: number) {
  const rows = d.steps * d.batch;
  // sequence buffers live as long as the graph: in a step scope, in the kernels' memory (lib/nn/tensor.ts)
  const xT = scopedArray(rows * d.features, false); // (T, B, F), all written by toTimeMajor
  K.toTimeMajor(x.data, xT, d.batch, d.steps, d.features);
  const projected = scopedArray(rows * gateWidth, false); // (T, B, G), all written by fillRows
  K.fillRows(bias, projected, rows, gateWidth);
  K.matmulPacked(xT, pack(weightX, d.features, gateWidth, false), projected, rows, gateWidth, d.features, false, true);
  return { xT, projected };
}

/**
 * After the time loop, from the gate gradients dG (T·B, G) of all steps at once: W_h's gradient H_prevᵀ·dG (hs holds
 * h_{t−1} of step t in slot t), W_x's Xᵀ·dG, b's column sums and, unless x is null, x's dG·W_xᵀ. Gradient buffers
 * are null when not needed; whGrad and wxGrad may be row ranges of one fused weight's gradient.
 */
function sequenceGrads(
  x: Tensor | null,
  xT: Float32Array,
  hs: Float32Array,
  weightX: Float32Array,
  dG: Float32Array,
  whGrad: Float32Array | null,
  wxGrad: Float32Array | null,
  biasGrad: Float32Array | null,
  d: Dims,
  gateWidth: number,
): void {
  const rows = d.steps * d.batch;
  // (K.matmul packs dG itself: in wasm that is SIMD in the module's memory, far cheaper than packing here)
  if (whGrad !== null) K.matmul(hs, dG, whGrad, d.hidden, gateWidth, rows, true, false, true);
  if (wxGrad !== null) K.matmul(xT, dG, wxGrad, d.features, gateWidth, rows, true, false, true);
  if (biasGrad !== null) K.sumAxis(dG, 1, rows, gateWidth, biasGrad, true);
  if (x?.requiresGrad) {
    const dxT = backwardScratch('dxT', rows * d.features); // (T, B, F)
    const weightXT = pack(weightX, gateWidth, d.features, true); // W_xᵀ (G, F)
    K.matmulPacked(dG, weightXT, dxT, rows, d.features, gateWidth, false, false);
    K.fromTimeMajor(dxT, x.gradBuffer(), d.batch, d.steps, d.features, true);
  }
}

function inputs(base: Tensor[], h0: Tensor | null, c0: Tensor | null): Tensor[] {
  const all = base.slice();
  if (h0 !== null) all.push(h0);
  if (c0 !== null) all.push(c0);
  return all;
}

/** Adds the gradient that reached the initial state into it, if it is being trained through. */
/**
 * A zeroed buffer of `size` floats for backward-only work (gate gradients, dL/dh through time), reused across calls
 * per slot: a backward closure uses it only while it runs — kernels are synchronous and no other recurrent backward
 * runs inside it — and hands on copies (axpy into gradient buffers), never the buffer. Saves fresh multi-megabyte
 * allocations per step, whose page faults showed up in W1 profiles.
 */
const scratchBuffers = new Map<string, Float32Array>();
function backwardScratch(slot: string, size: number): Float32Array {
  if (stepScopeOpen()) return scopedArray(size); // in a step scope: a zeroed block of the kernels' memory
  let buf = scratchBuffers.get(slot);
  if (buf === undefined || buf.length < size) {
    buf = new Float32Array(size);
    scratchBuffers.set(slot, buf);
  }
  const view = buf.subarray(0, size);
  view.fill(0);
  return view;
}

function initialStateGrad(s: Tensor | null, g: Float32Array): void {
  if (s?.requiresGrad) K.axpy(1, g, s.gradBuffer());
}

/** Step t's block of a time-major (T, B, width) buffer. */
function step(buf: Float32Array, t: number, blockSize: number): Float32Array {
  return buf.subarray(t * blockSize, (t + 1) * blockSize);
}

/**
 * LSTM layer over x (B, T, F) with the fused weight W (F + H, 4H) — rows 0..F−1 read x_t, rows F.. read h_{t−1} —
 * and bias b (4H), gate columns in PyTorch's order i, f, g, o:
 *   z = [x_t, h_{t−1}]·W + b;  i, f, o = σ(z_i, z_f, z_o);  g = tanh(z_g);  c_t = f ⊙ c_{t−1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)
 */
export function lstm(x: Tensor, weight: Tensor, bias: Tensor, opts: RecurrentOpOptions = {}): RecurrentResult {
  const op = 'lstm';
  const [batch, steps, features] = checkInput(op, x);
  if (weight.rank !== 2 || weight.shape[1] % 4 !== 0 || weight.shape[0] <= features) {
    throw new Error(`${op}: weight must be (F + H, 4H) = (${features} + H, 4H), got ${shapeStr(weight.shape)}`);
  }
  const hidden = weight.shape[1] / 4;
  const d: Dims = { batch, steps, features, hidden };
  checkShape(op, `weight (F + H, 4H) for input ${shapeStr(x.shape)}`, weight, [features + hidden, 4 * hidden]);
  checkShape(op, 'bias (4H)', bias, [4 * hidden]);
  const h0 = checkState(op, 'h0', opts.h0, d);
  const c0 = checkState(op, 'c0', opts.c0, d);
  const returnSequences = opts.returnSequences ?? false;

  const G = 4 * hidden;
  const bh = batch * hidden;
  const bg = batch * G;
  const weightX = weight.data.subarray(0, features * G); // (F, 4H)
  const weightH = weight.data.subarray(features * G); // (H, 4H)

  // gates (T, B, 4H): pre-activations x_t·W_x + b, then + h_{t−1}·W_h, then the activations i, f, g, o
  const { xT, projected: gates } = projectInput(x, weightX, bias.data, d, G);
  const packedWH = pack(weightH, hidden, G, false);
  const hs = scopedArray((steps + 1) * bh); // (T + 1, B, H), slot 0 = h0
  const cs = scopedArray((steps + 1) * bh); // (T + 1, B, H), slot 0 = c0
  const tanhC = scopedArray(steps * bh); // (T, B, H)
  if (h0 !== null) hs.set(h0.data);
  if (c0 !== null) cs.set(c0.data);
  K.lstmSequenceForward(gates, packedWH, hs, cs, tanhC, batch, hidden, steps, h0 !== null);

  const output = outputFromStates(hs, d, returnSequences);
  const stateGrads = new StateGrads();
  record(output, inputs([x, weight, bias], h0, c0), () => {
    const dhT = hiddenGradsFromOutput(output, stateGrads, d, returnSequences); // (T, B, H)
    const dc = backwardScratch('dc', bh); // dL/dc_t, carried backwards
    stateGrads.take('c', dc);
    const dh0 = backwardScratch('dh0', bh);
    const dG = backwardScratch('dG', steps * bg); // (T, B, 4H)
    const weightHT = pack(weightH, G, hidden, true); // W_hᵀ (4H, H)
    K.lstmSequenceBackward(
      gates,
      cs,
      tanhC,
      dhT,
      dc,
      dG,
      weightHT,
      dh0,
      batch,
      hidden,
      steps,
      h0?.requiresGrad ?? false,
    );
    initialStateGrad(h0, dh0);
    initialStateGrad(c0, dc);
    const wGrad = weight.requiresGrad ? weight.gradBuffer() : null;
    sequenceGrads(
      x,
      xT,
      hs,
      weightX,
      dG,
      wGrad !== null ? wGrad.subarray(features * G) : null,
      wGrad !== null ? wGrad.subarray(0, features * G) : null,
      bias.requiresGrad ? bias.gradBuffer() : null,
      d,
      G,
    );
  });

  const h = returnSequences ? stateGrads.output(output, hs.slice(steps * bh), [batch, hidden], 'h') : output;
  const c = stateGrads.output(output, cs.slice(steps * bh), [batch, hidden], 'c');
  return { output, h, c };
}

/**
 * GRU layer over x (B, T, F) in PyTorch's formulation, gate columns r, z, n: W_x (F, 3H), W_h (H, 3H), b_x, b_h (3H);
 *   gx = x_t·W_x + b_x;  gh = h_{t−1}·W_h + b_h;  r = σ(gx_r + gh_r);  z = σ(gx_z + gh_z);
 *   n = tanh(gx_n + r ⊙ gh_n);  h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 */
export function gru(
  x: Tensor,
  weightX: Tensor,
  weightH: Tensor,
  biasX: Tensor,
  biasH: Tensor,
  opts: RecurrentOpOptions = {},
): RecurrentResult {
  const op = 'gru';
  const [batch, steps, features] = checkInput(op, x);
  if (weightH.rank !== 2 || weightH.shape[1] % 3 !== 0) {
    throw new Error(`${op}: weightH must be (H, 3H), got ${shapeStr(weightH.shape)}`);
  }
  const hidden = weightH.shape[1] / 3;
  const d: Dims = { batch, steps, features, hidden };
  const G = 3 * hidden;
  checkShape(op, `weightX (F, 3H) for input ${shapeStr(x.shape)}`, weightX, [features, G]);
  checkShape(op, 'weightH (H, 3H)', weightH, [hidden, G]);
  checkShape(op, 'biasX (3H)', biasX, [G]);
  checkShape(op, 'biasH (3H)', biasH, [G]);
  if (opts.c0 !== undefined && opts.c0 !== null) throw new Error(`${op}: a GRU has no cell state; c0 must be absent`);
  const h0 = checkState(op, 'h0', opts.h0, d);
  const returnSequences = opts.returnSequences ?? false;

  const bh = batch * hidden;
  const bg = batch * G;
  const { xT, projected: gx } = projectInput(x, weightX.data, biasX.data, d, G); // (T, B, 3H) = x_t·W_x + b_x
  const packedWH = pack(weightH.data, hidden, G, false);
  const gh = scopedArray(steps * bg, false); // (T, B, 3H) = h_{t−1}·W_h + b_h (its n block is needed backwards)
  K.fillRows(biasH.data, gh, steps * batch, G);
  const acts = scopedArray(steps * bg); // (T, B, 3H): r, z, n
  const hs = scopedArray((steps + 1) * bh); // (T + 1, B, H), slot 0 = h0
  if (h0 !== null) hs.set(h0.data);
  K.gruSequenceForward(gx, gh, packedWH, hs, acts, batch, hidden, steps, h0 !== null);

  const output = outputFromStates(hs, d, returnSequences);
  const stateGrads = new StateGrads();
  record(output, inputs([x, weightX, weightH, biasX, biasH], h0, null), () => {
    const dhT = hiddenGradsFromOutput(output, stateGrads, d, returnSequences); // (T, B, H)
    const dh0 = backwardScratch('dh0', bh);
    const dGx = backwardScratch('dG', steps * bg); // (T, B, 3H)
    const dGh = backwardScratch('dGh', steps * bg); // (T, B, 3H)
    const weightHT = pack(weightH.data, G, hidden, true); // W_hᵀ (3H, H)
    K.gruSequenceBackward(acts, gh, hs, dhT, dGx, dGh, weightHT, dh0, batch, hidden, steps, h0?.requiresGrad ?? false);
    initialStateGrad(h0, dh0);
    // the recurrent half (W_h, b_h) reads dGh, the input half (W_x, b_x, x) dGx
    sequenceGrads(
      null,
      xT,
      hs,
      weightX.data,
      dGh,
      weightH.requiresGrad ? weightH.gradBuffer() : null,
      null,
      null,
      d,
      G,
    );
    if (biasH.requiresGrad) K.sumAxis(dGh, 1, steps * batch, G, biasH.gradBuffer(), true);
    const wxGrad = weightX.requiresGrad ? weightX.gradBuffer() : null;
    const bxGrad = biasX.requiresGrad ? biasX.gradBuffer() : null;
    sequenceGrads(x, xT, hs, weightX.data, dGx, null, wxGrad, bxGrad, d, G);
  });

  const h = returnSequences ? stateGrads.output(output, hs.slice(steps * bh), [batch, hidden], 'h') : output;
  return { output, h, c: null };
}

/**
 * Simple (Elman) RNN layer over x (B, T, F) with the fused weight W (F + H, H) — rows 0..F−1 read x_t, rows F.. read
 * h_{t−1} — and bias b (H):  h_t = tanh([x_t, h_{t−1}]·W + b)
 */
export function simpleRnn(x: Tensor, weight: Tensor, bias: Tensor, opts: RecurrentOpOptions = {}): RecurrentResult {
  const op = 'simpleRnn';
  const [batch, steps, features] = checkInput(op, x);
  if (weight.rank !== 2 || weight.shape[0] <= features) {
    throw new Error(`${op}: weight must be (F + H, H) = (${features} + H, H), got ${shapeStr(weight.shape)}`);
  }
  const hidden = weight.shape[1];
  const d: Dims = { batch, steps, features, hidden };
  checkShape(op, `weight (F + H, H) for input ${shapeStr(x.shape)}`, weight, [features + hidden, hidden]);
  checkShape(op, 'bias (H)', bias, [hidden]);
  if (opts.c0 !== undefined && opts.c0 !== null) {
    throw new Error(`${op}: a simple RNN has no cell state; c0 must be absent`);
  }
  const h0 = checkState(op, 'h0', opts.h0, d);
  const returnSequences = opts.returnSequences ?? false;

  const bh = batch * hidden;
  const weightX = weight.data.subarray(0, features * hidden); // (F, H)
  const weightH = weight.data.subarray(features * hidden); // (H, H)
  const { xT, projected } = projectInput(x, weightX, bias.data, d, hidden); // (T, B, H) = x_t·W_x + b
  const packedWH = pack(weightH, hidden, hidden, false);
  // (T + 1, B, H), slot 0 = h0; slot t + 1 takes step t's projection, adds h_{t−1}·W_h and applies tanh in place
  const hs = scopedArray((steps + 1) * bh);
  if (h0 !== null) hs.set(h0.data);
  hs.set(projected, bh);
  for (let t = 0; t < steps; t++) {
    const ht = step(hs, t + 1, bh);
    if (t > 0 || h0 !== null) K.matmulPacked(step(hs, t, bh), packedWH, ht, batch, hidden, hidden, false, true);
    K.rnnCellForward(ht, bh);
  }

  const output = outputFromStates(hs, d, returnSequences);
  const stateGrads = new StateGrads();
  record(output, inputs([x, weight, bias], h0, null), () => {
    const dhT = hiddenGradsFromOutput(output, stateGrads, d, returnSequences); // (T, B, H)
    const dh0 = backwardScratch('dh0', bh);
    const dPre = backwardScratch('dG', steps * bh); // (T, B, H)
    const weightHT = pack(weightH, hidden, hidden, true); // W_hᵀ (H, H)
    for (let t = steps - 1; t >= 0; t--) {
      const dPreT = step(dPre, t, bh);
      K.rnnCellBackward(step(hs, t + 1, bh), step(dhT, t, bh), dPreT, bh);
      const dhPrev = t > 0 ? step(dhT, t - 1, bh) : dh0;
      if (t > 0 || h0?.requiresGrad) K.matmulPacked(dPreT, weightHT, dhPrev, batch, hidden, hidden, false, true);
    }
    initialStateGrad(h0, dh0);
    const wGrad = weight.requiresGrad ? weight.gradBuffer() : null;
    sequenceGrads(
      x,
      xT,
      hs,
      weightX,
      dPre,
      wGrad !== null ? wGrad.subarray(features * hidden) : null,
      wGrad !== null ? wGrad.subarray(0, features * hidden) : null,
      bias.requiresGrad ? bias.gradBuffer() : null,
      d,
      hidden,
    );
  });

  const h = returnSequences ? stateGrads.output(output, hs.slice(steps * bh), [batch, hidden], 'h') : output;
  return { output, h, c: null };
}
