'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import {
  DEFAULT_PLAYGROUND,
  FEATURE_LABELS,
  PLAYGROUND_ACTIVATIONS,
  PLAYGROUND_DATASETS,
  PLAYGROUND_FEATURES,
  type PlaygroundConfig,
  PlaygroundRun,
  playgroundProblem,
} from '@/lib/lab/playground';
import { ACTIVATIONS } from '@/lib/nn/activations';
import { Heatmap } from './Heatmap';
import { LineCanvas } from './LineCanvas';
import { KERNEL_LABELS, useKernels } from './useKernels';

const GRID = 40;
const FRAME_BUDGET_MS = 14;
const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const DATASET_LABELS: Record<string, string> = {
  xor: 'XOR',
  circle: 'Circle',
  gauss: 'Two clusters',
  spiral: 'Spiral',
};

type Metrics = ReturnType<PlaygroundRun['metrics']>;

export function Playground({ initial }: { initial?: Partial<PlaygroundConfig> }) {
  const [config, setConfig] = useState<PlaygroundConfig>({ ...DEFAULT_PLAYGROUND, ...initial });
  const [running, setRunning] = useState(false);
  const kernels = useKernels();
  const [metrics, setMetrics] = useState<Metrics | null>(null);
  const [grid, setGrid] = useState<Float32Array | null>(null);
  const [curves, setCurves] = useState<{ train: number[]; test: number[] }>({ train: [], test: [] });
  const [steps, setSteps] = useState(0);
  const [epochs, setEpochs] = useState(0);
  const [ups, setUps] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const runRef = useRef<PlaygroundRun | null>(null);
  const frames = useRef<number[]>([]);

  const refresh = useCallback(() => {
    const run = runRef.current;
    if (!run) return;
    const m = run.metrics();
    setMetrics(m);
    setGrid(run.decisionGrid(GRID));
    setSteps(run.steps);
    setEpochs(run.epochs);
    setCurves((c) => {
      const keep = 400;
      return { train: [...c.train, m.trainLoss].slice(-keep), test: [...c.test, m.testLoss].slice(-keep) };
    });
  }, []);

  // A new run whenever the configuration changes (reset keeps the config but draws a new seed).
  useEffect(() => {
    const problem = playgroundProblem(config);
    if (problem) {
      setError(problem);
      setRunning(false);
      return;
    }
    setError(null);
    runRef.current = new PlaygroundRun(config);
    setCurves({ train: [], test: [] });
    refresh();
  }, [config, refresh]);

  // Training loop: as many steps as fit in a frame's budget, then one redraw. Keeps the page responsive.
  useEffect(() => {
    if (!running) return;
    let handle = 0;
    const tick = () => {
      const run = runRef.current;
      if (!run) return;
      const t0 = performance.now();
      do run.step();
      while (performance.now() - t0 < FRAME_BUDGET_MS);
      refresh();
      const now = performance.now();
      frames.current = [...frames.current.filter((t) => now - t < 1000), now];
      setUps(frames.current.length);
      handle = requestAnimationFrame(tick);
    };
    handle = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(handle);
  }, [running, refresh]);

  const update = (patch: Partial<PlaygroundConfig>) => setConfig((c) => ({ ...c, ...patch }));
  const stepOnce = () => {
    runRef.current?.step();
    refresh();
  };
  const reset = () => update({ seed: Math.floor(Math.random() * 1e9) });

  const run = runRef.current;
  return (
    <div className="space-y-4">
      <div className="card flex flex-wrap items-center gap-3">
        <button type="button" className="btn" onClick={() => setRunning((r) => !r)} disabled={!!error}>
          {running ? 'Pause' : 'Play'}
        </button>
        <button type="button" className="btn-secondary" onClick={stepOnce} disabled={running || !!error}>
          Step
        </button>
        <button type="button" className="btn-secondary" onClick={reset}>
          Reset (new seed)
        </button>
        <span className="text-sm text-slate-600">
          Step <span data-testid="step-count">{steps}</span> · epoch {epochs} · seed{' '}
          <span data-testid="seed">{config.seed}</span>
        </span>
        <span className="text-xs text-slate-400" data-testid="updates-per-second">
          {running ? `${ups} updates/s` : ''}
        </span>
        <span className="text-xs text-slate-400" data-testid="kernels">
          {KERNEL_LABELS[kernels]}
        </span>
        <span className="ml-auto text-sm">
          Test loss <b data-testid="test-loss">{metrics ? metrics.testLoss.toFixed(3) : '—'}</b> · train loss{' '}
          {metrics ? metrics.trainLoss.toFixed(3) : '—'} · test accuracy{' '}
          <b data-testid="test-accuracy">{metrics ? `${(metrics.testAccuracy * 100).toFixed(1)}%` : '—'}</b>
        </span>
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[260px_1fr_1fr]">
        <div className="card space-y-4 text-sm">
          <div>
            <div className="label">Data</div>
            <div className="grid grid-cols-2 gap-1">
              {PLAYGROUND_DATASETS.map((d) => (
                <button
                  key={d}
                  type="button"
                  aria-pressed={config.dataset === d}
                  className={config.dataset === d ? 'btn' : 'btn-secondary'}
                  onClick={() => update({ dataset: d })}
                >
                  {DATASET_LABELS[d]}
                </button>
              ))}
            </div>
          </div>
          <label className="block">
            <span className="label">Noise: {config.noise.toFixed(2)}</span>
            <input
              type="range"
              min={0}
              max={0.5}
              step={0.05}
              value={config.noise}
              onChange={(e) => update({ noise: Number(e.target.value) })}
              className="w-full"
            />
          </label>
          <label className="block">
            <span className="label">Training share: {Math.round(config.trainRatio * 100)}%</span>
            <input
              type="range"
              min={0.1}
              max={0.9}
              step={0.1}
              value={config.trainRatio}
              onChange={(e) => update({ trainRatio: Number(e.target.value) })}
              className="w-full"
            />
          </label>
          <fieldset>
            <legend className="label">Inputs</legend>
            <div className="grid grid-cols-2 gap-1">
              {PLAYGROUND_FEATURES.map((f) => (
                <label key={f} className="flex items-center gap-1">
                  <input
                    type="checkbox"
                    checked={config.features.includes(f)}
                    onChange={(e) =>
                      update({
                        features: e.target.checked
                          ? PLAYGROUND_FEATURES.filter((g) => g === f || config.features.includes(g))
                          : config.features.filter((g) => g !== f),
                      })
                    }
                  />
                  {FEATURE_LABELS[f]}
                </label>
              ))}
            </div>
          </fieldset>
          <div>
            <div className="label">Hidden layers: {config.hidden.length}</div>
            <div className="flex gap-1">
              <button
                type="button"
                className="btn-secondary"
                aria-label="Add hidden layer"
                onClick={() => update({ hidden: [...config.hidden, 2].slice(0, 6) })}
              >
                + layer
              </button>
              <button
                type="button"
                className="btn-secondary"
                aria-label="Remove hidden layer"
                onClick={() => update({ hidden: config.hidden.slice(0, -1) })}
              >
                − layer
              </button>
            </div>
            <div className="mt-2 space-y-1">
              {config.hidden.map((h, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: layers are identified by position
                <div key={i} className="flex items-center gap-2">
                  <span className="w-16">Layer {i + 1}</span>
                  <button
                    type="button"
                    className="btn-secondary px-2"
                    aria-label={`Fewer neurons in layer ${i + 1}`}
                    onClick={() => update({ hidden: config.hidden.map((v, j) => (j === i ? Math.max(1, v - 1) : v)) })}
                  >
                    −
                  </button>
                  <span data-testid={`layer-${i + 1}-neurons`}>{h}</span>
                  <button
                    type="button"
                    className="btn-secondary px-2"
                    aria-label={`More neurons in layer ${i + 1}`}
                    onClick={() => update({ hidden: config.hidden.map((v, j) => (j === i ? Math.min(8, v + 1) : v)) })}
                  >
                    +
                  </button>
                </div>
              ))}
            </div>
          </div>
          <label className="block">
            <span className="label">Activation</span>
            <select
              className="input"
              value={config.activation}
              onChange={(e) => update({ activation: e.target.value as PlaygroundConfig['activation'] })}
            >
              {PLAYGROUND_ACTIVATIONS.map((a) => (
                <option key={a} value={a}>
                  {ACTIVATIONS[a].label}
                </option>
              ))}
            </select>
          </label>
          <label className="block">
            <span className="label">Learning rate</span>
            <select
              className="input"
              value={config.learningRate}
              onChange={(e) => update({ learningRate: Number(e.target.value) })}
            >
              {LEARNING_RATES.map((lr) => (
                <option key={lr} value={lr}>
                  {lr}
                </option>
              ))}
            </select>
          </label>
          <label className="block">
            <span className="label">Batch size: {config.batchSize}</span>
            <input
              type="range"
              min={1}
              max={30}
              value={config.batchSize}
              onChange={(e) => update({ batchSize: Number(e.target.value) })}
              className="w-full"
            />
          </label>
          <label className="block">
            <span className="label">L2 regularisation</span>
            <select className="input" value={config.l2} onChange={(e) => update({ l2: Number(e.target.value) })}>
              {[0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1].map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <label className="block">
            <span className="label">Dropout: {config.dropout.toFixed(1)}</span>
            <input
              type="range"
              min={0}
              max={0.8}
              step={0.1}
              value={config.dropout}
              onChange={(e) => update({ dropout: Number(e.target.value) })}
              className="w-full"
            />
          </label>
        </div>
        <div className="card">
          <h2 className="mb-2 font-semibold">Output</h2>
          {run && (
            <Heatmap
              grid={grid}
              res={GRID}
              train={{ x: run.trainPoints.x, y: run.trainPoints.y }}
              test={{ x: run.testPoints.x, y: run.testPoints.y }}
            />
          )}
          <p className="mt-2 text-xs text-slate-500">
            Blue: class 1, orange: class 0. Filled dots are training points, rings are test points.{' '}
            {run ? `${run.parameterCount()} weights and biases.` : ''}
          </p>
        </div>
        <div className="card">
          <h2 className="mb-2 font-semibold">Loss</h2>
          <LineCanvas
            testId="loss-chart"
            series={[
              { label: 'training loss', color: '#0f172a', values: curves.train },
              { label: 'test loss', color: '#f59322', values: curves.test },
            ]}
          />
          <p className="mt-2 text-xs text-slate-500">
            Loss as in the TensorFlow Playground: ½·mean((output − label)²) with a tanh output and labels ±1, so 0.177
            means the same here as there.
          </p>
        </div>
      </div>
    </div>
  );
}
