/**
 * readHostStorage over REAL SSH, checked against virsh run locally on the lab host (the lab is
 * this machine): every pool, volume and the VM disks, in at most two round trips however many
 * volumes (one when round trip 1 could read every volume itself).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invocation } from '@/server/commands/command';
import { shQuote } from '@/server/commands/shell';
import type { SshTransport } from '@/server/transport/ssh';
import type { ExecOptions, ExecResult, Transport } from '@/server/transport/types';
import { readHostStorage, type HostStorage } from '@/server/virsh/read-host';
import { labHost, labTransport, local, rand, sysVirsh } from '../helpers/lab';

const URI = 'qemu:///system';
const MiB = 1024 * 1024;

let lab: SshTransport;
beforeAll(() => {
  lab = labTransport('lab');
});
afterAll(async () => {
  await lab?.close();
});

const kv = (text: string) =>
  new Map([...text.matchAll(/^([^:\n]+):\s*(.*)$/gm)].map((m) => [m[1]!.trim(), m[2]!.trim()] as [string, string]));

/** `vol-list POOL` read the simple way (the lab's names have no runs of spaces). */
async function localVolNames(pool: string): Promise<string[]> {
  const out = await sysVirsh('vol-list', '--', pool);
  return out
    .split('\n')
    .map((l) => /^ (.+?) {3,}\S.*$/.exec(l)?.[1])
    .filter((n): n is string => !!n);
}

const poolNames = async () =>
  (await sysVirsh('pool-list', '--all', '--name'))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();

/** The pools lab/up made: checked volume by volume. Other pools (other people's) are checked by name. */
const SEEDED = ['default', 'guest_images_fs', 'storage01', 'vm'];

async function read(t: SshTransport): Promise<{ s: HostStorage; execs: number; ms: number }> {
  const before = t.stats().execs;
  const started = Date.now();
  const s = await readHostStorage(t, URI);
  return { s, execs: t.stats().execs - before, ms: Date.now() - started };
}

