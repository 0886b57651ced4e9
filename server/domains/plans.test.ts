import { describe, expect, it } from 'vitest';
import { renderInvocation } from '../commands/shell';
import { describePlan } from '../operations/plan';
import { planPower } from './power';
import { planSnapshotDelete } from './snapshots';

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
