/**
 * Where the project's host read spends its time, against the lab host as it is (fill the
 * throwaway pool first with `npx tsx bench/pool-cli.ts up N` for a size; `down` after):
 * an empty exec, one virsh process, when each round trip of readHostStorage answered (from the
 * read's start), the time in this process after the last, and the by-path floor. Medians of --reps.
 *
 *   NODE_OPTIONS=--conditions=react-server npx tsx bench/breakdown.ts [--reps 5]
 */
import path from 'node:path';
import { command } from '@/server/commands/command';
import { findHost } from '@/server/hosts/inventory';
import { transportFor } from '@/server/hosts/transports';
import { readHostStorage } from '@/server/virsh/read-host';
import { fmtMs, median, now } from './measure';
import type { Transport } from '@/server/transport/types';
import { allVolumes, floorRead, floorScript } from './strategies';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const REPS = Number(arg('reps', '5'));

process.env.KSC_INVENTORY ??= path.resolve('lab/state/hosts.json');
const host = findHost(arg('host', 'lab'));
const t = transportFor(host);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = now();
  await fn();
  return now() - t0;
}

// Round trip 2's exec is opened with round trip 1's when the host's last read needed it, and
// waits for its batch: each exec is timed from the read's start to its answer, and the rest is
// time in this process after the last. One wrapper for every read: the read plans from the
// host's last read over the same transport.
let ends: number[] = [];
let t0 = 0;
const rec: Transport = {
  kind: t.kind,
  stats: () => t.stats(),
  close: () => t.close(),
  exec: (inv, o) => {
    const j = ends.push(0) - 1;
    return t.exec(inv, o).then((r) => ((ends[j] = now() - t0), r));
  },
};

async function main(): Promise<void> {
  await t.exec(command('true'));
  await readHostStorage(rec, host.uri); // warm (and what the next read plans from)
  const vols = await allVolumes(t, host.uri);
  const byPath = floorScript(vols, 'path');
  const rows = new Map<string, number[]>();
  const add = (k: string, ms: number) => rows.set(k, [...(rows.get(k) ?? []), ms]);
  for (let i = 0; i < REPS; i++) {
    add('exec `true`', await timed(() => t.exec(command('true'))));
    add('exec `virsh hostname`', await timed(() => t.exec(command('virsh', '-c', host.uri, 'hostname'))));
    add('exec `virsh -q` (empty stdin)', await timed(() => t.exec(command('virsh', '-q', '-c', host.uri), { stdin: '' })));
    ends = [];
    t0 = now();
    const s = await readHostStorage(rec, host.uri, { timeoutMs: 600_000 });
    const total = now() - t0;
    add('project read', total);
    ends.forEach((ms, j) => add(`  exec ${j + 1} (of ${ends.length}) answered at`, ms));
    add('  in this process after that', total - Math.max(...ends));
    add(`floor by path (${vols.length} volumes)`, await timed(() => floorRead(t, host.uri, byPath)));
    if (i === 0) console.log(`${s.pools.length} pools, ${s.domains.length} domains, ${[...s.volumes.values()].reduce((n, v) => n + v.length, 0)} volumes; warnings: ${s.warnings.length}`);
  }
  for (const [k, ms] of rows) console.log(`${k.padEnd(40)} ${fmtMs(median(ms)).padStart(8)}   [${ms.map((x) => x.toFixed(0)).join(', ')}]`);
  await t.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
