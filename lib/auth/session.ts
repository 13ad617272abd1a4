// Sign-in and sessions: a random token in an httpOnly cookie; the database keeps only its SHA-256, so a leaked
// database holds no usable cookie. Every page, action and route handler resolves the cookie through userForToken.

import { createHash, randomBytes } from 'node:crypto';
import { config } from '../config';
import type { Db } from '../store/db';
import { countAuditSince, writeAudit } from '../store/repos/audit';
import { createSession, deleteSession, getSessionWithUser, touchSession } from '../store/repos/sessions';
import { getUserByEmail } from '../store/repos/users';
import { verifyPassword } from './password';
import type { Role } from './roles';

export type SessionUser = { id: string; email: string; name: string; role: Role };

/**
 * How the session cookie is set: unreadable by scripts, not sent on cross-site sub-requests or form posts, Secure
 * behind HTTPS (NEURALFIN_SECURE_COOKIES), and gone when the session expires.
 */
export function sessionCookieOptions(expiresAt: Date): {
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
  path: '/';
  expires: Date;
} {
  return { httpOnly: true, sameSite: 'lax', secure: config().NEURALFIN_SECURE_COOKIES, path: '/', expires: expiresAt };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// A fixed hash to verify against when the e-mail is unknown, so both cases take the same time.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export type SignInResult =
  | { ok: true; token: string; expiresAt: Date; user: SessionUser }
  | { ok: false; error: string };

/** Failed sign-ins per e-mail address allowed within THROTTLE_WINDOW_MS before further attempts are refused. */
export const MAX_FAILED_SIGNINS = 5;
export const THROTTLE_WINDOW_MS = 15 * 60_000;

export async function signIn(
  db: Db,
  email: string,
  password: string,
  meta: { userAgent?: string } = {},
): Promise<SignInResult> {
  // Failed attempts are audited against the address tried, so guessing one account's password is throttled whether
  // or not the account exists (and the answer does not tell which).
  const attempt = { objectType: 'signin', objectId: email.trim().toLowerCase() };
  const recentFailures = await countAuditSince(db, {
    action: 'auth.signin_failed',
    ...attempt,
    since: Date.now() - THROTTLE_WINDOW_MS,
  });
  if (recentFailures >= MAX_FAILED_SIGNINS) {
    await writeAudit(db, { userId: null, action: 'auth.signin_throttled', ...attempt });
    return {
      ok: false,
      error: `Too many failed sign-ins for this e-mail address. Wait ${THROTTLE_WINDOW_MS / 60_000} minutes and try again, or ask an administrator to reset the password.`,
    };
  }
  const user = await getUserByEmail(db, email);
  const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !valid) {
    await writeAudit(db, { userId: user?.id ?? null, action: 'auth.signin_failed', ...attempt, detail: { email } });
    return { ok: false, error: 'That e-mail and password do not match an account.' };
  }
  if (user.disabled) {
    await writeAudit(db, {
      userId: user.id,
      action: 'auth.signin_failed',
      ...attempt,
      detail: { email, reason: 'disabled' },
    });
    return { ok: false, error: 'This account is disabled. Ask an administrator.' };
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = Date.now() + config().NEURALFIN_SESSION_DAYS * 86_400_000;
  await createSession(db, { id: hashToken(token), userId: user.id, expiresAt });
  await writeAudit(db, {
    userId: user.id,
    action: 'auth.signin',
    objectType: 'user',
    objectId: user.id,
    detail: { userAgent: meta.userAgent?.slice(0, 200) },
  });
  return {
    ok: true,
    token,
    expiresAt: new Date(expiresAt),
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
  };
}

/** The user behind a cookie token, or null when the session is unknown, expired or the user disabled. */
export async function userForToken(db: Db, token: string): Promise<SessionUser | null> {
  if (token.length < 20 || token.length > 100) return null;
  const id = hashToken(token);
  const found = await getSessionWithUser(db, id);
  if (!found) return null;
  const now = Date.now();
  if (found.session.expiresAt <= now || found.user.disabled) {
    await deleteSession(db, id);
    return null;
  }
  // record activity at most once a minute
  if (now - found.session.lastSeenAt > 60_000) await touchSession(db, id, { lastSeenAt: now });
  const u = found.user;
  return { id: u.id, email: u.email, name: u.name, role: u.role };
}

export async function signOut(db: Db, token: string): Promise<void> {
  const id = hashToken(token);
  const found = await getSessionWithUser(db, id);
  await deleteSession(db, id);
  if (found)
    await writeAudit(db, {
      userId: found.user.id,
      action: 'auth.signout',
      objectType: 'user',
      objectId: found.user.id,
    });
}
