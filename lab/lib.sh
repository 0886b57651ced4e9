# Shared helpers for lab/up, lab/down and lab/capture-fixtures. Sourced, not run.
# The lab is for a dedicated machine (a CI box, a VM, a trainer's laptop VM): it creates
# /kvm-vm, /guest_images2, a user `kscuser`, and libvirt objects with the tutorial's names.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE="${KSC_LAB_STATE:-$LAB_DIR/state}"
SSH_PORT="${KSC_LAB_SSH_PORT:-2222}"
LAB_USER=kscuser
ADMIN_USER=kscadmin
ADMIN_HOME=/var/lib/ksc-lab/admin
VM_DIR=/kvm-vm
FS_TARGET=/guest_images2
ISCSI_IQN=iqn.2026-11.lab.ksc:storage01
ISCSI_INITIATOR=iqn.2026-11.lab.ksc:console
ISCSI_PORTAL=127.0.0.1
SYS=(virsh -q -c qemu:///system)

log() { printf '\033[1;34m[lab]\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m[lab]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[lab] error:\033[0m %s\n' "$*" >&2; exit 1; }

require_root() { [ "$(id -u)" -eq 0 ] || die "run as root (the lab manages libvirtd, sshd and loop devices)"; }

has_systemd() { [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]; }

# Run a command as the lab user with its own session libvirt.
as_user() { su - "$LAB_USER" -s /bin/bash -c "$*"; }
USR() { as_user "virsh -q -c qemu:///session $*"; }

sys_pool_exists() { "${SYS[@]}" pool-info "$1" >/dev/null 2>&1; }
# (Output is captured before grep: with pipefail, grep -q closing the pipe early fails the pipeline.)
sys_pool_active() { local o; o=$("${SYS[@]}" pool-info "$1" 2>/dev/null) && grep -Eq '^State: +running' <<<"$o"; }
usr_pool_active() { local o; o=$(USR pool-info "$1" 2>/dev/null) && grep -Eq '^State: +running' <<<"$o"; }
sys_dom_state() { "${SYS[@]}" domstate "$1" 2>/dev/null; }
sys_dom_exists() { "${SYS[@]}" dominfo "$1" >/dev/null 2>&1; }

# Domain type: KVM where /dev/kvm exists, TCG otherwise (a firmware-only VM runs either way).
virt_type() { if [ -c /dev/kvm ]; then echo kvm; else echo qemu; fi; }

# Edit lab/state/hosts.json: `inventory_put JSON` adds or replaces the entry with JSON's id,
# `inventory_del ID` removes one. Other entries and their order are kept. The file is written
# atomically, and only when its content changes (the console re-reads it on every change).
# A malformed file is left alone and reported (exit 1).
inventory_edit() { # op arg
  local file="$STATE/hosts.json"
  if command -v node >/dev/null 2>&1; then
    node - "$file" "$1" "$2" <<'JS'
const fs = require('fs');
const [file, op, arg] = process.argv.slice(2);
let inv = { hosts: [] };
let before = null;
if (fs.existsSync(file)) {
  before = fs.readFileSync(file, 'utf8');
  try { inv = JSON.parse(before); } catch (e) { console.error(`${file} is not valid JSON: ${e.message}`); process.exit(1); }
  if (!inv || !Array.isArray(inv.hosts)) { console.error(`${file} has no "hosts" array`); process.exit(1); }
} else if (op === 'del') process.exit(0);
if (op === 'put') {
  const entry = JSON.parse(arg);
  const i = inv.hosts.findIndex(h => h && h.id === entry.id);
  if (i >= 0) inv.hosts[i] = entry; else inv.hosts.push(entry);
} else inv.hosts = inv.hosts.filter(h => !(h && h.id === arg));
const after = JSON.stringify(inv, null, 2) + '\n';
if (after === before) process.exit(0);
fs.writeFileSync(file + '.tmp', after);
fs.renameSync(file + '.tmp', file);
JS
  else
    python3 - "$file" "$1" "$2" <<'PY'
import json, os, sys
file, op, arg = sys.argv[1:4]
inv = {"hosts": []}
before = None
if os.path.exists(file):
    before = open(file).read()
    try:
        inv = json.loads(before)
    except ValueError as e:
        sys.exit(f"{file} is not valid JSON: {e}")
    if not isinstance(inv, dict) or not isinstance(inv.get("hosts"), list):
        sys.exit(f'{file} has no "hosts" array')
elif op == "del":
    sys.exit(0)
if op == "put":
    entry = json.loads(arg)
    ids = [h.get("id") if isinstance(h, dict) else None for h in inv["hosts"]]
    if entry["id"] in ids:
        inv["hosts"][ids.index(entry["id"])] = entry
    else:
        inv["hosts"].append(entry)
else:
    inv["hosts"] = [h for h in inv["hosts"] if not (isinstance(h, dict) and h.get("id") == arg)]
after = json.dumps(inv, indent=2) + "\n"
if after == before:
    sys.exit(0)
with open(file + ".tmp", "w") as f:
    f.write(after)
os.replace(file + ".tmp", file)
PY
  fi
}
# Serialised: lab/up and lab/full/up may edit the file at the same time.
inventory_locked() { ( flock -w 60 8 || { echo "$STATE/hosts.json.lock is held: cannot edit the inventory" >&2; exit 1; }; inventory_edit "$@" ) 8>"$STATE/hosts.json.lock"; }
inventory_put() { inventory_locked put "$1"; }
inventory_del() { inventory_locked del "$1"; }
