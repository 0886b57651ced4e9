import { describe, expect, it } from 'vitest';
import { renderInvocation } from '../commands/shell';
import { describePlan } from '../operations/plan';
import { planAttach, planChangeMedia, planDetach } from './disks';
import { planPower } from './power';
import { planSnapshotCreate, planSnapshotDelete, planSnapshotRevert } from './snapshots';

const URI = 'qemu:///system';

describe('planPower (pure)', () => {
  it('start and shutdown are one unguarded step', () => {
    expect(describePlan(planPower(URI, 'vm1', 'start'))).toMatchObject({ steps: [{ command: 'virsh -q -c qemu:///system start -- vm1' }], guard: null, destroys: [] });
    expect(describePlan(planPower(URI, 'vm1', 'shutdown')).steps[0]!.command).toBe('virsh -q -c qemu:///system shutdown -- vm1');
  });
  it('destroy is the force-off hazard, confirmed with the VM name', () => {
    const p = describePlan(planPower(URI, '-vm', 'destroy'));
    expect(p.steps[0]!.command).toBe('virsh -q -c qemu:///system destroy -- -vm');
    expect(p.guard).toMatchObject({ hazard: 'force-off', confirmWith: '-vm' });
    expect(p.destroys).toHaveLength(1);
  });
});

describe('planSnapshotDelete (pure: the VM as read → steps)', () => {
  const storage = { pools: [{ name: 'ops-pool', target: { path: '/var/lib/libvirt/images/ops/' } }] };
  const dom = { domain: { name: 'vm1' }, disks: [{ target: 'vda', source: '/var/lib/libvirt/images/ops/d.qcow2' }], storage } as never;
  const snap = (extra: object) => ({ name: 's1', memory: 'no', children: [], parent: null, disks: [], ...extra }) as never;

  it('an internal snapshot: one snapshot-delete; what is lost names the image', () => {
    const p = planSnapshotDelete(URI, dom, snap({ disks: [{ name: 'vda', snapshot: 'internal', file: null }] }));
    expect(p.steps.map((s) => renderInvocation(s.inv))).toEqual(['virsh -q -c qemu:///system snapshot-delete -- vm1 s1']);
    expect(p.destroys![0]).toContain('/var/lib/libvirt/images/ops/d.qcow2');
    expect(p.guard).toMatchObject({ hazard: 'snapshot-delete', confirmWith: 's1' });
  });

  it('an external snapshot: then a refresh of the pool holding the overlay', () => {
    const p = planSnapshotDelete(URI, dom, snap({ disks: [{ name: 'vda', snapshot: 'external', file: '/var/lib/libvirt/images/ops/d.s1.qcow2' }], children: ['s2'] }));
    expect(p.steps.map((s) => renderInvocation(s.inv))).toEqual(['virsh -q -c qemu:///system snapshot-delete -- vm1 s1', 'virsh -q -c qemu:///system pool-refresh -- ops-pool']);
    expect(p.destroys!.join('\n')).toMatch(/overlay file .*d\.s1\.qcow2[\s\S]*children \(s2\)/);
  });
});

