import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { connection } from 'next/server';
import { VolumeView } from '@/components/volumes/volume-view';
import { decodeParam } from '@/lib/api/paths';
import { dehydrated, prefetch, serverQueryClient, settle } from '@/app/_server/prefetch';

type Props = { params: Promise<{ host: string; pool: string; vol: string }> };

// Next 16 hands generateMetadata its params already decoded, but the page itself percent-encoded
// (seen with a pool named "x%41y z": decoding here again would title it "xAy z").
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await params).vol };
}

export default async function VolumePage({ params }: Props) {
  await connection();
  const p = await params;
  const hostId = decodeParam(p.host);
  const pool = decodeParam(p.pool);
  const vol = decodeParam(p.vol);
  const qc = serverQueryClient();
  // Pools too: backing files are linked to their volume pages by the pool's target directory.
  await settle([prefetch.volume(qc, hostId, pool, vol), prefetch.pools(qc, hostId)]);
  return (
    <HydrationBoundary state={dehydrated(qc)}>
      <VolumeView hostId={hostId} pool={pool} vol={vol} />
    </HydrationBoundary>
  );
}
