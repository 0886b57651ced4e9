#!/usr/bin/env bash
# npm run demo: on a fresh Debian 12 machine as root, set up the lab and serve the console on it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "npm run demo sets up the lab (libvirtd, sshd, loop devices): run it as root" >&2; exit 1; }
bash scripts/install-deps.sh
bash lab/up
echo "building the console…"
npx next build > /tmp/ksc-build.log 2>&1 || { cat /tmp/ksc-build.log; exit 1; }
export KSC_INVENTORY="$PWD/lab/state/hosts.json"
echo "KVM Storage Console: http://127.0.0.1:${PORT:-3000}  (Ctrl-C stops it; lab/down removes the lab)"
exec node scripts/start.mjs