describe('readHostStorage on lab (qemu:///system)', () => {
  let s: HostStorage;
  let before: string[];
  let after: string[];

  beforeAll(async () => {
    before = await poolNames();
    const r = await read(lab);
    after = await poolNames();
    s = r.s;
    console.log(`readHostStorage on lab: ${r.ms} ms (${s.pools.length} pools, ${[...s.volumes.values()].reduce((n, v) => n + v.length, 0)} volumes, ${s.roundTrips} round trip(s))`);
    // a first read of the host opens round trip 2 together with round trip 1
    expect(r.execs).toBe(2);
  }, 120_000);

  it('takes at most 2 round trips, and at most 2 execs per read (1 when round trip 1 read everything, last time and now)', async () => {
    expect(s.roundTrips).toBeLessThanOrEqual(2);
    const r = await read(lab);
    expect(r.s.roundTrips).toBeLessThanOrEqual(2);
    expect(r.execs).toBeLessThanOrEqual(2);
    expect(r.execs).toBeGreaterThanOrEqual(r.s.roundTrips);
    if (s.roundTrips === 1 && r.s.roundTrips === 1) expect(r.execs).toBe(1);
    expect(lab.stats().connections).toBe(1);
  }, 120_000);

  it('knows the host', async () => {
    expect(s.hostname).toBe((await sysVirsh('hostname')).trim());
    const ver = kv(await sysVirsh('version'));
    expect(s.libvirtVersion).toBe(ver.get('Using library')?.replace(/^libvirt /, ''));
    expect(s.qemuVersion).toBe(ver.get('Running hypervisor')?.replace(/^QEMU /, ''));
  });

  it('lists every pool with its state, autostart and sizes (pool-info --bytes)', async () => {
    const read = s.pools.map((p) => p.name).sort();
    // Other people may add or remove their own pools meanwhile: every pool that existed before
    // and after the read is in it, and everything in it existed at one of those times.
    expect(read).toEqual(expect.arrayContaining(before.filter((n) => after.includes(n))));
    for (const n of read) expect([...before, ...after]).toContain(n);
    expect(read).toEqual(expect.arrayContaining(SEEDED));
    for (const p of s.pools) {
      if (!after.includes(p.name)) continue;
      const info = kv(await sysVirsh('pool-info', '--bytes', '--', p.name));
      expect(p.uuid, p.name).toBe(info.get('UUID'));
      expect(p.state, p.name).toBe(info.get('State'));
      expect(p.autostart, p.name).toBe(info.get('Autostart') === 'yes');
      expect(p.persistent, p.name).toBe(info.get('Persistent') === 'yes');
      if (p.state !== 'running') continue;
      expect(p.capacity, p.name).toBe(Number(info.get('Capacity')));
      // dir pools share the root filesystem with everything else running here: allow drift.
      const slack = p.type === 'dir' ? 256 * MiB : 0;
      expect(Math.abs(p.allocation - Number(info.get('Allocation'))), `${p.name} allocation`).toBeLessThanOrEqual(slack);
      expect(Math.abs(p.available - Number(info.get('Available'))), `${p.name} available`).toBeLessThanOrEqual(slack);
    }
    const byName = new Map(s.pools.map((p) => [p.name, p]));
    expect(byName.get('vm')).toMatchObject({ type: 'dir', state: 'running', autostart: true, target: { path: '/kvm-vm' } });
    expect(byName.get('storage01')).toMatchObject({ type: 'iscsi-direct', state: 'running', autostart: false });
    expect(byName.get('guest_images_fs')).toMatchObject({ type: 'fs', target: { path: '/guest_images2' } });
  });

  it('lists every volume with capacity, allocation and format', async () => {
    let checked = 0;
    for (const p of s.pools.filter((x) => x.state === 'running' && SEEDED.includes(x.name))) {
      const vols = s.volumes.get(p.name) ?? [];
      const names = await localVolNames(p.name);
      expect(vols.map((v) => v.name).sort(), p.name).toEqual([...names].sort());
      expect(p.volumeCount).toBe(names.length);
      expect(p.volumeCapacity).toBe(vols.reduce((n, v) => n + v.capacity, 0));
      for (const v of vols) {
        const info = kv(await sysVirsh('vol-info', '--bytes', '--pool', p.name, '--', v.name));
        expect(v.capacity, v.name).toBe(Number(info.get('Capacity')?.replace(/ bytes$/, '')));
        expect(v.allocation, v.name).toBe(Number(info.get('Allocation')?.replace(/ bytes$/, '')));
        expect(v.type, v.name).toBe(info.get('Type'));
        const xml = await sysVirsh('vol-dumpxml', '--pool', p.name, '--', v.name);
        const target = /<target>([\s\S]*?)<\/target>/.exec(xml)?.[1] ?? '';
        expect(v.format, v.name).toBe(/<format type='([^']+)'/.exec(target)?.[1] ?? null);
        expect(v.pool).toBe(p.name);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10); // vm 5, guest_images_fs 2, storage01 3
    expect(s.warnings.filter((w) => SEEDED.some((p) => w.includes(p)))).toEqual([]);
    const vm = new Map((s.volumes.get('vm') ?? []).map((v) => [v.name, v]));
    expect(vm.get('base-centos7.qcow2')).toMatchObject({ format: 'qcow2', capacity: 1024 * MiB, backingStore: null });
    expect(vm.get('vmtest01.img')).toMatchObject({ format: 'raw', capacity: 512 * MiB });
    const luns = (s.volumes.get('storage01') ?? []).map((v) => [v.name, v.type, v.format, v.capacity]);
    expect(luns).toEqual(
      expect.arrayContaining([
        ['unit:0:0:1', 'network', null, expect.any(Number)],
        ['unit:0:0:2', 'network', null, expect.any(Number)],
      ]),
    );
  });

  it("oa-disk0's backing file is /kvm-vm/base-centos7.qcow2", () => {
    const oa = (s.volumes.get('vm') ?? []).find((v) => v.name === 'oa-disk0.qcow2');
    expect(oa?.backingStore).toEqual({ path: '/kvm-vm/base-centos7.qcow2', format: 'qcow2' });
    const vm001 = (s.volumes.get('vm') ?? []).find((v) => v.name === 'centos7-vm001.qcow2');
    expect(vm001?.backingStore?.path).toBe('/kvm-vm/base-centos7.qcow2');
  });

  it('vm001 uses centos7-vm001.qcow2 (domblklist)', async () => {
    const blk = (await sysVirsh('domblklist', 'vm001'))
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((w) => w.length === 2 && w[0] !== 'Target' && !w[0]!.startsWith('-'));
    const vm001 = s.domains.find((d) => d.name === 'vm001');
    expect(vm001).toBeDefined();
    expect(vm001?.state).toBe((await sysVirsh('domstate', 'vm001')).trim());
    expect(vm001?.disks.map((d) => [d.target, d.source])).toEqual(blk);
    expect(vm001?.disks[0]?.source).toBe('/kvm-vm/centos7-vm001.qcow2');
    const vol = (s.volumes.get('vm') ?? []).find((v) => v.name === 'centos7-vm001.qcow2');
    expect(vol?.usedBy).toEqual(['vm001']);
    const vm002 = s.domains.find((d) => d.name === 'vm002');
    expect(vm002?.state).toBe('shut off');
    expect((s.volumes.get('vm') ?? []).find((v) => v.name === 'oa-disk0.qcow2')?.usedBy).toEqual(['vm002']);
    const names = (await sysVirsh('list', '--all', '--name')).split('\n').map((l) => l.trim()).filter(Boolean).sort();
    expect(s.domains.map((d) => d.name).sort()).toEqual(names);
  });
});

