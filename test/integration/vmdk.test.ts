import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/server/errors';
import { invalidate } from '@/server/hosts/storage-cache';
import { closeDatabase } from '@/server/db';
import { waitForJob } from '@/server/jobs/jobs';
import { cloneVolume, convertVolume } from '@/server/volumes/job-operations';
import { compareVolumes } from '@/server/volumes/operations';
import { compareVmdk, convertVmdk, deleteVmdk, inspectVmdk, spaceCheck } from '@/server/volumes/vmdk-migration';
import { cleanLab, exists, info, setupEnv, sh, startVm, sys, writePattern } from '../helpers/volumes';

// The VMware-migration server side against the lab, over real SSH: inspect (subformat, adapter,
// extents, measure, refusals), the convert job with -f vmdk, and compare. Every result is
// checked on the host with qemu-img and sha256 of a raw copy. Objects: h7-* pools and VMs.
const P = 'h7-it-vmdk';
const OUT = 'h7-it-out';
const ROOT = '/var/lib/h7-it';
const data = mkdtempSync(path.join(tmpdir(), 'h7-it-data-'));
const M = 1024 * 1024;
const f = (pool: string, n: string) => path.join(ROOT, pool, n);
const rawSha = (file: string, fmt: string) => {
  const tmp = path.join(data, `sha-${Math.random().toString(36).slice(2)}.raw`);
  execFileSync('qemu-img', ['convert', '-U', '-f', fmt, '-O', 'raw', '--', file, tmp]);
  const s = sh(`sha256sum -- '${tmp}'`).split(' ')[0];
  rmSync(tmp);
  return s;
};
const refused = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a refusal');
};

function clean() {
  cleanLab('h7-it-');
  for (const line of sh('losetup -a').split('\n')) if (line.includes(`${ROOT}/`)) sh(`losetup -d ${line.split(':')[0]}`);
  rmSync(ROOT, { recursive: true, force: true });
}
/** A small fs pool (ext4 on a loop device) to run out of space in. */
function tinyPool(name: string, size: string) {
  const img = path.join(ROOT, `${name}.img`);
  sh(`truncate -s ${size} '${img}'`);
  const dev = sh(`losetup -f --show '${img}'`).trim();
  sh(`mkfs.ext4 -q '${dev}'`);
  mkdirSync(path.join(ROOT, name), { recursive: true });
  sys('pool-define-as', name, 'fs', '--source-dev', dev, '--target', path.join(ROOT, name));
  sys('pool-start', name);
}
function pool(name: string) {
  mkdirSync(path.join(ROOT, name), { recursive: true });
  sys('pool-define-as', name, 'dir', '--target', path.join(ROOT, name));
  sys('pool-start', name);
}

beforeAll(() => {
  setupEnv(data);
  clean();
  pool(P);
  pool(OUT);
  // Known content: two patterns and 48 MiB of random data in a 256 MiB disk.
  const raw = path.join(data, 'src.raw');
  execFileSync('qemu-img', ['create', '-q', '-f', 'raw', raw, '256M']);
  writePattern(raw, 'raw', 0x5a, '0', '4M');
  writePattern(raw, 'raw', 0xc3, '200M', '4M');
  sh(`dd if=/dev/urandom of='${raw}' bs=1M count=48 seek=64 conv=notrunc status=none`);
  execFileSync('qemu-img', ['convert', '-f', 'raw', '-O', 'vmdk', '-o', 'subformat=streamOptimized,adapter_type=lsilogic', raw, f(P, 'h7-web.vmdk')]);
  execFileSync('qemu-img', ['convert', '-f', 'raw', '-O', 'vmdk', '-o', 'subformat=monolithicFlat,adapter_type=ide', raw, f(P, 'h7-flat.vmdk')]);
  execFileSync('qemu-img', ['create', '-q', '-f', 'vmdk', '-o', 'subformat=monolithicSparse', f(P, 'h7-busy.vmdk'), '16M']);
  // A descriptor whose extent file never arrived, one pointing outside the pool, and a raw file named .vmdk.
  writeFileSync(f(P, 'h7-lost.vmdk'), sh(`cat '${f(P, 'h7-flat.vmdk')}'`).replace('h7-flat-flat.vmdk', 'h7-lost-flat.vmdk'));
  writeFileSync(f(P, 'h7-evil.vmdk'), sh(`cat '${f(P, 'h7-flat.vmdk')}'`).replace('"h7-flat-flat.vmdk"', '"/etc/hostname"'));
  writeFileSync(f(P, 'h7-notes.vmdk'), 'not a disk\n');
  // An OVA: VMware's tar of the .ovf and a streamOptimized disk.
  writeFileSync(path.join(data, 'h7-app.ovf'), '<Envelope/>\n');
  execFileSync('qemu-img', ['create', '-q', '-f', 'vmdk', '-o', 'subformat=streamOptimized', path.join(data, 'h7-app-disk1.vmdk'), '16M']);
  execFileSync('tar', ['-cf', f(P, 'h7-app.ova'), '-C', data, 'h7-app.ovf', 'h7-app-disk1.vmdk']);
  execFileSync('qemu-img', ['create', '-q', '-f', 'vmdk', f(P, 'h7-thin.vmdk'), '1G']);
  tinyPool('h7-it-tiny', '48M');
  sys('pool-refresh', P);
  invalidate('lab');
}, 120_000);
afterAll(async () => {
  clean();
  await closeDatabase();
  rmSync(data, { recursive: true, force: true });
});

