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
