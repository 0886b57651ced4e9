import { describe, expect, it } from 'vitest';
import type { VolumeDto } from '@/lib/schemas';
import type { DomainDisk } from '../xml/domain';
import type { SnapshotXml } from '../xml/snapshot';
import { liveAbility } from './read';
import { snapshotAbilities, versionAtLeast, type SnapshotContext } from './snapshot-rules';

const snap = (name: string, parent: string | null, kind: 'internal' | 'external', file?: string): SnapshotXml => ({
  name, parent, description: null, creationTime: 1, state: kind === 'external' ? 'disk-snapshot' : 'running', memory: kind === 'internal' ? 'internal' : 'no',
  disks: [{ name: 'vda', snapshot: kind, file: file ?? null }],
});
const disk = (source: string): DomainDisk => ({ target: 'vda', bus: 'virtio', device: 'disk', type: 'file', source, sourcePool: null, sourceVolume: null, format: 'qcow2', cache: null, readonly: false, shareable: false, chain: [] });
const vol = (name: string, backing: string | null): VolumeDto => ({ name, pool: 'p', key: `/d/${name}`, path: `/d/${name}`, type: 'file', format: 'qcow2', capacity: 1, allocation: 1, physical: 1, backingStore: backing ? { path: backing, format: 'qcow2' } : null, encryption: null, usedBy: [] });
const img = (path: string) => ({ path, format: 'qcow2', virtualSize: 1, actualSize: 1, imageSnapshots: [] });

function ctx(over: Partial<SnapshotContext> = {}): SnapshotContext {
  return {
    libvirtVersion: '9.0.0',
    running: true,
    liveDisks: [disk('/d/a.x2.qcow2')],
    chains: new Map([['/d/a.x2.qcow2', { images: [img('/d/a.x2.qcow2'), img('/d/a.x1.qcow2'), img('/d/a.qcow2')], error: null }]]),
    volumes: new Map([['p', [vol('a.qcow2', null), vol('a.x1.qcow2', '/d/a.qcow2'), vol('a.x2.qcow2', '/d/a.x1.qcow2')]]]),
    ...over,
  };
}

describe('versionAtLeast', () => {
  it('compares major.minor', () => {
    expect(versionAtLeast('9.0.0', [9, 0])).toBe(true);
    expect(versionAtLeast('9.0.0', [9, 7])).toBe(false);
    expect(versionAtLeast('10.1.0', [9, 7])).toBe(true);
    expect(versionAtLeast(null, [9, 0])).toBe(false);
  });
});

describe('snapshotAbilities (libvirt 9.0 as measured on the lab)', () => {
  const x1 = snap('x1', null, 'external', '/d/a.x1.qcow2');
  const x2 = snap('x2', 'x1', 'external', '/d/a.x2.qcow2');
  it('internal: revert and delete', () => {
    expect(snapshotAbilities(snap('s1', null, 'internal'), ctx(), [])).toEqual({ canRevert: true, revertBlocker: null, canDelete: true, deleteBlocker: null });
  });
  it('external on 9.0: no revert (9.7+), delete allowed on the current chain', () => {
    const a = snapshotAbilities(x1, ctx(), [x1, x2]);
    expect(a.canRevert).toBe(false);
    expect(a.revertBlocker).toMatch(/libvirt 9\.0\.0 .* cannot revert to an external snapshot/);
    expect(a).toMatchObject({ canDelete: true, deleteBlocker: null });
    expect(snapshotAbilities(x1, ctx({ libvirtVersion: '9.7.0' }), [x1, x2]).canRevert).toBe(true);
    expect(snapshotAbilities(x1, ctx({ libvirtVersion: '8.9.0' }), [x1, x2]).deleteBlocker).toMatch(/cannot delete external snapshots/);
  });
  it('external with an internal parent, or several children, or off the current chain: refused with the reason', () => {
    const s1 = snap('s1', null, 'internal');
    const e = snap('e', 's1', 'external', '/d/a.x1.qcow2');
    expect(snapshotAbilities(e, ctx(), [s1, e]).deleteBlocker).toMatch(/parent “s1” is an internal snapshot/);
    const k1 = snap('k1', 'x1', 'external', '/d/k1');
    expect(snapshotAbilities(x1, ctx(), [x1, x2, k1]).deleteBlocker).toMatch(/2 child snapshots/);
    expect(snapshotAbilities(snap('o', null, 'external', '/d/other.qcow2'), ctx(), []).deleteBlocker).toMatch(/no longer runs on its overlay/);
  });
  it('never deletes a file another chain needs, nor merges into a shared base', () => {
    const withForeign = ctx({ volumes: new Map([['p', [vol('a.qcow2', null), vol('a.x1.qcow2', '/d/a.qcow2'), vol('a.x2.qcow2', '/d/a.x1.qcow2'), vol('clone.qcow2', '/d/a.x1.qcow2')]]]) });
    expect(snapshotAbilities(x1, withForeign, [x1, x2]).deleteBlocker).toMatch(/backing file of p\/clone\.qcow2, outside this VM/);
    const sharedBase = ctx({ volumes: new Map([['p', [vol('a.qcow2', null), vol('a.x1.qcow2', '/d/a.qcow2'), vol('a.x2.qcow2', '/d/a.x1.qcow2'), vol('other.qcow2', '/d/a.qcow2')]]]) });
    expect(snapshotAbilities(x1, sharedBase, [x1, x2]).deleteBlocker).toMatch(/write into \/d\/a\.qcow2, which is also the backing file of p\/other\.qcow2/);
  });
});

describe('liveAbility', () => {
  const vm = { running: true, acpi: true, machine: 'pc-i440fx-7.2', controllers: [{ type: 'scsi', model: 'virtio-scsi' }, { type: 'usb', model: 'piix3-uhci' }] };
  it('what QEMU can hot-plug into a running i440fx VM', () => {
    expect(liveAbility('virtio', vm).live).toBe(true);
    expect(liveAbility('scsi', vm).live).toBe(true);
    expect(liveAbility('usb', vm).live).toBe(true);
    expect(liveAbility('ide', vm)).toMatchObject({ live: false, liveReason: expect.stringMatching(/IDE/) });
    expect(liveAbility('sata', vm)).toMatchObject({ live: false, liveReason: expect.stringMatching(/no SATA controller/) });
  });
  it('no ACPI, no controller, not running', () => {
    expect(liveAbility('virtio', { ...vm, acpi: false }).liveReason).toMatch(/no ACPI/);
    expect(liveAbility('scsi', { ...vm, controllers: [] }).liveReason).toMatch(/no SCSI controller/);
    expect(liveAbility('virtio', { ...vm, running: false }).liveReason).toMatch(/not running/);
  });
});
