// What the fraud job page and its poll route send to the progress component: the job's view and, once it has
// succeeded, what it made (the simulated dataset, or the trained model and its run). Pure: no database access.

import type { FraudSimulateResult, FraudTrainingReport } from '@/lib/fraud';
import type { Job } from '@/lib/jobs/types';
import { type JobView, toJobView } from '../../_server/views';

export type FraudJobState = {
  job: JobView;
  /** 'fraud.simulate' result */
  dataset: { id: string; name: string; transactions: number; frauds: number; fraudRate: number } | null;
  /** 'fraud.train' result */
  model: {
    id: string;
    runId: string;
    datasetId: string;
    alertsCreated: number | null;
    triageLabelsInTraining: number;
  } | null;
};

export function fraudJobState(job: Job): FraudJobState {
  const { result, ...summary } = job;
  const ok = job.status === 'succeeded' && result !== null && typeof result === 'object';
  let dataset: FraudJobState['dataset'] = null;
  let model: FraudJobState['model'] = null;
  if (ok && job.kind === 'fraud.simulate') {
    const r = result as FraudSimulateResult;
    dataset = {
      id: r.datasetId,
      name: r.name,
      transactions: r.stats.transactions,
      frauds: r.stats.frauds,
      fraudRate: r.stats.fraudRate,
    };
  } else if (ok && job.kind === 'fraud.train') {
    const r = result as FraudTrainingReport;
    model = {
      id: r.modelId,
      runId: r.runId,
      datasetId: r.datasetId,
      alertsCreated: r.alerts?.created ?? null,
      triageLabelsInTraining: r.labelSources.train.triage,
    };
  }
  return { job: toJobView(summary), dataset, model };
}
