import { HydrationBoundary } from '@tanstack/react-query';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { Suspense, type ReactNode } from 'react';
import { Breadcrumbs } from '@/components/layout/breadcrumbs';
import { Sidebar, SidebarSkeleton } from '@/components/layout/sidebar';
import { UserMenu } from '@/components/auth/user-menu';
import { dehydrated, pagePrincipal, prefetch, serverQueryClient, settle } from '@/app/_server/prefetch';
import { PATH_HEADER } from '@/lib/api/request-headers';

/** The console's pages: signed in only (proxy.ts sends a browser without a session cookie to /login; this checks the session itself). */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  await connection();
  const principal = await pagePrincipal();
  if (!principal) {
    const path = (await headers()).get(PATH_HEADER) ?? '/';
    redirect(`/login?next=${encodeURIComponent(path)}`);
  }
  const qc = serverQueryClient();
  await settle([prefetch.me(qc)]);
  return (
    <HydrationBoundary state={dehydrated(qc)}>
      <div className="grid h-full grid-cols-[11.75rem_minmax(0,1fr)] xl:grid-cols-[14rem_minmax(0,1fr)]">
        <aside className="h-full min-h-0 border-r border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900">
          <Suspense fallback={<SidebarSkeleton />}>
            <SidebarWithHosts />
          </Suspense>
        </aside>
        <div className="flex h-full min-h-0 min-w-0 flex-col">
          <header className="flex h-11 shrink-0 items-center gap-3 border-b border-zinc-200 px-4 xl:px-5 dark:border-zinc-800">
            <div className="min-w-0 flex-1">
              <Breadcrumbs />
            </div>
            <UserMenu />
          </header>
          <main id="main" className="min-h-0 flex-1 overflow-auto px-4 py-4 xl:px-5">
            {children}
          </main>
        </div>
      </div>
    </HydrationBoundary>
  );
}

/** The sidebar's host list streams in on its own so a slow host never holds up the page. */
async function SidebarWithHosts() {
  await connection();
  const qc = serverQueryClient();
  await settle([prefetch.hosts(qc)]);
  return (
    <HydrationBoundary state={dehydrated(qc)}>
      <Sidebar />
    </HydrationBoundary>
  );
}
