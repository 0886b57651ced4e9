/**
 * Set up or remove the throwaway `ksc-bench` pool by hand, for the profiling aids
 * (dump-rt.ts, variants.ts, replay.ts, parse-micro.ts). host-read.ts manages it itself.
 *
 *   npx tsx bench/pool-cli.ts up 5000     # define, build, start, fill with 5000 volumes
 *   npx tsx bench/pool-cli.ts down        # destroy, delete, undefine
 */
import { createPool, fillPool, POOL, teardownPool } from './pool';

const [cmd, n] = process.argv.slice(2);
if (cmd === 'up') {
  createPool();
  fillPool(Number(n ?? '1000'));
  console.log(`${POOL}: ${n ?? 1000} volumes`);
} else if (cmd === 'down') {
  teardownPool();
  console.log(`${POOL}: removed`);
} else {
  console.error('usage: pool-cli.ts up N | down');
  process.exitCode = 2;
}
