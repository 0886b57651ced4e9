import 'server-only';
import { PassThrough } from 'node:stream';
import { isFilePool, POOL_TYPES } from '@/lib/pool-types';
import type { DomainDto, PoolDto, VolumeDto } from '@/lib/schemas';
import { command } from '../commands/command';
import {
  call,
  hasControlChar,
  parseVirshBatch,
  renderVirshCall,
  splitFrame,
  stripPrompts,
  virshBatch,
  virshBatchTail,
  type VirshBatch,
  type VirshCall,
  type VirshCallResult,
} from '../commands/virsh';
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
 * Round trip 1's last step reads the volumes it can name without quoting, so a typical host is
 * read in one round trip (round trip 2 then has nothing to do). It is fed round trip 1's own
 * answer: each pool's XML gives its type and target path, each running pool's `names:`
 * section its volume names. A name that is only [A-Za-z0-9._+:@-] (and does not start with
 * `-`) needs no quoting for virsh; it is read by path (`target/name`) in a file pool whose
 * target path needs no quoting either, by `--pool UUID name` otherwise. A pool whose names
 * section has a backslash or an error (it goes to the vol-list fallback) is left out, and so
 * is everything if the names are more than `max` or the batch would pass 100,000 bytes (one
 * argument is capped at 128 KiB): round trip 2, with its lanes, reads those as before. Each
 * volume is preceded by `echo -- MARKvol:UUID:NAME`, so the answer says exactly what was read;
 * whatever it does not cover (the other names, vanished volumes excepted) goes to round trip 2.
 * It leaves out the volumes round trip 1's first virsh already read (`skip`: `UUID:NAME` words,
 * the ones the last read found; see lastRead).
 * No single quote in it (it sits in the script's single quotes): `.` stands for the quote
 * around the pool's type.
 */
const READ_NOW_AWK = [
  'BEGIN { nk = split(skip, ks, " "); for (i = 1; i <= nk; i++) known[ks[i]] = 1 }',
  'function flush(  i, d, r) {',
  '  if (u != "" && !bad) for (i = 0; i < n; i++) {',
  '    if ((u ":" v[i]) in known) continue',
  '    d = dir[u]',
  String.raw`    if (index(ft, " " type[u] " ") && d ~ /^\/[A-Za-z0-9._+:@\/-]*$/) { sub(/\/+$/, "", d); r = "vol-dumpxml -- " d "/" v[i] }`,
  '    else r = "vol-dumpxml --pool " u " -- " v[i]',
  '    if (++cnt > max || length(out) > 100000) { over = 1; break }',
  '    out = out "echo -- " m "vol:" u ":" v[i] "; " r "; "',
  '  }',
  '  u = ""',
  '}',
  'index($0, m) == 1 {',
  '  flush(); k = substr($0, length(m) + 1); p = ""; tg = 0',
  '  if (k ~ /^pool:[0-9a-f-]+$/) p = substr(k, 6)',
  '  else if (k ~ /^names:[0-9a-f-]+$/) { u = substr(k, 7); bad = 0; n = 0 }',
  '  next',
  '}',
  'p != "" && match($0, /<pool type=.[a-z-]+./) { type[p] = substr($0, RSTART + 12, RLENGTH - 13) }',
  String.raw`p != "" && /<target>/ { tg = 1 }`,
  String.raw`p != "" && /<\/target>/ { tg = 0 }`,
  String.raw`p != "" && tg && match($0, /<path>.*<\/path>/) { dir[p] = substr($0, RSTART + 6, RLENGTH - 13) }`,
  String.raw`u != "" { if (index($0, "\\") || /^error: /) bad = 1; else if ($0 ~ /^[A-Za-z0-9._+:@][A-Za-z0-9._+:@-]*$/) v[n++] = $0 }`,
  'END { flush(); if (!over) printf "%s", out }',
].join('\n');

/**
 * Round trip 1 is one fixed shell script (every value passed as a positional argument, so it
 * is quoted once, by shell.ts) and a pipeline of two virsh processes started together, so the
 * second one starts and connects to libvirtd while the first one works. The first lists VMs
 * and pools by UUID (and the lists that give their state), then reads the volumes the last
 * read of the host found (see lastRead) while the second works; one awk passes its answer straight
 * out (on its stderr, as it reads it) and takes the UUIDs from it (between the batch's own
 * markers, only UUID-shaped words: UUIDs need no quoting), writing the second one's commands to
 * its stdin as each list arrives: each VM's XML (the VMs are listed first, so their XML, the
 * slowest part for a running VM, is read while the first virsh lists the rest), each pool's
 * XML, then each running pool's volume names from virsh's completer (`complete -- vol-dumpxml
 * --pool U --vol ""`: one libvirt call per pool, where `vol-list` makes one more per volume to
 * print its path). libvirt 9's `complete` closes virsh's stdin, so the completions go last, all on one
 * line (virsh has read the whole line by then; its next read ends it), and each further close
 * logs "Tried to close invalid fd 0" (LIBVIRT_DEBUG=4 keeps that warning out of the merged
 * output). No temporary files, no FIFOs: everything ends with the exec.
 *
 * The completer escapes spaces (`a\ b`): a pool with a backslash in a name, or whose names
 * section is an error (say, a virsh without `complete`), is listed again with `vol-list` by a
 * third virsh, in the same round trip; the script looks for one only when the answer has a
 * backslash or an error in it. Then a last virsh, in the same round trip, reads the volumes whose
 * names need no quoting (READ_NOW_AWK): on a typical small host that is every volume, and round
 * trip 2 is not needed. Every process counts: virsh's start is mostly dynamic linking, and on a
 * busy host starts that overlap take as long as one after the other.
 */
const ROUND_TRIP_1 = [
  'exec 4>&1',
  // virsh 1's answer goes out through a cat on awk's stderr (buffered: not a write per line, now
  // that it carries volume XML); awk writes virsh 2's input. The names line goes as soon as the
  // lists it needs are read (marker c), so the completions run while virsh 1 reads the volumes.
  `out2=$(virsh -c "$1" "$2" 2>&1 | awk -v d="$3" -v a="$4" -v b="$5" -v c="$6" -v m="$7" '{ print | "cat >&2" }`,
  `  function last() { if (!sent) printf "%secho -- %send\\n", names, m; fflush(); sent = 1 }`,
  '  $0 == d { s = 3; next } $0 == a { s = 1; next } $0 == b { s = 2; next } $0 == c { s = 0; last(); next }',
  `  s == 3 && /^[0-9a-f-]+$/ { printf "echo -- %sdom:%s\\ndumpxml -- %s\\n", m, $1, $1; fflush() }`,
  `  s == 1 && /^[0-9a-f-]+$/ { printf "echo -- %spool:%s\\npool-dumpxml -- %s\\n", m, $1, $1; fflush() }`,
  `  s == 2 && /^[0-9a-f-]+$/ { names = names sprintf("echo -- %snames:%s; complete -- vol-dumpxml --pool %s --vol \\"\\"; ", m, $1, $1) }`,
  `  END { last() }' 2>&4 | LIBVIRT_DEBUG=4 virsh -c "$1" 2>&1)`,
  // virsh's last prompt has no line break; printf adds one.
  `printf '%s\\n' "$out2"`,
  // Only an answer with a backslash or an error can need the vol-list fallback.
  `case $out2 in *'\\'*|*'error: '*)`,
  `  tables=$(printf '%s\\n' "$out2" | awk -v m="$7" 'index($0, m) == 1 { k = substr($0, length(m) + 1); u = ""; if (k ~ /^names:[0-9a-f-]+$/) u = substr(k, 7); next } u != "" && (index($0, "\\\\") || /^error: /) { print u; u = "" }' | sort -u | awk -v m="$7" '{ printf "echo -- %stable:%s; vol-list --pool %s; ", m, $1, $1 }')`,
  `  if [ -n "$tables" ]; then virsh -c "$1" "$tables echo -- $7end" 2>&1; fi;;`,
  'esac',
  // The volumes whose names need no quoting, read now by a third virsh (argument mode), when
  // there are few enough of them for one process and one argument (READ_NOW_VOLUMES).
  `vols=$(printf '%s\\n' "$out2" | awk -v m="$7" -v ft=" $8 " -v max="$9" -v skip="\${10}" '${READ_NOW_AWK}')`,
  `if [ -n "$vols" ]; then virsh -c "$1" "$vols" 2>&1; fi`,
].join('\n');

/**
 * Round trip 2, opened at the same time as round trip 1: the SSH channel, the login shell, the
 * first virsh's start and its connection to libvirtd (most of a small host's read) overlap
 * round trip 1, and the work follows on stdin as soon as round trip 1 has answered. Nothing
 * outlives the exec: if round trip 1 fails, the stdin closes empty and everything ends.
 *
 * Its stdin is a plan line, then the parts it gives sizes for (bytes, for `head -c`, which
 * reads exactly that many from a pipe): `P1;a1 a2;b1` — part 1 (P1 bytes) goes to the virsh
 * already running in stdin mode; each further lane (`a1 a2`, `b1`) is a series of batches run
 * one after another by virsh processes given the batch as their argument (no readline reading
 * and echoing it a byte at a time: ~25% less per volume, but at most 128 KiB per argument), and
 * the lanes run at the same time, so libvirtd works for several clients at once. Each lane reads
 * its batches into its positional parameters before starting the next lane. The output is
 * exactly part 1's output, then each lane's in plan order (a later lane's output is held in a
 * shell variable until the earlier ones have finished), each batch framed by its own nonce.
 */
const ROUND_TRIP_2 = [
  'run() { for c; do virsh -c "$U" "$c" </dev/null 2>&1; echo; done; }',
  'lanes() {',
  '  this=${1%%;*}; more=${1#"$this"}; more=${more#;}',
  '  set --',
  '  for n in $this; do set -- "$@" "$(head -c "$n")"; done',
  '  if [ -z "$more" ]; then run "$@"; return; fi',
  '  { r=$(lanes "$more"); printf \'%s\\n\' "$r"; } | { run "$@"; cat; }',
  '}',
  'U=$1',
  'exec 4>&1',
  'rest=$(',
  '  exec 5>&1',
  '  {',
  '    IFS= read -r plan || exit 0',
  '    case $plan in \'\'|*[!0-9\\ \\;]*) echo "error: ksc: bad plan line" >&5; exit 0;; esac',
  // part 1 is read whole first, so the lanes start while the first virsh works through it
  '    p1=$(head -c "${plan%%;*}")',
  '    printf \'%s\\n\' "$p1" &',
  '    exec >&5',
  '    case $plan in *\';\'*) lanes "${plan#*;}";; esac',
  '  } | { virsh -c "$U"; echo; } >&4 2>&1 5>&-',
  ')',
  '[ -z "$rest" ] || printf \'%s\\n\' "$rest"',
].join('\n');

/**
 * How round trip 2 spreads the volumes: under LANE_MIN volumes all go to its first virsh (a
 * second process costs its start); above, they are shared evenly between the first virsh and
 * up to MAX_LANES more, and a lane's share is cut into batches of at most LANE_BATCH_BYTES
 * (Linux caps one argument at 128 KiB).
 */
const LANE_MIN = 100;
const VOLS_PER_LANE = 100;
const MAX_LANES = 3;
const LANE_BATCH_BYTES = 100_000;

/**
 * Round trip 1 reads the volumes that need no quoting itself when there are at most this many
 * on the host (one virsh, one argument); more go to round trip 2, whose lanes share them.
 */
const READ_NOW_VOLUMES = 250;

/** The pool types whose volumes are files at `target/name` (round trip 1 reads those by path). */
const FILE_POOL_TYPES = POOL_TYPES.filter(isFilePool).join(' ');

/** A volume as it was asked for: by path, or (path null) by pool UUID and name. */
interface VolumeAddress {
  uuid: string;
  name: string;
  path: string | null;
}

/**
 * What the last read of each host (over a transport) found, to plan the next one:
 * - whether round trip 2 was needed: only then is its exec opened together with round trip 1's
 *   (its virsh's start then overlaps round trip 1; when it is not needed that start is only a
 *   cost). A host read for the first time opens it early;
 * - the volumes it read, when at most READ_NOW_VOLUMES: round trip 1's first virsh reads them
 *   again (after its lists, given as one argument), while its second virsh reads the pools and
 *   lists their names. Nothing is taken from memory: each is checked against this read's own
 *   names (a volume no longer listed is dropped, an error for one still listed is a warning,
 *   one read by another path than its pool now gives is read again), and the names not among
 *   them are read by round trip 1's last virsh or round trip 2. So a host whose volumes did not
 *   change is read with two virsh processes, in one round trip.
 */
const lastRead = new WeakMap<Transport, Map<string, { roundTrip2: boolean; volumes: VolumeAddress[] }>>();

/** Scale the allowed time with the work: ~4 ms per volume is plenty even on a loaded host. */
const timeoutFor = (base: number, calls: number) => base + calls * 4;

export async function readHostStorage(
  t: Transport,
  uri: string,
  opts: {
    timeoutMs?: number;
    /** Round trip 2's extra virsh processes (tests): by default by the number of volumes. */
    lanes?: number;
    /** Bytes per argument-mode batch (tests): LANE_BATCH_BYTES by default. */
    laneBatchBytes?: number;
    /** At most this many volumes are read in round trip 1 (tests): READ_NOW_VOLUMES by default. */
    readNowVolumes?: number;
    /** Open round trip 2 with round trip 1 (tests): by default as the last read of this host needed. */
    openRoundTrip2Early?: boolean;
    /** Read the volumes the last read of this host found in round trip 1's first virsh (tests): by default yes. */
    readKnownVolumes?: boolean;
  } = {},
): Promise<HostStorage> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const readNowMax = opts.readNowVolumes ?? READ_NOW_VOLUMES;
  const memory = lastRead.get(t) ?? new Map<string, { roundTrip2: boolean; volumes: VolumeAddress[] }>();
  lastRead.set(t, memory);
  const last = memory.get(uri);
  // --- round trip 1: what exists, each pool's XML, the names of its volumes, and the volumes ---
  let known = opts.readKnownVolumes !== false && last && last.volumes.length <= readNowMax ? last.volumes : [];
  const listingCalls = [
    // The three lists round trip 1's second virsh works from come first, VMs before pools:
    // their XML is read while the first virsh lists the rest.
    call('list', '--all', '--uuid'),
    call('pool-list', '--all', '--uuid'),
    call('pool-list', '--uuid'),
    call('version'),
    call('hostname'),
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
  ];
  // The volumes the last read found follow the lists, as the batch's unframed tail (one argument:
  // at most LANE_BATCH_BYTES, or none of them).
  let listing = virshBatch(uri, listingCalls, { tail: known.map(volumeCall) });
  if (Buffer.byteLength(listing.command.args[2] ?? '') > LANE_BATCH_BYTES) {
    known = [];
    listing = virshBatch(uri, listingCalls, { nonce: listing.nonce });
  }
  // Round trip 1's last virsh leaves these out (the ones its awk could ask for: simple names).
  const knownSimple = known
    .filter((k) => SIMPLE_NAME.test(k.name))
    .map((k) => `${k.uuid}:${k.name}`)
    .join(' ');
  const end = `@@ksc-${listing.nonce}:end`;
  const mark = `@@ksc-${listing.nonce}:obj:`;
  const m = (i: number) => `@@ksc-${listing.nonce}:${i}`;
  const rt1 = t.exec(
    command('sh', '-c', ROUND_TRIP_1, 'ksc-read', uri, listing.command.args[2] ?? '', m(0), m(1), m(2), m(3), mark, FILE_POOL_TYPES, String(readNowMax), knownSimple),
    { timeoutMs },
  );
  // Round trip 2's exec is opened now when it is likely to be needed (after round trip 1's, so
  // it never takes a channel round trip 1 is waiting for), otherwise once it is; its batch
  // follows on stdin. Its clock starts once it has the batch; until then the exec's own timeout
  // only bounds a round trip 1 that never answers.
  const stdin = new PassThrough();
  const deadline = new AbortController();
  const openRoundTrip2 = () => t.exec(command('sh', '-c', ROUND_TRIP_2, 'ksc-read', uri), { stdinStream: stdin, signal: deadline.signal, timeoutMs: 2 * timeoutMs + 60_000 });
  let rt2: Promise<ExecResult> | null = (opts.openRoundTrip2Early ?? last?.roundTrip2 ?? true) ? openRoundTrip2() : null;
  let r1: ExecResult;
  try {
    r1 = await rt1;
  } catch (e) {
    stdin.end();
    rt2?.catch(() => undefined);
    throw e;
  }
  let r2: Promise<ExecResult> | null = null;
  try {
    const at = r1.stdout.indexOf(`\n${end}\n`);
    const head = at >= 0 ? r1.stdout.slice(0, at + end.length + 2) : r1.stdout;
    const rest = at >= 0 ? r1.stdout.slice(at + end.length + 2) : '';
    const [allDomains, allPools, activePools, version, hostname, persistentDomains, running, paused, shutoff, autostartPools, persistentPools] =
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
    // The volumes the last read found, read again after the lists: by pool UUID and name, each
    // with the path it was asked for. (Unread ones, if virsh stopped, are simply asked again.)
    const knownRead = new Map<string, { path: string | null; answer: VolumeAnswer }>();
    splitVolumeOutputs(virshBatchTail(listing, head), known.length).forEach((answer, i) => {
      const k = known[i]!;
      knownRead.set(`${k.uuid}:${k.name}`, { path: k.path, answer });
    });

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

    // --- round trip 2: the volumes round trip 1 did not read (and the odd VM state) ---
    const calls: VirshCall[] = [];
    // (every VM's XML came with round trip 1; a VM in none of the listed states gets a domstate)
    const domCalls: Array<{ uuid: string; state: number | null }> = [];
    for (const u of domUuids) domCalls.push({ uuid: u, state: listedState.has(u) ? null : calls.push(call('domstate', '--', u)) - 1 });
    // Volumes of file pools are named by path (libvirt looks them up by key, then path: 2 calls)
    // rather than pool + name (4 calls), and run as the batch's unframed tail: their outputs
    // delimit themselves. A volume round trip 1 read (one it knew, or its `vol:` section) is
    // taken from there.
    const volCalls: VolRequest[] = [];
    const volXml: Array<string | null> = [];
    const tail: VirshCall[] = [];
    /** For each tail call, its index in volCalls. */
    const tailAt: number[] = [];
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
        const at = volCalls.push({ uuid, pool: pool.name, name: v.name, path: v.path }) - 1;
        // Read in round trip 1 (asked the same way); an error is a volume deleted since it was listed.
        const knew = knownRead.get(`${uuid}:${v.name}`);
        const now = sections.get(`vol:${uuid}:${v.name}`);
        const answer: VolumeAnswer | null =
          knew && knew.path === v.path
            ? knew.answer
            : now
              ? now.ok && now.output.includes('<volume')
                ? { xml: now.output }
                : { error: now.ok ? 'no answer' : now.error.split('\n').join(' — ') }
              : null;
        if (answer) {
          if ('error' in answer) warnings.push(`volume ${v.name}: ${answer.error}`);
          volXml.push('xml' in answer ? answer.xml : null);
          continue;
        }
        volXml.push(null);
        tailAt.push(at);
        tail.push(volumeCall(volCalls[at]!));
      }
    }
    const results: VirshCallResult[] = [];
    let roundTrips = 1;
    const needed = calls.length > 0 || tail.length > 0;
    if (needed) {
      const plan = planRoundTrip2(uri, calls, tail, opts.lanes ?? lanesFor(tail.length), opts.laneBatchBytes ?? LANE_BATCH_BYTES);
      const timer = setTimeout(() => deadline.abort(), timeoutFor(timeoutMs, calls.length + tail.length));
      rt2 ??= openRoundTrip2();
      stdin.end(plan.stdin);
      try {
        r2 = rt2;
        const out = (await rt2).stdout;
        roundTrips++;
        if (calls.length) results.push(...parseVirshBatch(plan.first, out));
        let at = 0;
        for (const b of plan.batches) {
          const reqs = tailAt.slice(at, at + b.tail.length);
          at += b.tail.length;
          const answers = splitVolumeOutputs(virshBatchTail(b, out), reqs.length);
          answers.forEach((answer, j) => {
            if ('error' in answer) warnings.push(`volume ${volCalls[reqs[j]!]!.name}: ${answer.error}`);
            else volXml[reqs[j]!] = answer.xml;
          });
          if (answers.length < reqs.length) warnings.push(`${reqs.length - answers.length} volume(s) could not be read (unexpected virsh output)`);
        }
      } finally {
        clearTimeout(timer);
      }
    } else if (rt2) {
      // Nothing left to ask: its virsh reads the end of its input and exits.
      stdin.end();
      r2 = rt2;
      await rt2;
    }

    // --- assemble ---
    const domains: HostStorage['domains'] = [];
    for (const dc of domCalls) {
      const xmlRes = sections.get(`dom:${dc.uuid}`);
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
    const read: VolumeAddress[] = [];
    volCalls.forEach((vc, i) => {
      const xml = volXml[i];
      if (!xml) return;
      const v = readVolumeXml(xml);
      if (v.name !== vc.name || (vc.path !== null && v.path !== vc.path)) {
        warnings.push(`volume ${vc.pool}/${vc.name}: libvirt answered for “${v.name}” at ${v.path}; skipped`);
        return;
      }
      read.push({ uuid: vc.uuid, name: vc.name, path: vc.path });
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
    memory.set(uri, { roundTrip2: needed, volumes: read.length <= READ_NOW_VOLUMES ? read : [] });
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
      rt2?.catch(() => undefined);
    }
  }
}

