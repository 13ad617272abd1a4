// The one place where pages, server actions and route handlers check who is signed in and what their role may use.
// Every server entry point goes through requirePageUser, defineAction or requireApiUser.

import { randomUUID } from 'node:crypto';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import type { z } from 'zod';
import { canAccess, type Section } from '@/lib/auth/roles';
import { type SessionUser, userForToken } from '@/lib/auth/session';
import { log } from '@/lib/log';
import { getDb } from '@/lib/store/db';

export const SESSION_COOKIE = 'nf_session';

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: Record<string, string[] | undefined> };

/** A failure the user can act on: its message is shown as it is. */
export class UserError extends Error {}

export async function currentUser(): Promise<SessionUser | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return userForToken(getDb(), token);
}

/** For pages: the signed-in user, or a redirect to sign-in; a role without access gets the forbidden page. */
export async function requirePageUser(section?: Section): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect('/signin');
  if (section && !canAccess(user.role, section)) redirect(`/forbidden?section=${section}`);
  return user;
}

/** For route handlers: the user, or a 401/403 JSON response to return as it is. */
export async function requireApiUser(section?: Section): Promise<SessionUser | Response> {
  const user = await currentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  if (section && !canAccess(user.role, section)) {
    return Response.json({ error: `Your role (${user.role}) cannot use ${section}.` }, { status: 403 });
  }
  return user;
}

export interface ActionContext {
  user: SessionUser;
  requestId: string;
}

/**
 * Wraps a server action: checks the session and role, validates input with zod, and turns failures into a typed
 * result. UserError messages are shown as they are; anything else is logged with a request id and shown as one short
 * sentence.
 */
export function defineAction<S extends z.ZodType, T>(
  section: Section,
  schema: S,
  handler: (input: z.infer<S>, ctx: ActionContext) => Promise<T>,
): (raw: unknown) => Promise<ActionResult<T>> {
  return async (raw: unknown) => {
    const requestId = randomUUID().slice(0, 8);
    const user = await currentUser();
    if (!user) return { ok: false, error: 'Your session has ended. Sign in again.' };
    if (!canAccess(user.role, section)) return { ok: false, error: `Your role (${user.role}) cannot do this.` };
    const parsed = schema.safeParse(raw instanceof FormData ? Object.fromEntries(raw) : raw);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.join('.') || 'form';
        if (!fieldErrors[key]) fieldErrors[key] = [];
        fieldErrors[key].push(issue.message);
      }
      const first = parsed.error.issues[0];
      const where = first.path.length ? `${first.path.join('.')}: ` : '';
      return { ok: false, error: `${where}${first.message}`, fieldErrors };
    }
    try {
      return { ok: true, data: await handler(parsed.data, { user, requestId }) };
    } catch (err) {
      if (err instanceof UserError) return { ok: false, error: err.message };
      log.error('server action failed', {
        requestId,
        userId: user.id,
        error: err instanceof Error ? err.message : String(err),
        stack: err instanceof Error ? err.stack : undefined,
      });
      return { ok: false, error: `Something went wrong on our side (reference ${requestId}).` };
    }
  };
}
