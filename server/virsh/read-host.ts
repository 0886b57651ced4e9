import 'server-only';
import type { DomainDto, PoolDto, VolumeDto } from '@/lib/schemas';
import { command } from '../commands/command';
import { call, hasControlChar, parseVirshBatch, virshBatch, virshBatchTail, type VirshCall, type VirshCallResult } from '../commands/virsh';
import { AppError } from '../errors';
import type { Transport } from '../transport/types';
import { parseDomainXml } from '../xml/domain';
import { parsePoolXml } from '../xml/pool';
import { parseVolumeXml } from '../xml/volume';
import { parseKeyValues, parseList, parseVersion, parseVolList } from './output';

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
 * is quoted once, by shell.ts): a virsh batch listing pools and domains by UUID, then the
 * volume tables of every running pool. awk takes the running pools' UUIDs from the batch's own
 * output (between two markers) and lets through only UUID-shaped words: UUIDs need no quoting.
 */
const ROUND_TRIP_1 = [
  'out=$(virsh -c "$1" "$2" 2>&1)',
  `printf '%s\\n' "$out"`,
  'echo "$3"',
  `printf '%s\\n' "$out" | awk -v a="$5" -v b="$6" -v m="$4" '$0 == a { f = 1; next } $0 == b { f = 0 } f && /^[0-9a-f-]+$/ { print "echo -- " m $1; print "vol-list --pool " $1 }' | virsh -c "$1" 2>&1`,
].join('\n');

/** Scale the allowed time with the work: ~4 ms per volume is plenty even on a loaded host. */
const timeoutFor = (base: number, calls: number) => base + calls * 4;

