import type { Metadata } from 'next';
import { AuditView } from '@/components/audit/audit-view';

export const metadata: Metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

/** No server prefetch: the records a caller may see depend on who they are, which only the API knows. */
export default function AuditPage() {
  return <AuditView />;
}
