import { NextResponse } from 'next/server';
import { api } from '@/server/route';

/** Any /api path no route serves answers JSON, like every other API error. */
function notFound(req: Request) {
  const { pathname } = new URL(req.url);
  return NextResponse.json({ error: { code: 'not-found', message: `No API route ${req.method} ${pathname}; see docs/API.md` } }, { status: 404 });
}

export const { GET, POST, PUT, PATCH, DELETE } = api('/api/[...path]', { GET: notFound, POST: notFound, PUT: notFound, PATCH: notFound, DELETE: notFound });
