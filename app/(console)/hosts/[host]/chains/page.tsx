import type { Metadata } from 'next';
import { ChainsView } from '@/components/volumes/chains-view';
import { decodeParam } from '@/lib/api/paths';

type Props = { params: Promise<{ host: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Backing chains on ${(await params).host}` };
}

export default async function ChainsPage({ params }: Props) {
  const p = await params;
  return <ChainsView hostId={decodeParam(p.host)} />;
}
