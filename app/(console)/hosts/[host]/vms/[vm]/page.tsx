import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { connection } from 'next/server';
import { Suspense } from 'react';
import { VmView } from '@/components/domains/vm-view';
import { decodeParam } from '@/lib/api/paths';
import { dehydrated, prefetch, serverQueryClient, settle } from '@/app/_server/prefetch';

type Props = { params: Promise<{ host: string; vm: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `VM ${(await params).vm}` };
}

export default async function VmPage({ params }: Props) {
  await connection();
  const p = await params;
  const hostId = decodeParam(p.host);
  const vm = decodeParam(p.vm);
  const qc = serverQueryClient();
  await settle([prefetch.domain(qc, hostId, vm), prefetch.pools(qc, hostId)]);
  return (
    <HydrationBoundary state={dehydrated(qc)}>
      <Suspense>
        <VmView hostId={hostId} vm={vm} />
      </Suspense>
    </HydrationBoundary>
  );
}
