'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { sessionCookieOptions, signIn, signOut } from '@/lib/auth/session';
import { getDb } from '@/lib/store/db';
import { SESSION_COOKIE } from '../_server/guard';

const SignIn = z.object({
  email: z.string().trim().toLowerCase().email('Enter a valid email address.'),
  password: z.string().min(1, 'Enter your password.'),
});

export type SignInState = { error?: string; email?: string };

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const parsed = SignIn.safeParse(Object.fromEntries(form));
  const email = String(form.get('email') ?? '');
  if (!parsed.success) return { error: parsed.error.issues[0].message, email };
  const ua = (await headers()).get('user-agent') ?? '';
  const res = await signIn(getDb(), parsed.data.email, parsed.data.password, { userAgent: ua });
  if (!res.ok) return { error: res.error, email };
  (await cookies()).set(SESSION_COOKIE, res.token, sessionCookieOptions(res.expiresAt));
  redirect('/');
}

export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) await signOut(getDb(), token);
  jar.delete(SESSION_COOKIE);
  redirect('/signin');
}