describe('inspect', () => {
  it('streamOptimized: subformat, adapter type, the compressed extent, measure', async () => {
    const r = await inspectVmdk('lab', P, 'h7-web.vmdk');
    expect(r.ok).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ subformat: 'streamOptimized', adapterType: 'lsilogic', hwVersion: '4' });
    expect(r.info).toMatchObject({ format: 'vmdk', virtualSize: 256 * M });
    expect(r.extents).toEqual([{ path: f(P, 'h7-web.vmdk'), type: '', virtualSize: 256 * M, compressed: true, exists: null, size: expect.any(Number), outside: false }]);
    expect(r.measure!.fullyAllocated).toBeGreaterThanOrEqual(256 * M);
    expect(r.measure!.required).toBeGreaterThanOrEqual(16 * M);
    expect(r.measure!.required).toBeLessThan(64 * M);
    expect(r.commands[0]).toBe(`qemu-img info --output=json -- ${f(P, 'h7-web.vmdk')}`);
  });

  it('monolithicFlat: libvirt says raw, qemu-img says vmdk; the -flat extent exists with its size', async () => {
    const r = await inspectVmdk('lab', P, 'h7-flat.vmdk');
    expect(r.volume.format).toBe('raw');
    expect(r.ok).toBe(true);
    expect(r).toMatchObject({ subformat: 'monolithicFlat', adapterType: 'ide' });
    expect(r.extents).toEqual([expect.objectContaining({ path: f(P, 'h7-flat-flat.vmdk'), type: 'FLAT', exists: true, size: 256 * M })]);
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['libvirt-format', 'info']]);
  });

  it('the generic convert, clone and compare refuse a descriptor libvirt calls raw (they would copy its text)', async () => {
    invalidate('lab');
    for (const op of [
      () => convertVolume('lab', P, 'h7-flat.vmdk', { name: 'h7-wrong.qcow2', format: 'qcow2' }),
      () => cloneVolume('lab', P, 'h7-flat.vmdk', { name: 'h7-wrong.vmdk' }),
      () => compareVolumes('lab', P, 'h7-flat.vmdk', { other: { pool: P, name: 'h7-flat.vmdk' } }),
    ]) {
      const e = await op().then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(AppError);
      expect(e).toMatchObject({ code: 'vmdk-descriptor', status: 422 });
      expect((e as AppError).message).toMatch(/Migrate from VMware/);
    }
    expect(exists(f(P, 'h7-wrong.qcow2'))).toBe(false);
    expect(exists(f(P, 'h7-wrong.vmdk'))).toBe(false);
  });

  it('refuses a descriptor whose extent is missing, one pointing outside the pool, a raw file, and an extent file', async () => {
    const lost = await inspectVmdk('lab', P, 'h7-lost.vmdk');
    expect(lost.ok).toBe(false);
    expect(lost.extents).toEqual([expect.objectContaining({ path: f(P, 'h7-lost-flat.vmdk'), exists: false })]);
    expect(lost.problems[0]).toMatchObject({ code: 'extent-missing', severity: 'block' });
    expect(lost.problems[0]!.message).toContain('h7-lost-flat.vmdk');
    expect(lost.infoError).toContain('No such file');

    const evil = await inspectVmdk('lab', P, 'h7-evil.vmdk');
    expect(evil.ok).toBe(false);
    expect(evil.problems.map((p) => p.code)).toContain('extent-outside');

    const notes = await inspectVmdk('lab', P, 'h7-notes.vmdk');
    expect(notes.problems).toEqual([expect.objectContaining({ code: 'not-vmdk', severity: 'block' })]);
    expect(notes.measure).toBeNull();

    const ova = await inspectVmdk('lab', P, 'h7-app.ova');
    expect(ova.problems).toEqual([expect.objectContaining({ code: 'ova', severity: 'block' })]);
    expect(ova.problems[0]!.message).toContain(`holding h7-app.ovf, h7-app-disk1.vmdk. Extract the disk on the host — tar -xf ${f(P, 'h7-app.ova')} -C ${path.join(ROOT, P)} h7-app-disk1.vmdk`);

    const extent = await inspectVmdk('lab', P, 'h7-flat-flat.vmdk');
    expect(extent.problems).toEqual([expect.objectContaining({ code: 'extent-file', message: expect.stringContaining('pick the descriptor h7-flat.vmdk') })]);

    const e = await refused(convertVmdk('lab', P, 'h7-lost.vmdk', { name: 'x.qcow2', pool: OUT, dryRun: true }));
    expect(e).toBeInstanceOf(AppError);
    expect([e.code, e.status]).toEqual(['extent-missing', 409]);
  });

  it('refuses a vmdk a running VM uses', async () => {
    startVm('h7-it-vm', f(P, 'h7-busy.vmdk'), 'vmdk');
    invalidate('lab');
    try {
      const r = await inspectVmdk('lab', P, 'h7-busy.vmdk');
      expect(r.runningUsers).toEqual(['h7-it-vm']);
      expect(r.problems[0]).toMatchObject({ code: 'volume-in-use', severity: 'block' });
      const e = await refused(convertVmdk('lab', P, 'h7-busy.vmdk', { name: 'busy.qcow2', pool: OUT }));
      expect(e.code).toBe('volume-in-use');
      expect(exists(f(OUT, 'busy.qcow2'))).toBe(false);
    } finally {
      sys('destroy', 'h7-it-vm');
      sys('undefine', 'h7-it-vm');
      invalidate('lab');
    }
  }, 60_000);
});

