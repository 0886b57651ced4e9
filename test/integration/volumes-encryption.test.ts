import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachDisk, detachDisk } from '@/server/domains/disks';
import { AppError } from '@/server/errors';
import { hostContext } from '@/server/volumes/context';
import { invalidate } from '@/server/hosts/storage-cache';
import { waitForJob } from '@/server/jobs/jobs';
import { createVolume } from '@/server/volumes/create';
import { volumeFormats } from '@/server/volumes/formats';
import { cloneVolume, convertVolume } from '@/server/volumes/job-operations';
import { checkVolume, deleteVolume, resizeVolume, volumeInfo } from '@/server/volumes/operations';
import { createSnapshot } from '@/server/volumes/snapshots';
import { parseSecretList } from '@/server/virsh/secrets';
import { ROOT, cleanLab, exists, hasPattern, info, makePool, setupEnv, sh, sys, writePattern } from '../helpers/volumes';

// LUKS-encrypted volumes and copies into another pool, through the project's server code over
// SSH to the lab; every result checked on the host (qemu-img with the passphrase, virsh, /proc).
const PREFIX = 'ksc-enc-';
const A = `${PREFIX}a`;
const B = `${PREFIX}b`;
const VM = `${PREFIX}vm`;
const PASS = 'correct horse battery staple 7';
const M = 1024 ** 2;
let dirA = '';
let dirB = '';
const data = mkdtempSync(path.join(tmpdir(), 'ksc-enc-data-'));

const secrets = () => parseSecretList(sys('secret-list'));
const secretOf = (file: string) => secrets().find((s) => s.usage === `volume ${file}`)?.uuid ?? null;
function dropSecrets() {
  for (const s of secrets()) if (s.usage.startsWith(`volume ${ROOT}/${PREFIX}`)) sys('secret-undefine', s.uuid);
}

