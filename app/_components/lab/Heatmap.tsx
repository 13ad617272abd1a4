'use client';

import { useEffect, useRef } from 'react';

/** Orange (−1) → white (0) → blue (+1), as the Playground's colour scale. */
function colour(v: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, v));
  if (t < 0) {
    const a = -t;
    return [255 - a * (255 - 245), 255 - a * (255 - 147), 255 - a * (255 - 34)];
  }
  return [255 - t * (255 - 8), 255 - t * (255 - 119), 255 - t * (255 - 189)];
}

/**
 * The network output over the plane as a heat-map, with the data points on top (training points filled,
 * test points outlined). grid is res×res, row 0 at the top, covering [−extent, extent]².
 */
export function Heatmap({
  grid,
  res,
  extent = 6,
  train,
  test,
  size = 320,
}: {
  grid: Float32Array | null;
  res: number;
  extent?: number;
  train: { x: Float32Array; y: Float32Array };
  test: { x: Float32Array; y: Float32Array } | null;
  size?: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const img = ctx.createImageData(size, size);
    for (let py = 0; py < size; py++) {
      const r = Math.min(res - 1, Math.floor((py / size) * res));
      for (let px = 0; px < size; px++) {
        const c = Math.min(res - 1, Math.floor((px / size) * res));
        const [R, G, B] = grid ? colour(grid[r * res + c]) : [248, 250, 252];
        const k = (py * size + px) * 4;
        img.data[k] = R;
        img.data[k + 1] = G;
        img.data[k + 2] = B;
        img.data[k + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
    const toPx = (v: number) => ((v + extent) / (2 * extent)) * size;
    const draw = (pts: { x: Float32Array; y: Float32Array }, filled: boolean) => {
      for (let i = 0; i < pts.y.length; i++) {
        const cx = toPx(pts.x[2 * i]);
        const cy = size - toPx(pts.x[2 * i + 1]);
        ctx.beginPath();
        ctx.arc(cx, cy, 3, 0, 2 * Math.PI);
        const col = pts.y[i] > 0.5 ? '#0877bd' : '#f59322';
        if (filled) {
          ctx.fillStyle = col;
          ctx.fill();
          ctx.strokeStyle = '#ffffff';
        } else {
          ctx.strokeStyle = col;
        }
        ctx.lineWidth = 1;
        ctx.stroke();
      }
    };
    draw(train, true);
    if (test) draw(test, false);
  });
  return (
    <canvas
      ref={ref}
      width={size}
      height={size}
      className="rounded border border-slate-200"
      data-testid="decision-heatmap"
    />
  );
}
