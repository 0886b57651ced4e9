import 'server-only';
import { PassThrough } from 'node:stream';
import { isFilePool } from '@/lib/pool-types';
import type { DomainDto, PoolDto, VolumeDto } from '@/lib/schemas';
import { command } from '../commands/command';
import { call, hasControlChar, parseVirshBatch, splitFrame, stripPrompts, virshBatch, virshBatchTail, type VirshCall, type VirshCallResult } from '../commands/virsh';
import { AppError } from '../errors';
import type { ExecResult, Transport } from '../transport/types';
import { parseDomainXml } from '../xml/domain';
import { parsePoolXml } from '../xml/pool';
import { parseVolumeXml, type VolumeXml } from '../xml/volume';
import { fastVolumeXml } from '../xml/volume-fast';
import { parseList, parseVersion, parseVolList } from './output';

/** Everything the console shows about one host's storage, read in two round trips. */
export interface HostStorage {
  hostname: string | null;
  libvirtVersion: string | null;
  qemuVersion: string | null;
  pools: Array<PoolDto & { xml: string }>;
  /** Volumes by pool name; a pool that is not running has none listed. */
  volumes: Map<string, VolumeDto[]>;
  domains: Array<DomainDto & { xml: string }>;
  /** Objects that vanished or failed between the two round trips (not fatal). */
  warnings: string[];
  roundTrips: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Round trip 1 is one fixed shell script (every value passed as a positional argument, so it
 * is quoted once, by shell.ts) and a pipeline of two virsh processes started together, so the
 * second one starts and connects to libvirtd while the first one works. The first lists pools
 * and domains by UUID (and the lists that give their state); its answer goes straight out, and
 * awk takes the UUIDs from it (between the batch's own markers, only UUID-shaped words: UUIDs
 * need no quoting) and writes the second one's commands to its stdin: each pool's XML, then
 * each running pool's volume names from virsh's completer (`complete -- vol-dumpxml --pool U
 * --vol ""`: one libvirt call per pool, where `vol-list` makes one more per volume to print its
 * path). libvirt 9's `complete` closes virsh's stdin, so the completions go last, all on one
 * line (virsh has read the whole line by then; its next read ends it), and each further close
 * logs "Tried to close invalid fd 0" (LIBVIRT_DEBUG=4 keeps that warning out of the merged
 * output). No temporary files, no FIFOs: everything ends with the exec.
 *
 * The completer escapes spaces (`a\ b`): a pool with a backslash in a name, or whose names
 * section is an error (say, a virsh without `complete`), is listed again with `vol-list` by a
 * third virsh, in the same round trip.
 */
const ROUND_TRIP_1 = [
  'exec 4>&1',
  'out2=$({',
  '  out=$(virsh -c "$1" "$2" 2>&1)',
  `  printf '%s\\n' "$out" >&4`,
  `  uuids() { printf '%s\\n' "$out" | awk -v a="$1" -v b="$2" '$0 == a { f = 1; next } $0 == b { f = 0 } f && /^[0-9a-f-]+$/ { print $1 }'; }`,
  `  uuids "$3" "$4" | awk -v m="$6" '{ printf "echo -- %spool:%s\\npool-dumpxml -- %s\\n", m, $1, $1 }'`,
  `  uuids "$4" "$5" | awk -v m="$6" '{ printf "echo -- %snames:%s; complete -- vol-dumpxml --pool %s --vol \\"\\"; ", m, $1, $1 }'`,
  `  printf 'echo -- %send\\n' "$6"`,
  '} | LIBVIRT_DEBUG=4 virsh -c "$1" 2>&1)',
  // virsh's last prompt has no line break; printf adds one.
  `printf '%s\\n' "$out2"`,
  `tables=$(printf '%s\\n' "$out2" | awk -v m="$6" 'index($0, m) == 1 { k = substr($0, length(m) + 1); u = ""; if (k ~ /^names:[0-9a-f-]+$/) u = substr(k, 7); next } u != "" && (index($0, "\\\\") || /^error: /) { print u; u = "" }' | sort -u | awk -v m="$6" '{ printf "echo -- %stable:%s; vol-list --pool %s; ", m, $1, $1 }')`,
  `if [ -n "$tables" ]; then virsh -c "$1" "$tables echo -- $6end" 2>&1; fi`,
].join('\n');

/**
 * Round trip 2's virsh, opened at the same time as round trip 1: the SSH channel, the login
 * shell, virsh's start and its connection to libvirtd (most of a small host's read) overlap
 * round trip 1, and the batch follows on its stdin as soon as round trip 1 has answered.
 * Nothing outlives the exec: if round trip 1 fails, the stdin closes empty and virsh ends.
 */
const ROUND_TRIP_2 = { program: 'virsh', args: [] as string[], mergeStderr: true };

/** Scale the allowed time with the work: ~4 ms per volume is plenty even on a loaded host. */
const timeoutFor = (base: number, calls: number) => base + calls * 4;

export async function readHostStorage(t: Transport, uri: string, opts: { timeoutMs?: number } = {}): Promise<HostStorage> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  // --- round trip 1: what exists, each pool's XML, and the names of its volumes ---
  const listing = virshBatch(
    uri,
    [
      call('version'),
      call('hostname'),
      call('pool-list', '--all', '--uuid'),
      call('pool-list', '--uuid'),
      call('list', '--all', '--uuid'),
      // A VM's state and persistence from lists (one libvirt call each) rather than `domstate`
      // and `dominfo` per VM (~10 calls per VM): a VM in none of the three states listed
      // (blocked, shutdown, crashed, pmsuspended, or one that changed meanwhile) gets a domstate.
      call('list', '--all', '--uuid', '--persistent'),
      call('list', '--all', '--uuid', '--state-running'),
      call('list', '--all', '--uuid', '--state-paused'),
      call('list', '--all', '--uuid', '--state-shutoff'),
      // A pool's autostart and persistence likewise, instead of a pool-info per pool; its state
      // is whether it is active (libvirt's storage driver reports running exactly then).
      call('pool-list', '--all', '--uuid', '--autostart'),
      call('pool-list', '--all', '--uuid', '--persistent'),
    ],
  );
  const end = `@@ksc-${listing.nonce}:end`;
  const mark = `@@ksc-${listing.nonce}:obj:`;
  const m = (i: number) => `@@ksc-${listing.nonce}:${i}`;
  const rt1 = t.exec(command('sh', '-c', ROUND_TRIP_1, 'ksc-read', uri, listing.command.args[2] ?? '', m(2), m(3), m(4), mark), { timeoutMs });
  // Round trip 2's exec is opened now (after round trip 1's, so it never takes a channel
  // round trip 1 is waiting for); its batch follows on stdin. Its clock starts once it has the
  // batch; until then the exec's own timeout only bounds a round trip 1 that never answers.
  const stdin = new PassThrough();
  const deadline = new AbortController();
  const rt2 = t.exec({ ...ROUND_TRIP_2, args: ['-c', uri] }, { stdinStream: stdin, signal: deadline.signal, timeoutMs: 2 * timeoutMs + 60_000 });
  let r1: ExecResult;
  try {
    r1 = await rt1;
  } catch (e) {
    stdin.end();
    rt2.catch(() => undefined);
    throw e;
  }
  let r2: Promise<ExecResult> | null = null;
  try {
    const at = r1.stdout.indexOf(`\n${end}\n`);
    const head = at >= 0 ? r1.stdout.slice(0, at + end.length + 2) : r1.stdout;
    const rest = at >= 0 ? r1.stdout.slice(at + end.length + 2) : '';
    const [version, hostname, allPools, activePools, allDomains, persistentDomains, running, paused, shutoff, autostartPools, persistentPools] =
      parseVirshBatch(listing, head).map(must);
    const active = new Set(parseList(activePools ?? ''));
    const autostart = new Set(parseList(autostartPools ?? ''));
    const persistentPool = new Set(parseList(persistentPools ?? ''));
    const poolUuids = parseList(allPools ?? '').filter((u) => UUID.test(u));
    const domUuids = parseList(allDomains ?? '').filter((u) => UUID.test(u));
    const persistentDomain = new Set(parseList(persistentDomains ?? ''));
    const listedState = new Map<string, DomainDto['state']>();
    for (const [text, state] of [
      [running, 'running'],
      [paused, 'paused'],
      [shutoff, 'shut off'],
    ] as const)
      for (const u of parseList(text ?? '')) listedState.set(u, state);
    const sections = parseMarkedSections(rest, mark);
    const warnings: string[] = [];

    // --- pools, from round trip 1 ---
    const pools: HostStorage['pools'] = [];
    const poolByUuid = new Map<string, HostStorage['pools'][number]>();
    for (const uuid of poolUuids) {
      const xmlRes = sections.get(`pool:${uuid}`);
      if (!xmlRes?.ok) {
        warnings.push(`pool ${uuid}: ${xmlRes?.error || 'not read'}`);
        continue;
      }
      // A pool deleted between the listing and its pool-dumpxml leaves an empty frame: it is
      // gone, not a malformed answer.
      let p: ReturnType<typeof parsePoolXml>;
      try {
        p = parsePoolXml(xmlRes.output);
      } catch (e) {
        warnings.push(`pool ${uuid}: ${xmlRes.output.trim() ? `unreadable XML (${(e as Error).message})` : 'vanished while the host was read'}`);
        continue;
      }
      const pool = {
        ...p,
        state: (active.has(uuid) ? 'running' : 'inactive') as PoolDto['state'],
        autostart: autostart.has(uuid),
        persistent: persistentPool.has(uuid),
        volumeCount: null,
        volumeCapacity: null,
        xml: xmlRes.output,
      };
      pools.push(pool);
      poolByUuid.set(uuid, pool);
    }

    // --- round trip 2: every domain's XML (and the odd state), and every volume's XML ---
    const calls: VirshCall[] = [];
    const domCalls: Array<{ uuid: string; xml: number; state: number | null }> = [];
    for (const u of domUuids) {
      const xml = calls.push(call('dumpxml', '--', u)) - 1;
      domCalls.push({ uuid: u, xml, state: listedState.has(u) ? null : calls.push(call('domstate', '--', u)) - 1 });
    }
    // Volumes of file pools are named by path (libvirt looks them up by key, then path: 2 calls)
    // rather than pool + name (4 calls), and run as the batch's unframed tail: their outputs
    // delimit themselves.
    const volCalls: VolRequest[] = [];
    const tail: VirshCall[] = [];
    for (const uuid of poolUuids) {
      const pool = poolByUuid.get(uuid);
      if (!pool || !active.has(uuid)) continue;
      const table = sections.get(`table:${uuid}`);
      const names = sections.get(`names:${uuid}`);
      let vols: Array<{ name: string; path: string | null }>;
      if (table) {
        if (!table.ok) {
          warnings.push(`pool ${pool.name}: its volumes could not be listed: ${table.error}`);
          continue;
        }
        vols = parseVolList(table.output).map((v) => ({ name: v.name, path: v.path || null }));
      } else if (names?.ok) {
        // A file pool's volumes are the files in its target directory, at `target/name`.
        const dir = isFilePool(pool.type) && pool.target?.path ? pool.target.path.replace(/\/+$/, '') : null;
        vols = parseCompletions(names.output).map((name) => ({ name, path: dir ? `${dir}/${name}` : null }));
      } else {
        warnings.push(`pool ${pool.name}: its volumes could not be listed: ${names?.error || 'no answer'}`);
        continue;
      }
      for (const v of vols) {
        if (hasControlChar(v.name) || (v.path && hasControlChar(v.path))) {
          warnings.push(`volume ${pool.name}/${JSON.stringify(v.name)} has a control character in its name and was skipped`);
          continue;
        }
        volCalls.push({ pool: pool.name, name: v.name, path: v.path });
        tail.push(v.path ? call('vol-dumpxml', '--', v.path) : call('vol-dumpxml', '--pool', uuid, '--', v.name));
      }
    }
    const results: VirshCallResult[] = [];
    let volXml: Array<string | null> = [];
    let roundTrips = 1;
    if (calls.length || tail.length) {
      const batch = virshBatch(uri, calls, { mode: 'stdin', tail });
      const timer = setTimeout(() => deadline.abort(), timeoutFor(timeoutMs, calls.length + tail.length));
      stdin.end(batch.stdin);
      try {
        r2 = rt2;
        const out = (await rt2).stdout;
        roundTrips++;
        if (calls.length) results.push(...parseVirshBatch(batch, out));
        volXml = splitVolumeOutputs(virshBatchTail(batch, out), volCalls, warnings);
      } finally {
        clearTimeout(timer);
      }
    } else {
      // Nothing to ask (no pools or VMs): its virsh reads the end of its input and exits.
      stdin.end();
      r2 = rt2;
      await rt2;
    }

    // --- assemble ---
    const domains: HostStorage['domains'] = [];
    for (const dc of domCalls) {
      const xmlRes = results[dc.xml];
      if (!xmlRes?.ok) {
        warnings.push(`domain ${dc.uuid}: ${xmlRes?.error ?? 'not read'}`);
        continue;
      }
      let d: ReturnType<typeof parseDomainXml>;
      try {
        d = parseDomainXml(xmlRes.output);
      } catch (e) {
        warnings.push(`domain ${dc.uuid}: ${xmlRes.output.trim() ? `unreadable XML (${(e as Error).message})` : 'vanished while the host was read'}`);
        continue;
      }
      const stateRes = dc.state === null ? null : results[dc.state];
      const state = listedState.get(dc.uuid) ?? ((stateRes?.ok ? stateRes.output.trim() : 'unknown') as DomainDto['state']);
      domains.push({
        name: d.name,
        uuid: d.uuid,
        state: DOMAIN_STATES.has(state) ? state : 'unknown',
        persistent: persistentDomain.has(dc.uuid),
        vcpus: d.vcpus,
        memory: d.memory,
        disks: d.disks,
        xml: xmlRes.output,
      });
    }
    const users = diskUsers(domains);
    const volumes = new Map<string, VolumeDto[]>();
    volCalls.forEach((vc, i) => {
      const xml = volXml[i];
      if (!xml) return;
      const v = readVolumeXml(xml);
      if (v.name !== vc.name || (vc.path !== null && v.path !== vc.path)) {
        warnings.push(`volume ${vc.pool}/${vc.name}: libvirt answered for “${v.name}” at ${v.path}; skipped`);
        return;
      }
      const list = volumes.get(vc.pool) ?? [];
      const by = new Set([...(users.get(v.path) ?? []), ...(users.get(volumeKey(vc.pool, v.name)) ?? [])]);
      list.push({ ...v, pool: vc.pool, usedBy: [...by].sort() });
      volumes.set(vc.pool, list);
    });
    for (const p of pools) {
      if (p.state !== 'running') continue;
      const vols = volumes.get(p.name) ?? [];
      volumes.set(p.name, vols);
      p.volumeCount = vols.length;
      p.volumeCapacity = vols.reduce((sum, v) => sum + v.capacity, 0);
    }
    const ver = parseVersion(version ?? '');
    return {
      hostname: hostname?.trim() || null,
      libvirtVersion: ver.libvirtVersion,
      qemuVersion: ver.qemuVersion,
      pools,
      volumes,
      domains,
      warnings,
      roundTrips,
    };
  } finally {
    // A failure above: round trip 2's virsh reads the end of its input and exits (not awaited:
    // a host that stopped answering would hold the error back until that exec's own timeout).
    if (!r2) {
      stdin.end();
      rt2.catch(() => undefined);
    }
  }
}

