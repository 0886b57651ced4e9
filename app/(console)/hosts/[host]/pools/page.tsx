import { redirect } from 'next/navigation';
import { pageHrefs, decodeParam } from '@/lib/api/paths';

/** The host page is the pools list; keep hand-edited URLs working. */
export default async function PoolsIndex({ params }: { params: Promise<{ host: string }> }) {
  const { host } = await params;
  redirect(pageHrefs.host(decodeParam(host)));
}
