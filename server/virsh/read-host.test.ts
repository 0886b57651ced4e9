/**
 * The host read's shell mechanics (round trip 1's pipeline of two virsh, round trip 2's virsh
 * opened early and fed on stdin, the vol-list fallback) against a fake
 * `virsh` on this machine: a small Python program answering the few commands the read uses, in
 * virsh's interactive (stdin) and batch (argument) forms. The real virsh is exercised by
 * test/integration/read-host.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invocation } from '../commands/command';
import { LocalTransport } from '../transport/local';
import type { ExecOptions, ExecResult, Transport } from '../transport/types';
import { readHostStorage, type HostStorage } from './read-host';

const FAKE = String.raw`#!/usr/bin/env python3
import json, os, shlex, sys
world = json.load(open(os.environ['FAKE_WORLD']))
with open(os.environ['FAKE_WORLD'] + '.starts', 'a') as f: f.write('x\n')
args = sys.argv[1:]
batch = None
i = 0
while i < len(args):
    if args[i] == '-c': i += 2
    elif args[i] == '-q': i += 1
    else: batch = args[i]; i += 1
pools, doms = world['pools'], world['domains']
def out(s): sys.stdout.write(s); sys.stdout.flush()
def err(s): sys.stderr.write('error: ' + s + '\n'); sys.stderr.flush()
def esc(s): return s.replace('&', '&amp;').replace('<', '&lt;').replace("'", '&apos;')
def uuids(xs): out(''.join(x + '\n' for x in xs) + '\n')
def run(w):
    if not w: return
    with open(os.environ['FAKE_WORLD'] + '.log', 'a') as f: f.write(json.dumps(['arg' if batch is not None else 'stdin', w]) + '\n')
    c, rest = w[0], [x for x in w[1:] if x != '--']
    if c == 'echo': out(' '.join(rest) + '\n')
    elif c == 'version': out('Compiled against library: libvirt 9.0.0\nUsing library: libvirt 9.0.0\nUsing API: QEMU 9.0.0\nRunning hypervisor: QEMU 7.2.0\n\n')
    elif c == 'hostname': out('fakehost\n\n')
    elif c == 'pool-list': uuids([u for u, p in pools.items() if ('--all' in rest or p['active']) and ('--autostart' not in rest or p.get('autostart'))])
    elif c == 'list':
        flt = {'--state-running': 'running', '--state-paused': 'paused', '--state-shutoff': 'shut off'}
        st = [flt[a] for a in rest if a in flt]
        uuids([u for u, d in doms.items() if (not st or d['state'] in st) and ('--persistent' not in rest or d['persistent'])])
    elif c == 'pool-dumpxml':
        p = pools[rest[0]]
        out("<pool type='%s'>\n  <name>%s</name>\n  <uuid>%s</uuid>\n  <capacity unit='bytes'>100</capacity>\n  <allocation unit='bytes'>10</allocation>\n  <available unit='bytes'>90</available>\n  <source>\n  </source>\n  <target>\n    <path>%s</path>\n  </target>\n</pool>\n\n" % (p.get('type', 'dir'), esc(p['name']), rest[0], esc(p['dir'])))
    elif c == 'pool-info':
        p = pools[rest[0]]
        out('Name:           %s\nUUID:           %s\nState:          %s\nPersistent:     yes\nAutostart:      no\n\n' % (p['name'], rest[0], 'running' if p['active'] else 'inactive'))
    elif c == 'complete':
        for v in pools[rest[rest.index('--pool') + 1]]['vols']: out(v.replace(' ', '\\ ') + '\n')
    elif c == 'vol-list':
        p = pools[rest[rest.index('--pool') + 1]]
        out(' Name   Path\n------------\n' + ''.join(' %s   %s/%s\n' % (v, p['dir'], v) for v in p['vols']) + '\n')
    elif c == 'dumpxml':
        out("<domain type='kvm'>\n  <name>%s</name>\n  <uuid>%s</uuid>\n  <memory unit='KiB'>1024</memory>\n  <vcpu>1</vcpu>\n  <devices>\n  </devices>\n</domain>\n\n" % (doms[rest[0]]['name'], rest[0]))
    elif c == 'domstate': out(doms[rest[0]]['state'] + '\n\n')
    elif c == 'vol-dumpxml':
        # by path, or by pool and name (then the path is the pool's directory and the name)
        p = rest[-1] if '--pool' not in rest else pools[rest[rest.index('--pool') + 1]]['dir'] + '/' + rest[-1]
        # read again: a volume may be deleted while this virsh runs (between the round trips)
        if os.path.basename(p) in json.load(open(os.environ['FAKE_WORLD'])).get('gone', []): err("failed to get vol '%s'" % p); return
        out("<volume type='file'>\n  <name>%s</name>\n  <key>%s</key>\n  <capacity unit='bytes'>5</capacity>\n  <allocation unit='bytes'>1</allocation>\n  <target>\n    <path>%s</path>\n    <format type='raw'/>\n  </target>\n</volume>\n\n" % (esc(os.path.basename(p)), esc(p), esc(p)))
    else: err('unknown command: ' + c)
def commands(text):
    lex = shlex.shlex(text, posix=True, punctuation_chars=';')
    lex.whitespace_split = True
    cmd, cmds = [], []
    for tok in list(lex) + [';']:
        if tok == ';': cmds.append(cmd); cmd = []
        else: cmd.append(tok)
    return cmds
if batch is not None:
    for cmd in commands(batch): run(cmd)
else:
    # Like libvirt 9: a line may hold several commands, and 'complete' closes stdin.
    for line in sys.stdin:
        out('virsh # ' + line)
        lex = shlex.shlex(line, posix=True, punctuation_chars=';')
        lex.whitespace_split = True
        cmd, ran = [], []
        for tok in list(lex) + [';']:
            if tok == ';': run(cmd); ran.append(cmd[:1]); cmd = []
            else: cmd.append(tok)
        if ['complete'] in ran: break
    out('virsh # ')
`;

const P1 = '11111111-1111-4111-8111-111111111111';
const P2 = '22222222-2222-4222-8222-222222222222';
const P3 = '33333333-3333-4333-8333-333333333333';
const D1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const D2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

let dir: string;
let savedPath: string | undefined;
const world = (w: object) => writeFileSync(path.join(dir, 'world.json'), JSON.stringify(w));
const starts = () => (existsSync(path.join(dir, 'world.json.starts')) ? readFileSync(path.join(dir, 'world.json.starts'), 'utf8').split('\n').filter(Boolean).length : 0);

/** A LocalTransport that records outputs and can act between the round trips. */
class Hooked implements Transport {
  readonly kind = 'local' as const;
  readonly inner = new LocalTransport();
  outputs: string[] = [];
  constructor(readonly between: (out: string) => Promise<void> = async () => {}) {}
  async exec(inv: Invocation, opts: ExecOptions = {}): Promise<ExecResult> {
    const r = await this.inner.exec(inv, opts);
    this.outputs.push(r.stdout);
    if (this.outputs.length === 1) await this.between(r.stdout);
    return r;
  }
  stats() {
    return this.inner.stats();
  }
  close() {
    return this.inner.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hr-fake-virsh-'));
  writeFileSync(path.join(dir, 'virsh'), FAKE);
  chmodSync(path.join(dir, 'virsh'), 0o755);
  savedPath = process.env.PATH;
  process.env.PATH = `${dir}:${savedPath}`;
  process.env.FAKE_WORLD = path.join(dir, 'world.json');
});
afterAll(() => {
  process.env.PATH = savedPath;
  delete process.env.FAKE_WORLD;
  rmSync(dir, { recursive: true, force: true });
});