/** Opens the image's data with a passphrase (a LUKS header check alone would not prove the key). */
function opensWith(file: string, pass: string): boolean {
  const key = path.join(data, 'key');
  writeFileSync(key, pass, { mode: 0o600 });
  try {
    execFileSync('qemu-img', ['check', '-U', '--object', `secret,id=k,file=${key}`, '--image-opts', `driver=qcow2,file.filename=${file},encrypt.key-secret=k`], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(key);
  }
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

beforeAll(() => {
  setupEnv(data);
  cleanLab(PREFIX);
  dropSecrets();
  dirA = makePool(A);
  dirB = makePool(B);
});
afterAll(() => {
  cleanLab(PREFIX);
  dropSecrets();
  rmSync(data, { recursive: true, force: true });
});

describe('LUKS-encrypted qcow2', () => {
  const file = () => path.join(dirA, 'enc.qcow2');

  it('the host offers luks for qcow2 in a dir pool', async () => {
    expect((await volumeFormats('lab', A)).encryption).toEqual(['luks']);
  });

  it('a dry run shows every step, with the passphrase on stdin only and never in the answer', async () => {
    const r = await createVolume('lab', A, { name: 'enc.qcow2', format: 'qcow2', capacity: '64M', encryption: { passphrase: PASS }, dryRun: true });
    expect(r.steps.map((s) => s.command)).toEqual([
      `test '!' -e ${file()}`,
      'virsh -q -c qemu:///system secret-define --file /dev/stdin',
      expect.stringMatching(/^virsh -q -c qemu:\/\/\/system secret-set-value --secret [0-9a-f-]{36} --file \/dev\/stdin --plain$/),
      `qemu-img create --object secret,id=ksc-sec0,file=/dev/stdin,format=raw -f qcow2 -o encrypt.format=luks,encrypt.key-secret=ksc-sec0 -- ${file()} 64M`,
      `virsh -q -c qemu:///system pool-refresh -- ${A}`,
    ]);
    expect(r.steps[1]?.stdin).toContain(`<volume>${file()}</volume>`);
    expect(JSON.stringify(r)).not.toContain('horse');
    expect(exists(file())).toBe(false);
    expect(secretOf(file())).toBeNull();
  });

  it('creates the image encrypted with the passphrase, and a private libvirt secret for its path', async () => {
    const r = await createVolume('lab', A, { name: 'enc.qcow2', format: 'qcow2', capacity: '64M', encryption: { passphrase: PASS } });
    expect(JSON.stringify(r)).not.toContain('horse');
    const i = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', file()], { encoding: 'utf8' })) as { encrypted?: boolean; 'format-specific'?: { data?: { encrypt?: { format?: string } } } };
    expect(i.encrypted).toBe(true);
    expect(i['format-specific']?.data?.encrypt?.format).toBe('luks');
    expect(opensWith(file(), PASS)).toBe(true);
    expect(opensWith(file(), 'wrong passphrase')).toBe(false);
    const uuid = secretOf(file());
    expect(uuid).not.toBeNull();
    expect(sys('secret-dumpxml', uuid!)).toMatch(/private='yes'/);
    // libvirt never hands a private secret's value back.
    expect(() => sys('secret-get-value', uuid!)).toThrow();
  });

  it('the host read marks it as luks; info reads its headers', async () => {
    invalidate('lab');
    const { storage } = await hostContext('lab', { fresh: true });
    expect(storage.volumes.get(A)?.find((v) => v.name === 'enc.qcow2')?.encryption).toBe('luks');
    const r = await volumeInfo('lab', A, 'enc.qcow2');
    expect(r.chain[0]).toMatchObject({ format: 'qcow2', encrypted: true });
  });

  it('a VM uses it: the attached disk names the secret, QEMU opens it, the passphrase is on no command line', async () => {
    const xml = `<domain type='qemu'><name>${VM}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
      <os><type arch='x86_64'>hvm</type></os><devices><memballoon model='none'/><audio id='1' type='none'/></devices></domain>`;
    const f = path.join(data, 'vm.xml');
    writeFileSync(f, xml);
    sys('define', f);
    const r = await attachDisk('lab', VM, { source: { pool: A, volume: 'enc.qcow2' }, live: false, persistent: true });
    expect(r.ok).toBe(true);
    expect(sys('dumpxml', '--inactive', VM)).toMatch(new RegExp(`<encryption format='luks'[^>]*>\\s*<secret type='passphrase' usage='${file()}'/>`));
    sys('start', VM);
    expect(sys('domstate', VM).trim()).toBe('running');
    const pid = readFileSync(`/run/libvirt/qemu/${VM}.pid`, 'utf8').trim();
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    expect(cmdline).toContain(file());
    expect(cmdline).not.toContain('horse');
    sys('destroy', VM);
  });

  it('detaching a LUKS disk with “delete the volume” removes the file and its secret', async () => {
    await createVolume('lab', A, { name: 'enc2.qcow2', format: 'qcow2', capacity: '16M', encryption: { passphrase: PASS } });
    const f2 = path.join(dirA, 'enc2.qcow2');
    expect(secretOf(f2)).not.toBeNull();
    await attachDisk('lab', VM, { source: { pool: A, volume: 'enc2.qcow2' }, target: 'vdb', live: false, persistent: true });
    const r = await detachDisk('lab', VM, 'vdb', { live: false, persistent: true, deleteVolume: true, confirm: 'enc2.qcow2' });
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.title)).toContain('Remove the libvirt secret of enc2.qcow2 (its LUKS passphrase)');
    expect(exists(f2)).toBe(false);
    expect(secretOf(f2)).toBeNull();
  });

  it('operations that need the key are refused with encrypted-image (422); nothing changes', async () => {
    const before = sh(`sha256sum -- '${file()}'`);
    for (const op of [
      () => checkVolume('lab', A, 'enc.qcow2', {}),
      () => convertVolume('lab', A, 'enc.qcow2', { name: 'plain.raw', format: 'raw' }),
      () => cloneVolume('lab', A, 'enc.qcow2', { name: 'enc2.qcow2' }),
      () => createSnapshot('lab', A, 'enc.qcow2', { name: 's1' }),
    ]) {
      const e = await refusal(op());
      expect(e.code).toBe('encrypted-image');
      expect(e.status).toBe(422);
      expect(e.message).toMatch(/LUKS-encrypted/);
    }
    expect(sh(`sha256sum -- '${file()}'`)).toBe(before);
  });

  it('grows through libvirt (vol-resize opens it with the secret); the data still opens with the passphrase', async () => {
    const plan = await resizeVolume('lab', A, 'enc.qcow2', { capacity: '96M', dryRun: true });
    expect(plan.steps[0]?.command).toBe(`virsh -q -c qemu:///system vol-resize --pool ${A} -- enc.qcow2 100663296`);
    await resizeVolume('lab', A, 'enc.qcow2', { capacity: '96M' });
    expect(info(file())['virtual-size']).toBe(96 * M);
    expect(opensWith(file(), PASS)).toBe(true);
  });

  it('refuses to create over a path whose secret already exists, and leaves that secret alone', async () => {
    const other = path.join(dirA, 'taken.qcow2');
    const f = path.join(data, 's.xml');
    writeFileSync(f, `<secret ephemeral='no' private='yes'><usage type='volume'><volume>${other}</volume></usage></secret>`);
    sys('secret-define', f);
    const uuid = secretOf(other);
    const e = await refusal(createVolume('lab', A, { name: 'taken.qcow2', format: 'qcow2', capacity: '16M', encryption: { passphrase: PASS } }));
    expect(e.code).toBe('command-failed');
    expect(JSON.stringify(e.detail)).toMatch(/already defined|already exists/);
    expect(secretOf(other)).toBe(uuid);
    expect(exists(other)).toBe(false);
  });

  it('input errors: short passphrase; a format other than qcow2; a differencing disk', async () => {
    await expect(createVolume('lab', A, { name: 'x.qcow2', capacity: '16M', encryption: { passphrase: 'short' } })).rejects.toThrow(/at least 8/);
    expect((await refusal(createVolume('lab', A, { name: 'x.raw', format: 'raw', capacity: '16M', encryption: { passphrase: PASS } }))).message).toMatch(/qcow2 volumes, not raw/);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', path.join(dirA, 'parent.qcow2'), '16M']);
    sys('pool-refresh', A);
    invalidate('lab');
    const diff = await refusal(createVolume('lab', A, { name: 'x.qcow2', backing: { pool: A, name: 'parent.qcow2' }, encryption: { passphrase: PASS } }));
    expect(diff.message).toMatch(/encrypted differencing disk is not offered/);
    expect(exists(path.join(dirA, 'x.qcow2'))).toBe(false);
  });

  it('delete (confirmed by name) removes the file and its secret', async () => {
    sys('undefine', VM);
    const e = await refusal(deleteVolume('lab', A, 'enc.qcow2', {}));
    expect(e.code).toBe('delete-volume');
    const plan = await deleteVolume('lab', A, 'enc.qcow2', { confirm: 'enc.qcow2', dryRun: true });
    expect(plan.steps.map((s) => s.title)).toEqual(['Delete enc.qcow2', 'Remove the libvirt secret of enc.qcow2 (its LUKS passphrase)']);
    await deleteVolume('lab', A, 'enc.qcow2', { confirm: 'enc.qcow2' });
    expect(exists(file())).toBe(false);
    expect(secretOf(file())).toBeNull();
  });
});

