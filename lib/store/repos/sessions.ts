// Sign-in sessions. The id is the sha256 (hex) of the cookie token, computed by lib/auth, so a leaked database
// does not leak usable cookies.

import type { Kysely, Selectable } from 'kysely';
import type { Database, SessionsTable } from '../schema';
import { toUser, type User } from './users';

export type Session = {
  id: string;
  userId: string;
  /** ms since epoch */
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
};

function toSession(row: Selectable<SessionsTable>): Session {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    lastSeenAt: Number(row.last_seen_at),
  };
}

export async function createSession(
  db: Kysely<Database>,
  input: { id: string; userId: string; expiresAt: number; now?: number },
): Promise<Session> {
  const now = input.now ?? Date.now();
  const row = { id: input.id, user_id: input.userId, created_at: now, expires_at: input.expiresAt, last_seen_at: now };
  await db.insertInto('sessions').values(row).execute();
  return toSession(row);
}

export async function getSession(db: Kysely<Database>, id: string): Promise<Session | undefined> {
  const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSession(row);
}

/**
 * The session and its user in one query, or undefined when the session does not exist. Expiry and the user's
 * disabled flag are left to the caller (lib/auth), which decides what each means.
 */
export async function getSessionWithUser(
  db: Kysely<Database>,
  id: string,
): Promise<{ session: Session; user: User } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.user_id',
      'sessions.created_at as session_created_at',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'users.email',
      'users.name',
      'users.role',
      'users.password_hash',
      'users.disabled',
      'users.created_at as user_created_at',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    session: toSession({
      id: row.session_id,
      user_id: row.user_id,
      created_at: row.session_created_at,
      expires_at: row.expires_at,
      last_seen_at: row.last_seen_at,
    }),
    user: toUser({
      id: row.user_id,
      email: row.email,
      name: row.name,
      role: row.role,
      password_hash: row.password_hash,
      disabled: row.disabled,
      created_at: row.user_created_at,
    }),
  };
}

/** Records activity; pass expiresAt to slide the expiry forward. */
export async function touchSession(
  db: Kysely<Database>,
  id: string,
  input: { lastSeenAt?: number; expiresAt?: number } = {},
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({
      last_seen_at: input.lastSeenAt ?? Date.now(),
      ...(input.expiresAt !== undefined ? { expires_at: input.expiresAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Signs a user out everywhere (e.g. after a password change or when disabled); returns how many were removed. */
export async function deleteUserSessions(db: Kysely<Database>, userId: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Removes sessions that expired before `now`; returns how many. */
export async function deleteExpiredSessions(db: Kysely<Database>, now = Date.now()): Promise<number> {
  const r = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
