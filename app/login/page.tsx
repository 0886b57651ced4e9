import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { LoginForm, safeNext } from '@/components/auth/login-form';
import { pagePrincipal } from '@/app/_server/prefetch';

export const metadata: Metadata = { title: 'Sign in' };

type Props = { searchParams: Promise<{ next?: string; error?: string }> };

export default async function LoginPage({ searchParams }: Props) {
  await connection();
  const { next, error } = await searchParams;
  if (await pagePrincipal()) redirect(safeNext(next));
  return (
    <main className="flex min-h-full items-center justify-center bg-zinc-50 px-4 py-16 dark:bg-zinc-950">
      <div className="w-full max-w-sm rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="text-lg font-semibold tracking-tight">KVM Storage Console</h1>
        <p className="mt-1 mb-5 text-sm text-zinc-600 dark:text-zinc-400">Sign in to manage storage on your KVM hosts.</p>
        <LoginForm next={next ?? null} error={typeof error === 'string' ? error.slice(0, 300) : null} />
      </div>
    </main>
  );
}
