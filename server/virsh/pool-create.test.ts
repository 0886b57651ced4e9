import { describe, expect, it } from 'vitest';
import { PoolCreateInput } from '@/lib/schemas';
import { isAppError } from '../errors';
import { fakeTransport } from '../operations/fake-transport';
import { planPoolCreate, poolCreate } from './pool-create';

const URI = 'qemu:///system';
const UUID = '11111111-2222-3333-4444-555555555555';
const CHAP = 'chap-secret-value';
const iscsi = PoolCreateInput.parse({
  name: 'ops-iscsi',
  type: 'iscsi',
  source: { host: '127.0.0.1', device: 'iqn.2026-01.test:t', auth: { type: 'chap', username: 'u', secret: CHAP } },
  start: true,
  autostart: true,
});
const dir = PoolCreateInput.parse({ name: 'ops-dir', type: 'dir', target: { path: '/var/lib/libvirt/images/ops-dir' }, build: true, start: true, autostart: true });

describe('planPoolCreate (pure: input → steps)', () => {
  it('a dir pool: define → build → start → autostart, built with the pools.ts builders', () => {
    const p = planPoolCreate(URI, dir);
    expect(p.steps.map((s) => s.id)).toEqual(['define', 'build', 'start', 'autostart']);
    expect(p.steps.map((s) => s.undo?.id ?? null)).toEqual(['undo-define', null, 'undo-start', null]);
    expect(p.steps[0]!.stdin).toBe(p.xml);
    expect(p.guard).toBeUndefined();
  });

  it('an iscsi pool with CHAP: the secret first, its XML escaped, its value a secret step', () => {
    const p = planPoolCreate(URI, iscsi, () => UUID);
    expect(p.steps.map((s) => s.id)).toEqual(['secret-define', 'secret-value', 'define', 'start', 'autostart']);
    expect(p.steps[0]!.stdin).toContain(`<uuid>${UUID}</uuid>`);
    expect(p.steps[0]!.stdin).toContain('<target>ksc-pool-ops-iscsi</target>');
    expect(p.steps[1]).toMatchObject({ stdin: CHAP, secret: true });
    expect(p.xml).toContain("usage='ksc-pool-ops-iscsi'");
  });

  it('build with overwrite names the guard and what it destroys', () => {
    const fs = PoolCreateInput.parse({ name: 'ops-fs', type: 'fs', source: { device: '/dev/vdz', format: 'ext4' }, target: { path: '/mnt/ops' }, build: true, overwrite: true });
    const p = planPoolCreate(URI, fs);
    expect(p.guard).toMatchObject({ hazard: 'overwrite-build', confirmWith: 'ops-fs' });
    expect(p.destroys).toEqual(['/dev/vdz']);
    expect(p.steps.find((s) => s.id === 'build')!.inv).toMatchObject({ args: expect.arrayContaining(['--overwrite']) });
  });
});

describe('poolCreate rollback (fake transport)', () => {
  const ids = ['secret-define', 'secret-value', 'define', 'start', 'autostart'];
  const undoAfter: Record<string, string[]> = {
    'secret-define': [],
    'secret-value': ['secret-undefine'],
    define: ['secret-undefine'],
    start: ['pool-undefine', 'secret-undefine'],
    autostart: ['pool-destroy', 'pool-undefine', 'secret-undefine'],
  };
  for (const failing of ids) {
    it(`a failure at ${failing} undoes what was done, in reverse, and never shows the CHAP secret`, async () => {
      const plan = planPoolCreate(URI, iscsi, () => UUID);
      const failingCommand = plan.steps.find((s) => s.id === failing)!;
      let failed = false;
      const t = fakeTransport((c) => {
        const verb = c.split(' ').find((w) => /^(secret|pool)-/.test(w));
        const want = failingCommand.inv && (failingCommand.inv as { args: readonly string[] }).args.find((w) => /^(secret|pool)-/.test(w));
        if (!failed && verb === want) {
          failed = true;
          return { exitCode: 1, stderr: `error: ${failing} broke` };
        }
        return undefined;
      });
      const e = await poolCreate(t, URI, iscsi, []).then(
        () => null,
        (x: unknown) => x,
      );
      expect(isAppError(e)).toBe(true);
      const err = e as { status: number; detail: { failedStep: { id: string }; undone: Array<{ command: string }> } };
      expect(err.status).toBe(502);
      expect(err.detail.failedStep.id).toBe(failing);
      const undoVerbs = err.detail.undone.map((u) => u.command.split(' ').find((w) => /^(secret|pool)-/.test(w)));
      expect(undoVerbs).toEqual(undoAfter[failing]);
      expect(JSON.stringify(err)).not.toContain(CHAP);
      // The secret went to secret-set-value's stdin, and nowhere else.
      expect(t.calls.filter((c) => c.stdin === CHAP).map((c) => c.command.split(' ').find((w) => w.startsWith('secret-')))).toEqual(failing === 'secret-define' ? [] : ['secret-set-value']);
    });
  }

  it('an existing name is refused before anything runs', async () => {
    const t = fakeTransport();
    await expect(poolCreate(t, URI, dir, ['ops-dir'])).rejects.toMatchObject({ code: 'pool-exists', status: 409 });
    expect(t.calls).toEqual([]);
  });
});
