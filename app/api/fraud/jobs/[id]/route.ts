import { FRAUD_SIMULATE_JOB_KIND, FRAUD_TRAIN_JOB_KIND } from '@/lib/fraud';
import { getJob } from '@/lib/jobs/queue';
import { getDb } from '@/lib/store/db';
import { fraudJobState } from '../../../../_components/fraud/jobState';
import { requireApiUser } from '../../../../_server/guard';

export const dynamic = 'force-dynamic';

/** GET /api/fraud/jobs/:id: one simulation or training job with its latest progress and, once done, what it made. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await requireApiUser('fraud');
  if (user instanceof Response) return user;
  const { id } = await params;
  const job = await getJob(getDb(), id);
  if (!job || (job.kind !== FRAUD_SIMULATE_JOB_KIND && job.kind !== FRAUD_TRAIN_JOB_KIND)) {
    return Response.json({ error: 'No fraud job with that id.' }, { status: 404 });
  }
  return Response.json(fraudJobState(job));
}
