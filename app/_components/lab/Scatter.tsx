'use client';

import { useEffect, useRef } from 'react';

const COLOURS = ['#0877bd', '#f59322', '#0f172a', '#059669'];

/** Point clouds (x, y pairs) on one canvas, each group its own colour; the axes fit all groups. */
export function Scatter({ groups }: { groups: { label: string; points: Float32Array }[] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const size = canvas.width;
    ctx.clearRect(0, 0, size, size);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const g of groups) {
      for (const v of g.points) {
        if (!Number.isFinite(v)) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!Number.isFinite(lo)) return;
    const pad = (hi - lo) * 0.05 + 1e-6;
    lo -= pad;
    hi += pad;
    const px = (v: number) => ((v - lo) / (hi - lo)) * size;
    ctx.strokeStyle = '#e2e8f0';
    ctx.strokeRect(0, 0, size, size);
    groups.forEach((g, gi) => {
      ctx.fillStyle = COLOURS[gi % COLOURS.length];
      for (let i = 0; i + 1 < g.points.length; i += 2)
        ctx.fillRect(px(g.points[i]) - 1.5, size - px(g.points[i + 1]) - 1.5, 3, 3);
    });
  });
  return (
    <div>
      <canvas ref={ref} width={320} height={320} className="rounded border border-slate-200" data-testid="scatter" />
      <div className="mt-1 flex gap-3 text-xs text-slate-600">
        {groups.map((g, i) => (
          <span key={g.label} className="flex items-center gap-1">
            <span className="inline-block h-2 w-2" style={{ background: COLOURS[i % COLOURS.length] }} />
            {g.label}
          </span>
        ))}
      </div>
    </div>
  );
}
