import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../lib/auth/password';
import {
  hashToken,
  MAX_FAILED_SIGNINS,
  sessionCookieOptions,
  signIn,
  signOut,
  userForToken,
} from '../../lib/auth/session';
import { config, resetConfigForTests } from '../../lib/config';
import { listAudit } from '../../lib/store/repos/audit';
import { getSession, touchSession } from '../../lib/store/repos/sessions';
import { createUser, updateUser } from '../../lib/store/repos/users';
import { openTempDb, type TempDb } from '../store/temp-db';

let t: TempDb;
let userId: string;
const PASSWORD = 'correct horse battery';

beforeEach(async () => {
  t = openTempDb();
  const u = await createUser(t.db, {
    email: 'risk@example.com',
    name: 'Risa',
    role: 'risk',
    passwordHash: await hashPassword(PASSWORD),
  });
  userId = u.id;
});
afterEach(async () => {
  await t.cleanup();
});

describe('sign-in', () => {
  it('issues a random token whose hash alone is stored, expiring after the configured days', async () => {
    const before = Date.now();
    const r = await signIn(t.db, 'risk@example.com', PASSWORD, { userAgent: 'vitest' });
    if (!r.ok) throw new Error(r.error);
    expect(r.token.length).toBeGreaterThanOrEqual(40);
    expect(await getSession(t.db, r.token)).toBeUndefined();
    const stored = await getSession(t.db, hashToken(r.token));
    expect(stored?.userId).toBe(userId);
    const days = config().NEURALFIN_SESSION_DAYS * 86_400_000;
    expect(r.expiresAt.getTime()).toBeGreaterThanOrEqual(before + days);
    expect(r.expiresAt.getTime()).toBe(stored?.expiresAt);
    expect(await userForToken(t.db, r.token)).toEqual({
      id: userId,
      email: 'risk@example.com',
      name: 'Risa',
      role: 'risk',
    });
    expect((await listAudit(t.db, { action: 'auth.signin' })).map((a) => a.userId)).toEqual([userId]);
  });

  it('refuses a wrong password or an unknown e-mail with the same message, and audits both', async () => {
    const wrong = await signIn(t.db, 'risk@example.com', 'not the password');
    const unknown = await signIn(t.db, 'nobody@example.com', PASSWORD);
    expect(wrong).toEqual({ ok: false, error: 'That e-mail and password do not match an account.' });
    expect(unknown).toEqual(wrong);
    const failed = await listAudit(t.db, { action: 'auth.signin_failed' });
    expect(failed.map((a) => a.userId).sort()).toEqual([null, userId].sort());
    expect(JSON.stringify(failed)).not.toContain(PASSWORD);
  });

  it('refuses a disabled account, audits the attempt and creates no session', async () => {
    await updateUser(t.db, userId, { disabled: true });
    const r = await signIn(t.db, 'risk@example.com', PASSWORD);
    expect(r).toEqual({ ok: false, error: 'This account is disabled. Ask an administrator.' });
    const failed = await listAudit(t.db, { action: 'auth.signin_failed' });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ userId, detail: { reason: 'disabled' } });
    const sessions = await t.db.selectFrom('sessions').selectAll().execute();
    expect(sessions).toEqual([]);
  });
});

describe('sign-in throttling', () => {
  it(`refuses an address after ${MAX_FAILED_SIGNINS} failures within 15 minutes, even with the right password; unknown addresses alike`, async () => {
    for (let i = 0; i < MAX_FAILED_SIGNINS; i++) {
      expect(await signIn(t.db, 'Risk@Example.com ', `wrong ${i}`)).toMatchObject({ ok: false, error: /do not match/ });
    }
    const locked = await signIn(t.db, 'risk@example.com', PASSWORD);
    expect(locked).toMatchObject({ ok: false, error: /Too many failed sign-ins/ });
    expect(await listAudit(t.db, { action: 'auth.signin_throttled' })).toHaveLength(1);
    expect(await t.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
    // unknown addresses are throttled the same way, so the answer does not reveal which accounts exist
    for (let i = 0; i < MAX_FAILED_SIGNINS; i++) await signIn(t.db, 'nobody@example.com', 'x');
    expect(await signIn(t.db, 'nobody@example.com', 'x')).toMatchObject({ error: /Too many failed sign-ins/ });
  });

  it('counts only failures inside the window', async () => {
    for (let i = 0; i < MAX_FAILED_SIGNINS; i++) await signIn(t.db, 'risk@example.com', 'wrong');
    // age the failures past the 15-minute window
    await t.db
      .updateTable('audit_log')
      .set({ at: Date.now() - 16 * 60_000 })
      .execute();
    expect(await signIn(t.db, 'risk@example.com', PASSWORD)).toMatchObject({ ok: true });
  });
});

describe('sessions', () => {
  async function signedIn(): Promise<string> {
    const r = await signIn(t.db, 'risk@example.com', PASSWORD);
    if (!r.ok) throw new Error(r.error);
    return r.token;
  }

  it('ignore tokens that are malformed or unknown', async () => {
    expect(await userForToken(t.db, '')).toBeNull();
    expect(await userForToken(t.db, 'short')).toBeNull();
    expect(await userForToken(t.db, 'x'.repeat(500))).toBeNull();
    expect(await userForToken(t.db, 'a'.repeat(43))).toBeNull();
  });

  it('end at expiry, and the expired session is removed', async () => {
    const token = await signedIn();
    await touchSession(t.db, hashToken(token), { expiresAt: Date.now() - 1 });
    expect(await userForToken(t.db, token)).toBeNull();
    expect(await getSession(t.db, hashToken(token))).toBeUndefined();
  });

  it('end when the user is disabled', async () => {
    const token = await signedIn();
    await updateUser(t.db, userId, { disabled: true });
    expect(await userForToken(t.db, token)).toBeNull();
    expect(await getSession(t.db, hashToken(token))).toBeUndefined();
  });

  it('are deleted and audited at sign-out; the token then signs in nobody', async () => {
    const token = await signedIn();
    const other = await signedIn();
    await signOut(t.db, token);
    expect(await getSession(t.db, hashToken(token))).toBeUndefined();
    expect(await userForToken(t.db, token)).toBeNull();
    // the user's other sign-ins (another browser) are untouched
    expect(await userForToken(t.db, other)).toMatchObject({ id: userId });
    expect((await listAudit(t.db, { action: 'auth.signout' })).map((a) => a.userId)).toEqual([userId]);
    // signing out with an unknown token is harmless and audits nothing
    await signOut(t.db, token);
    expect(await listAudit(t.db, { action: 'auth.signout' })).toHaveLength(1);
  });
});

describe('the session cookie', () => {
  it('is httpOnly, SameSite=Lax, for the whole site, and expires with the session', () => {
    const expires = new Date(Date.now() + 86_400_000);
    expect(sessionCookieOptions(expires)).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      secure: config().NEURALFIN_SECURE_COOKIES,
      path: '/',
      expires,
    });
  });

  it('is Secure when NEURALFIN_SECURE_COOKIES=true', () => {
    const before = process.env.NEURALFIN_SECURE_COOKIES;
    try {
      process.env.NEURALFIN_SECURE_COOKIES = 'true';
      resetConfigForTests();
      expect(sessionCookieOptions(new Date()).secure).toBe(true);
    } finally {
      if (before === undefined) delete process.env.NEURALFIN_SECURE_COOKIES;
      else process.env.NEURALFIN_SECURE_COOKIES = before;
      resetConfigForTests();
    }
  });
});