describe('clone into another pool', () => {
  it('copies the data with vol-create-from, keeping the format; the source is untouched', async () => {
    const src = path.join(dirA, 'src.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', src, '32M']);
    writePattern(src, 'qcow2', 0x5a, '1M', '2M');
    sys('pool-refresh', A);
    invalidate('lab');
    const plan = await cloneVolume('lab', A, 'src.qcow2', { name: 'copy.qcow2', pool: B, dryRun: true });
    expect(plan.steps[0]).toMatchObject({
      command: `virsh -q -c qemu:///system vol-create-from --pool ${B} --file /dev/stdin --inputpool ${A} -- src.qcow2`,
      stdin: `<volume>\n  <name>copy.qcow2</name>\n  <capacity unit='bytes'>${32 * M}</capacity>\n  <target>\n    <format type='qcow2'/>\n  </target>\n</volume>`,
    });
    const before = sh(`sha256sum -- '${src}'`);
    const r = await cloneVolume('lab', A, 'src.qcow2', { name: 'copy.qcow2', pool: B });
    const job = await waitForJob(r.jobId!);
    expect(job.state).toBe('succeeded');
    const copy = path.join(dirB, 'copy.qcow2');
    expect(info(copy)).toMatchObject({ format: 'qcow2', 'virtual-size': 32 * M });
    expect(hasPattern(copy, 'qcow2', 0x5a, '1M', '2M')).toBe(true);
    execFileSync('qemu-img', ['compare', '-f', 'qcow2', '-F', 'qcow2', src, copy]);
    expect(sh(`sha256sum -- '${src}'`)).toBe(before);
    expect(readdirSync(dirB)).toContain('copy.qcow2');
  });

  it('refuses a name already taken in the target pool', async () => {
    invalidate('lab');
    const e = await refusal(cloneVolume('lab', A, 'src.qcow2', { name: 'copy.qcow2', pool: B }));
    expect(e.code).toBe('volume-exists');
  });
});
