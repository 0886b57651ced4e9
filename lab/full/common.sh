# Shared by lab/full/{up,down,status,verify}. Sourced, not run.
# The "full lab": a nested Debian 12 VM (`nestlab`) booted with qemu from an image built by
# debootstrap, reached over SSH on a forwarded loopback port. See lab/README.md, "Full lab".
# shellcheck source=../lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"

FULL_DIR="$LAB_DIR/full"
FULL_STATE="$STATE/full"
NEST_ID=nestlab
NEST_IQN=iqn.2026-11.lab.ksc:nest
NEST_PORT="${KSC_LAB_FULL_PORT:-2223}"
NEST_MEM_MIB="${KSC_LAB_FULL_MEM:-2048}"
NEST_SMP="${KSC_LAB_FULL_SMP:-2}"
NEST_SSH_TIMEOUT="${KSC_LAB_FULL_SSH_TIMEOUT:-600}"   # seconds from qemu start to SSH answering
NEST_ACCEL="${KSC_LAB_FULL_ACCEL:-auto}"              # auto | kvm | tcg
NEST_TB_MIB="${KSC_LAB_FULL_TB_MIB:-256}"             # TCG translation cache (qemu's default: 1 GiB)
# A marker in qemu's command line (it shows as the process name too): with the state path it tells
# this checkout's VM apart from any other qemu on the machine.
NEST_PROC=ksc-nestlab

PID_FILE="$FULL_STATE/qemu.pid"
SERIAL_LOG="$FULL_STATE/serial.log"
QEMU_LOG="$FULL_STATE/qemu.log"
ROOT_IMG="$FULL_STATE/root.img"          # the built image: never written by the VM
RUN_IMG="$FULL_STATE/run.qcow2"          # the VM's disk vda: a fresh overlay on root.img per boot
SPARE_IMG="$FULL_STATE/spare.qcow2"      # vdb: 1 GiB, blank per boot, for LVM
KERNEL="$FULL_STATE/vmlinuz"
INITRD="$FULL_STATE/initrd.img"
STAMP="$FULL_STATE/build.stamp"
HOSTKEY_PUB="$FULL_STATE/ssh_host_ed25519_key.pub"
HOSTKEY_FP="$FULL_STATE/hostkey.fingerprint"
KNOWN_HOSTS="$FULL_STATE/known_hosts"

flog() { printf '\033[1;35m[full]\033[0m %s\n' "$*"; }
fwarn() { printf '\033[1;33m[full]\033[0m %s\n' "$*" >&2; }
fdie() { printf '\033[1;31m[full] error:\033[0m %s\n' "$*" >&2; exit 1; }

# The port the running VM was started with (the environment may name another one now).
running_port() { cat "$FULL_STATE/port" 2>/dev/null || echo "$NEST_PORT"; }

# True if $1 is a live qemu started by lab/full/up from this state folder. The state folder is
# shared by symlink between checkouts (lab/state -> another checkout's), so the VM is recognised by
# its -pidfile argument resolved to a physical path, not by the text of the path it was given.
is_our_qemu() {
  local pid=$1 args i
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  mapfile -d '' -t args < "/proc/$pid/cmdline" 2>/dev/null || return 1
  [[ " ${args[*]} " == *"process=$NEST_PROC"* ]] || return 1
  for ((i = 0; i + 1 < ${#args[@]}; i++)); do
    if [ "${args[i]}" = -pidfile ]; then
      [ "$(realpath -m -- "${args[i + 1]}")" = "$(realpath -m -- "$PID_FILE")" ]
      return
    fi
  done
  return 1
}
vm_pid() { local p; p=$(cat "$PID_FILE" 2>/dev/null) || return 1; is_our_qemu "$p" && echo "$p"; }
# Our qemu without a pid file (e.g. the state folder was wiped while it ran).
orphan_pids() {
  local d p
  for d in /proc/[0-9]*; do p=${d#/proc/}; is_our_qemu "$p" && echo "$p"; done
  return 0
}

write_known_hosts() { # port
  printf '[127.0.0.1]:%s %s\n' "$1" "$(cut -d' ' -f1,2 "$HOSTKEY_PUB")" > "$KNOWN_HOSTS"
}
# ssh into the guest as root with the lab's client key, pinning the host key made at build time.
# The whole command is bounded: NEST_T seconds (default 300), e.g. `NEST_T=20 nest_ssh true`;
# NEST_CT bounds the connection and the banner exchange (default 30 s: a TCG guest that is busy,
# e.g. with libvirtd probing qemu at boot, can take many seconds to answer).
nest_ssh() {
  timeout "${NEST_T:-300}" ssh -i "$STATE/id_ed25519" -p "$(running_port)" -o BatchMode=yes -o ConnectTimeout="${NEST_CT:-30}" \
    -o UserKnownHostsFile="$KNOWN_HOSTS" -o StrictHostKeyChecking=yes -o GlobalKnownHostsFile=/dev/null \
    -o ServerAliveInterval=5 -o ServerAliveCountMax=3 -o LogLevel=ERROR root@127.0.0.1 "$@"
}
# nest_ssh, tried up to 3 times when SSH itself fails (exit 255), not when the command does.
nest_ssh_retry() {
  local i rc
  for i in 1 2 3; do
    rc=0; nest_ssh "$@" || rc=$?
    [ "$rc" -eq 255 ] || return "$rc"
    sleep 2
  done
  return "$rc"
}

