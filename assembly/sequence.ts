// Whole-sequence LSTM and GRU kernels (semantics: lstmSequenceForward, gruSequenceForward and their backward in
// lib/nn/kernels/recurrent.ts),
// run over a block of `rows` batch rows out of `batch`: every pointer is already offset to the block's first row in
// time slice 0, and time slices are `batch` rows apart. Batch rows are independent through the whole recurrence, so
// the loader hands disjoint blocks to threads with no synchronisation inside the sequence. The recurrent products read
// a step's rows in place against the packed weight (gemm.ts product); nothing is written outside the block.

import { addRowsTimesPanels } from './gemm';
import { gruCellBackward, gruCellForward, lstmCellBackward, lstmCellForward } from './kernels';

export function lstmSequenceForward(
  gates: usize,
  packedWH: usize,
  hs: usize,
  cs: usize,
  tanhC: usize,
  rows: i32,
  hidden: i32,
  steps: i32,
  hasH0: bool,
  batch: i32,
): void {
  const sliceH = (<usize>batch * <usize>hidden) << 2; // bytes between time slices of (·, B, H)
  const sliceG = sliceH << 2; // of (·, B, 4H)
  const g4 = 4 * hidden;
  for (let t = 0; t < steps; t++) {
    const g = gates + <usize>t * sliceG;
    const h = hs + <usize>t * sliceH;
    if (t > 0 || hasH0) {
      addRowsTimesPanels(h, packedWH, g, rows, g4, hidden);
    }
    lstmCellForward(
      g,
      cs + <usize>t * sliceH,
      cs + <usize>(t + 1) * sliceH,
      tanhC + <usize>t * sliceH,
      h + sliceH,
      rows,
      hidden,
    );
  }
}

export function lstmSequenceBackward(
  gates: usize,
  cs: usize,
  tanhC: usize,
  dhT: usize,
  dc: usize,
  dG: usize,
  packedWHT: usize,
  dh0: usize,
  rows: i32,
  hidden: i32,
  steps: i32,
  needDh0: bool,
  batch: i32,
): void {
  const sliceH = (<usize>batch * <usize>hidden) << 2;
  const sliceG = sliceH << 2;
  const g4 = 4 * hidden;
  for (let t = steps - 1; t >= 0; t--) {
    const dGt = dG + <usize>t * sliceG;
    lstmCellBackward(
      gates + <usize>t * sliceG,
      cs + <usize>t * sliceH,
      tanhC + <usize>t * sliceH,
      dhT + <usize>t * sliceH,
      dc,
      dGt,
      rows,
      hidden,
    );
    if (t > 0 || needDh0) {
      const dhPrev = t > 0 ? dhT + <usize>(t - 1) * sliceH : dh0;
      addRowsTimesPanels(dGt, packedWHT, dhPrev, rows, hidden, g4);
    }
  }
}

export function gruSequenceForward(
  gx: usize,
  gh: usize,
  packedWH: usize,
  hs: usize,
  acts: usize,
  rows: i32,
  hidden: i32,
  steps: i32,
  hasH0: bool,
  batch: i32,
): void {
  const sliceH = (<usize>batch * <usize>hidden) << 2;
  const sliceG = sliceH * 3;
  const g3 = 3 * hidden;
  for (let t = 0; t < steps; t++) {
    const ght = gh + <usize>t * sliceG;
    const h = hs + <usize>t * sliceH;
    if (t > 0 || hasH0) {
      addRowsTimesPanels(h, packedWH, ght, rows, g3, hidden);
    }
    gruCellForward(gx + <usize>t * sliceG, ght, h, h + sliceH, acts + <usize>t * sliceG, rows, hidden);
  }
}

export function gruSequenceBackward(
  acts: usize,
  gh: usize,
  hs: usize,
  dhT: usize,
  dGx: usize,
  dGh: usize,
  packedWHT: usize,
  dh0: usize,
  rows: i32,
  hidden: i32,
  steps: i32,
  needDh0: bool,
  batch: i32,
): void {
  const sliceH = (<usize>batch * <usize>hidden) << 2;
  const sliceG = sliceH * 3;
  const g3 = 3 * hidden;
  for (let t = steps - 1; t >= 0; t--) {
    const dGht = dGh + <usize>t * sliceG;
    const dhPrev = t > 0 ? dhT + <usize>(t - 1) * sliceH : dh0;
    gruCellBackward(
      acts + <usize>t * sliceG,
      gh + <usize>t * sliceG,
      hs + <usize>t * sliceH,
      dhT + <usize>t * sliceH,
      dhPrev,
      dGx + <usize>t * sliceG,
      dGht,
      rows,
      hidden,
    );
    if (t > 0 || needDh0) {
      addRowsTimesPanels(dGht, packedWHT, dhPrev, rows, hidden, g3);
    }
  }
}
