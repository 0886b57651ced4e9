import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
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
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
