import { describe, expect, it } from 'vitest';
import type { VmdkExtentDto, VolumeDto } from '@/lib/schemas';
import { renderInvocation } from '../commands/shell';
import { describePlan } from '../operations/plan';
import { planVmdkDelete, vmdkDeleteTargets } from './vmdk-migration';

const vol = (name: string, dir = '/var/lib/libvirt/images/src'): VolumeDto => ({
  name,
  pool: 'src',
  key: `${dir}/${name}`,
  path: `${dir}/${name}`,
  type: 'file',
  format: 'raw',
  capacity: 1,
  allocation: 1,
  physical: 1,
  backingStore: null,
  encryption: null,
  usedBy: [],
});
const ext = (path: string, extra: Partial<VmdkExtentDto> = {}): VmdkExtentDto => ({ path, type: 'FLAT', virtualSize: 1, compressed: false, exists: true, size: 1, outside: false, ...extra });

describe('vmdk delete (pure: inspection + pool list → steps)', () => {
  const d = vol('web.vmdk');
  const pool = [d, vol('web-s001.vmdk'), vol('web-s002.vmdk'), vol('other.qcow2')];

  it('the descriptor first, then each existing extent that is a volume of the pool', () => {
    const extents = [ext(d.path.replace('web.vmdk', 'web-s001.vmdk')), ext(d.path.replace('web.vmdk', 'web-s002.vmdk')), ext('/var/lib/libvirt/images/src/gone.vmdk', { exists: false }), ext('/etc/passwd', { outside: true })];
    const targets = vmdkDeleteTargets(d, extents, pool);
    expect(targets.map((v) => v.name)).toEqual(['web.vmdk', 'web-s001.vmdk', 'web-s002.vmdk']);
    const plan = planVmdkDelete('qemu:///system', 'src', targets);
    expect(plan.steps.map((s) => renderInvocation(s.inv))).toEqual([
      'virsh -q -c qemu:///system vol-delete --pool src -- web.vmdk',
      'virsh -q -c qemu:///system vol-delete --pool src -- web-s001.vmdk',
      'virsh -q -c qemu:///system vol-delete --pool src -- web-s002.vmdk',
    ]);
    // One typed confirmation: the descriptor's name.
    expect(describePlan(plan).guard).toMatchObject({ hazard: 'delete-vmdk', confirmWith: 'web.vmdk' });
    expect(plan.destroys).toHaveLength(3);
  });

  it('a monolithic vmdk (its own extent) is one step', () => {
    expect(vmdkDeleteTargets(d, [ext(d.path, { exists: null })], pool).map((v) => v.name)).toEqual(['web.vmdk']);
  });
});