const DOMAIN_STATES = new Set<string>(['running', 'blocked', 'paused', 'shutdown', 'shut off', 'crashed', 'pmsuspended', 'unknown']);

/** The listing calls must work; if one fails, libvirt itself is the problem (down, wrong URI). */
function must(r: VirshCallResult): string {
  if (!r.ok) throw new AppError('libvirt-error', r.error, { status: 502, detail: { command: `virsh ${r.call.name}`, stderr: r.error } });
  return r.output;
}

/** The fast reader for libvirt's usual volume XML (thousands per read); the full parser for anything else. */
const readVolumeXml = (xml: string): VolumeXml => fastVolumeXml(xml) ?? parseVolumeXml(xml);

interface VolRequest {
  /** The pool's name. */
  pool: string;
  name: string;
  /** The path the volume was asked for by, or null when asked for by pool and name. */
  path: string | null;
}

/**
 * The unframed vol-dumpxml outputs, in request order: each call printed either one
 * `<volume …>` … `</volume>` document or virsh's `error: ` lines (a volume deleted between the
 * two round trips). Anything else stops the walk rather than risk pairing XML with the wrong volume.
 */
function splitVolumeOutputs(text: string, reqs: VolRequest[], warnings: string[]): Array<string | null> {
  const lines = text.split('\n');
  const out: Array<string | null> = [];
  let i = 0;
  for (const req of reqs) {
    while (i < lines.length && lines[i] === '') i++;
    const line = lines[i] ?? '';
    if (line.startsWith('<volume')) {
      const end = lines.indexOf('</volume>', i);
      if (end < 0) break;
      out.push(lines.slice(i, end + 1).join('\n'));
      i = end + 1;
    } else if (line.startsWith('error: ')) {
      const errs: string[] = [];
      while (i < lines.length && (lines[i] ?? '').startsWith('error: ')) errs.push((lines[i++] ?? '').slice(7));
      warnings.push(`volume ${req.name}: ${errs.join(' — ')}`);
      out.push(null);
    } else break;
  }
  if (out.length < reqs.length) warnings.push(`${reqs.length - out.length} volume(s) could not be read (unexpected virsh output)`);
  return out;
}

