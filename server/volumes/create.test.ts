import { describe, expect, it } from 'vitest';
import { VolumeCreateInput, type PoolDto } from '@/lib/schemas';
import { isAppError } from '../errors';
import { fakeTransport } from '../operations/fake-transport';
import { describePlan, planOf } from '../operations/plan';
import { runPlan } from '../operations/run';
import { planCreate } from './create';

const pool = { name: 'ops-p', uuid: 'u', type: 'dir', state: 'running', autostart: false, persistent: true, capacity: 1, allocation: 0, available: 1, source: {}, target: { path: '/var/lib/libvirt/images/ops-p' }, volumeCount: 0, volumeCapacity: 0 } as unknown as PoolDto;
const PASS = 'correct horse battery';

describe('planCreate (pure: input + pool → steps)', () => {
  const input = VolumeCreateInput.parse({ name: 'ops-enc.qcow2', capacity: '1G', encryption: { passphrase: PASS } });

  it('an encrypted qcow2: check → secret-define (undo: secret-undefine) → secret value → qemu-img create → refresh', () => {
    const p = planCreate('qemu:///system', pool, input, null, []);
    expect(p.steps.map((s) => s.id ?? s.title.split(' ')[0])).toEqual(['Check', 'secret-define', 'secret-value', 'Create', 'Refresh']);
    expect(p.steps[1]!.undo?.inv).toMatchObject({ args: expect.arrayContaining(['secret-undefine']) });
    expect(p.steps[1]!.stdin).toContain('<volume>/var/lib/libvirt/images/ops-p/ops-enc.qcow2</volume>');
    expect(JSON.stringify(describePlan(planOf('c', p.steps)))).not.toContain(PASS);
  });

  it('a failed qemu-img create removes the secret again, and the passphrase is in no answer', async () => {
    const p = planCreate('qemu:///system', pool, input, null, []);
    const t = fakeTransport((c) => (c.startsWith('qemu-img create') ? { exitCode: 1, stderr: 'qemu-img: no space' } : undefined));
    const e = await runPlan(t, p.steps).then(
      () => null,
      (x: unknown) => x,
    );
    expect(isAppError(e)).toBe(true);
    const d = (e as { detail: { undone: Array<{ command: string }> } }).detail;
    expect(d.undone.map((u) => u.command)).toEqual([expect.stringContaining('secret-undefine')]);
    expect(JSON.stringify(e) + (e as Error).message).not.toContain(PASS);
    expect(t.calls.filter((c) => c.stdin === PASS)).toHaveLength(2); // secret-set-value and qemu-img, nothing else
  });

  it('an existing name is refused', () => {
    expect(() => planCreate('qemu:///system', pool, input, null, ['ops-enc.qcow2'])).toThrow(/already has a volume/);
  });
});
