import type { Metadata } from 'next';
import { HydrationBoundary } from '@tanstack/react-query';
import { connection } from 'next/server';
import { Suspense, type ReactNode } from 'react';
import { Breadcrumbs } from '@/components/layout/breadcrumbs';
import { Sidebar, SidebarSkeleton } from '@/components/layout/sidebar';
import { dehydrated, prefetch, serverQueryClient, settle } from '@/app/_server/prefetch';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'KVM Storage Console', template: '%s · KVM Storage Console' },
  description: 'Storage pools, volumes and disk images on KVM hosts',
  icons: { icon: '/favicon.svg' },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: the CSP nonce (proxy.ts) is new each time, and Next can put it
  // on its scripts only while rendering (a page prerendered at build time would carry none).
  await connection();
  return (
    <html lang="en">
      <body className="bg-white font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <Providers>
          <div className="grid h-full grid-cols-[11.75rem_minmax(0,1fr)] xl:grid-cols-[14rem_minmax(0,1fr)]">
            <aside className="h-full min-h-0 border-r border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900">
              <Suspense fallback={<SidebarSkeleton />}>
                <SidebarWithHosts />
              </Suspense>
            </aside>
            <div className="flex h-full min-h-0 min-w-0 flex-col">
              <header className="flex h-11 shrink-0 items-center border-b border-zinc-200 px-4 xl:px-5 dark:border-zinc-800">
                <Breadcrumbs />
              </header>
              <main id="main" className="min-h-0 flex-1 overflow-auto px-4 py-4 xl:px-5">
                {children}
              </main>
            </div>
          </div>
        </Providers>
      </body>
    </html>
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
