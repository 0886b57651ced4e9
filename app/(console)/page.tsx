import { HydrationBoundary } from '@tanstack/react-query';
import { connection } from 'next/server';
import { HostsOverview } from '@/components/hosts/hosts-overview';
import { hostKeys } from '@/lib/api/keys';
import type { HostDto } from '@/lib/schemas';
import { dehydrated, prefetch, serverQueryClient, settle } from '@/app/_server/prefetch';

export default async function OverviewPage() {
  await connection();
  const qc = serverQueryClient();
  await settle([prefetch.hosts(qc)]);
  const hosts = qc.getQueryData<HostDto[]>(hostKeys.list()) ?? [];
  // Pool fill bars on each card: only for hosts that answered.
  await settle(hosts.filter((h) => h.status === 'ok').map((h) => prefetch.pools(qc, h.id)), 1500);
  return (
    <HydrationBoundary state={dehydrated(qc)}>
      <HostsOverview />
    </HydrationBoundary>
  );
}
