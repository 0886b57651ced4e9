// npm run screenshots: the README's and docs' screenshots of the real UI on the lab, made by the
// Playwright specs whose flows reach each state (they import e2e/shots.ts) plus the @screenshots
// spec for the plain browsing pages, written to docs/screenshots/ (KSC_SCREENSHOTS_DIR).
//
//   node scripts/screenshots.mjs [--no-build] [playwright options…]
//
// Needs the lab (`npm run lab:up`, as root) and, unless --no-build, builds the app first (the
// specs run against `next start`, like `npm test`). KSC_E2E_PORT / KSC_E2E_BASE_URL work as in
// playwright.config.ts. At the end every image README.md and docs/*.md reference must have been
// written by this run; the script fails naming those that were not.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'docs/screenshots');
const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const extra = args.filter((a) => a !== '--no-build');

/** Paths under docs/screenshots/ that README.md and docs/*.md reference (links and images). */
function referencedShots() {
  const docs = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const refs = new Set();
  for (const doc of docs) {
    const text = readFileSync(path.join(root, doc), 'utf8');
    for (const m of text.matchAll(/\]\(((?:\.\.\/|\.\/)?(?:docs\/)?screenshots\/[^)\s]+\.png)\)/g)) {
      refs.add(path.join(out, path.basename(m[1])));
    }
  }
  return [...refs].sort();
}

/** The specs that take docs screenshots: those importing e2e/shots.ts. */
function shotSpecs() {
  return readdirSync(path.join(root, 'e2e'))
    .filter((f) => f.endsWith('.spec.ts'))
    .filter((f) => /from '\.\/shots'/.test(readFileSync(path.join(root, 'e2e', f), 'utf8')))
    .map((f) => `e2e/${f}`)
    .sort();
}

function run(cmd, argv, env = {}) {
  console.log(`\n$ ${cmd} ${argv.join(' ')}`);
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

const started = Date.now();
if (build && run('npx', ['next', 'build']) !== 0) process.exit(1);
const specs = shotSpecs();
const failed = run('npx', ['playwright', 'test', ...specs, ...extra], { KSC_SCREENSHOTS_DIR: out }) !== 0;

// mtime resolution: allow a second of slack.
const fresh = (f) => existsSync(f) && statSync(f).mtimeMs >= started - 1000;
const refs = referencedShots();
const missing = refs.filter((f) => !fresh(f));
const stale = readdirSync(out)
  .filter((f) => f.endsWith('.png'))
  .map((f) => path.join(out, f))
  .filter((f) => !fresh(f));
console.log(`\n${refs.length - missing.length} of ${refs.length} referenced screenshots written to ${path.relative(root, out)}/ by this run`);
if (stale.length) console.log(`not written by this run: ${stale.map((f) => path.basename(f)).join(', ')}`);
if (missing.length) {
  console.error(`referenced by the docs but not produced: ${missing.map((f) => path.relative(root, f)).join(', ')}`);
  process.exit(1);
}
process.exit(failed ? 1 : 0);
