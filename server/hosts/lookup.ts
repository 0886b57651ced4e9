import 'server-only';
import { notFound } from '../errors';
import type { HostStorage } from '../virsh/read-host';
import { findHost } from './inventory';
import { hostStorage } from './storage-cache';

/** The objects a URL names: each must exist before the request's body is even read. */
export interface Named {
  pool?: string;
  volume?: string;
  vm?: string;
}

function missing(s: HostStorage, hostId: string, n: Named): string | null {
  if (n.pool !== undefined && !s.pools.some((p) => p.name === n.pool)) return `Pool “${n.pool}” on ${hostId}`;
  if (n.pool !== undefined && n.volume !== undefined && !(s.volumes.get(n.pool) ?? []).some((v) => v.name === n.volume))
    return `Volume “${n.volume}” in pool “${n.pool}” on ${hostId}`;
  if (n.vm !== undefined && !s.domains.some((d) => d.name === n.vm)) return `VM “${n.vm}” on ${hostId}`;
  return null;
}

/**
 * 404 unless the host, and the pool, volume or VM the URL names, exist — checked before a write
 * route validates its body, so a URL naming nothing (say `…/pools/constructor/…`) is a 404 on every
 * route, whatever the body. Compared by exact name against the host's (cached) read; a miss is
 * re-checked against a fresh read, so an object made outside the console a moment ago is found.
 */
export async function requireNamed(hostId: string, named: Named = {}): Promise<void> {
  const host = findHost(hostId);
  if (named.pool === undefined && named.vm === undefined) return;
  let what = missing(await hostStorage(host), hostId, named);
  if (what) what = missing(await hostStorage(host, { fresh: true }), hostId, named);
  if (what) throw notFound(what);
}
