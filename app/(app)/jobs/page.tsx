import { listJobs } from '@/lib/jobs/queue';
import { getDb } from '@/lib/store/db';
import { requirePageUser } from '../../_server/guard';
import { toJobView } from '../../_server/views';
import { JobsTable } from './JobsTable';

export default async function JobsPage() {
  const user = await requirePageUser('jobs');
  const jobs = await listJobs(getDb(), { limit: 50 });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Jobs</h1>
        <p className="text-sm text-slate-500">
          Training and backtests run in worker processes; this list refreshes every second.
        </p>
      </div>
      <JobsTable initial={jobs.map(toJobView)} userId={user.id} isAdmin={user.role === 'admin'} />
    </div>
  );
}