const base = () => ({
  pools: {
    [P1]: { name: 'p1', dir: '/srv/p1', active: true, autostart: true, vols: ['a.img', "it's.img", 'semi;colon$(x).img'] },
    [P2]: { name: 'p2', dir: '/srv/p2', active: true, vols: ['x.img', 'gone.img'] },
    [P3]: { name: 'p3', dir: '/srv/p3', active: false, vols: [] },
  } as Record<string, { name: string; dir: string; active: boolean; autostart?: boolean; type?: string; vols: string[] }>,
  domains: {
    [D1]: { name: 'vm1', state: 'running', persistent: false },
    [D2]: { name: 'vm2', state: 'crashed', persistent: true },
  },
  gone: ['gone.img'],
});

/** Every command the fake virsh ran since the last call, with the mode of its process. */
const ran = (): Array<['arg' | 'stdin', string[]]> => {
  const f = path.join(dir, 'world.json.log');
  const lines = existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : [];
  rmSync(f, { force: true });
  return lines.map((l) => JSON.parse(l) as ['arg' | 'stdin', string[]]);
};
/** The vol-dumpxml commands among them, as text. */
const volReads = (cmds: ReturnType<typeof ran>) => cmds.filter(([, w]) => w[0] === 'vol-dumpxml').map(([, w]) => w.slice(1).filter((x) => x !== '--').join(' '));
const fresh = () => {
  rmSync(path.join(dir, 'world.json.starts'), { force: true });
  rmSync(path.join(dir, 'world.json.log'), { force: true });
};
const pick = (x: HostStorage) => ({ pools: x.pools, volumes: [...x.volumes], domains: x.domains, warnings: [...x.warnings].sort() });