const lanesFor = (volumes: number) => (volumes < LANE_MIN ? 0 : Math.min(MAX_LANES, Math.floor(volumes / VOLS_PER_LANE)));

interface RoundTrip2Plan {
  /** Round trip 2's stdin: the plan line, then every batch. */
  stdin: string;
  /** The batch for the virsh already running (stdin mode): the framed calls and the first volumes. */
  first: VirshBatch;
  /** Every batch in volume order (the first included), each framed by its own nonce. */
  batches: VirshBatch[];
}

/**
 * Share the volumes between the first virsh and `lanes` more, in order: the first gets the
 * framed calls and the first share, each lane the next share, cut into argument-mode batches of
 * at most `batchBytes`.
 */
function planRoundTrip2(uri: string, calls: VirshCall[], tail: VirshCall[], lanes: number, batchBytes: number): RoundTrip2Plan {
  const share = Math.ceil(tail.length / (lanes + 1));
  const first = virshBatch(uri, calls, { mode: 'stdin', tail: lanes ? tail.slice(0, share) : tail });
  const batches = [first];
  const plan = [String(Buffer.byteLength(first.stdin ?? ''))];
  const texts = [first.stdin ?? ''];
  for (let l = 1; l <= lanes; l++) {
    const mine = tail.slice(l * share, (l + 1) * share);
    if (!mine.length) break;
    const sizes: string[] = [];
    let from = 0;
    let bytes = 0;
    const cut = (to: number) => {
      const b = virshBatch(uri, [], { tail: mine.slice(from, to) });
      const text = b.command.args[2] ?? '';
      batches.push(b);
      texts.push(text);
      sizes.push(String(Buffer.byteLength(text)));
      from = to;
      bytes = 0;
    };
    mine.forEach((c, i) => {
      const n = Buffer.byteLength(renderVirshCall(c)) + 2;
      if (i > from && bytes + n > batchBytes) cut(i);
      bytes += n;
    });
    cut(mine.length);
    plan.push(sizes.join(' '));
  }
  return { stdin: `${plan.join(';')}\n${texts.join('')}`, first, batches };
}

