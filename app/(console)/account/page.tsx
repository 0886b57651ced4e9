import type { Metadata } from 'next';
import { AccountView } from '@/components/account/account-view';

export const metadata: Metadata = { title: 'Your account' };
export const dynamic = 'force-dynamic';

/** /account — who I am, my role per host, my sessions, my API tokens (the layout has prefetched /api/me). */
export default function AccountPage() {
  return <AccountView />;
}
