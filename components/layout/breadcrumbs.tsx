'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { decodeParam, pageHrefs } from '@/lib/api/paths';

interface Crumb {
  label: string;
  href: string;
}

/** Derives the trail from the URL, which names real objects: /hosts/lab/pools/vm/volumes/x. */
function crumbsFor(pathname: string): Crumb[] {
  const seg = pathname.split('/').filter(Boolean).map(decodeParam);
  const crumbs: Crumb[] = [{ label: 'Overview', href: pageHrefs.overview() }];
  const [a, host, b, pool, c, vol] = seg;
  if (a === 'audit') return [...crumbs, { label: 'Audit log', href: pageHrefs.audit() }];
  if (a === 'account') return [...crumbs, { label: 'Your account', href: pageHrefs.account() }];
  if (a === 'admin' && host === 'users') return [...crumbs, { label: 'Users', href: pageHrefs.users() }];
  if (a !== 'hosts' || host === undefined) return crumbs;
  crumbs.push({ label: host, href: pageHrefs.host(host) });
  if (b === 'new-pool') crumbs.push({ label: 'New pool', href: pathname });
  if (b === 'migrate-vmdk') crumbs.push({ label: 'Migrate from VMware', href: pathname });
  if (b === 'vms') crumbs.push({ label: 'VMs', href: pageHrefs.vms(host) });
  if (b === 'vms' && pool !== undefined) crumbs.push({ label: pool, href: pageHrefs.vm(host, pool) });
  if (b === 'pools' && pool !== undefined) {
    crumbs.push({ label: pool, href: pageHrefs.pool(host, pool) });
    if (c === 'volumes' && vol !== undefined) crumbs.push({ label: vol, href: pageHrefs.volume(host, pool, vol) });
  }
  return crumbs;
}

export function Breadcrumbs() {
  const crumbs = crumbsFor(usePathname());
  return (
    <nav aria-label="Breadcrumb" className="min-w-0">
      <ol className="flex min-w-0 items-center gap-1.5 text-sm text-zinc-600 dark:text-zinc-400">
        {crumbs.map((c, i) => {
          const last = i === crumbs.length - 1;
          return (
            <li key={c.href} className="flex min-w-0 items-center gap-1.5">
              {i > 0 && (
                <span aria-hidden="true" className="text-zinc-400 dark:text-zinc-600">
                  /
                </span>
              )}
              {last ? (
                <span aria-current="page" className="truncate font-medium text-zinc-900 dark:text-zinc-100">
                  {c.label}
                </span>
              ) : (
                <Link href={c.href} className="truncate hover:text-zinc-900 hover:underline dark:hover:text-zinc-100">
                  {c.label}
                </Link>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
