// Job kind → handler: the kinds a worker started by worker-main.ts can run. Add training workflows here.

import { CREDIT_TRAIN_JOB_KIND, creditTrainJob } from './credit';
import { demoJob } from './demo';
import { FORECAST_JOB_KIND, FORECAST_SAVE_JOB_KIND, forecastBacktestJob, forecastSaveJob } from './forecast';
import { FRAUD_SIMULATE_JOB_KIND, FRAUD_TRAIN_JOB_KIND, fraudSimulateJob, fraudTrainJob } from './fraud';
import type { JobHandlers } from './types';

export const jobHandlers: JobHandlers = {
  demo: demoJob,
  [CREDIT_TRAIN_JOB_KIND]: creditTrainJob,
  [FRAUD_SIMULATE_JOB_KIND]: fraudSimulateJob,
  [FRAUD_TRAIN_JOB_KIND]: fraudTrainJob,
  [FORECAST_JOB_KIND]: forecastBacktestJob,
  [FORECAST_SAVE_JOB_KIND]: forecastSaveJob,
};
