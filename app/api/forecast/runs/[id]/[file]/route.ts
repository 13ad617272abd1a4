import { metricsCsv, predictionsCsv } from '@/lib/forecast/summary';
import { getDb } from '@/lib/store/db';
import { getForecastRun } from '@/lib/store/repos/forecast';
import { requireApiUser } from '../../../../../_server/guard';

export const dynamic = 'force-dynamic';

const FILES = {
  'predictions.csv': predictionsCsv,
  'metrics.csv': metricsCsv,
} as const;

/** GET /api/forecast/runs/:id/predictions.csv | metrics.csv: a backtest run's predictions or metrics as CSV. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string; file: string }> }) {
  const user = await requireApiUser('forecast');
  if (user instanceof Response) return user;
  const { id, file } = await params;
  const make = FILES[file as keyof typeof FILES];
  if (!make) return Response.json({ error: 'Ask for predictions.csv or metrics.csv.' }, { status: 404 });
  const run = await getForecastRun(getDb(), id);
  if (!run) return Response.json({ error: 'No run with that id.' }, { status: 404 });
  const slug =
    run.name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'run';
  return new Response(make(run.result), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${slug}-${file}"`,
      'Cache-Control': 'no-store',
    },
  });
}
