#!/usr/bin/env bash
# npm test: installs what it needs (Debian packages, npm ci, the lab), then runs every test:
# types, lint, unit, integration (real SSH to the lab's libvirt), and Playwright in Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "npm test sets up the lab (libvirtd, sshd, loop devices): run it as root" >&2; exit 1; }
bash scripts/install-deps.sh
bash lab/up
OUT=$(mktemp -d)
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step "typecheck"; npx tsc --noEmit -p .
step "lint"; npx eslint --max-warnings 0 .
step "unit + integration tests"
npx vitest run --reporter=default --reporter=json --outputFile.json="$OUT/vitest.json" || vitest_failed=1
step "build"; npx next build > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
step "browser tests (Playwright, /usr/bin/chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$OUT/playwright.json" npx playwright test --reporter=list,json || e2e_failed=1
node scripts/summarize-tests.mjs "$OUT/vitest.json" "$OUT/playwright.json"
[ -z "${vitest_failed:-}" ] && [ -z "${e2e_failed:-}" ]
