import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { connection } from 'next/server';
import { PoolView } from '@/components/pools/pool-view';
import { decodeParam } from '@/lib/api/paths';
import { dehydrated, prefetch, serverQueryClient, settle } from '@/app/_server/prefetch';

type Props = { params: Promise<{ host: string; pool: string }> };

// Next 16 hands generateMetadata its params already decoded, but the page itself percent-encoded
// (seen with a pool named "x%41y z": decoding here again would title it "xAy z").
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const p = await params;
  return { title: `${p.pool} on ${p.host}` };
}

export default async function PoolPage({ params }: Props) {
  await connection();
  const p = await params;
  const hostId = decodeParam(p.host);
  const pool = decodeParam(p.pool);
  const qc = serverQueryClient();
  // Volumes even for the Details tab (switching tabs is then instant); the pool list for the sidebar.
  await settle([prefetch.pool(qc, hostId, pool), prefetch.volumes(qc, hostId, pool), prefetch.pools(qc, hostId)]);
  return (
    <HydrationBoundary state={dehydrated(qc)}>
      <PoolView hostId={hostId} poolName={pool} />
    </HydrationBoundary>
  );
}
