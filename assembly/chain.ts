// A chain of fully connected layers for inference (semantics: denseChainForward in lib/nn/kernels/linear.ts): each
// layer's output stays in this module's memory as the next layer's input, instead of leaving wasm between layers.
// One call runs a block of `rows` rows through every layer, so the loader can hand disjoint row blocks to threads —
// each thread then keeps its block's activations in its own cache, with one hand-off per batch.
//
// layers points at nLayers records of 5 i32: [weight (in, out) packed by packPanels (as is for out < 4), bias (0 =
// none), in, out, act].
// Rows go through in tiles of `tile` rows (all layers per tile), so a tile's activations stay in cache; ping and pong
// are this call's own buffers of tile·maxOut floats; rowPanels is unused (rows are read in place since gemmStrided).

import { gemmStrided } from './gemm';

export function denseChainForward(
  x: usize,
  rows: i32,
  layers: usize,
  nLayers: i32,
  out: usize,
  ping: usize,
  pong: usize,
  _rowPanels: usize,
  tile: i32,
): void {
  const inBytes = (<usize>load<i32>(layers + 8)) << 2; // first layer's in, in bytes per row
  const outBytes = (<usize>load<i32>(layers + (<usize>(nLayers - 1) * 5 + 3) * 4)) << 2; // last layer's out
  for (let r0 = 0; r0 < rows; r0 += tile) {
    const n = min(tile, rows - r0);
    let cur = x + <usize>r0 * inBytes;
    for (let l = 0; l < nLayers; l++) {
      const rec = layers + ((<usize>l * 5) << 2);
      const packedW = <usize>load<i32>(rec);
      const bias = <usize>load<i32>(rec + 4);
      const inF = load<i32>(rec + 8);
      const outF = load<i32>(rec + 12);
      const act = load<i32>(rec + 16);
      const dst = l === nLayers - 1 ? out + <usize>r0 * outBytes : (l & 1) === 0 ? ping : pong;
      // the tile's rows are read in place (no packing); the weight is packed in 4-column panels, or for 1–3 outputs
      // kept (in, out) row-major (gemmStrided then takes dot products along the rows)
      if (outF < 4)
        gemmStrided(cur, (<usize>inF) << 2, 4, packedW, (<usize>outF) << 2, 16, dst, n, outF, inF, false, bias, act);
      else gemmStrided(cur, (<usize>inF) << 2, 4, packedW, 16, (<usize>inF) << 4, dst, n, outF, inF, false, bias, act);
      cur = dst;
    }
  }
}
