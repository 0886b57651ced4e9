#!/usr/bin/env bash
# What the tests need beyond the lab's own packages: Debian's chromium (never a downloaded
# browser), Debian's PostgreSQL, and the project's npm packages, exactly as locked.
set -euo pipefail
cd "$(dirname "$0")/.."
# chromium for Playwright; xmllint (libxml2-utils) for virt-xml-validate in the XML tests;
# postgresql for the integration-pg project (scripts/pg-test.sh starts a throwaway cluster of it).
if ! command -v chromium >/dev/null 2>&1 || ! command -v xmllint >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core libxml2-utils postgresql >/dev/null
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # Playwright must not fetch a browser of its own.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
