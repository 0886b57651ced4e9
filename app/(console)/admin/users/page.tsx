import type { Metadata } from 'next';
import { connection } from 'next/server';
import { UsersView } from '@/components/admin/users-view';
import { Note } from '@/components/ui/note';
import { PageHeader } from '@/components/ui/page-header';
import { atLeast, consoleRole } from '@/lib/auth/roles';
import { pagePrincipal } from '@/app/_server/prefetch';

export const metadata: Metadata = { title: 'Users' };

/** /admin/users — users, their sessions and the grants: an admin on every host's (the API refuses anyone else too). */
export default async function UsersPage() {
  await connection();
  const p = await pagePrincipal();
  if (!atLeast(consoleRole(p?.grants ?? []), 'admin'))
    return (
      <>
        <PageHeader kicker="Administration" title="Users" />
        <Note tone="warn">Managing users and grants needs the admin role on every host.</Note>
      </>
    );
  return <UsersView />;
}
