// Prints one closing line for the whole run: "N passed, N failed" (+ skipped), from the
// JSON reports of vitest and Playwright. A missing report counts as a failure, never as zero.
import { existsSync, readFileSync } from 'node:fs';

const [vitestFile, pwFile] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

if (vitestFile && existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  // A file that failed to load has no failed tests of its own; count it once.
  for (const f of v.testResults ?? [])
    if (f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')) failed += 1;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
} else {
  console.log('vitest: no report');
  failed += 1;
}

if (pwFile && existsSync(pwFile)) {
  const p = JSON.parse(readFileSync(pwFile, 'utf8'));
  passed += p.stats?.expected ?? 0;
  failed += (p.stats?.unexpected ?? 0) + (p.stats?.flaky ?? 0);
  skipped += p.stats?.skipped ?? 0;
  if (p.errors?.length) failed += p.errors.length;
} else {
  console.log('playwright: no report');
  failed += 1;
}

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
