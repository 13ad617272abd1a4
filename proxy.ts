// First gate for every request: without a session cookie, pages go to sign-in and API calls get 401. The session
// itself is verified on the server by app/_server/guard.ts in every page, action and route handler.

import { type NextRequest, NextResponse } from 'next/server';

const PUBLIC = ['/signin', '/_next', '/favicon.ico', '/icon.svg'];

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (PUBLIC.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return NextResponse.next();
  if (request.cookies.has('nf_session')) return NextResponse.next();
  if (pathname.startsWith('/api/')) return NextResponse.json({ error: 'Sign in first.' }, { status: 401 });
  const url = request.nextUrl.clone();
  url.pathname = '/signin';
  url.search = '';
  return NextResponse.redirect(url);
}

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
