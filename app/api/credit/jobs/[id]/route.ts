import { CREDIT_TRAIN_JOB_KIND, type CreditTrainJobResult } from '@/lib/jobs/credit';
import { getJob } from '@/lib/jobs/queue';
import { getDb } from '@/lib/store/db';
import { requireApiUser } from '../../../../_server/guard';
import { toJobView } from '../../../../_server/views';

export const dynamic = 'force-dynamic';

/** GET /api/credit/jobs/:id: one credit training job with its latest progress, and the model id once it succeeded. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await requireApiUser('credit');
  if (user instanceof Response) return user;
  const { id } = await params;
  const job = await getJob(getDb(), id);
  if (!job || job.kind !== CREDIT_TRAIN_JOB_KIND) {
    return Response.json({ error: 'No credit training job with that id.' }, { status: 404 });
  }
  const { result, ...summary } = job;
  const r = job.status === 'succeeded' ? (result as CreditTrainJobResult | null) : null;
  return Response.json({ job: toJobView(summary), modelId: r?.modelId ?? null, modelName: r?.name ?? null });
}
