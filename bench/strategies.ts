/**
 * The three ways of reading a host's volumes that host-read.ts compares, plus a Transport
 * wrapper that records every exec (so the project's time splits into exec vs. in-process).
 */
import { command, type Invocation } from '@/server/commands/command';
import { call, virsh } from '@/server/commands/virsh';
import type { ExecOptions, ExecResult, Transport, TransportStats } from '@/server/transport/types';
import { parseVolList } from '@/server/virsh/output';
import { readHostStorage, type HostStorage } from '@/server/virsh/read-host';
import { parseVolumeXml, type VolumeXml } from '@/server/xml/volume';
import { now } from './measure';

export interface ExecRecord {
  inv: Invocation;
  stdin: string | Buffer | undefined;
  /** Wall time of the exec as this process saw it, including queueing for a channel. */
  ms: number;
  stdout: string;
  stdinBytes: number;
}

/** Delegates to a real transport and keeps what each exec sent, got and took. */
export class RecordingTransport implements Transport {
  readonly kind: Transport['kind'];
  records: ExecRecord[] = [];
  constructor(readonly inner: Transport) {
    this.kind = inner.kind;
  }
  async exec(inv: Invocation, opts: ExecOptions = {}): Promise<ExecResult> {
    const t0 = now();
    const r = await this.inner.exec(inv, opts);
    const stdinBytes = opts.stdin === undefined ? 0 : Buffer.byteLength(opts.stdin);
    this.records.push({ inv, stdin: opts.stdin, ms: now() - t0, stdout: r.stdout, stdinBytes });
    return r;
  }
  stats(): TransportStats {
    return this.inner.stats();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

async function run(t: Transport, inv: Invocation, opts: ExecOptions = {}): Promise<ExecResult> {
  const r = await t.exec(inv, { timeoutMs: 600_000, ...opts });
  if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${(r.stderr || r.stdout).slice(0, 400)}`);
  return r;
}

/**
 * The project: one readHostStorage; returns it with the number of execs it used. `openRoundTrip2Early`
 * overrides the read's own choice (by the host's last read), to measure that choice.
 */
export async function projectRead(t: Transport, uri: string, opts: { openRoundTrip2Early?: boolean } = {}): Promise<{ host: HostStorage; execs: number }> {
  const before = t.stats().execs;
  const host = await readHostStorage(t, uri, { timeoutMs: 600_000, ...opts });
  return { host, execs: t.stats().execs - before };
}

/** vol-list of one pool (not -q: the table parser needs the header), with the project's own parser. */
export async function listVolumeRows(t: Transport, uri: string, pool: string): Promise<Array<{ name: string; path: string }>> {
  const r = await run(t, command('virsh', '-c', uri, 'vol-list', '--pool', pool));
  return parseVolList(r.stdout);
}

export async function listVolumes(t: Transport, uri: string, pool: string): Promise<string[]> {
  return (await listVolumeRows(t, uri, pool)).map((v) => v.name);
}

/**
 * (a) N+1: one `virsh vol-dumpxml` process per volume, each its own exec, all started at once
 * over the same transport (which queues them at its channel limit), each parsed as it arrives.
 */
export async function nPlusOne(t: Transport, uri: string, pool: string, names: readonly string[]): Promise<VolumeXml[]> {
  return Promise.all(
    names.map(async (name) => parseVolumeXml((await run(t, virsh(uri, call('vol-dumpxml', '--pool', pool, '--', name)))).stdout)),
  );
}

/** The full N+1 read of a pool: list, then one exec per volume. */
export async function nPlusOneFull(t: Transport, uri: string, pool: string): Promise<number> {
  const names = await listVolumes(t, uri, pool);
  return (await nPlusOne(t, uri, pool, names)).length;
}

export interface HostVolume {
  pool: string;
  name: string;
  path: string;
}

/** Every volume on the host, gathered before the floor is timed. */
export async function allVolumes(t: Transport, uri: string): Promise<HostVolume[]> {
  const pools = (await run(t, virsh(uri, call('pool-list', '--name')))).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const out: HostVolume[] = [];
  for (const pool of pools) {
    // Other sessions' tests make and remove pools on the lab meanwhile: one gone is skipped.
    const rows = await listVolumeRows(t, uri, pool).catch((e: unknown) => {
      process.stderr.write(`(pool ${pool} skipped: ${(e as Error).message.split('\n')[0]})\n`);
      return [];
    });
    for (const v of rows) out.push({ pool, ...v });
  }
  return out;
}

const vq = (s: string) => (/^[A-Za-z0-9_.+:@/-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

/**
 * The floor's script: one `vol-dumpxml` line per volume, for virsh's stdin — by pool and name
 * (as the brief writes it), or by path alone (virsh then looks the volume up by key/path: 2
 * libvirt RPCs per volume instead of 4 — pool lookup, pool-is-active, volume lookup, XML).
 */
export function floorScript(vols: readonly HostVolume[], by: 'name' | 'path' = 'name'): string {
  return vols.map((v) => (by === 'name' ? `vol-dumpxml --pool ${vq(v.pool)} ${vq(v.name)}\n` : `vol-dumpxml ${vq(v.path)}\n`)).join('');
}

/**
 * (b) The floor: ONE exec of `virsh -c URI` reading every vol-dumpxml from stdin (no 128 KiB
 * argv limit), no framing, no parsing. Returns what it received.
 */
export async function floorRead(t: Transport, uri: string, script: string): Promise<string> {
  // Not `run`: virsh's exit status is its last command's, and a volume of another session's
  // pool may be gone by now; the caller counts the documents instead.
  return (await t.exec(command('virsh', '-q', '-c', uri), { stdin: script, timeoutMs: 600_000 })).stdout;
}

/** Run an invocation remotely with its output discarded there: remote time without the transfer. */
export async function remoteOnly(t: Transport, rec: ExecRecord): Promise<number> {
  const { renderForExec } = await import('@/server/commands/shell');
  const t0 = now();
  await t.exec(command('sh', '-c', `${renderForExec(rec.inv)} >/dev/null 2>&1`), { stdin: rec.stdin, timeoutMs: 600_000 });
  return now() - t0;
}
