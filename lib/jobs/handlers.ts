// Job kind → handler: the kinds a worker started by worker-main.ts can run. Add training workflows here.

import { CREDIT_TRAIN_JOB_KIND, creditTrainJob } from './credit';
import { demoJob } from './demo';
import { fraudSimulateJob, fraudTrainJob } from './fraud';
import { FORECAST_JOB_KIND, forecastBacktestJob } from './forecast';
import type { JobHandlers } from './types';

export const jobHandlers: JobHandlers = {
  demo: demoJob,
  [CREDIT_TRAIN_JOB_KIND]: creditTrainJob,
  'fraud.simulate': fraudSimulateJob,
  'fraud.train': fraudTrainJob,
  [FORECAST_JOB_KIND]: forecastBacktestJob,
};
