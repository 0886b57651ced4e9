'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useHosts } from '@/lib/api/hosts';
import { hostKeys } from '@/lib/api/keys';
import { useIsConsoleAdmin } from '@/lib/api/me';
import { poolsQuery } from '@/lib/api/pools';
import { pageHrefs } from '@/lib/api/paths';
import { naturalCompare } from '@/lib/natural-sort';
import type { HostDto, PoolDto } from '@/lib/schemas';
import { StatusDot } from '@/components/ui/status-dot';

/** What the sidebar shows while the host list streams in: no query observers (see PoolLinks). */
export function SidebarSkeleton() {
  return (
    <div className="flex flex-col gap-4 px-2 py-3 text-sm" aria-busy="true">
      <span className="px-2 text-[0.9375rem] font-semibold tracking-tight">KVM Storage Console</span>
      <p className="px-2 text-xs text-zinc-500">Loading hosts…</p>
    </div>
  );
}

/** Left navigation: Overview, then each host (status dot) expanding to its Pools and VMs; Jobs and the Audit log. */
export function Sidebar() {
  const pathname = usePathname();
  const hosts = useHosts();
  const consoleAdmin = useIsConsoleAdmin();
  const headingId = useId();
  return (
    <nav aria-label="Main" className="flex h-full flex-col gap-4 overflow-y-auto px-2 py-3 text-sm">
      <Link href="/" className="px-2 text-sm font-semibold tracking-tight whitespace-nowrap text-zinc-900 xl:text-[0.9375rem] dark:text-zinc-50">
        KVM Storage Console
      </Link>
      <ul>
        <li>
          <NavLink href={pageHrefs.overview()} current={pathname === '/'}>
            Overview
          </NavLink>
        </li>
      </ul>
      <div>
        <h2 id={headingId} className="px-2 pb-1 text-[0.6875rem] font-semibold tracking-wider text-zinc-500 uppercase dark:text-zinc-400">
          Hosts
        </h2>
        {hosts.isPending ? (
          <p className="px-2 text-xs text-zinc-500">Loading hosts…</p>
        ) : hosts.error ? (
          <p className="px-2 text-xs text-red-700 dark:text-red-400" role="alert">
            Could not list hosts: {hosts.error.message}
          </p>
        ) : hosts.data.length === 0 ? (
          <p className="px-2 text-xs text-zinc-500">No hosts in the inventory.</p>
        ) : (
          <ul aria-labelledby={headingId} className="space-y-0.5">
            {hosts.data.map((h) => (
              <HostItem key={h.id} host={h} pathname={pathname} />
            ))}
          </ul>
        )}
      </div>
      <ul>
        <li>
          <NavLink href={pageHrefs.jobs()} current={pathname === pageHrefs.jobs()}>
            Jobs
          </NavLink>
        </li>
        <li>
          <NavLink href={pageHrefs.audit()} current={pathname === pageHrefs.audit()}>
            Audit log
          </NavLink>
        </li>
        {consoleAdmin && (
          <li>
            <NavLink href={pageHrefs.users()} current={pathname === pageHrefs.users()}>
              Users
            </NavLink>
          </li>
        )}
      </ul>
    </nav>
  );
}

