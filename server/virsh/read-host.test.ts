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
import { readHostStorage } from './read-host';

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
        out("<pool type='dir'>\n  <name>%s</name>\n  <uuid>%s</uuid>\n  <capacity unit='bytes'>100</capacity>\n  <allocation unit='bytes'>10</allocation>\n  <available unit='bytes'>90</available>\n  <source>\n  </source>\n  <target>\n    <path>%s</path>\n  </target>\n</pool>\n\n" % (esc(p['name']), rest[0], esc(p['dir'])))
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
        p = rest[-1]
        if os.path.basename(p) in world.get('gone', []): err("failed to get vol '%s'" % p); return
        out("<volume type='file'>\n  <name>%s</name>\n  <key>%s</key>\n  <capacity unit='bytes'>5</capacity>\n  <allocation unit='bytes'>1</allocation>\n  <target>\n    <path>%s</path>\n    <format type='raw'/>\n  </target>\n</volume>\n\n" % (esc(os.path.basename(p)), esc(p), esc(p)))
    else: err('unknown command: ' + c)
if batch is not None:
    for part in batch.split(';'): run(shlex.split(part))
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
  },
  domains: {
    [D1]: { name: 'vm1', state: 'running', persistent: false },
    [D2]: { name: 'vm2', state: 'crashed', persistent: true },
  },
  gone: ['gone.img'],
});

describe('readHostStorage shell mechanics (fake virsh)', () => {
  it('reads the host with three virsh processes (listing, pools, round trip 2), volumes by path', async () => {
    world(base());
    rmSync(path.join(dir, 'world.json.starts'), { force: true });
    const t = new Hooked();
    const s = await readHostStorage(t, 'qemu:///system');
    expect(s.roundTrips).toBe(2);
    expect(starts()).toBe(3);
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
    expect(t.outputs[1]).toContain(`vol-dumpxml -- '/srv/p1/it'\\''s.img'`);
    expect(s.domains.map((d) => [d.name, d.state, d.persistent])).toEqual([
      ['vm1', 'running', false],
      ['vm2', 'crashed', true],
    ]);
    expect(s.warnings).toEqual([`volume gone.img: failed to get vol '/srv/p2/gone.img'`]);
  });

  it('lists a pool whose completions are ambiguous (an escaped space) with vol-list, in the same round trip', async () => {
    const w = base();
    w.pools[P1]!.vols = ['a b.img', 'back\\slash.img', 'c.img'];
    world(w);
    rmSync(path.join(dir, 'world.json.starts'), { force: true });
    const t = new Hooked();
    const s = await readHostStorage(t, 'qemu:///system');
    expect(s.roundTrips).toBe(2);
    expect(starts()).toBe(4); // round trip 1's two, the fallback, and round trip 2's
    expect(s.volumes.get('p1')?.map((v) => [v.name, v.path])).toEqual([
      ['a b.img', '/srv/p1/a b.img'],
      ['back\\slash.img', '/srv/p1/back\\slash.img'],
      ['c.img', '/srv/p1/c.img'],
    ]);
  });

  it('an empty host: round trip 2 is asked nothing and its virsh ends', async () => {
    world({ pools: {}, domains: {}, gone: [] });
    rmSync(path.join(dir, 'world.json.starts'), { force: true });
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
    const failing: Transport = {
      kind: 'local',
      exec: (inv, opts) => (t.outputs.length === 0 && 'program' in inv && inv.program === 'sh' ? Promise.reject(new Error('boom')) : t.exec(inv, opts)),
      stats: () => t.stats(),
      close: () => t.close(),
    };
    await expect(readHostStorage(failing, 'qemu:///system')).rejects.toThrow('boom');
    for (let i = 0; i < 100 && t.outputs.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(t.outputs).toHaveLength(1); // round trip 2's exec came back
  });
});
