import { redirect } from 'next/navigation';
import { pageHrefs, decodeParam } from '@/lib/api/paths';

/** The pool page lists its volumes. */
export default async function VolumesIndex({ params }: { params: Promise<{ host: string; pool: string }> }) {
  const { host, pool } = await params;
  redirect(pageHrefs.pool(decodeParam(host), decodeParam(pool)));
}
