// Shape ops that move data without arithmetic: slicing along the leading axis (e.g. the first T rows of a learned
// position table), forward and backward side by side.

import { K } from '../kernels';
import { record, shapeStr, Tensor } from '../tensor';

/** Entries [start, end) of axis 0: (N, ...) → (end − start, ...), a copy; the gradient lands in those rows. */
export function sliceFirstAxis(x: Tensor, start: number, end: number): Tensor {
  if (
    x.rank < 1 ||
    !Number.isInteger(start) ||
    !Number.isInteger(end) ||
    start < 0 ||
    end > x.shape[0] ||
    start > end
  ) {
    throw new Error(`sliceFirstAxis: rows [${start}, ${end}) are not a range of axis 0 of ${shapeStr(x.shape)}`);
  }
  const rowSize = x.shape[0] === 0 ? 0 : x.size / x.shape[0];
  const from = start * rowSize;
  const to = end * rowSize;
  const shape = x.shape.slice();
  shape[0] = end - start;
  const out = new Tensor(x.data.slice(from, to), shape); // (end − start, ...)
  return record(out, [x], () => K.axpy(1, out.grad!, x.gradBuffer().subarray(from, to)));
}