export async function readHostStorage(t: Transport, uri: string, opts: { timeoutMs?: number } = {}): Promise<HostStorage> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  // --- round trip 1: what exists ---
  const listing = virshBatch(uri, [
    call('version'),
    call('hostname'),
    call('pool-list', '--all', '--uuid'),
    call('pool-list', '--uuid'),
    call('list', '--all', '--uuid'),
  ]);
  const split = `@@ksc-${listing.nonce}:split`;
  const volMark = `@@ksc-${listing.nonce}:pool:`;
  const [from, to] = [`@@ksc-${listing.nonce}:3`, `@@ksc-${listing.nonce}:4`];
  const r1 = await t.exec(command('sh', '-c', ROUND_TRIP_1, 'ksc-read', uri, listing.command.args[2] ?? '', split, volMark, from, to), {
    timeoutMs,
  });
  const at = r1.stdout.indexOf(`\n${split}\n`);
  const head = at >= 0 ? r1.stdout.slice(0, at + 1) : r1.stdout;
  const rest = at >= 0 ? r1.stdout.slice(at + split.length + 2) : '';
  const [version, hostname, allPools, activePools, allDomains] = parseVirshBatch(listing, head).map(must);
  const active = new Set(parseList(activePools ?? ''));
  const poolUuids = parseList(allPools ?? '').filter((u) => UUID.test(u));
  const domUuids = parseList(allDomains ?? '').filter((u) => UUID.test(u));
  const volNames = parseVolumeTables(rest, volMark);

  // --- round trip 2: every object's XML and state, in one virsh reading commands on stdin ---
  const calls: VirshCall[] = [];
  const warnings: string[] = [];
  for (const u of poolUuids) calls.push(call('pool-dumpxml', '--', u), call('pool-info', '--', u));
  for (const u of domUuids) calls.push(call('dumpxml', '--', u), call('domstate', '--', u), call('dominfo', '--', u));
  // Volumes are named by path (libvirt looks them up by key, then path: 2 calls) rather than
  // pool + name (4 calls), and run as the batch's unframed tail: their outputs delimit themselves.
  const volCalls: VolRequest[] = [];
  const tail: VirshCall[] = [];
  for (const [poolUuid, vols] of volNames) {
    for (const v of vols) {
      if (hasControlChar(v.name) || hasControlChar(v.path)) {
        warnings.push(`volume ${JSON.stringify(v.name)} has a control character in its name and was skipped`);
        continue;
      }
      volCalls.push({ pool: poolUuid, name: v.name, path: v.path });
      tail.push(v.path ? call('vol-dumpxml', '--', v.path) : call('vol-dumpxml', '--pool', poolUuid, '--', v.name));
    }
  }
  const results: VirshCallResult[] = [];
  let volXml: Array<string | null> = [];
  let roundTrips = 1;
  if (calls.length || tail.length) {
    const batch = virshBatch(uri, calls, { mode: 'stdin', tail });
    const r2 = await t.exec(batch.command, { stdin: batch.stdin, timeoutMs: timeoutFor(timeoutMs, calls.length + tail.length) });
    roundTrips++;
    if (calls.length) results.push(...parseVirshBatch(batch, r2.stdout));
    volXml = splitVolumeOutputs(virshBatchTail(batch, r2.stdout), volCalls, warnings);
  }

  // --- assemble ---
  const pools: HostStorage['pools'] = [];
  const poolNameByUuid = new Map<string, string>();
  poolUuids.forEach((uuid, i) => {
    const xmlRes = results[i * 2];
    const infoRes = results[i * 2 + 1];
    if (!xmlRes?.ok || !infoRes?.ok) {
      warnings.push(`pool ${uuid}: ${xmlRes?.error || infoRes?.error || 'not read'}`);
      return;
    }
    const p = parsePoolXml(xmlRes.output);
    const info = parseKeyValues(infoRes.output);
    poolNameByUuid.set(uuid, p.name);
    const state = (info.get('State') ?? (active.has(uuid) ? 'running' : 'inactive')) as PoolDto['state'];
    pools.push({
      ...p,
      state,
      autostart: info.get('Autostart') === 'yes',
      persistent: info.get('Persistent') === 'yes',
      volumeCount: null,
      volumeCapacity: null,
      xml: xmlRes.output,
    });
  });
  const domBase = poolUuids.length * 2;
  const domains: HostStorage['domains'] = [];
  domUuids.forEach((uuid, i) => {
    const [xmlRes, stateRes, infoRes] = [results[domBase + i * 3], results[domBase + i * 3 + 1], results[domBase + i * 3 + 2]];
    if (!xmlRes?.ok) {
      warnings.push(`domain ${uuid}: ${xmlRes?.error ?? 'not read'}`);
      return;
    }
    const d = parseDomainXml(xmlRes.output);
    const state = (stateRes?.ok ? stateRes.output.trim() : 'unknown') as DomainDto['state'];
    const info = infoRes?.ok ? parseKeyValues(infoRes.output) : new Map<string, string>();
    domains.push({
      name: d.name,
      uuid: d.uuid,
      state: DOMAIN_STATES.has(state) ? state : 'unknown',
      persistent: info.get('Persistent') !== 'no',
      vcpus: d.vcpus,
      memory: d.memory,
      disks: d.disks,
      xml: xmlRes.output,
    });
  });
  const users = diskUsers(domains);
  const volumes = new Map<string, VolumeDto[]>();
  volCalls.forEach((vc, i) => {
    const poolName = poolNameByUuid.get(vc.pool);
    const xml = volXml[i];
    if (!poolName || !xml) return;
    const v = parseVolumeXml(xml);
    if (v.name !== vc.name) {
      warnings.push(`volume ${poolName}/${vc.name}: its path answered for “${v.name}”; skipped`);
      return;
    }
    const list = volumes.get(poolName) ?? [];
    const by = new Set([...(users.get(v.path) ?? []), ...(users.get(volumeKey(poolName, v.name)) ?? [])]);
    list.push({ ...v, pool: poolName, usedBy: [...by].sort() });
    volumes.set(poolName, list);
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
}

const DOMAIN_STATES = new Set<string>(['running', 'blocked', 'paused', 'shutdown', 'shut off', 'crashed', 'pmsuspended', 'unknown']);

/** The listing calls must work; if one fails, libvirt itself is the problem (down, wrong URI). */
function must(r: VirshCallResult): string {
  if (!r.ok) throw new AppError('libvirt-error', r.error, { status: 502, detail: { command: `virsh ${r.call.name}`, stderr: r.error } });
  return r.output;
}

interface VolRequest {
  pool: string;
  name: string;
  path: string;
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

/** Split round trip 1's second part into each running pool's volume table. */
function parseVolumeTables(text: string, mark: string): Map<string, Array<{ name: string; path: string }>> {
  const out = new Map<string, Array<{ name: string; path: string }>>();
  let current: string | null = null;
  let buf: string[] = [];
  const flush = () => {
    if (current) out.set(current, parseVolList(buf.filter((l) => !/^virsh [#$] /.test(l)).join('\n')));
  };
  for (const line of text.split('\n')) {
    if (line.startsWith(mark)) {
      flush();
      current = line.slice(mark.length).trim();
      buf = [];
    } else buf.push(line);
  }
  flush();
  return out;
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