describe('planAttach / planDetach / planChangeMedia (pure: input + the VM as read → steps)', () => {
  const vol = (pool: string, name: string, extra: object = {}) => ({ pool, name, path: `/var/lib/libvirt/images/${pool}/${name}`, type: 'file', format: 'qcow2', capacity: 1 << 30, backingStore: null, usedBy: [], encryption: null, ...extra });
  const storage = {
    pools: [{ name: 'p1', type: 'dir', state: 'running', target: { path: '/var/lib/libvirt/images/p1' } }],
    volumes: new Map([['p1', [vol('p1', 'data.qcow2'), vol('p1', 'base.qcow2'), vol('p1', 'top.qcow2', { backingStore: { path: '/var/lib/libvirt/images/p1/base.qcow2' } })]]]),
    domains: [],
  };
  const vda = { target: 'vda', device: 'disk', source: '/var/lib/libvirt/images/p1/data.qcow2', sourcePool: null, sourceVolume: null };
  const dom = (state = 'running', extra: object = {}) =>
    ({ domain: { name: 'vm1', state, persistent: true }, buses: [{ bus: 'virtio', live: true }, { bus: 'sata', live: false, liveReason: 'no hot-plug' }], liveDisks: [vda], configDisks: [vda], disks: [vda], snapshotXml: [], storage, ...extra }) as never;
  const attach = (source: object, extra: object = {}) => ({ source, bus: 'virtio', device: 'disk', live: true, persistent: true, readonly: false, shareable: false, dryRun: false, ...extra }) as never;
  const noUsers = new Map<string, Set<string>>();

  it('a new volume: vol-create-as with its vol-delete undo, then attach-device with the disk XML on stdin', () => {
    const p = planAttach(URI, attach({ create: { pool: 'p1', name: 'new.qcow2', format: 'qcow2', capacity: 1024 } }), { hostId: 'h', dom: dom(), users: noUsers });
    expect(p.target).toBe('vdb');
    expect(describePlan(p).steps).toMatchObject([
      { command: 'virsh -q -c qemu:///system vol-create-as --format qcow2 -- p1 new.qcow2 1024', undo: 'virsh -q -c qemu:///system vol-delete --pool p1 -- new.qcow2' },
      { command: 'virsh -q -c qemu:///system attach-device --file /dev/stdin --live --config -- vm1 < disk.xml', stdin: p.xml },
    ]);
    expect(p.xml).toContain("<source file='/var/lib/libvirt/images/p1/new.qcow2'/>");
  });

  it('refuses what would lose data: an image another VM writes to, a base with overlays, a live attach on a bus that cannot', () => {
    const users = new Map([['/var/lib/libvirt/images/p1/data.qcow2', new Set(['vm2'])]]);
    const d = dom('running', { liveDisks: [], configDisks: [], disks: [] });
    expect(() => planAttach(URI, attach({ pool: 'p1', volume: 'data.qcow2' }), { hostId: 'h', dom: d, users })).toThrow(expect.objectContaining({ code: 'volume-in-use', status: 409 }));
    expect(() => planAttach(URI, attach({ pool: 'p1', volume: 'base.qcow2' }), { hostId: 'h', dom: d, users: noUsers })).toThrow(expect.objectContaining({ code: 'base-has-overlays' }));
    expect(() => planAttach(URI, attach({ pool: 'p1', volume: 'top.qcow2' }, { bus: 'sata' }), { hostId: 'h', dom: d, users: noUsers })).toThrow(expect.objectContaining({ code: 'live-attach-impossible' }));
    // read-only is fine for the shared image, with a warning
    expect(planAttach(URI, attach({ pool: 'p1', volume: 'data.qcow2' }, { readonly: true }), { hostId: 'h', dom: d, users }).warnings[0]).toMatch(/also used by vm2/);
  });

  it('a detach that deletes the volume: detach-disk → vol-delete → secret-undefine, the delete-volume hazard, what is lost', () => {
    const input = { live: true, persistent: true, deleteVolume: true, waitMs: 0, dryRun: false } as never;
    const p = planDetach(URI, input, 'vda', { hostId: 'h', dom: dom(), users: noUsers, secret: 'abc' });
    expect(p.steps.map((s) => renderInvocation(s.inv))).toEqual([
      'virsh -q -c qemu:///system detach-disk --live --config -- vm1 vda',
      'virsh -q -c qemu:///system vol-delete --pool p1 -- data.qcow2',
      'virsh -q -c qemu:///system secret-undefine -- abc',
    ]);
    expect(p.guard).toMatchObject({ hazard: 'delete-volume', confirmWith: 'data.qcow2' });
    expect(p.destroys![0]).toMatch(/volume p1\/data\.qcow2/);
    const other = new Map([['/var/lib/libvirt/images/p1/data.qcow2', new Set(['vm2'])]]);
    expect(() => planDetach(URI, input, 'vda', { hostId: 'h', dom: dom(), users: other, secret: null })).toThrow(expect.objectContaining({ code: 'volume-in-use' }));
    expect(() => planDetach(URI, { ...(input as object), live: true, persistent: false } as never, 'vda', { hostId: 'h', dom: dom(), users: noUsers, secret: null })).toThrow(expect.objectContaining({ code: 'volume-in-use' }));
  });

  it('a plain detach is one step; a media change is one change-media', () => {
    const p = planDetach(URI, { live: false, persistent: true, deleteVolume: false, waitMs: 0, dryRun: false } as never, 'vda', { hostId: 'h', dom: dom('shut off'), users: null, secret: null });
    expect(describePlan(p)).toMatchObject({ steps: [{ command: 'virsh -q -c qemu:///system detach-disk --config -- vm1 vda' }], guard: null, destroys: [] });
    const hdc = { target: 'hdc', device: 'cdrom', source: null };
    const m = planChangeMedia(URI, dom('shut off', { disks: [hdc] }), 'hdc', { source: '/iso/x.iso' });
    expect(m.steps.map((s) => renderInvocation(s.inv))).toEqual(['virsh -q -c qemu:///system change-media --insert --source /iso/x.iso --config -- vm1 hdc']);
    expect(() => planChangeMedia(URI, dom('shut off', { disks: [hdc] }), 'hdc', { source: null, live: true })).toThrow(expect.objectContaining({ code: 'vm-not-running' }));
    expect(() => planChangeMedia(URI, dom(), 'vda', { source: null })).toThrow(expect.objectContaining({ code: 'not-removable' }));
  });
});