describe('readHostStorage shell mechanics (fake virsh)', { timeout: 30_000 }, () => {
  it('reads the simple names in round trip 1 (by path) and the names that need quoting in round trip 2', async () => {
    world(base());
    fresh();
    const t = new Hooked();
    const s = await readHostStorage(t, 'qemu:///system');
    expect(s.roundTrips).toBe(2);
    // round trip 1's listing, pools and read-now virsh; round trip 2's (opened early: a first read)
    expect(starts()).toBe(4);
    expect(t.outputs).toHaveLength(2);
    expect(s.pools.map((p) => [p.name, p.state, p.autostart, p.persistent, p.volumeCount])).toEqual([
      ['p1', 'running', true, true, 3],
      ['p2', 'running', false, true, 1],
      ['p3', 'inactive', false, true, null],
    ]);
    expect(s.volumes.get('p1')?.map((v) => [v.name, v.path])).toEqual([
      ['a.img', '/srv/p1/a.img'],
      ["it's.img", "/srv/p1/it's.img"],
      ['semi;colon$(x).img', '/srv/p1/semi;colon$(x).img'],
    ]);
    const cmds = ran();
    // round trip 1's last virsh, in argument mode: every name that needs no quoting, by path
    expect(volReads(cmds.filter(([m]) => m === 'arg'))).toEqual(['/srv/p1/a.img', '/srv/p2/x.img', '/srv/p2/gone.img']);
    // round trip 2: the others, quoted
    expect(volReads(cmds.filter(([m]) => m === 'stdin'))).toEqual(["/srv/p1/it's.img", '/srv/p1/semi;colon$(x).img']);
    expect(t.outputs[1]).toContain(`vol-dumpxml -- '/srv/p1/it'\\''s.img'`);
    expect(t.outputs[1]).not.toContain('a.img');
    expect(s.domains.map((d) => [d.name, d.state, d.persistent])).toEqual([
      ['vm1', 'running', false],
      ['vm2', 'crashed', true],
    ]);
    // a volume gone between its listing and its read (here, in round trip 1) is a warning
    expect(s.warnings).toEqual([`volume gone.img: failed to get vol '/srv/p2/gone.img'`]);
  });

  it('mixed pools (simple and hostile names, a device pool, a target path that needs quoting) read exactly as with everything in round trip 2', async () => {
    const w = base();
    w.pools[P3] = { name: 'p3', type: 'logical', dir: '/dev/vg3', active: true, vols: ['lv0', "lv'1", 'lv:2@x+y', '-dash'] };
    w.pools['44444444-4444-4444-8444-444444444444'] = { name: 'p4', dir: '/srv/my pool', active: true, vols: ['m.img', "q'uote.img", 'gone.img'] };
    world(w);
    fresh();
    const before = await readHostStorage(new Hooked(), 'qemu:///system', { readNowVolumes: 0 });
    expect(volReads(ran().filter(([m]) => m === 'arg'))).toEqual([]); // nothing read in round trip 1
    const t = new Hooked();
    const now = await readHostStorage(t, 'qemu:///system');
    expect(pick(now)).toEqual(pick(before));
    expect(now.volumes.get('p3')?.map((v) => v.name)).toEqual(['lv0', "lv'1", 'lv:2@x+y', '-dash']);
    expect(now.volumes.get('p4')?.map((v) => [v.name, v.path])).toEqual([
      ['m.img', '/srv/my pool/m.img'],
      ["q'uote.img", "/srv/my pool/q'uote.img"],
    ]);
    const cmds = ran();
    // a device pool's volumes and those of a pool whose path needs quoting: by pool UUID and name
    expect(volReads(cmds.filter(([m]) => m === 'arg'))).toEqual([
      '/srv/p1/a.img',
      '/srv/p2/x.img',
      '/srv/p2/gone.img',
      `--pool ${P3} lv0`,
      `--pool ${P3} lv:2@x+y`,
      '--pool 44444444-4444-4444-8444-444444444444 m.img',
      '--pool 44444444-4444-4444-8444-444444444444 gone.img',
    ]);
    expect(volReads(cmds.filter(([m]) => m === 'stdin'))).toEqual([
      "/srv/p1/it's.img",
      '/srv/p1/semi;colon$(x).img',
      `--pool ${P3} lv'1`,
      `--pool ${P3} -dash`,
      "/srv/my pool/q'uote.img",
    ]);
  });

  it('a host whose names all need no quoting is read in one round trip; round trip 2 is opened early only when the last read needed it', async () => {
    const w = base();
    w.pools[P1]!.vols = ['a.img', 'b.qcow2'];
    w.domains[D2].state = 'shut off'; // no domstate to ask either
    world(w);
    const t = new Hooked();
    fresh();
    const first = await readHostStorage(t, 'qemu:///system');
    expect(first.roundTrips).toBe(1);
    expect(t.outputs).toHaveLength(2); // a first read opens round trip 2 early; it is closed empty
    expect(starts()).toBe(4);
    fresh();
    const second = await readHostStorage(t, 'qemu:///system');
    expect(second.roundTrips).toBe(1);
    expect(t.outputs).toHaveLength(3); // one exec
    expect(starts()).toBe(3);
    expect(pick(second)).toEqual(pick(first));
    // a name that needs quoting appears: round trip 2 is opened when round trip 1 has answered
    w.pools[P1]!.vols = ['a.img', 'b.qcow2', 'c d.img'];
    world(w);
    const third = await readHostStorage(t, 'qemu:///system');
    expect(third.roundTrips).toBe(2);
    expect(t.outputs).toHaveLength(5);
    expect(third.volumes.get('p1')?.map((v) => v.name)).toEqual(['a.img', 'b.qcow2', 'c d.img']);
    // ... and with the next read, early again
    const order: string[] = [];
    const watch: Transport = {
      kind: 'local',
      exec: (inv, opts) => {
        order.push(opts?.stdinStream ? 'rt2' : 'rt1');
        return t.exec(inv, opts);
      },
      stats: () => t.stats(),
      close: () => t.close(),
    };
    const fourth = await readHostStorage(watch, 'qemu:///system', {});
    expect(pick(fourth)).toEqual(pick(third));
    expect(order).toEqual(['rt1', 'rt2']);
  });

  it('a host read again: the volumes the last read found are read by round trip 1\'s first virsh, checked against this read\'s names', async () => {
    const w = base();
    w.domains[D2].state = 'shut off';
    world(w);
    const t = new Hooked();
    const first = await readHostStorage(t, 'qemu:///system');
    expect(first.roundTrips).toBe(2); // "it's.img" and the semicolon need quoting
    fresh();
    const again = await readHostStorage(t, 'qemu:///system');
    // hostile names too (quoted in the argument), and gone.img is asked for by the last virsh again
    expect(again.roundTrips).toBe(1);
    expect(starts()).toBe(4); // listing + known volumes, pools, the last virsh, and round trip 2's, opened early (the last read needed it) and closed empty
    expect(pick(again)).toEqual(pick(first));
    let cmds = ran();
    expect(volReads(cmds.filter(([m]) => m === 'arg'))).toEqual([
      '/srv/p1/a.img',
      "/srv/p1/it's.img",
      '/srv/p1/semi;colon$(x).img',
      '/srv/p2/x.img',
      '/srv/p2/gone.img', // not found last time: asked for by the last virsh
    ]);
    const rt1 = t.outputs.slice(2).find((o) => o.includes(':obj:names:')) ?? '';
    expect(rt1).toMatch(/:obj:vol:[0-9a-f-]+:gone\.img$/m);
    expect(rt1).not.toMatch(/:obj:vol:[0-9a-f-]+:x\.img$/m);

    // Meanwhile: a.img deleted (no longer listed), x.img failing while still listed, new
    // volumes (one plain, one that needs quoting), and p1 moved to another directory.
    const w2 = base();
    w2.domains[D2].state = 'shut off';
    w2.pools[P1]!.vols = ["it's.img", 'semi;colon$(x).img', 'new.img', 'new one.img'];
    w2.pools[P2]!.vols = ['x.img', 'y.img', 'gone.img'];
    w2.gone = ['gone.img', 'x.img'];
    world(w2);
    fresh();
    const changed = await readHostStorage(t, 'qemu:///system');
    cmds = ran();
    // round trip 1's first virsh: the known volumes (a.img, gone, is dropped: no longer listed);
    // its last: p2's names it did not know; round trip 2: p1's new names (p1 is listed with
    // vol-list now: 'new one.img' has a space), the known ones excepted
    expect(volReads(cmds.filter(([m]) => m === 'arg'))).toEqual([
      '/srv/p1/a.img',
      "/srv/p1/it's.img",
      '/srv/p1/semi;colon$(x).img',
      '/srv/p2/x.img',
      '/srv/p2/y.img',
      '/srv/p2/gone.img',
    ]);
    expect(volReads(cmds.filter(([m]) => m === 'stdin'))).toEqual(['/srv/p1/new.img', '/srv/p1/new one.img']);
    expect(changed.roundTrips).toBe(2);
    const plain = await readHostStorage(new Hooked(), 'qemu:///system', { readNowVolumes: 0 });
    expect(pick(changed)).toEqual(pick(plain));
    expect(changed.volumes.get('p1')?.map((v) => v.name)).toEqual(["it's.img", 'semi;colon$(x).img', 'new.img', 'new one.img']);
    expect(changed.volumes.get('p2')?.map((v) => v.name)).toEqual(['y.img']);
    expect([...changed.warnings].sort()).toEqual([`volume gone.img: failed to get vol '/srv/p2/gone.img'`, `volume x.img: failed to get vol '/srv/p2/x.img'`]);

    w2.pools[P1]!.dir = '/srv/p1-moved';
    world(w2);
    const moved = await readHostStorage(t, 'qemu:///system');
    expect(moved.volumes.get('p1')?.map((v) => v.path)).toEqual(["/srv/p1-moved/it's.img", '/srv/p1-moved/semi;colon$(x).img', '/srv/p1-moved/new.img', '/srv/p1-moved/new one.img']);
    expect(pick(moved)).toEqual(pick(await readHostStorage(new Hooked(), 'qemu:///system', { readNowVolumes: 0 })));
  });

  it('more names than round trip 1 reads: all of them go to round trip 2, as before', async () => {
    world(base());
    fresh();
    const t = new Hooked();
    const s = await readHostStorage(t, 'qemu:///system', { readNowVolumes: 2 });
    expect(s.roundTrips).toBe(2);
    expect(starts()).toBe(3);
    const cmds = ran();
    expect(volReads(cmds.filter(([m]) => m === 'arg'))).toEqual([]);
    expect(volReads(cmds.filter(([m]) => m === 'stdin'))).toEqual(['/srv/p1/a.img', "/srv/p1/it's.img", '/srv/p1/semi;colon$(x).img', '/srv/p2/x.img', '/srv/p2/gone.img']);
    expect(s.warnings).toEqual([`volume gone.img: failed to get vol '/srv/p2/gone.img'`]);
  });

  it('a volume that needs quoting, deleted between the round trips, is a warning', async () => {
    world(base());
    const t = new Hooked(async () => {
      const w = base();
      w.gone.push("it's.img");
      world(w);
    });
    const s = await readHostStorage(t, 'qemu:///system');
    expect(s.volumes.get('p1')?.map((v) => v.name)).toEqual(['a.img', 'semi;colon$(x).img']);
    expect([...s.warnings].sort()).toEqual([`volume gone.img: failed to get vol '/srv/p2/gone.img'`, `volume it's.img: failed to get vol '/srv/p1/it's.img'`]);
  });

  it('lists a pool whose completions are ambiguous (an escaped space) with vol-list, in the same round trip', async () => {
    const w = base();
    w.pools[P1]!.vols = ['a b.img', 'back\\slash.img', 'c.img'];
    world(w);
    fresh();
    const t = new Hooked();
    const s = await readHostStorage(t, 'qemu:///system');
    expect(s.roundTrips).toBe(2);
    expect(starts()).toBe(5); // round trip 1's two, the fallback, the read-now virsh (p2), and round trip 2's
    expect(s.volumes.get('p1')?.map((v) => [v.name, v.path])).toEqual([
      ['a b.img', '/srv/p1/a b.img'],
      ['back\\slash.img', '/srv/p1/back\\slash.img'],
      ['c.img', '/srv/p1/c.img'],
    ]);
    // the listed-again pool goes to round trip 2 whole; the others' simple names are read now
    const cmds = ran();
    expect(volReads(cmds.filter(([m]) => m === 'arg'))).toEqual(['/srv/p2/x.img', '/srv/p2/gone.img']);
    expect(volReads(cmds.filter(([m]) => m === 'stdin'))).toEqual(['/srv/p1/a b.img', '/srv/p1/back\\slash.img', '/srv/p1/c.img']);
  });

  it('spreads volumes over parallel virsh lanes (argument batches) with the same answer, in order', async () => {
    const w = base();
    const names = Array.from({ length: 23 }, (_, i) => [`v${i}.img`, `it's ${i}.img`, `semi;colon$(x) ${i}.img`][i % 3]!);
    w.pools[P1]!.vols = names;
    w.pools[P2]!.vols = ['x.img', 'gone.img', 'y.img'];
    world(w);
    const one = await readHostStorage(new Hooked(), 'qemu:///system');
    fresh();
    const t = new Hooked();
    // two lanes, each cut into several argument batches of ~3 volumes; nothing read in round trip 1
    const s = await readHostStorage(t, 'qemu:///system', { lanes: 2, laneBatchBytes: 150, readNowVolumes: 0 });
    expect(s.roundTrips).toBe(2);
    expect(starts()).toBeGreaterThan(6);
    expect(t.outputs[1]).toContain(`vol-dumpxml -- '/srv/p1/it'\\''s 1.img'`); // part 1, in stdin mode
    expect(pick(s)).toEqual(pick(one));
    expect(s.volumes.get('p1')?.map((v) => v.name)).toEqual(names);
    expect(s.warnings).toEqual([`volume gone.img: failed to get vol '/srv/p2/gone.img'`]);
    // the raw output holds every volume's XML exactly once, in request order
    const order = [...(t.outputs[1] ?? '').matchAll(/<name>(.*)<\/name>/g)].map((m) => m[1]!.replaceAll('&apos;', "'"));
    expect(order.filter((n) => !n.startsWith('vm'))).toEqual([...names, 'x.img', 'y.img']);
  });

  it('an empty host: round trip 2 is asked nothing and its virsh ends', async () => {
    world({ pools: {}, domains: {}, gone: [] });
    fresh();
    const t = new Hooked();
    const s = await readHostStorage(t, 'qemu:///system');
    expect(s.roundTrips).toBe(1);
    expect(s.pools).toEqual([]);
    expect(s.domains).toEqual([]);
    expect(t.outputs).toHaveLength(2);
  });

  it('a round trip 1 that fails ends round trip 2 too (its stdin closes empty)', async () => {
    world(base());
    const t = new Hooked();
    let execs = 0;
    const failing: Transport = {
      kind: 'local',
      // round trip 1 is the first exec opened
      exec: (inv, opts) => (execs++ === 0 ? Promise.reject(new Error('boom')) : t.exec(inv, opts)),
      stats: () => t.stats(),
      close: () => t.close(),
    };
    await expect(readHostStorage(failing, 'qemu:///system', { openRoundTrip2Early: true })).rejects.toThrow('boom');
    for (let i = 0; i < 100 && t.outputs.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(t.outputs).toHaveLength(1); // round trip 2's exec came back
  });
});
