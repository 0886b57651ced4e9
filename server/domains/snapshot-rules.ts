import 'server-only';
import type { VolumeDto } from '@/lib/schemas';
import type { DomainDisk } from '../xml/domain';
import type { SnapshotXml } from '../xml/snapshot';
import type { ChainRead } from './read';

/**
 * What this host's libvirt can do with a snapshot, decided before the user asks (measured on
 * the lab's libvirt 9.0.0; the version checks follow libvirt's release notes):
 *
 * | kind     | revert                                  | delete                                            |
 * |----------|-----------------------------------------|---------------------------------------------------|
 * | internal | yes                                     | yes (children are re-parented)                    |
 * | external | only libvirt ≥ 9.7 ("revert to external | libvirt ≥ 9.0 merges the snapshot's overlay into  |
 * |          | snapshot not supported yet" before)     | its backing file and deletes the overlay — but    |
 * |          |                                         | not with an internal parent, several children, or |
 * |          |                                         | when the VM no longer runs on that overlay         |
 *
 * On top of libvirt's own limits, the console refuses a delete that would merge into a base
 * other images still use, or delete a file another chain needs (virt-manager #811).
 */
export interface SnapshotContext {
  libvirtVersion: string | null;
  running: boolean;
  /** The disks the VM runs on now (live XML when running, else the persistent one). */
  liveDisks: DomainDisk[];
  chains: Map<string, ChainRead>;
  volumes: Map<string, VolumeDto[]>;
}

export interface SnapshotAbilities {
  canRevert: boolean;
  revertBlocker: string | null;
  canDelete: boolean;
  deleteBlocker: string | null;
}

export function versionAtLeast(version: string | null, want: [number, number]): boolean {
  if (!version) return false;
  const [maj = 0, min = 0] = version.split('.').map((n) => Number.parseInt(n, 10) || 0);
  return maj > want[0] || (maj === want[0] && min >= want[1]);
}

const isExternal = (s: SnapshotXml) => s.disks.some((d) => d.snapshot === 'external') || s.memory === 'external';

export function snapshotAbilities(s: SnapshotXml, ctx: SnapshotContext, all: SnapshotXml[]): SnapshotAbilities {
  const v = ctx.libvirtVersion ?? 'unknown';
  let revertBlocker: string | null = null;
  let deleteBlocker: string | null = null;
  if (isExternal(s)) {
    if (!versionAtLeast(ctx.libvirtVersion, [9, 7]))
      revertBlocker =
        `libvirt ${v} on this host cannot revert to an external snapshot (it answers “revert to external snapshot not supported yet”; ` +
        'support came with libvirt 9.7). The data is safe: the snapshot’s moment lives in the backing files listed below its disks. ' +
        'To go back by hand, shut the VM down and create a new overlay on those files (qemu-img create -b …), then point the disks at it.';
    deleteBlocker = externalDeleteBlocker(s, ctx, all, v);
  }
  return { canRevert: revertBlocker === null, revertBlocker, canDelete: deleteBlocker === null, deleteBlocker };
}

function externalDeleteBlocker(s: SnapshotXml, ctx: SnapshotContext, all: SnapshotXml[], v: string): string | null {
  if (!versionAtLeast(ctx.libvirtVersion, [9, 0]))
    return `libvirt ${v} cannot delete external snapshots (support came with 9.0); only its metadata could be removed, which would leave the overlay files in use.`;
  const parent = all.find((p) => p.name === s.parent);
  if (parent && !isExternal(parent))
    return `its parent “${parent.name}” is an internal snapshot, and libvirt ${v} does not delete an external snapshot with an internal parent (“not supported”).`;
  const kids = all.filter((c) => c.parent === s.name);
  if (kids.length > 1) return `it has ${kids.length} child snapshots (${kids.map((k) => k.name).join(', ')}); libvirt can only merge an external snapshot with at most one child.`;
  if (kids.some((k) => !isExternal(k))) return 'a child snapshot is internal; libvirt cannot merge an external snapshot under an internal one.';
  // The files the VM runs on now, top to base: the snapshot's overlays must be among them.
  const current = new Set<string>();
  for (const d of ctx.liveDisks) {
    if (d.source) current.add(d.source);
    for (const img of (d.source && ctx.chains.get(d.source)?.images) || []) current.add(img.path);
  }
  for (const d of s.disks.filter((x) => x.snapshot === 'external')) {
    if (!d.file) continue;
    if (!current.has(d.file))
      return `the VM no longer runs on its overlay ${d.file} (it was reverted to another branch or the disk changed), so libvirt cannot merge it (“could not find base disk source in disk source chain”).`;
    const hazard = fileHazard(d.file, ctx);
    if (hazard) return hazard;
  }
  return null;
}

/**
 * Deleting an external snapshot merges its overlay F into F's backing file B and deletes F.
 * Refuse when another image outside this VM's chain is built on F (it would lose its base) or
 * on B (B's contents change under it).
 */
export function fileHazard(file: string, ctx: SnapshotContext): string | null {
  const vols = [...ctx.volumes.values()].flat();
  const chainOf = (path: string) => ctx.chains.get(path)?.images ?? [];
  const mine = new Set<string>();
  for (const d of ctx.liveDisks) if (d.source) [d.source, ...chainOf(d.source).map((i) => i.path)].forEach((p) => mine.add(p));
  const foreignOnF = vols.filter((x) => x.backingStore?.path === file && !mine.has(x.path));
  if (foreignOnF.length)
    return `${file} is the backing file of ${foreignOnF.map((x) => `${x.pool}/${x.name}`).join(', ')}, outside this VM: deleting the snapshot would delete a file another chain needs.`;
  let base: string | null = null;
  for (const d of ctx.liveDisks) {
    const imgs = d.source ? chainOf(d.source) : [];
    const at = imgs.findIndex((i) => i.path === file);
    if (at >= 0) base = imgs[at + 1]?.path ?? null;
  }
  if (base) {
    const others = vols.filter((x) => x.backingStore?.path === base && x.path !== file && !mine.has(x.path));
    if (others.length)
      return `merging would write into ${base}, which is also the backing file of ${others.map((x) => `${x.pool}/${x.name}`).join(', ')}: those images would be corrupted.`;
  }
  return null;
}