describe('planSnapshotCreate / planSnapshotRevert (pure)', () => {
  const storage = { pools: [{ name: 'ops-pool', state: 'running', target: { path: '/var/lib/libvirt/images/ops' } }], volumes: new Map() };
  const disk = { target: 'vda', device: 'disk', type: 'file', format: 'qcow2', source: '/var/lib/libvirt/images/ops/d.qcow2', readonly: false };
  const dom = { domain: { name: 'vm1', state: 'shut off', memory: 0, guestAgent: false }, liveDisks: [disk], configDisks: [disk], disks: [disk], snapshotXml: [], storage, snapshots: { current: 's0', snapshots: [] } } as never;

  it('external: snapshot-create with the XML on stdin, then a refresh of the pool that gets the overlay', () => {
    const p = planSnapshotCreate(URI, { name: 's1', kind: 'external', quiesce: false, memory: false, dryRun: false } as never, dom);
    expect(p.overlays).toEqual(['/var/lib/libvirt/images/ops/d.s1.qcow2']);
    expect(describePlan(p).steps.map((s) => s.command)).toEqual([
      'virsh -q -c qemu:///system snapshot-create --xmlfile /dev/stdin --atomic --disk-only -- vm1 < snapshot.xml',
      'virsh -q -c qemu:///system pool-refresh -- ops-pool',
    ]);
  });

  it('revert: the snapshot-revert hazard confirmed with the VM name; refused when libvirt cannot', () => {
    const s = { name: 's1', canRevert: true, memory: 'no', disks: [{ name: 'vda', snapshot: 'internal' }] } as never;
    const p = planSnapshotRevert(URI, dom, s);
    expect(p.guard).toMatchObject({ hazard: 'snapshot-revert', confirmWith: 'vm1' });
    expect(p.destroys!.join('\n')).toMatch(/everything written to vda[\s\S]*position after s0/);
    expect(() => planSnapshotRevert(URI, dom, { ...(s as object), canRevert: false, revertBlocker: 'no' } as never)).toThrow(expect.objectContaining({ code: 'revert-unsupported' }));
  });
});
