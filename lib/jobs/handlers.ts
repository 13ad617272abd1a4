// Job kind → handler: the kinds a worker started by worker-main.ts can run. Add training workflows here.

import { demoJob } from './demo';
import type { JobHandlers } from './types';

export const jobHandlers: JobHandlers = {
  demo: demoJob,
};
