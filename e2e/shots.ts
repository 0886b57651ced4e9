import path from 'node:path';
import { test } from '@playwright/test';

/**
 * Where a spec's screenshot goes. Normally the test's own output folder (test-results/…, kept
 * out of git): a test run never touches the docs. `npm run screenshots` (scripts/screenshots.mjs)
 * sets KSC_SCREENSHOTS_DIR to docs/screenshots, and the same shots land there under the names
 * README.md and docs/ use.
 */
export function shot(name: string): string {
  const dir = process.env.KSC_SCREENSHOTS_DIR;
  return dir ? path.resolve(dir, `${name}.png`) : test.info().outputPath(`${name}.png`);
}