describe('readHostStorage with many volumes', () => {
  const POOL = `ksc-test-many-${rand()}`;
  const DIR = `/tmp/${POOL}`;
  const COUNT = 300;
  const name = (i: number) => (i % 10 === 3 ? `vol ${String(i).padStart(3, '0')} with spaces.img` : `vol-${String(i).padStart(3, '0')}.${i % 25 === 0 ? 'qcow2' : 'img'}`);

  beforeAll(async () => {
    mkdirSync(DIR, { recursive: true });
    const run = promisify(execFile);
    for (let i = 0; i < COUNT; i++) {
      const n = name(i);
      if (n.endsWith('.qcow2')) await run('qemu-img', ['create', '-q', '-f', 'qcow2', path.join(DIR, n), `${i + 1}M`]);
      else {
        writeFileSync(path.join(DIR, n), '');
        truncateSync(path.join(DIR, n), (i + 1) * MiB);
      }
    }
    await sysVirsh('pool-define-as', POOL, 'dir', '--target', DIR);
    await sysVirsh('pool-start', '--', POOL);
    await sysVirsh('pool-refresh', '--', POOL);
    expect(readdirSync(DIR)).toHaveLength(COUNT);
  }, 120_000);

  afterAll(async () => {
    await sysVirsh('pool-destroy', '--', POOL).catch(() => '');
    await sysVirsh('pool-undefine', '--', POOL).catch(() => '');
    rmSync(DIR, { recursive: true, force: true });
    const left = (await sysVirsh('pool-list', '--all', '--name')).split('\n').filter((n) => n.trim() === POOL);
    expect(left).toEqual([]);
  });

  it(`lists all ${COUNT} volumes in 2 round trips`, async () => {
    const { s, execs, ms } = await read(lab);
    console.log(`readHostStorage with a ${COUNT}-volume pool: ${ms} ms, ${s.roundTrips} round trips, ${execs} execs`);
    expect(s.roundTrips).toBe(2);
    expect(execs).toBe(2);
    const vols = s.volumes.get(POOL) ?? [];
    expect(vols).toHaveLength(COUNT);
    expect(vols.map((v) => v.name).sort()).toEqual(Array.from({ length: COUNT }, (_, i) => name(i)).sort());
    for (let i = 0; i < COUNT; i++) {
      const v = vols.find((x) => x.name === name(i));
      expect(v, name(i)).toMatchObject({ capacity: (i + 1) * MiB, format: name(i).endsWith('.qcow2') ? 'qcow2' : 'raw', path: path.join(DIR, name(i)) });
    }
    expect(s.pools.find((p) => p.name === POOL)).toMatchObject({ volumeCount: COUNT, state: 'running' });
    expect(s.warnings.filter((w) => w.includes(POOL))).toEqual([]);
  }, 120_000);
});

