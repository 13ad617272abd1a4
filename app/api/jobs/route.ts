import { listJobs } from '@/lib/jobs/queue';
import { getDb } from '@/lib/store/db';
import { requireApiUser } from '../../_server/guard';
import { toJobView } from '../../_server/views';

export const dynamic = 'force-dynamic';

/** GET /api/jobs: the 50 newest jobs with their latest progress, for the Jobs page to poll. */
export async function GET(): Promise<Response> {
  const user = await requireApiUser('jobs');
  if (user instanceof Response) return user;
  const jobs = await listJobs(getDb(), { limit: 50 });
  return Response.json({ jobs: jobs.map(toJobView), now: Date.now() });
}
