'use server';

import { z } from 'zod';
import { enqueueJob, getJob, requestCancel } from '@/lib/jobs/queue';
import { getDb } from '@/lib/store/db';
import { defineAction, UserError } from '../../_server/guard';

export const startDemoJob = defineAction(
  'jobs',
  z.object({ steps: z.coerce.number().int().min(1).max(200).default(20) }),
  async ({ steps }, { user, requestId }) => {
    const job = await enqueueJob(getDb(), { kind: 'demo', payload: { steps }, createdBy: user.id, requestId });
    return { id: job.id };
  },
);

export const cancelJob = defineAction('jobs', z.object({ id: z.string().min(1).max(100) }), async ({ id }, ctx) => {
  const db = getDb();
  const job = await getJob(db, id);
  if (!job) throw new UserError('That job does not exist.');
  if (job.createdBy !== ctx.user.id && ctx.user.role !== 'admin') {
    throw new UserError('Only the person who started a job, or an administrator, can cancel it.');
  }
  if (job.status !== 'queued' && job.status !== 'running') {
    throw new UserError(`The job has already ended (${job.status}).`);
  }
  await requestCancel(db, id, ctx.user.id, ctx.requestId);
  return { id };
});
