/**
 * Host-read benchmark against the lab host (lab/state/hosts.json, host "lab"): the project's
 * readHostStorage vs. (a) N+1 vol-dumpxml execs and (b) a single hand-written virsh batch,
 * with 100 / 1,000 / 5,000 volumes in a throwaway pool `ksc-bench`.
 *
 *   NODE_OPTIONS=--conditions=react-server npx tsx bench/host-read.ts [--sizes 100,1000,5000] [--reps 5] [--nreps 3]
 */
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { findHost } from '@/server/hosts/inventory';
import { transportFor } from '@/server/hosts/transports';
import { sample, timeReps, withRssSampling } from './measure';
import { createPool, fillPool, POOL, teardownPool } from './pool';
import { report, type Row } from './report';
import { allVolumes, floorRead, floorScript, listVolumes, nPlusOne, nPlusOneFull, projectRead } from './strategies';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const SIZES = arg('sizes', '100,1000,5000').split(',').map(Number);
const REPS = Number(arg('reps', '5'));
const NREPS = Number(arg('nreps', '3'));
const FULL_NPLUS1_MAX = 1000;
const NPLUS1_SAMPLE = 500;

process.env.KSC_INVENTORY ??= path.resolve('lab/state/hosts.json');
const host = findHost('lab');
const uri = host.uri;
const t = transportFor(host);
const log = (s: string) => process.stderr.write(`${s}\n`);

async function measure(n: number): Promise<Row> {
  log(`[${n}] filling ${POOL} …`);
  fillPool(n);
  // warm: connection, libvirt caches, JIT
  await projectRead(t, uri);
  const vols = await allVolumes(t, uri);
  if (vols.filter((v) => v.pool === POOL).length !== n) throw new Error(`listed ${vols.length} volumes host-wide, not ${n} in ${POOL}`);
  const script = floorScript(vols);
  const scriptByPath = floorScript(vols, 'path');

  // project and floors alternate, so all see the same background load on the host
  log(`[${n}] project and floors ×${REPS}, alternating (${vols.length} volumes host-wide, ${(script.length / 1024).toFixed(0)} KiB floor script) …`);
  const project: number[] = [];
  const floor: number[] = [];
  const floorPath: number[] = [];
  const execs: number[] = [];
  // The read opens round trip 2 early only when the host's last read needed it; where round trip 1
  // reads everything, this is the same read with it opened early anyway (to measure that choice).
  const projectEarly: number[] = [];
  let rssPeak = 0;
  let rssDelta = 0;
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    const { result, rss } = await withRssSampling(() => projectRead(t, uri));
    project.push(performance.now() - t0);
    execs.push(result.execs);
    rssPeak = Math.max(rssPeak, rss.peak);
    rssDelta = Math.max(rssDelta, rss.peak - rss.baseline);
    const got = result.host.volumes.get(POOL)?.length ?? 0;
    if (got !== n) throw new Error(`project read ${got} volumes of ${POOL}, expected ${n} (warnings: ${result.host.warnings.slice(0, 3).join('; ')})`);
    if (result.host.roundTrips === 1) {
      const t2 = performance.now();
      await projectRead(t, uri, { openRoundTrip2Early: true });
      projectEarly.push(performance.now() - t2);
    }

    for (const [s, into] of [[script, floor], [scriptByPath, floorPath]] as const) {
      const t1 = performance.now();
      const out = await floorRead(t, uri, s);
      into.push(performance.now() - t1);
      const dumped = out.split('<volume').length - 1;
      // Other sessions' volumes may vanish meanwhile; ours (n of them) may not.
      if (dumped < n || dumped < vols.length * 0.95) throw new Error(`floor dumped ${dumped} volume XMLs, expected ${vols.length}: ${out.slice(0, 300)}`);
      if (dumped !== vols.length) log(`[${n}] (floor: ${vols.length - dumped} volume(s) of other pools gone meanwhile)`);
    }
  }

  let nplus1: number[];
  const nplus1Extrapolated = n > FULL_NPLUS1_MAX;
  if (!nplus1Extrapolated) {
    log(`[${n}] N+1 ×${NREPS} …`);
    const np = await timeReps(NREPS, () => nPlusOneFull(t, uri, POOL));
    if (np.last !== n) throw new Error(`N+1 read ${np.last} volumes, expected ${n}`);
    nplus1 = np.ms;
  } else {
    log(`[${n}] N+1 ×${NREPS}, sample of ${NPLUS1_SAMPLE}, extrapolated …`);
    nplus1 = [];
    for (let i = 0; i < NREPS; i++) {
      const t0 = performance.now();
      const names = await listVolumes(t, uri, POOL);
      const listMs = performance.now() - t0;
      const pick = sample(names, NPLUS1_SAMPLE);
      const t1 = performance.now();
      await nPlusOne(t, uri, POOL, pick);
      nplus1.push(listMs + ((performance.now() - t1) * names.length) / pick.length);
    }
  }

  return { n, hostVols: vols.length, project, projectEarly, floor, floorPath, nplus1, nplus1Extrapolated, execs, rssPeak, rssDelta };
}

let cleaned = false;
function cleanup(): void {
  if (cleaned) return;
  cleaned = true;
  log(`removing pool ${POOL} …`);
  try {
    teardownPool();
  } catch (e) {
    log(`CLEANUP FAILED: ${(e as Error).message}`);
  }
}
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });

async function main(): Promise<void> {
  const rows: Row[] = [];
  const loads: string[] = [];
  try {
    createPool();
    await t.exec({ program: 'true', args: [] });
    for (const n of SIZES) {
      rows.push(await measure(n));
      loads.push(`${n}: ${loadavg().map((x) => x.toFixed(1)).join('/')}`);
    }
  } catch (e) {
    console.error(`BENCHMARK FAILED after ${rows.length} size(s):`, e);
    process.exitCode = 1;
  } finally {
    cleanup();
    await t.close();
  }
  const title = `KVM Storage Console — host read benchmark (host "${host.id}", ${host.user}@${host.address}:${host.port}, ${uri}; ${cpus().length} CPUs)`;
  if (rows.length) report(rows, { title, pool: POOL, reps: REPS, nreps: NREPS, sample: NPLUS1_SAMPLE, load: loads.join(', ') });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