interface Section {
  ok: boolean;
  output: string;
  error: string;
  /** Every line of the section, as received. */
  lines: string[];
}

/**
 * Split round trip 1's second part at its `echo -- MARK key` lines into one section per key.
 * Prompts (stdin mode) are stripped and trailing `error: ` lines are the command's failure,
 * exactly as parseVirshBatch does for a frame.
 */
function parseMarkedSections(text: string, mark: string): Map<string, Section> {
  const out = new Map<string, Section>();
  let key: string | null = null;
  let buf: string[] = [];
  const flush = () => {
    if (key === null || key === 'end') return;
    const r = splitFrame(call(key), stripPrompts(buf, true), false);
    out.set(key, { ok: r.ok, output: r.output, error: r.error, lines: buf });
  };
  for (const line of text.split('\n')) {
    if (line.startsWith(mark)) {
      flush();
      key = line.slice(mark.length);
      buf = [];
    } else buf.push(line);
  }
  flush();
  return out;
}

/**
 * The completer's answer: one name per line. With several candidates readline's convention
 * puts their common prefix first, and virsh's `complete` drops it; a pool with a backslash in
 * a name never gets here (it is listed with vol-list instead), so there is no escape to undo.
 */
function parseCompletions(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

const volumeKey = (pool: string, name: string) => `volume\0${pool}\0${name}`;

/**
 * Map each disk to the VMs using it: by source path, and for `<disk type='volume'>` (which
 * names pool and volume instead of a path) by pool and volume name.
 */
function diskUsers(domains: DomainDto[]): Map<string, Set<string>> {
  const users = new Map<string, Set<string>>();
  const add = (key: string, vm: string) => users.set(key, (users.get(key) ?? new Set<string>()).add(vm));
  for (const d of domains)
    for (const disk of d.disks) {
      if (disk.sourcePool && disk.sourceVolume) add(volumeKey(disk.sourcePool, disk.sourceVolume), d.name);
      else if (disk.source) add(disk.source, d.name);
    }
  return users;
}
