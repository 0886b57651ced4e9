import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { connection } from 'next/server';
import { RequiresRole } from '@/components/auth/requires-role';
import { PoolWizard } from '@/components/pools/wizard/pool-wizard';
import { decodeParam } from '@/lib/api/paths';
import { dehydrated, prefetch, serverQueryClient, settle } from '@/app/_server/prefetch';

type Props = { params: Promise<{ host: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `New pool on ${(await params).host}` };
}

/** /hosts/{host}/new-pool — the pool-creation wizard (outside pools/, so a pool named "new" keeps its page). */
export default async function NewPoolPage({ params }: Props) {
  await connection();
  const hostId = decodeParam((await params).host);
  const qc = serverQueryClient();
  await settle([prefetch.pools(qc, hostId)]);
  return (
    <HydrationBoundary state={dehydrated(qc)}>
      <RequiresRole hostId={hostId} route="POST /api/hosts/[host]/pools" what="Creating a pool">
        <PoolWizard hostId={hostId} />
      </RequiresRole>
    </HydrationBoundary>
  );
}
