import { getBatchFiles } from '@/lib/credit/batchFiles';
import { requireApiUser } from '../../../../../_server/guard';

export const dynamic = 'force-dynamic';

const FILES = { 'results.csv': 'resultCsv', 'errors.csv': 'errorCsv' } as const;

/** GET /api/credit/batches/:id/results.csv | errors.csv: the scored file or the per-row error report of a batch. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string; file: string }> }) {
  const user = await requireApiUser('credit');
  if (user instanceof Response) return user;
  const { id, file } = await params;
  if (!(file in FILES)) return Response.json({ error: 'Ask for results.csv or errors.csv.' }, { status: 404 });
  const batch = getBatchFiles(id);
  if (!batch) {
    return Response.json(
      {
        error:
          'The files of this batch are no longer held (they are kept for 24 hours while the server runs). ' +
          'Its decisions are stored; score the file again to get new files.',
      },
      { status: 404 },
    );
  }
  const base =
    batch.fileName
      .replace(/\.[^.]*$/, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .slice(0, 80) || 'applications';
  const suffix = file === 'results.csv' ? 'scored' : 'errors';
  return new Response(batch[FILES[file as keyof typeof FILES]], {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${base}-${suffix}.csv"`,
      'cache-control': 'no-store',
    },
  });
}
