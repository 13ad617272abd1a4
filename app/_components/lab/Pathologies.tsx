'use client';

import { useState } from 'react';
import {
  batchNormHighLr,
  deadRelus,
  dropoutOverfit,
  explodingGradients,
  vanishingGradients,
} from '@/lib/lab/pathologies';
import { LineCanvas, type Series } from './LineCanvas';

const PALETTE = ['#1d4ed8', '#f59322', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#65a30d', '#db2777', '#475569'];

type Panel = { series: Series[]; notes: string[]; logY?: boolean; yLabel: string };

function Experiment({
  id,
  title,
  idea,
  run,
}: {
  id: string;
  title: string;
  idea: string;
  run: (progress: (msg: string) => void) => Promise<Panel[]>;
}) {
  const [panels, setPanels] = useState<Panel[] | null>(null);
  const [status, setStatus] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const start = async () => {
    setBusy(true);
    setStatus('training…');
    try {
      setPanels(await run((m) => setStatus(m)));
      setStatus('done');
    } catch (e) {
      setStatus(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card space-y-3" data-testid={`pathology-${id}`}>
      <div className="flex items-start justify-between gap-4">
        <div>
          <h2 className="font-semibold">{title}</h2>
          <p className="text-sm text-slate-600">{idea}</p>
        </div>
        <button type="button" className="btn shrink-0" onClick={start} disabled={busy}>
          {panels ? 'Run again' : 'Run'}
        </button>
      </div>
      <p className="text-xs text-slate-500" data-testid={`pathology-${id}-status`}>
        {status}
      </p>
      {panels && (
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          {panels.map((p) => (
            <div key={p.yLabel}>
              <LineCanvas series={p.series} logY={p.logY} yLabel={p.yLabel} />
              <ul className="mt-1 text-xs text-slate-600">
                {p.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

export function Pathologies() {
  return (
    <div className="space-y-4">
      <Experiment
        id="vanishing"
        title="Vanishing gradients"
        idea="The same 10-hidden-layer net on the circle data with sigmoid, tanh and ReLU. Each sigmoid multiplies the backward signal by at most 0.25, so layers near the input barely learn."
        run={async (progress) => {
          const panels: Panel[] = [];
          for (const act of ['sigmoid', 'tanh', 'relu'] as const) {
            progress(`training the ${act} net…`);
            const r = await vanishingGradients(act);
            const last = r.norms.map((n) => n[n.length - 1]);
            panels.push({
              yLabel: `${act}: gradient norm per layer (log), by epoch`,
              logY: true,
              series: r.norms.map((n, i) => ({
                label: i === 0 ? 'layer 1 (input side)' : i === r.norms.length - 1 ? 'output layer' : `layer ${i + 1}`,
                color: PALETTE[i % PALETTE.length],
                values: n,
              })),
              notes: [
                `first / last layer gradient norm: ${(last[0] / last[last.length - 1]).toExponential(2)}`,
                `final training loss ${r.loss.at(-1)?.toFixed(3)}`,
              ],
            });
          }
          return panels;
        }}
      />
      <Experiment
        id="exploding"
        title="Exploding gradients and clipping"
        idea="A deep ReLU net whose weights start 2.5× too large. Without clipping the first updates overflow; clipping the global gradient norm to 1 bounds every step."
        run={async (progress) => {
          progress('training without clipping…');
          const plain = await explodingGradients(null);
          progress('training with clipping…');
          const clipped = await explodingGradients(1);
          return [
            {
              yLabel: 'training loss by epoch (log)',
              logY: true,
              series: [
                { label: 'no clipping', color: PALETTE[3], values: plain.loss },
                { label: 'clip norm 1', color: PALETTE[0], values: clipped.loss },
              ],
              notes: [
                `no clipping: ${plain.stopReason === 'diverged' ? `diverged after ${plain.loss.length} epochs (loss became NaN/∞)` : plain.stopReason}`,
                `clip norm 1: ${clipped.stopReason}, final loss ${clipped.loss.at(-1)?.toFixed(3)}`,
              ],
            },
            {
              yLabel: 'global gradient norm before clipping (log)',
              logY: true,
              series: [{ label: 'clip norm 1', color: PALETTE[0], values: clipped.gradNorm }],
              notes: ['The raw gradient stays huge; clipping only limits the step it causes.'],
            },
          ];
        }}
      />
      <Experiment
        id="dead-relu"
        title="Dead ReLUs at a high learning rate"
        idea="A ReLU unit whose input is negative for every sample outputs 0 and gets no gradient, so it never recovers. Large steps push many units there."
        run={async (progress) => {
          progress('learning rate 0.01…');
          const low = await deadRelus(0.01);
          progress('learning rate 1…');
          const high = await deadRelus(1);
          return [
            {
              yLabel: 'share of dead hidden units by epoch',
              series: [
                { label: 'lr 0.01', color: PALETTE[0], values: low.deadShare },
                { label: 'lr 1', color: PALETTE[3], values: high.deadShare },
              ],
              notes: [
                `lr 0.01: ${(100 * (low.deadShare.at(-1) ?? 0)).toFixed(0)}% dead`,
                `lr 1: ${(100 * (high.deadShare.at(-1) ?? 0)).toFixed(0)}% dead`,
              ],
            },
          ];
        }}
      />
      <Experiment
        id="dropout"
        title="Dropout against over-fitting"
        idea="A wide net on only 40 noisy points memorises them. Dropout (rate 0.5) randomly silences units while training, so the net cannot rely on any one of them."
        run={async (progress) => {
          progress('without dropout…');
          const plain = await dropoutOverfit(0);
          progress('with dropout 0.5…');
          const drop = await dropoutOverfit(0.5);
          return [plain, drop].map((r) => ({
            yLabel: `dropout ${r.dropout}: loss by epoch`,
            series: [
              { label: 'training', color: PALETTE[8], values: r.trainLoss },
              { label: 'test', color: PALETTE[1], values: r.testLoss },
            ],
            notes: [
              `final training loss ${r.trainLoss.at(-1)?.toFixed(3)}, test loss ${r.testLoss.at(-1)?.toFixed(3)}`,
              `accuracy: training ${(100 * r.trainAccuracy).toFixed(0)}%, test ${(100 * r.testAccuracy).toFixed(0)}%`,
            ],
          }));
        }}
      />
      <Experiment
        id="batchnorm"
        title="Batch norm at a high learning rate"
        idea="Four ReLU layers trained with plain SGD at learning rate 1. Normalising each layer's inputs over the batch keeps activations in range, so the large steps stay stable."
        run={async (progress) => {
          progress('without batch norm…');
          const plain = await batchNormHighLr(false);
          progress('with batch norm…');
          const bn = await batchNormHighLr(true);
          return [
            {
              yLabel: 'training loss by epoch',
              series: [
                { label: 'plain', color: PALETTE[3], values: plain.loss },
                { label: 'batch norm', color: PALETTE[0], values: bn.loss },
              ],
              notes: [
                `plain: ${plain.stopReason === 'diverged' ? 'diverged in the first epoch' : `accuracy ${(100 * plain.accuracy).toFixed(0)}%`}`,
                `batch norm: accuracy ${(100 * bn.accuracy).toFixed(0)}%`,
              ],
            },
          ];
        }}
      />
    </div>
  );
}