describe('readHostStorage and volume names outside ASCII', () => {
  const POOL = `ksc-test-names-${rand()}`;
  const DIR = `/tmp/${POOL}`;
  const NAMES = ['plain.img', 'with space.img', 'é-accent.img', 'emoji-😀.img', 'שלום.img'];

  let s: HostStorage;
  beforeAll(async () => {
    mkdirSync(DIR, { recursive: true });
    for (const n of NAMES) {
      writeFileSync(path.join(DIR, n), '');
      truncateSync(path.join(DIR, n), MiB);
    }
    await sysVirsh('pool-define-as', POOL, 'dir', '--target', DIR);
    await sysVirsh('pool-start', '--', POOL);
    s = (await read(lab)).s;
  }, 120_000);

  afterAll(async () => {
    await sysVirsh('pool-destroy', '--', POOL).catch(() => '');
    await sysVirsh('pool-undefine', '--', POOL).catch(() => '');
    rmSync(DIR, { recursive: true, force: true });
  });

  it('libvirt itself lists them', async () => {
    const out = await local('env', 'LC_ALL=C.UTF-8', 'virsh', '-q', '-c', URI, 'vol-list', '--', POOL);
    for (const n of NAMES) expect(out).toContain(n);
  });

  // Regression: in the C locale virsh's table printer replaces each byte it deems non-printable
  // — all of UTF-8 — with the text `\xff`, so `vol-list` showed `é-accent.img` as
  // `\xff\xff-accent.img` and the volume was dropped. Commands now run with LC_ALL=C.UTF-8.
  it('lists volumes whose names are not ASCII', () => {
    expect((s.volumes.get(POOL) ?? []).map((v) => v.name).sort()).toEqual([...NAMES].sort());
  });

  it('names with spaces are listed, and the unicode names are reported as warnings, not silently lost', () => {
    const names = (s.volumes.get(POOL) ?? []).map((v) => v.name);
    expect(names).toEqual(expect.arrayContaining(['plain.img', 'with space.img']));
    const missing = NAMES.filter((n) => !names.includes(n));
    const warnings = s.warnings.filter((w) => w.startsWith(`volume ${POOL}/`));
    expect(warnings).toHaveLength(missing.length);
  });
});

