/** The printed result of bench/host-read.ts: tables, breakdown and one verdict line per target. */
import { fmtMs, fmtX, median, mib, table } from './measure';

export interface Row {
  n: number;
  hostVols: number;
  project: number[];
  /** The same read with round trip 2 opened early although round trip 1 read everything (empty when it did not). */
  projectEarly: number[];
  floor: number[];
  floorPath: number[];
  nplus1: number[];
  nplus1Extrapolated: boolean;
  execs: number[];
  rssPeak: number;
  rssDelta: number;
}

export interface Meta {
  title: string;
  pool: string;
  reps: number;
  nreps: number;
  sample: number;
  load: string;
}


const l2 = (xs: number[]) => `[${xs.map((x) => x.toFixed(0)).join(', ')}]`;

export function report(rows: Row[], m: Meta): void {
  const P = (r: Row) => median(r.project);
  console.log(`\n${m.title}`);
  console.log(`medians of ${m.reps} runs (project, floors; alternating) and ${m.nreps} runs (N+1). N+1 reads only ${m.pool}; project and floors read every pool on the host.`);
  console.log(`host load while measuring (1/5/15-min load averages): ${m.load}\n`);
  console.log(
    table(
      ['volumes', 'host vols', 'project', 'floor (b)', "floor (b') by path", 'N+1 (a)', 'N+1/project', 'project/floor', "project/(b')", 'execs', 'peak RSS', 'ΔRSS'],
      rows.map((r) => [
        r.n.toLocaleString('en'),
        String(r.hostVols),
        fmtMs(P(r)),
        fmtMs(median(r.floor)),
        fmtMs(median(r.floorPath)),
        `${fmtMs(median(r.nplus1))}${r.nplus1Extrapolated ? ' *' : ''}`,
        fmtX(median(r.nplus1) / P(r)),
        fmtX(P(r) / median(r.floor)),
        fmtX(P(r) / median(r.floorPath)),
        [...new Set(r.execs)].join('/'),
        mib(r.rssPeak),
        mib(r.rssDelta),
      ]),
    ),
  );
  if (rows.some((r) => r.nplus1Extrapolated))
    console.log(`* EXTRAPOLATED, not measured in full: vol-list + ${m.sample} random vol-dumpxml execs, scaled linearly to all volumes`);
  console.log(`(b) = one exec, one virsh reading "vol-dumpxml --pool P NAME" lines on stdin; (b') = the same, "vol-dumpxml PATH" lines`);
  console.log('\nall runs (ms):');
  for (const r of rows) {
    const l = (xs: number[]) => `[${xs.map((x) => x.toFixed(0)).join(', ')}]`;
    console.log(`  ${r.n}: project ${l(r.project)}  floor ${l(r.floor)}  floor-by-path ${l(r.floorPath)}  N+1 ${l(r.nplus1)}`);
  }
  for (const r of rows)
    if (r.projectEarly.length)
      console.log(
        `  ${r.n}: round trip 1 read every volume in ${r.projectEarly.length} of ${r.project.length} runs; with round trip 2 opened early anyway (and closed empty): ${fmtMs(median(r.projectEarly))} ${l2(r.projectEarly)} vs ${fmtMs(P(r))}`,
      );
  console.log('');
  const verdict = (ok: boolean | null, what: string) => console.log(`VERDICT ${ok === null ? 'NOT MEASURED' : ok ? 'PASS' : 'MISS'}  ${what}`);
  const r1000 = rows.find((r) => r.n === 1000);
  const x1000 = r1000 ? median(r1000.nplus1) / P(r1000) : NaN;
  verdict(r1000 ? x1000 >= 20 : null, `N+1 / project at 1,000 volumes: ${r1000 ? fmtX(x1000) : '—'} (target ≥ 20×)`);
  // Two floors, both one hand-written batched virsh given every volume up front: (b) names each
  // volume by pool and name, as the brief writes it; (b') by path, the cheaper lookup the project
  // also uses — stricter, since the project must first learn what the volumes are.
  for (const r of rows) {
    const x = P(r) / median(r.floor);
    verdict(x <= 1.3, `project / floor (b) at ${r.n.toLocaleString('en')} volumes: ${fmtX(x)} (target ≤ 1.3×)`);
    const y = P(r) / median(r.floorPath);
    verdict(y <= 1.3, `project / floor (b') by path at ${r.n.toLocaleString('en')} volumes: ${fmtX(y)} (target ≤ 1.3×; stricter)`);
  }
  const maxExecs = Math.max(...rows.flatMap((r) => r.execs));
  verdict(maxExecs <= 2, `SSH round trips (execs) per project read: max ${maxExecs} over all runs (target ≤ 2)`);
  console.log(`(memory, no target) peak RSS ${mib(Math.max(...rows.map((r) => r.rssPeak)))}; largest rise over the pre-read baseline ${mib(Math.max(...rows.map((r) => r.rssDelta)))}`);
}
