'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { type DemoRun, type DemoView, networkDemo } from '@/lib/lab/networks';
import { HeatGrid } from './HeatGrid';
import { Heatmap } from './Heatmap';
import { LineCanvas } from './LineCanvas';
import { Scatter } from './Scatter';

const COLOURS = ['#0f172a', '#f59322', '#94a3b8', '#1d4ed8'];

export function NetworkDemoView({ id }: { id: string }) {
  const [seed, setSeed] = useState(1);
  const [view, setView] = useState<DemoView | null>(null);
  const [running, setRunning] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const runRef = useRef<DemoRun | null>(null);

  useEffect(() => {
    const demo = networkDemo(id);
    if (!demo) return;
    runRef.current = demo.create(seed);
    setView(runRef.current.view());
    setDone(runRef.current.done);
    setRunning(false);
  }, [id, seed]);

  const advance = useCallback(() => {
    const run = runRef.current;
    if (!run || run.done) return;
    try {
      run.step();
      setView(run.view());
      setDone(run.done);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setRunning(false);
    }
  }, []);

  useEffect(() => {
    if (!running) return;
    let handle = 0;
    const tick = () => {
      advance();
      if (runRef.current?.done) {
        setRunning(false);
        return;
      }
      handle = requestAnimationFrame(tick);
    };
    handle = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(handle);
  }, [running, advance]);

  return (
    <div className="space-y-4">
      <div className="card flex flex-wrap items-center gap-3">
        <button type="button" className="btn" onClick={() => setRunning((r) => !r)} disabled={done}>
          {running ? 'Pause' : 'Train'}
        </button>
        <button type="button" className="btn-secondary" onClick={advance} disabled={running || done}>
          Step
        </button>
        <button type="button" className="btn-secondary" onClick={() => setSeed(Math.floor(Math.random() * 1e9))}>
          Reset (new seed)
        </button>
        <span className="text-sm text-slate-600">
          step <span data-testid="demo-step">{view?.step ?? 0}</span> · seed {seed}
          {done ? ' · finished' : ''}
        </span>
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {view && (
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          {view.curves.length > 0 && (
            <div className="card">
              <h2 className="mb-2 font-semibold">Training</h2>
              <LineCanvas
                testId="demo-curves"
                series={view.curves.map((c, i) => ({ ...c, color: COLOURS[i % COLOURS.length] }))}
              />
            </div>
          )}
          {view.lines && (
            <div className="card">
              <h2 className="mb-2 font-semibold">{view.lines.title}</h2>
              <LineCanvas series={view.lines.series.map((s, i) => ({ ...s, color: COLOURS[i % COLOURS.length] }))} />
            </div>
          )}
          {view.scatter && (
            <div className="card">
              <h2 className="mb-2 font-semibold">{view.scatter.title}</h2>
              <Scatter groups={view.scatter.groups} />
            </div>
          )}
          {view.surface && (
            <div className="card">
              <h2 className="mb-2 font-semibold">{view.surface.title}</h2>
              <Heatmap grid={view.surface.grid} res={view.surface.res} train={view.surface.train} test={null} />
            </div>
          )}
          {view.heat && (
            <div className="card">
              <h2 className="mb-2 font-semibold">{view.heat.title}</h2>
              <HeatGrid {...view.heat} />
            </div>
          )}
          <div className="card text-sm" data-testid="demo-notes">
            <ul className="list-disc space-y-1 pl-5">
              {view.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </div>
  );
}
