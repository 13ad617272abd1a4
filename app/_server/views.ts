// Plain, serialisable shapes that pages and route handlers send to client components.

import type { JobSummary } from '@/lib/jobs/types';

export type JobView = {
  id: string;
  kind: string;
  status: string;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
  cancelRequested: boolean;
  createdBy: string | null;
  progress: {
    pct: number | null;
    stage?: string;
    message?: string;
    epoch?: number;
    epochs?: number;
    loss?: number;
    fold?: number;
    folds?: number;
  } | null;
};

export function toJobView(j: JobSummary): JobView {
  const p = j.progress;
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    createdAt: j.createdAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    error: j.error,
    cancelRequested: j.cancelRequested,
    createdBy: j.createdBy,
    progress: p
      ? {
          pct: j.status === 'succeeded' ? 100 : (p.pct ?? null),
          stage: p.stage,
          message: p.message,
          epoch: p.epoch,
          epochs: p.epochs,
          loss: p.loss,
          fold: p.fold,
          folds: p.folds,
        }
      : j.status === 'succeeded'
        ? { pct: 100 }
        : null,
  };
}
