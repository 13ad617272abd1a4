'use client';

import { useEffect, useRef } from 'react';

/** A matrix as a heat-map: white → blue for non-negative data; orange → white → blue for signed data. */
export function HeatGrid({
  rows,
  cols,
  values,
  rowLabel,
  colLabel,
}: {
  rows: number;
  cols: number;
  values: Float32Array;
  rowLabel: string;
  colLabel: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const span = hi - lo || 1;
    const cw = canvas.width / cols;
    const ch = canvas.height / rows;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        // non-negative data (weights, probabilities) on a white → blue scale; signed data diverging around the middle
        const t = lo >= 0 ? (values[r * cols + c] - lo) / span : ((values[r * cols + c] - lo) / span) * 2 - 1;
        const a = Math.abs(t);
        const [R, G, B] =
          t >= 0 ? [255 - a * 247, 255 - a * 136, 255 - a * 66] : [255 - a * 10, 255 - a * 108, 255 - a * 221];
        ctx.fillStyle = `rgb(${R | 0},${G | 0},${B | 0})`;
        ctx.fillRect(c * cw, r * ch, Math.ceil(cw), Math.ceil(ch));
      }
    }
  });
  return (
    <div>
      <canvas
        ref={ref}
        width={360}
        height={Math.max(120, Math.min(360, rows * 12))}
        className="w-full rounded border"
        data-testid="heat-grid"
      />
      <div className="mt-1 text-xs text-slate-500">
        rows: {rowLabel} · columns: {colLabel}
      </div>
    </div>
  );
}
