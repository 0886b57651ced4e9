import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { connection } from 'next/server';
import { VmList } from '@/components/domains/vm-list';
import { decodeParam } from '@/lib/api/paths';
import { dehydrated, prefetch, serverQueryClient, settle } from '@/app/_server/prefetch';

type Props = { params: Promise<{ host: string }> };

// Next 16 hands generateMetadata its params already decoded, but the page itself percent-encoded
// (seen with a pool named "x%41y z": decoding here again would title it "xAy z").
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `VMs on ${(await params).host}` };
}

export default async function VmsPage({ params }: Props) {
  await connection();
  const hostId = decodeParam((await params).host);
  const qc = serverQueryClient();
  await settle([prefetch.host(qc, hostId), prefetch.domains(qc, hostId), prefetch.pools(qc, hostId)]);
  return (
    <HydrationBoundary state={dehydrated(qc)}>
      <VmList hostId={hostId} />
    </HydrationBoundary>
  );
}