const DOMAIN_STATES = new Set<string>(['running', 'blocked', 'paused', 'shutdown', 'shut off', 'crashed', 'pmsuspended', 'unknown']);

/** The listing calls must work; if one fails, libvirt itself is the problem (down, wrong URI). */
function must(r: VirshCallResult): string {
  if (!r.ok) throw new AppError('libvirt-error', r.error, { status: 502, detail: { command: `virsh ${r.call.name}`, stderr: r.error } });
  return r.output;
}

/** The fast reader for libvirt's usual volume XML (thousands per read); the full parser for anything else. */
const readVolumeXml = (xml: string): VolumeXml => fastVolumeXml(xml) ?? parseVolumeXml(xml);

interface VolRequest extends VolumeAddress {
  /** The pool's name. */
  pool: string;
}

/** How a volume is asked for: by path (libvirt finds it by key: 2 calls), or by pool and name (4). */
const volumeCall = (v: VolumeAddress): VirshCall => (v.path ? call('vol-dumpxml', '--', v.path) : call('vol-dumpxml', '--pool', v.uuid, '--', v.name));

/** A volume name round trip 1's awk may ask for (READ_NOW_AWK's test, exactly). */
const SIMPLE_NAME = /^[A-Za-z0-9._+:@][A-Za-z0-9._+:@-]*$/;

type VolumeAnswer = { xml: string } | { error: string };

/**
 * The unframed outputs of `count` vol-dumpxml calls, in request order: each call printed either
 * one `<volume …>` … `</volume>` document or virsh's `error: ` lines (a volume deleted since it
 * was listed). Anything else stops the walk rather than risk pairing XML with the wrong volume:
 * then fewer answers than calls come back.
 */
function splitVolumeOutputs(text: string, count: number): VolumeAnswer[] {
  const lines = text.split('\n');
  const out: VolumeAnswer[] = [];
  let i = 0;
  while (out.length < count) {
    while (i < lines.length && lines[i] === '') i++;
    const line = lines[i] ?? '';
    if (line.startsWith('<volume')) {
      const end = lines.indexOf('</volume>', i);
      if (end < 0) break;
      out.push({ xml: lines.slice(i, end + 1).join('\n') });
      i = end + 1;
    } else if (line.startsWith('error: ')) {
      const errs: string[] = [];
      while (i < lines.length && (lines[i] ?? '').startsWith('error: ')) errs.push((lines[i++] ?? '').slice(7));
      out.push({ error: errs.join(' — ') });
    } else break;
  }
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
