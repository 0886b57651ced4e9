import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { connection } from 'next/server';
import { RequiresRole } from '@/components/auth/requires-role';
import { VmdkWizard } from '@/components/migrate/vmdk-wizard';
import { decodeParam } from '@/lib/api/paths';
import { dehydrated, prefetch, serverQueryClient, settle } from '@/app/_server/prefetch';

type Props = { params: Promise<{ host: string }>; searchParams: Promise<{ pool?: string; vol?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Migrate from VMware · ${(await params).host}` };
}

/** /hosts/{host}/migrate-vmdk[?pool=P&vol=V] — the guided VMware vmdk → qcow2 migration. */
export default async function MigrateVmdkPage({ params, searchParams }: Props) {
  await connection();
  const hostId = decodeParam((await params).host);
  const q = await searchParams;
  const initial = typeof q.pool === 'string' && typeof q.vol === 'string' && q.pool && q.vol ? { pool: q.pool, name: q.vol } : null;
  const qc = serverQueryClient();
  await settle([prefetch.pools(qc, hostId)]);
  return (
    <HydrationBoundary state={dehydrated(qc)}>
      <RequiresRole hostId={hostId} route="POST /api/hosts/[host]/pools/[pool]/volumes/[volume]/vmdk/[action]" params={{ action: 'convert' }} what="Migrating a VMware disk">
        <VmdkWizard key={initial ? `${initial.pool}/${initial.name}` : ''} hostId={hostId} initial={initial} />
      </RequiresRole>
    </HydrationBoundary>
  );
}