describe('readHostStorage on lab2 (qemu:///session)', () => {
  it('reads pool images with its 4 volumes, and web01 uses web01.qcow2', async () => {
    const h = labHost('lab2');
    const t = labTransport('lab2');
    try {
      const s = await readHostStorage(t, h.uri);
      expect(s.roundTrips).toBeLessThanOrEqual(2);
      expect(t.stats().execs).toBeLessThanOrEqual(2);
      const images = s.pools.find((p) => p.name === 'images');
      expect(images).toMatchObject({ type: 'dir', state: 'running', autostart: true, volumeCount: 4 });
      const home = images?.target.path?.replace(/\/images$/, '') ?? '';
      expect(home).toMatch(/^\/.+/);
      const vols = s.volumes.get('images') ?? [];
      expect(vols.map((v) => v.name).sort()).toEqual(['scratch.raw', 'template-debian12.qcow2', 'web01.qcow2', 'web02.qcow2']);
      expect(vols.map((v) => v.name).sort()).toEqual(readdirSync(`${home}/images`).sort());
      const web01 = s.domains.find((d) => d.name === 'web01');
      expect(web01?.disks.map((d) => d.source)).toEqual([`${home}/images/web01.qcow2`]);
      const vol = vols.find((v) => v.name === 'web01.qcow2');
      expect(vol?.usedBy).toEqual(['web01']);
      expect(vol?.backingStore?.path).toBe(`${home}/images/template-debian12.qcow2`);
      expect(vols.find((v) => v.name === 'scratch.raw')).toMatchObject({ format: 'raw', capacity: 256 * MiB, usedBy: [] });
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe('readHostStorage reads file-pool volumes by path', () => {
  const TAG = rand();
  // Names from the completer (no spaces or backslashes), read by target/name: those that need
  // no quoting in round trip 1, the others in round trip 2.
  const QUOTED = `hr-quoted-${TAG}`;
  const QUOTED_DIR = `/tmp/${QUOTED}`;
  const PLAIN_NAMES = ['plain.img', 'v-1_2+x.qcow2', 'lun:0@a'];
  const QUOTED_NAMES = [...PLAIN_NAMES, "it's.img", 'say"hi".img', '-dash.img', 'semi;colon$(x)`y`#.img', "vanishes'.img"];
  // The completer escapes spaces with a backslash, so a space or a backslash in a name sends the
  // pool to the vol-list fallback; its volumes are still read by the paths vol-list printed.
  const SLASHED = `hr-slashed-${TAG}`;
  const SLASHED_DIR = `/tmp/${SLASHED}`;
  const SLASHED_NAMES = ['back\\slash.img', 'back\\ space.img', 'two  spaces.img', 'trailing\\', "quote'\\\" x.img", 'ok.img'];

  /**
   * Records what each exec was sent on stdin (round trip 2's comes as a stream), and runs
   * `between` when the first exec (round trip 1) has answered, before the read sees it: so
   * before round trip 2 gets its batch.
   */
  class Hooked implements Transport {
    readonly kind = 'ssh' as const;
    stdins: string[] = [];
    outputs: string[] = [];
    private calls = 0;
    constructor(
      readonly inner: Transport,
      readonly between: () => Promise<void>,
    ) {}
    async exec(inv: Invocation, opts: ExecOptions = {}): Promise<ExecResult> {
      const n = this.calls++;
      this.stdins[n] = typeof opts.stdin === 'string' ? opts.stdin : '';
      let o = opts;
      if (opts.stdinStream) {
        const tee = new PassThrough();
        opts.stdinStream.on('data', (c: Buffer) => {
          this.stdins[n] += c.toString('utf8');
          tee.write(c);
        });
        opts.stdinStream.on('end', () => tee.end());
        o = { ...opts, stdinStream: tee };
      }
      const r = await this.inner.exec(inv, o);
      this.outputs[n] = r.stdout;
      if (n === 0) await this.between();
      return r;
    }
    stats() {
      return this.inner.stats();
    }
    close() {
      return this.inner.close();
    }
  }

  beforeAll(async () => {
    for (const [pool, dir, names] of [
      [QUOTED, QUOTED_DIR, QUOTED_NAMES],
      [SLASHED, SLASHED_DIR, SLASHED_NAMES],
    ] as const) {
      mkdirSync(dir, { recursive: true });
      names.forEach((n, i) => {
        writeFileSync(path.join(dir, n), '');
        truncateSync(path.join(dir, n), (i + 1) * MiB);
      });
      await sysVirsh('pool-define-as', pool, 'dir', '--target', dir);
      await sysVirsh('pool-start', '--', pool);
    }
  }, 120_000);

  afterAll(async () => {
    for (const [pool, dir] of [
      [QUOTED, QUOTED_DIR],
      [SLASHED, SLASHED_DIR],
    ] as const) {
      await sysVirsh('pool-destroy', '--', pool).catch(() => '');
      await sysVirsh('pool-undefine', '--', pool).catch(() => '');
      rmSync(dir, { recursive: true, force: true });
    }
    const left = (await sysVirsh('pool-list', '--all', '--name')).split('\n').filter((n) => n.includes(TAG));
    expect(left).toEqual([]);
  });

  it('reads every name exactly, by path where the pool is a directory, and reports a volume deleted between the round trips', async () => {
    const hooked = new Hooked(lab, async () => {
      await sysVirsh('vol-delete', '--pool', QUOTED, '--', "vanishes'.img");
    });
    const s = await readHostStorage(hooked, URI);
    expect(s.roundTrips).toBe(2);
    expect(hooked.stdins).toHaveLength(2);

    const quoted = s.volumes.get(QUOTED) ?? [];
    const expected = QUOTED_NAMES.filter((n) => n !== "vanishes'.img");
    expect(quoted.map((v) => v.name).sort()).toEqual([...expected].sort());
    for (const v of quoted) {
      const i = QUOTED_NAMES.indexOf(v.name);
      expect(v, v.name).toMatchObject({ path: path.join(QUOTED_DIR, v.name), capacity: (i + 1) * MiB, pool: QUOTED });
    }
    // Round trip 1 read the names that need no quoting; round trip 2 named the others by path
    // (virshQuote'd), never by pool and name.
    const uuid = s.pools.find((p) => p.name === QUOTED)?.uuid ?? '';
    const rt1 = hooked.outputs[0] ?? '';
    const rt2 = hooked.stdins[1] ?? '';
    for (const n of PLAIN_NAMES) {
      expect(rt1, n).toMatch(new RegExp(`^@@ksc-[0-9a-f]+:obj:vol:${uuid}:${n.replace(/[.+]/g, '\\$&')}$`, 'm'));
      expect(rt2, n).not.toContain(path.join(QUOTED_DIR, n));
    }
    for (const n of QUOTED_NAMES.filter((x) => !PLAIN_NAMES.includes(x))) expect(rt2, n).toContain(`vol-dumpxml -- ${shQuote(path.join(QUOTED_DIR, n))}`);
    expect(rt2).not.toContain(`--pool ${shQuote(QUOTED)}`);
    // The vanished volume is a warning, not an error and not a wrong pairing.
    expect(s.warnings.filter((w) => w.includes("vanishes'.img"))).toHaveLength(1);
    expect(s.pools.find((p) => p.name === QUOTED)).toMatchObject({ volumeCount: expected.length });

    const slashed = s.volumes.get(SLASHED) ?? [];
    expect(slashed.map((v) => v.name).sort()).toEqual([...SLASHED_NAMES].sort());
    for (const v of slashed) {
      const i = SLASHED_NAMES.indexOf(v.name);
      expect(v, v.name).toMatchObject({ path: path.join(SLASHED_DIR, v.name), capacity: (i + 1) * MiB, pool: SLASHED });
    }
    // A pool listed again with vol-list goes to round trip 2 whole, its plain names too.
    for (const n of SLASHED_NAMES) expect(rt2, n).toContain(`vol-dumpxml -- ${shQuote(path.join(SLASHED_DIR, n))}`);
    expect(s.warnings.filter((w) => w.includes(SLASHED))).toEqual([]);
  }, 120_000);

  it('mixed pools read exactly as when round trip 2 reads every volume', async () => {
    const ours = (x: HostStorage) => ({
      pools: x.pools.filter((p) => p.name.includes(TAG)).map(({ allocation: _a, available: _b, xml: _x, ...p }) => p),
      volumes: [QUOTED, SLASHED].map((p) => x.volumes.get(p)),
      warnings: x.warnings.filter((w) => w.includes(TAG) || QUOTED_NAMES.some((n) => w.includes(n))),
    });
    // round trip 2 reads every volume (as before round trip 1 read any) …
    const all = await readHostStorage(lab, URI, { readNowVolumes: 0, readKnownVolumes: false });
    // … round trip 1 reads the plain names (a transport with no last read of the host) …
    const now = await readHostStorage({ kind: lab.kind, exec: (i, o) => lab.exec(i, o), stats: () => lab.stats(), close: async () => {} }, URI);
    // … and, read again, the volumes the last read found, hostile names included
    await readHostStorage(lab, URI);
    const again = await readHostStorage(lab, URI);
    expect(ours(now)).toEqual(ours(all));
    expect(ours(again)).toEqual(ours(all));
    expect(ours(now).volumes.map((v) => v?.length)).toEqual([QUOTED_NAMES.length - 1, SLASHED_NAMES.length]);
  }, 120_000);

  it('a pool stopped between the round trips leaves warnings for its volumes, not an error', async () => {
    const pool = `hr-gone-${TAG}`;
    const dir = `/tmp/${pool}`;
    mkdirSync(dir, { recursive: true });
    // a name that needs quoting, so round trip 2 reads it (round trip 1 reads the plain ones)
    writeFileSync(path.join(dir, "x'.img"), '');
    await sysVirsh('pool-create-as', pool, 'dir', '--target', dir);
    try {
      const hooked = new Hooked(lab, async () => {
        await sysVirsh('pool-destroy', '--', pool);
      });
      const s = await readHostStorage(hooked, URI);
      expect(s.roundTrips).toBe(2);
      expect(s.pools.find((p) => p.name === pool)).toMatchObject({ state: 'running', volumeCount: 0 });
      expect(s.warnings.filter((w) => w.includes("x'.img"))).toHaveLength(1);
      expect(s.volumes.get(QUOTED)?.length).toBeGreaterThan(0);
    } finally {
      await sysVirsh('pool-destroy', '--', pool).catch(() => '');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