describe('convert and compare', () => {
  it('dry run: the exact command, the space check, nothing written', async () => {
    const r = await convertVmdk('lab', P, 'h7-web.vmdk', { name: 'h7-web.qcow2', pool: OUT, compress: true, options: { clusterSize: '128K' }, dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(r.steps.map((s) => s.command)).toEqual([
      `test '!' -e ${f(OUT, 'h7-web.qcow2')}`,
      `qemu-img convert -p -f vmdk -O qcow2 -c -o cluster_size=131072 -- ${f(P, 'h7-web.vmdk')} ${f(OUT, 'h7-web.qcow2')}`,
      `virsh -q -c qemu:///system pool-refresh -- ${OUT}`,
    ]);
    expect(r.space).toMatchObject({ pool: OUT, verdict: expect.stringMatching(/fits|thin/) });
    expect(exists(f(OUT, 'h7-web.qcow2'))).toBe(false);
  });

  it('streamOptimized → qcow2 in another pool: a job; the result is qcow2 with the same content', async () => {
    const r = await convertVmdk('lab', P, 'h7-web.vmdk', { name: 'h7-web.qcow2', pool: OUT });
    const job = await waitForJob(r.jobId!, 120_000);
    expect(job.state).toBe('succeeded');
    expect(job.progress).toBe(100);
    expect(info(f(OUT, 'h7-web.qcow2')).format).toBe('qcow2');
    expect(rawSha(f(OUT, 'h7-web.qcow2'), 'qcow2')).toBe(rawSha(f(P, 'h7-web.vmdk'), 'vmdk'));
    invalidate('lab');
    expect(await compareVmdk('lab', P, 'h7-web.vmdk', { other: { pool: OUT, name: 'h7-web.qcow2' } })).toMatchObject({ identical: true, message: 'Images are identical.' });
    const again = await refused(convertVmdk('lab', P, 'h7-web.vmdk', { name: 'h7-web.qcow2', pool: OUT, dryRun: true }));
    expect(again.code).toBe('volume-exists');
  });

  it('a monolithicFlat descriptor (raw to libvirt) converts its data, not its text', async () => {
    const r = await convertVmdk('lab', P, 'h7-flat.vmdk', { name: 'h7-flat.qcow2', pool: OUT, compress: true });
    expect((await waitForJob(r.jobId!, 120_000)).state).toBe('succeeded');
    expect(info(f(OUT, 'h7-flat.qcow2'))['virtual-size']).toBe(256 * M);
    expect(rawSha(f(OUT, 'h7-flat.qcow2'), 'qcow2')).toBe(rawSha(f(P, 'h7-flat-flat.vmdk'), 'raw'));
    invalidate('lab');
    // compare says where two images differ
    const diff = await compareVmdk('lab', P, 'h7-flat.vmdk', { other: { pool: P, name: 'h7-busy.vmdk' } });
    expect(diff.identical).toBe(false);
    expect(diff.message).toMatch(/size mismatch|mismatch/i);
  });
});

describe('space check', () => {
  it('against a 48 MiB fs pool: refused when the data does not fit (a warning with -c); a warning when only a full disk would not', async () => {
    const short = await refused(convertVmdk('lab', P, 'h7-web.vmdk', { name: 'web.qcow2', pool: 'h7-it-tiny', dryRun: true }));
    expect([short.code, short.status]).toEqual(['insufficient-space', 409]);
    const space = (short.detail as { space: { verdict: string; required: number; available: number } }).space;
    expect(space.verdict).toBe('short');
    expect(space.required).toBeGreaterThan(space.available);
    expect(short.message).toContain('turn compression on');
    const compressed = await convertVmdk('lab', P, 'h7-web.vmdk', { name: 'web.qcow2', pool: 'h7-it-tiny', compress: true, dryRun: true });
    expect(compressed.space.verdict).toBe('short');
    expect(compressed.warnings[0]).toContain('with compression it may fit');
    const thin = await convertVmdk('lab', P, 'h7-thin.vmdk', { name: 'thin.qcow2', pool: 'h7-it-tiny', dryRun: true });
    expect(thin.space.verdict).toBe('thin');
    expect(thin.warnings[0]).toMatch(/^Fits now .* but not if the guest fills its 1\.0 GiB disk/);
    expect(exists(f('h7-it-tiny', 'web.qcow2'))).toBe(false);
  });

  it('short when the data does not fit, thin when a full disk would not, fits otherwise', () => {
    expect(spaceCheck('p', 100, { required: 101, fullyAllocated: 500 }).verdict).toBe('short');
    expect(spaceCheck('p', 100, { required: 50, fullyAllocated: 500 }).verdict).toBe('thin');
    expect(spaceCheck('p', 1000, { required: 50, fullyAllocated: 500 }).verdict).toBe('fits');
  });
});

describe('delete (descriptor and extents: one operation)', () => {
  it('is refused until the vmdk name is typed, listing every file; then deletes the descriptor and its -flat extent', async () => {
    const g = await refused(deleteVmdk('lab', P, 'h7-flat.vmdk', { dryRun: true }));
    expect([g.code, g.status]).toEqual(['delete-vmdk', 409]);
    expect(g.detail).toMatchObject({ confirmWith: 'h7-flat.vmdk', affected: { volumes: ['h7-flat.vmdk', 'h7-flat-flat.vmdk'] } });
    const wrong = await refused(deleteVmdk('lab', P, 'h7-flat.vmdk', { confirm: 'h7-flat-flat.vmdk' }));
    expect(wrong.code).toBe('delete-vmdk');
    expect(exists(f(P, 'h7-flat-flat.vmdk'))).toBe(true);
    const r = await deleteVmdk('lab', P, 'h7-flat.vmdk', { confirm: 'h7-flat.vmdk' });
    expect(r.steps.map((s) => [s.command.split(' -- ')[1], s.ok])).toEqual([
      ['h7-flat.vmdk', true],
      ['h7-flat-flat.vmdk', true],
    ]);
    expect(exists(f(P, 'h7-flat.vmdk'))).toBe(false);
    expect(exists(f(P, 'h7-flat-flat.vmdk'))).toBe(false);
  });
});
