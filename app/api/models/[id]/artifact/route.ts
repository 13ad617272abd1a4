import { canAccessModel, modelSection } from '@/lib/auth/roles';
import { getDb } from '@/lib/store/db';
import { getModel, getModelArtifact } from '@/lib/store/repos/models';
import { requireApiUser } from '../../../../_server/guard';

export const dynamic = 'force-dynamic';

/**
 * GET /api/models/:id/artifact: the model file (manifest + weights) as saved by the engine. Every role may list the
 * models, but only the roles of a model's area may download its file (a credit model: risk and admin; see
 * modelSection in lib/auth/roles.ts).
 */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await requireApiUser('models');
  if (user instanceof Response) return user;
  const { id } = await params;
  const db = getDb();
  const model = await getModel(db, id);
  if (!model) return Response.json({ error: 'No model with that id.' }, { status: 404 });
  if (!canAccessModel(user.role, model.kind)) {
    return Response.json(
      { error: `Your role (${user.role}) cannot download models of the ${modelSection(model.kind)} area.` },
      { status: 403 },
    );
  }
  const artifact = await getModelArtifact(db, id);
  if (!artifact) return Response.json({ error: 'This model has no stored artifact.' }, { status: 404 });
  const safeName = model.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'model';
  return new Response(Buffer.from(artifact), {
    headers: {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${safeName}.nfmodel"`,
      'cache-control': 'private, no-store',
    },
  });
}
