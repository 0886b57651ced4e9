import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, findPoolSources, isDryRun, poolAction, previewPoolDelete, setPoolAutostart } from '@/server/hosts/pool-service';
import { getPoolXml, putPoolXml } from '@/server/hosts/pool-xml-service';
import { LAB_INVENTORY } from '../helpers/lab';
import { virsh as sys } from '../helpers/virsh';

// Editing a pool's XML (pool-define on stdin) and the dry-run previews of the lifecycle actions,
// through the project's server code over SSH to the lab, checked with a local virsh.
const POOL = `ksc-pool-xml-${Math.random().toString(36).slice(2, 8)}`;
// Inside /var/lib/libvirt/images: the path policy's default root (server/policy/paths.ts).
const base = mkdtempSync('/var/lib/libvirt/images/ksc-pool-xml-');

beforeAll(async () => {
  process.env.KSC_INVENTORY = LAB_INVENTORY;
  const r = await createPool('lab', { name: POOL, type: 'dir', target: { path: path.join(base, 'p') }, build: true, start: true });
  expect(r.dryRun === false && r.ok).toBe(true);
});
afterAll(() => {
  for (const c of ['pool-destroy', 'pool-undefine'])
    try {
      sys(c, POOL);
    } catch {}
  rmSync(base, { recursive: true, force: true });
});

describe('pool XML edit on the lab', () => {
  it('reads the live and the persistent XML', async () => {
    const r = await getPoolXml('lab', POOL);
    expect(r.xml).toContain(`<name>${POOL}</name>`);
    expect(r.inactiveXml).toContain(`<name>${POOL}</name>`);
    expect(r.inactiveCommand).toBe(`virsh -q -c qemu:///system pool-dumpxml --inactive -- ${POOL}`);
  });

  it('refuses a renamed pool, a changed uuid, a changed type and malformed XML before libvirt sees them', async () => {
    const { inactiveXml } = await getPoolXml('lab', POOL);
    const xml = inactiveXml ?? '';
    await expect(putPoolXml('lab', POOL, { xml: xml.replace(`<name>${POOL}</name>`, '<name>other</name>') })).rejects.toMatchObject({ code: 'invalid-pool-xml', status: 422 });
    await expect(putPoolXml('lab', POOL, { xml: xml.replace(/<uuid>[^<]+<\/uuid>/, '<uuid>00000000-0000-0000-0000-000000000000</uuid>') })).rejects.toThrow(/uuid/);
    await expect(putPoolXml('lab', POOL, { xml: xml.replace("type='dir'", "type='fs'") })).rejects.toThrow(/type/);
    await expect(putPoolXml('lab', POOL, { xml: xml.replace('</pool>', '') })).rejects.toThrow(/malformed/);
  });

  it('a dry run says what would run and that a running pool needs a restart; the definition is unchanged', async () => {
    const { inactiveXml } = await getPoolXml('lab', POOL);
    const edited = (inactiveXml ?? '').replace(/<mode>\d+<\/mode>/, '<mode>0750</mode>');
    const r = await putPoolXml('lab', POOL, { xml: edited, dryRun: true });
    expect(r).toMatchObject({ dryRun: true, command: 'virsh -q -c qemu:///system pool-define --file /dev/stdin', restartNeeded: true });
    expect(sys('pool-dumpxml', '--inactive', POOL)).not.toContain('<mode>0750</mode>');
  });

  it('applies an edit with pool-define; the persistent XML changes, the live one after stop, build, start', async () => {
    const { inactiveXml } = await getPoolXml('lab', POOL);
    const edited = (inactiveXml ?? '').replace(/<mode>\d+<\/mode>/, '<mode>0750</mode>');
    expect(edited).toContain('<mode>0750</mode>');
    const r = await putPoolXml('lab', POOL, { xml: edited });
    expect(r.dryRun).toBe(false);
    expect(sys('pool-dumpxml', '--inactive', POOL)).toContain('<mode>0750</mode>');
    expect(sys('pool-dumpxml', POOL)).not.toContain('<mode>0750</mode>');
    // libvirt reads a running dir pool's permissions from the directory itself: pool-build applies them.
    await poolAction('lab', POOL, 'stop');
    await poolAction('lab', POOL, 'build');
    await poolAction('lab', POOL, 'start');
    expect(sys('pool-dumpxml', POOL)).toContain('<mode>0750</mode>');
  });

  it('reports libvirt’s own error verbatim when it rejects the XML', async () => {
    const { inactiveXml } = await getPoolXml('lab', POOL);
    const edited = (inactiveXml ?? '').replace(/<target>[\s\S]*<\/target>/, '');
    const err = await putPoolXml('lab', POOL, { xml: edited }).then(
      () => null,
      (e: unknown) => e as { code: string; message: string; detail: { stderr: string } },
    );
    expect(err?.code).toBe('libvirt-rejected');
    expect(err?.detail.stderr).toMatch(/^error: /m);
    expect(err?.message).toBe(err?.detail.stderr.split('\n').find((l) => l.trim()));
    expect(sys('pool-dumpxml', '--inactive', POOL)).toContain('<target>');
  });

  it('dry runs of the lifecycle actions return the exact command and run nothing', async () => {
    expect(isDryRun({ dryRun: true })).toBe(true);
    expect(await poolAction('lab', POOL, 'stop', { dryRun: true })).toEqual({ dryRun: true, command: `virsh -q -c qemu:///system pool-destroy -- ${POOL}` });
    expect(await setPoolAutostart('lab', POOL, { enabled: true, dryRun: true })).toEqual({ dryRun: true, command: `virsh -q -c qemu:///system pool-autostart -- ${POOL}` });
    expect(sys('pool-info', POOL)).toMatch(/State:\s+running[\s\S]*Autostart:\s+no/);
    const d = await previewPoolDelete('lab', POOL, { deleteStorage: true });
    expect(d.commands).toEqual([
      `virsh -q -c qemu:///system pool-destroy -- ${POOL}`,
      `virsh -q -c qemu:///system pool-delete -- ${POOL}`,
      `virsh -q -c qemu:///system pool-undefine -- ${POOL}`,
    ]);
    expect(d.inUse).toEqual([]);
    const vm = await previewPoolDelete('lab', 'vm', {});
    expect(vm.inUse.map((u) => u.usedBy).flat()).toContain('vm001');
    expect(vm.commands.some((c) => c.includes('pool-delete'))).toBe(false);
  });

  it('does not run iscsi-direct discovery (it crashed libvirtd 9.0 on a portal with two targets); validates its inputs', async () => {
    await expect(findPoolSources('lab', 'iscsi-direct', '127.0.0.1', { initiator: 'iqn.2026-11.lab.ksc:console' })).rejects.toMatchObject({ code: 'discovery-unsafe', status: 422 });
    await expect(findPoolSources('lab', 'iscsi', '127.0.0.1', { initiator: '$(touch /tmp/pwned)' })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(findPoolSources('lab', 'netfs', '127.0.0.1;id')).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
