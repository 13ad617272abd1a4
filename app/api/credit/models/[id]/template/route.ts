import Papa from 'papaparse';
import { loadCreditModel } from '@/lib/credit/creditModels';
import { getDb } from '@/lib/store/db';
import { requireApiUser } from '../../../../../_server/guard';

export const dynamic = 'force-dynamic';

/** GET /api/credit/models/:id/template: a CSV with the model's columns and one row, the typical applicant. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await requireApiUser('credit');
  if (user instanceof Response) return user;
  const { id } = await params;
  const model = await loadCreditModel(getDb(), id);
  if (!model) return Response.json({ error: 'No credit model with that id.' }, { status: 404 });
  const names = model.bundle.features.map((f) => f.name);
  const typical = names.map((n) => {
    const v = model.bundle.reference[n];
    return v === null || v === undefined ? '' : String(v);
  });
  return new Response(Papa.unparse({ fields: names, data: [typical] }), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="applications-template.csv"',
      'cache-control': 'private, no-store',
    },
  });
}