function HostItem({ host, pathname }: { host: HostDto; pathname: string }) {
  const hostHref = pageHrefs.host(host.id);
  const inside = pathname === hostHref || pathname.startsWith(`${hostHref}/`);
  // Expanded while the user is inside the host; a click overrides that until they enter or leave it.
  const [override, setOverride] = useState<boolean | null>(null);
  const [wasInside, setWasInside] = useState(inside);
  if (wasInside !== inside) {
    setWasInside(inside);
    setOverride(null);
  }
  const open = override ?? inside;
  const listId = useId();
  const qc = useQueryClient();
  function toggle() {
    // A click comes after hydration, so fetching here cannot race a page's prefetched pools.
    if (!open && host.status === 'ok') void qc.prefetchQuery(poolsQuery(host.id));
    setOverride(!open);
  }
  return (
    <li>
      <div className="flex items-center">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={listId}
          aria-label={`${open ? 'Collapse' : 'Expand'} ${host.id}`}
          onClick={toggle}
          className="grid size-6 shrink-0 place-items-center rounded text-zinc-500 hover:bg-zinc-200 dark:hover:bg-zinc-800"
        >
          <svg viewBox="0 0 16 16" className={`size-3 transition-transform ${open ? 'rotate-90' : ''}`} aria-hidden="true">
            <path d="M6 3l5 5-5 5" fill="none" stroke="currentColor" strokeWidth="2" />
          </svg>
        </button>
        <NavLink href={hostHref} current={pathname === hostHref} title={host.name} className="flex-1">
          <StatusDot status={host.status} />
          <span className="truncate">{host.id}</span>
        </NavLink>
      </div>
      {open && (
        <ul id={listId} className="ml-6 space-y-0.5 border-l border-zinc-200 pl-1 dark:border-zinc-800">
          <li>
            <NavLink href={hostHref} current={false}>
              Pools
            </NavLink>
            {host.status === 'ok' && <PoolLinks hostId={host.id} pathname={pathname} />}
          </li>
          <li>
            <NavLink href={pageHrefs.vms(host.id)} current={pathname === pageHrefs.vms(host.id)}>
              VMs
            </NavLink>
          </li>
          <li>
            <NavLink href={pageHrefs.chains(host.id)} current={pathname === pageHrefs.chains(host.id)}>
              Backing chains
            </NavLink>
          </li>
        </ul>
      )}
    </li>
  );
}

/**
 * The host's pools, read from the cache only: the sidebar never creates a pools query itself.
 * The layout renders (and hydrates) before the page; a pending query created here would make
 * the page's <HydrationBoundary> defer its prefetched pools to an effect, so server and
 * browser would render different trees. Host pages prefetch the pools; expanding a host by
 * hand fetches them (see HostItem).
 */
function PoolLinks({ hostId, pathname }: { hostId: string; pathname: string }) {
  const qc = useQueryClient();
  const pools = useSyncExternalStore(
    (onChange) => qc.getQueryCache().subscribe(onChange),
    () => qc.getQueryData<PoolDto[]>(hostKeys.pools(hostId)),
    () => undefined,
  );
  if (!pools || pools.length === 0) return null;
  const sorted = [...pools].sort((a, b) => naturalCompare(a.name, b.name));
  return (
    <ul aria-label={`Pools on ${hostId}`} className="ml-2 space-y-0.5">
      {sorted.map((p) => {
        const href = pageHrefs.pool(hostId, p.name);
        return (
          <li key={p.name}>
            <NavLink href={href} current={pathname === href} inside={pathname.startsWith(`${href}/`)} small>
              <span className="truncate">{p.name}</span>
            </NavLink>
          </li>
        );
      })}
    </ul>
  );
}

function NavLink(props: { href: string; current: boolean; inside?: boolean; children: ReactNode; title?: string; className?: string; small?: boolean }) {
  const { href, current, inside, children, title, className = '', small } = props;
  const tone = current
    ? 'bg-sky-100 text-sky-900 font-medium dark:bg-sky-900/50 dark:text-sky-100'
    : inside
      ? 'text-sky-800 dark:text-sky-300 hover:bg-zinc-200/70 dark:hover:bg-zinc-800'
      : 'text-zinc-700 hover:bg-zinc-200/70 dark:text-zinc-300 dark:hover:bg-zinc-800';
  return (
    <Link
      href={href}
      title={title}
      aria-current={current ? 'page' : undefined}
      className={`flex min-w-0 items-center gap-2 rounded px-2 ${small ? 'py-0.5 text-[0.8125rem]' : 'py-1'} ${tone} ${className}`}
    >
      {children}
    </Link>
  );
}
