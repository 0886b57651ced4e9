import { NextResponse } from 'next/server';

/** Any /api path no route serves answers JSON, like every other API error. */
function notFound(req: Request) {
  const { pathname } = new URL(req.url);
  return NextResponse.json({ error: { code: 'not-found', message: `No API route ${req.method} ${pathname}; see docs/API.md` } }, { status: 404 });
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
