#!/usr/bin/env bash
# npm run demo: on a fresh Debian 12 machine as root, set up the lab and serve the console on it,
# with two accounts to sign in with: `admin` (admin on every host) and `viewer` (read-only).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "npm run demo sets up the lab (libvirtd, sshd, loop devices): run it as root" >&2; exit 1; }
bash scripts/install-deps.sh
bash lab/up
echo "building the console…"
npx next build > /tmp/ksc-build.log 2>&1 || { cat /tmp/ksc-build.log; exit 1; }
export KSC_INVENTORY="$PWD/lab/state/hosts.json"

# The demo's accounts, with new generated passwords on every run (never a default password).
gen() { node -e "const c=require('crypto');const a='ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';let s='';for(const b of c.randomBytes(64)){if(b<228&&s.length<20)s+=a[b%57]}console.log(s)"; }
account() { # NAME ROLE → prints the password
  local pw; pw=$(gen)
  if ! printf '%s' "$pw" | npm run -s user -- add "$1" --role "$2" --password-stdin > /dev/null 2> /tmp/ksc-user.err; then
    grep -q 'already exists' /tmp/ksc-user.err || { cat /tmp/ksc-user.err >&2; exit 1; }
    printf '%s' "$pw" | npm run -s user -- passwd "$1" --password-stdin > /dev/null
  fi
  echo "$pw"
}
admin_pw=$(account admin admin)
viewer_pw=$(account viewer viewer)
cat <<INFO

KVM Storage Console: http://127.0.0.1:${PORT:-3000}   (Ctrl-C stops it; lab/down removes the lab)
  sign in as  admin   password  ${admin_pw}   (admin on every host)
          or  viewer  password  ${viewer_pw}   (read-only)
  more users: npm run user -- add NAME --role viewer|operator|admin [--hosts lab,lab2]

INFO
exec node scripts/start.mjs
