#!/usr/bin/env bash
# npm test: installs what it needs (Debian packages, npm ci, the lab), then runs every test:
# types, lint, unit, integration (real SSH to the lab's libvirt; the database suites once more on
# PostgreSQL), and Playwright in Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "npm test sets up the lab (libvirtd, sshd, loop devices): run it as root" >&2; exit 1; }
bash scripts/install-deps.sh
bash lab/up
OUT=$(mktemp -d)
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# The full lab (what `lab/up --full` adds): the nested Debian KVM host `nestlab`. Its boot (and, on
# a fresh machine, its image build) runs in the background while types and lint are checked.
# A failure does not stop the run: the full-lab integration tests then fail, quoting the reason.
mkdir -p lab/state/full
bash lab/full/up > lab/state/full/up.log 2>&1 &
full_pid=$!
step "typecheck"; npx tsc --noEmit -p .
step "lint"; npx eslint --max-warnings 0 .
step "full lab (lab/full/up, log: lab/state/full/up.log)"
if wait "$full_pid"; then
  tail -n 1 lab/state/full/up.log
else
  tail -n 20 lab/state/full/up.log
  echo "lab/full/up failed: the full-lab tests will fail" >&2
fi
# A throwaway PostgreSQL cluster (Debian's package) for the integration-pg project: the database
# suites and the role matrix once more with DATABASE_URL (scripts/pg-test.sh; each file gets its own database).
step "PostgreSQL for integration-pg (scripts/pg-test.sh)"; eval "$(bash scripts/pg-test.sh env)"; echo "$KSC_TEST_PG_URL"
step "unit + integration tests (SQLite, then PostgreSQL)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$OUT/vitest.json" || vitest_failed=1
step "build"; npx next build > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
step "browser tests (Playwright, /usr/bin/chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$OUT/playwright.json" npx playwright test --reporter=list,json || e2e_failed=1
node scripts/summarize-tests.mjs "$OUT/vitest.json" "$OUT/playwright.json"
[ -z "${vitest_failed:-}" ] && [ -z "${e2e_failed:-}" ]
