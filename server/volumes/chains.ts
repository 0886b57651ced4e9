import 'server-only';
import type { ChainNode, ChainsDto } from '@/lib/schemas';
import type { HostStorage } from '../virsh/read-host';
import { hostContext, runningVms } from './context';

/**
 * Every backing tree of the host, built from what the host read already has (each volume's
 * backing store and users): bases at the roots, overlays below, across pools. A backing file
 * outside every pool still appears, as a node without pool and name.
 */
export function buildChains(storage: HostStorage): ChainsDto {
  const running = runningVms(storage);
  const nodes = new Map<string, ChainNode>();
  const parentOf = new Map<string, string>();
  for (const v of [...storage.volumes.values()].flat()) {
    nodes.set(v.path, {
      path: v.path,
      pool: v.pool,
      name: v.name,
      format: v.format,
      capacity: v.capacity,
      allocation: v.allocation,
      usedBy: v.usedBy,
      runningUsers: v.usedBy.filter((vm) => running.has(vm)),
      children: [],
    });
    if (v.backingStore?.path) parentOf.set(v.path, v.backingStore.path);
  }
  for (const [child, parent] of parentOf) {
    if (!nodes.has(parent))
      nodes.set(parent, { path: parent, pool: null, name: null, format: null, capacity: null, allocation: null, usedBy: [], runningUsers: [], children: [] });
    nodes.get(parent)!.children.push(nodes.get(child)!);
  }
  const byName = (a: ChainNode, b: ChainNode) => a.path.localeCompare(b.path, undefined, { numeric: true });
  for (const n of nodes.values()) n.children.sort(byName);
  const roots = [...nodes.values()].filter((n) => !parentOf.has(n.path) || !nodes.has(parentOf.get(n.path)!));
  const chains = roots.filter((n) => n.children.length > 0).sort(byName);
  return { chains, standalone: roots.length - chains.length };
}

export async function hostChains(hostId: string): Promise<ChainsDto> {
  const { storage } = await hostContext(hostId, { fresh: false });
  return buildChains(storage);
}
