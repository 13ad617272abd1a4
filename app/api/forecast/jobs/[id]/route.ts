import { FORECAST_JOB_KIND, type ForecastJobResult } from '@/lib/jobs/forecast';
import { getJob, listJobProgress } from '@/lib/jobs/queue';
import { getDb } from '@/lib/store/db';
import { lossPoints, toForecastJobView } from '../../../../_components/forecast/jobView';
import { requireApiUser } from '../../../../_server/guard';

export const dynamic = 'force-dynamic';

/**
 * GET /api/forecast/jobs/:id?after=<entry id>: one backtest job with its latest progress, the progress entries
 * recorded after `after` as loss-curve points (the page keeps the rest), and the run id once it succeeded.
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await requireApiUser('forecast');
  if (user instanceof Response) return user;
  const { id } = await params;
  const db = getDb();
  const job = await getJob(db, id);
  if (!job || job.kind !== FORECAST_JOB_KIND) {
    return Response.json({ error: 'No backtest job with that id.' }, { status: 404 });
  }
  const asked = Number(new URL(req.url).searchParams.get('after') ?? 0);
  const after = Number.isInteger(asked) && asked > 0 ? asked : 0;
  const entries = await listJobProgress(db, id, { afterId: after, limit: 500 });
  const { result, ...summary } = job;
  return Response.json({
    ...toForecastJobView(summary, job.status === 'succeeded' ? (result as ForecastJobResult | null) : null),
    points: lossPoints(entries),
    lastEntryId: entries.length > 0 ? entries[entries.length - 1].id : after,
  });
}
