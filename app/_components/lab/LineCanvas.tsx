'use client';

import { useEffect, useRef } from 'react';

export interface Series {
  label: string;
  color: string;
  values: number[];
}

/** A light canvas line chart for curves that change many times a second (recharts re-renders too slowly for that). */
export function LineCanvas({
  series,
  height = 160,
  yLabel,
  logY = false,
  testId,
}: {
  series: Series[];
  height?: number;
  yLabel?: string;
  logY?: boolean;
  testId?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const w = canvas.width;
    const h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    const tf = (v: number) => (logY ? Math.log10(Math.max(v, 1e-12)) : v);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let n = 0;
    for (const s of series) {
      n = Math.max(n, s.values.length);
      for (const v of s.values) {
        if (!Number.isFinite(v)) continue;
        lo = Math.min(lo, tf(v));
        hi = Math.max(hi, tf(v));
      }
    }
    const padL = 44;
    const padB = 18;
    ctx.strokeStyle = '#e2e8f0';
    ctx.strokeRect(padL, 4, w - padL - 4, h - padB - 4);
    if (n < 2 || !Number.isFinite(lo)) return;
    if (hi - lo < 1e-12) hi = lo + 1;
    const x = (i: number) => padL + (i / (n - 1)) * (w - padL - 6);
    const y = (v: number) => 4 + (1 - (tf(v) - lo) / (hi - lo)) * (h - padB - 8);
    ctx.fillStyle = '#64748b';
    ctx.font = '10px sans-serif';
    const fmt = (v: number) => (logY ? `1e${v.toFixed(1)}` : Math.abs(v) < 0.01 ? v.toExponential(1) : v.toFixed(3));
    ctx.fillText(fmt(hi), 2, 12);
    ctx.fillText(fmt(lo), 2, h - padB);
    if (yLabel) ctx.fillText(yLabel, padL + 4, h - 4);
    for (const s of series) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      let started = false;
      s.values.forEach((v, i) => {
        if (!Number.isFinite(v)) return;
        if (started) ctx.lineTo(x(i), y(v));
        else ctx.moveTo(x(i), y(v));
        started = true;
      });
      ctx.stroke();
    }
  });
  return (
    <div>
      <canvas ref={ref} width={480} height={height} className="w-full" data-testid={testId} />
      <div className="mt-1 flex flex-wrap gap-3 text-xs text-slate-600">
        {series.map((s) => (
          <span key={s.label} className="flex items-center gap-1">
            <span className="inline-block h-0.5 w-4" style={{ background: s.color }} />
            {s.label}
          </span>
        ))}
      </div>
    </div>
  );
}
