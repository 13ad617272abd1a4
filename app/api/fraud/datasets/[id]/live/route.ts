import { z } from 'zod';
import { getFraudDataset, simulateLiveTransactions } from '@/lib/fraud';
import { getDb } from '@/lib/store/db';
import { requireApiUser } from '../../../../../_server/guard';

export const dynamic = 'force-dynamic';

const query = z.object({
  fromDay: z.coerce.number().int('fromDay must be a whole day index').min(0, 'fromDay must be ≥ 0'),
  days: z.coerce.number().int().min(1, 'days must be 1–7').max(7, 'days must be 1–7').default(1),
});

/**
 * GET /api/fraud/datasets/:id/live?fromDay=N&days=1: the simulator's transactions of those days as a CSV to score or
 * ingest (txId, customerId, terminalId, timestamp, amount) — "live traffic" continuing a simulated dataset. Days
 * inside the stored history give the stored transactions again (ingesting them is a no-op: same ids, same fields).
 * The ground truth is not included.
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await requireApiUser('fraud');
  if (user instanceof Response) return user;
  const { id } = await params;
  const url = new URL(req.url);
  const q = query.safeParse({
    fromDay: url.searchParams.get('fromDay') ?? undefined,
    days: url.searchParams.get('days') ?? undefined,
  });
  if (!q.success) return Response.json({ error: q.error.issues[0].message }, { status: 400 });
  const db = getDb();
  const ds = await getFraudDataset(db, id);
  if (ds?.status !== 'ready') return Response.json({ error: 'No fraud dataset with that id.' }, { status: 404 });
  if (q.data.fromDay > ds.days + 3650) {
    return Response.json({ error: `fromDay must be at most ${ds.days + 3650} for this dataset` }, { status: 400 });
  }
  if (ds.source !== 'simulator') {
    return Response.json({ error: `'${ds.name}' was not simulated, so it cannot be continued.` }, { status: 400 });
  }
  const { transactions } = await simulateLiveTransactions(db, id, q.data);
  const lines = ['txId,customerId,terminalId,timestamp,amount'];
  for (const t of transactions) lines.push(`${t.txId},${t.customerId},${t.terminalId},${t.timestamp},${t.amount}`);
  const name = `transactions-day-${q.data.fromDay}${q.data.days > 1 ? `-${q.data.fromDay + q.data.days - 1}` : ''}.csv`;
  return new Response(`${lines.join('\n')}\n`, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    },
  });
}
