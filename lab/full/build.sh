# Build the nested lab host's root image from Debian packages only. Sourced by lab/full/up (after
# common.sh). Everything it makes lives in $FULL_STATE; a change to this file or to guest/ changes
# the build fingerprint, and lab/full/up then rebuilds. The lab's client key is not in the image:
# lab/up makes a new one each time, and lab/full/up hands it to the guest on the kernel command line.

# What the guest is made of (debootstrap --variant=minbase --include=...). libpam-systemd must be
# listed: polkitd (pulled in by libvirt-daemon-system) depends on default-logind | logind, an
# alternative debootstrap cannot resolve by itself.
# qemu-system-x86 is there for libvirt's QEMU driver: without an emulator `virsh version` fails
# ("Cannot find suitable emulator for x86_64"), and the console reads every host with it.
NEST_PACKAGES=(linux-image-amd64 systemd-sysv libpam-systemd openssh-server libvirt-daemon-system
  libvirt-clients qemu-utils qemu-system-x86 lvm2 nfs-kernel-server nfs-common open-iscsi tgt
  libvirt-daemon-driver-storage-iscsi-direct udev ifupdown isc-dhcp-client iproute2 kmod procps
  dbus e2fsprogs)
NEST_SUITE=bookworm
NEST_FREE_MIB=2048   # free space left in the guest's root filesystem (NFS share, LUN files, volumes)

build_fingerprint() {
  cat "$FULL_DIR/build.sh" "$FULL_DIR"/guest/* | sha256sum | cut -d' ' -f1
}

# Why the cached build can't be used (prints nothing, returns 0, if it can).
cache_problem() {
  local f
  for f in "$ROOT_IMG" "$KERNEL" "$INITRD" "$HOSTKEY_PUB" "$HOSTKEY_FP" "$STAMP"; do
    [ -s "$f" ] || { echo "$(basename "$f") is missing"; return 0; }
  done
  [ "$(cat "$STAMP")" = "$(build_fingerprint)" ] ||
    { echo "the build recipe (lab/full/build.sh, lab/full/guest/) changed"; return 0; }
  e2fsck -fn "$ROOT_IMG" >"$FULL_STATE/e2fsck.log" 2>&1 ||
    { echo "root.img fails e2fsck -fn (see $FULL_STATE/e2fsck.log)"; return 0; }
  grep -q '^SHA256:' "$HOSTKEY_FP" || { echo "hostkey.fingerprint is malformed"; return 0; }
}

# The Debian mirror apt uses on this machine for $NEST_SUITE (never a hard-coded host).
find_mirror() {
  local f
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822: paragraphs of "Key: value" lines; continuation lines start with white space.
    awk -v suite="$NEST_SUITE" 'BEGIN { RS = ""; FS = "\n" }
      { types = uris = suites = ""; enabled = "yes"; key = ""
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^#/) continue
          if (match(line, /^[A-Za-z0-9-]+:/)) { key = tolower(substr(line, 1, RLENGTH - 1)); val = substr(line, RLENGTH + 1) }
          else val = line
          if (key == "types") types = types " " val
          else if (key == "uris") uris = uris " " val
          else if (key == "suites") suites = suites " " val
          else if (key == "enabled") enabled = tolower(val)
        }
        if (enabled ~ /no/) next
        if ((types " ") !~ /[ \t]deb[ \t]/) next
        if ((suites " ") !~ ("[ \t]" suite "[ \t]")) next
        n = split(uris, u, /[ \t]+/)
        for (j = 1; j <= n; j++) if (u[j] != "") { print u[j]; exit }
      }' "$f" | head -n1 | grep . && return 0
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v suite="$NEST_SUITE" '$1 == "deb" {
        i = 2
        if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' "$f" | head -n1 | grep . && return 0
  done
  return 1
}

# debootstrap does not read apt's configuration: pass apt's proxy on, if it has one.
use_apt_proxy() {
  local http_p='' https_p=''
  eval "$(apt-config shell http_p Acquire::http::Proxy https_p Acquire::https::Proxy)"
  if [ -z "${http_proxy:-}" ] && [ -n "$http_p" ] && [ "$http_p" != DIRECT ]; then export http_proxy=$http_p; fi
  if [ -z "${https_proxy:-}" ] && [ -n "$https_p" ] && [ "$https_p" != DIRECT ]; then export https_proxy=$https_p; fi
}

check_mirror() { # uri
  local m=${1%/}
  case $m in
    http://* | https://*)
      wget -T 20 -t 2 -O /dev/null "$m/dists/$NEST_SUITE/InRelease" >"$FULL_STATE/mirror-check.log" 2>&1 ||
        fdie "no mirror reachable: $m/dists/$NEST_SUITE/InRelease could not be downloaded:
$(grep -v '^\s*$' "$FULL_STATE/mirror-check.log" | tail -n 4)
(the mirror is the one apt uses here, from /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list)" ;;
    file:*)
      local p=${m#file:}; p=/${p##/}
      [ -r "$p/dists/$NEST_SUITE/Release" ] || fdie "no mirror reachable: $p/dists/$NEST_SUITE/Release is not readable" ;;
    *) fdie "apt's mirror for $NEST_SUITE is '$m': debootstrap needs an http(s):// or file: URI" ;;
  esac
}

# Unmount anything left inside a build folder (debootstrap mounts /proc and /sys in its target and
# may not get to unmount them when killed), then delete it without crossing into other filesystems.
remove_build_dir() {
  local d=$1 m
  [ -d "$d" ] || return 0
  while read -r m; do umount -l "$m" 2>/dev/null || true; done < <(findmnt -rn -o TARGET | grep -F "$d/" | sort -r)
  rm -rf --one-file-system "$d"
}

configure_rootfs() { # rootfs
  local r=$1
  echo "$NEST_ID" > "$r/etc/hostname"
  cat > "$r/etc/hosts" <<EOF
127.0.0.1	localhost
127.0.1.1	$NEST_ID
::1	localhost ip6-localhost ip6-loopback
EOF
  echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' > "$r/etc/fstab"
  cat > "$r/etc/network/interfaces" <<'EOF'
# The nested lab host: qemu user-mode networking gives eth0 its address by DHCP.
auto lo
iface lo inet loopback

auto eth0
iface eth0 inet dhcp
EOF
  # The kernel modules the storage backends need: LVM (device-mapper), the NFS server, iSCSI.
  printf '%s\n' dm_mod nfsd iscsi_tcp > "$r/etc/modules-load.d/ksc-nest.conf"
  # Under TCG each module udev loads at boot costs seconds: skip the emulated board's legacy bits.
  printf 'blacklist %s\n' floppy pcspkr > "$r/etc/modprobe.d/ksc-nest.conf"
  # ifupdown-pre waits for *all* udev events (udevadm settle, capped at 2 min) before eth0 is
  # raised; on a busy machine TCG can take longer, and the boot ends "degraded". Wait for eth0 only.
  mkdir -p "$r/etc/systemd/system/ifupdown-pre.service.d"
  cat > "$r/etc/systemd/system/ifupdown-pre.service.d/ksc-nest.conf" <<'EOF'
[Service]
ExecStart=
ExecStart=/bin/sh -c 'i=0; while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 1200 ]; do sleep 0.5; i=$((i+1)); done; [ -e /sys/class/net/eth0 ]'
EOF

  # SSH: root by key only (the lab's client key); one ed25519 host key, made here and pinned.
  rm -f "$r"/etc/ssh/ssh_host_*
  ssh-keygen -q -t ed25519 -N '' -C "root@$NEST_ID" -f "$r/etc/ssh/ssh_host_ed25519_key"
  cat > "$r/etc/ssh/sshd_config.d/ksc-nest.conf" <<'EOF'
# Written by lab/full/up: root logs in with the lab's key only.
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
MaxSessions 20
EOF
  install -d -m 700 "$r/root/.ssh"
  # The authorized key is written at each boot from the kernel command line (ksc-nest-authkey).
  install -m 755 "$FULL_DIR/guest/ksc-nest-authkey" "$r/usr/local/sbin/ksc-nest-authkey"
  install -m 644 "$FULL_DIR/guest/ksc-nest-authkey.service" "$r/etc/systemd/system/ksc-nest-authkey.service"
  chroot "$r" usermod -p '*' root   # no password: no password login, but not a locked account

  # iSCSI: a fixed initiator name; the target with two file-backed LUNs; the boot-time seeding.
  echo "InitiatorName=iqn.2026-11.lab.ksc:$NEST_ID" > "$r/etc/iscsi/initiatorname.iscsi"
  install -m 644 "$FULL_DIR/guest/ksc-nest.tgt.conf" "$r/etc/tgt/conf.d/ksc-nest.conf"
  install -m 755 "$FULL_DIR/guest/ksc-nest-seed" "$r/usr/local/sbin/ksc-nest-seed"
  install -m 644 "$FULL_DIR/guest/ksc-nest-seed.service" "$r/etc/systemd/system/ksc-nest-seed.service"

  # libvirt: no default NAT network (it needs dnsmasq/iptables the guest doesn't have, and the
  # console doesn't use it); no pools either: making them is what the console's wizards do.
  rm -f "$r/etc/libvirt/qemu/networks/autostart/default.xml"

  chroot "$r" systemctl enable --quiet ksc-nest-authkey.service ksc-nest-seed.service libvirtd.service ssh.service \
    tgt.service nfs-server.service iscsid.socket serial-getty@ttyS0.service
  # No display (qemu -nodefaults -vga none), and nothing to do for the timers: less work under TCG.
  local u f
  for u in getty@tty1.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
    e2scrub_reap.service fstrim.timer libvirt-guests.service cron.service; do
    f=$u; [[ $u == *@?*.* ]] && f="${u%%@*}@.${u##*.}"   # an instance's unit file is its template
    [ -e "$r/lib/systemd/system/$f" ] || [ -e "$r/etc/systemd/system/$f" ] || continue
    chroot "$r" systemctl disable --quiet "$u" 2>/dev/null || true
  done
  rm -f "$r"/var/cache/apt/archives/*.deb "$r/usr/sbin/policy-rc.d"
}

build_image() {
  local rootfs="$FULL_STATE/build/rootfs" log="$FULL_STATE/debootstrap.log" mirror t0 rc avail
  remove_build_dir "$FULL_STATE/build"
  avail=$(df --output=avail -BM "$FULL_STATE" | tail -n1 | tr -dc 0-9)
  [ "$avail" -ge 4096 ] || fdie "not enough disk space: the build needs ~4 GiB free in $FULL_STATE, $avail MiB are"
  mirror=$(find_mirror) ||
    fdie "no mirror: apt's sources (/etc/apt/sources.list.d/*.sources, /etc/apt/sources.list) name none for suite $NEST_SUITE"
  mirror=${mirror%/}
  use_apt_proxy
  check_mirror "$mirror"
  mkdir -p "$rootfs" "$FULL_STATE/apt-cache"
  flog "debootstrap $NEST_SUITE from $mirror (minbase + ${#NEST_PACKAGES[@]} packages; log: $log)"
  t0=$(date +%s)
  # Two stages (--foreign, then --second-stage in the chroot) only to drop in the initramfs
  # configuration before the kernel package is configured: the default MODULES=most initrd takes
  # minutes to make (most of debootstrap's time on a busy machine) and is ~40 MB; the guest boots
  # from virtio only, so a list of three modules (and their dependencies) does.
  rc=0
  debootstrap --foreign --variant=minbase --include="$(IFS=,; echo "${NEST_PACKAGES[*]}")" \
    --cache-dir="$FULL_STATE/apt-cache" "$NEST_SUITE" "$rootfs" "$mirror" >"$log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then
    mkdir -p "$rootfs/etc/initramfs-tools/conf.d" "$rootfs/usr/share/initramfs-tools/modules.d"
    echo 'MODULES=list' > "$rootfs/etc/initramfs-tools/conf.d/ksc-nest"
    printf '%s\n' virtio_pci virtio_blk ext4 > "$rootfs/usr/share/initramfs-tools/modules.d/ksc-nest"
    echo "I: second stage (chroot $rootfs /debootstrap/debootstrap --second-stage)" >>"$log"
    chroot "$rootfs" /debootstrap/debootstrap --second-stage >>"$log" 2>&1 || rc=$?
  fi
  if [ "$rc" -ne 0 ]; then
    cp "$rootfs/debootstrap/debootstrap.log" "$FULL_STATE/debootstrap-target.log" 2>/dev/null || true
    remove_build_dir "$FULL_STATE/build"
    fdie "debootstrap failed (exit $rc after $(( $(date +%s) - t0 )) s). Last lines of $log:
$(tail -n 20 "$log")
$( [ -f "$FULL_STATE/debootstrap-target.log" ] && printf '\nLast lines of the target'"'"'s debootstrap/debootstrap.log (%s):\n%s' "$FULL_STATE/debootstrap-target.log" "$(tail -n 20 "$FULL_STATE/debootstrap-target.log")")"
  fi
  DEBOOTSTRAP_SECS=$(( $(date +%s) - t0 ))
  flog "debootstrap done in ${DEBOOTSTRAP_SECS} s; configuring the guest"
  configure_rootfs "$rootfs"

  local kernels initrd used size
  kernels=("$rootfs"/boot/vmlinuz-*)
  [ -f "${kernels[0]}" ] || fdie "the guest has no kernel in /boot (did linux-image-amd64 install? see $log)"
  initrd="$rootfs/boot/initrd.img-${kernels[-1]##*/vmlinuz-}"
  [ -s "$initrd" ] || fdie "the guest has no initramfs $initrd (initramfs-tools failed? see $log)"
  used=$(du -sxm "$rootfs" | cut -f1)
  size=$(( (used + NEST_FREE_MIB + 255) / 256 * 256 ))
  rm -f "$ROOT_IMG.tmp"
  truncate -s "${size}M" "$ROOT_IMG.tmp"
  mkfs.ext4 -q -F -L nestroot -d "$rootfs" "$ROOT_IMG.tmp" >"$FULL_STATE/mkfs.log" 2>&1 ||
    fdie "mkfs.ext4 -d failed: $(tail -n 5 "$FULL_STATE/mkfs.log")"
  e2fsck -fn "$ROOT_IMG.tmp" >"$FULL_STATE/e2fsck.log" 2>&1 || fdie "the new image fails e2fsck: $(tail -n 5 "$FULL_STATE/e2fsck.log")"
  cp "${kernels[-1]}" "$KERNEL.tmp"
  cp "$initrd" "$INITRD.tmp"
  cp "$rootfs/etc/ssh/ssh_host_ed25519_key.pub" "$HOSTKEY_PUB.tmp"
  ssh-keygen -lf "$HOSTKEY_PUB.tmp" -E sha256 | awk '{print $2}' > "$HOSTKEY_FP.tmp"
  local f
  for f in "$ROOT_IMG" "$KERNEL" "$INITRD" "$HOSTKEY_PUB" "$HOSTKEY_FP"; do mv -f "$f.tmp" "$f"; done
  cat > "$FULL_STATE/build.info" <<EOF
built=$(date -u +%FT%TZ)
mirror=$mirror
kernel=${kernels[-1]##*/}
debootstrap_seconds=$DEBOOTSTRAP_SECS
rootfs_mib=$used
image_apparent_mib=$size
image_allocated_mib=$(du -m "$ROOT_IMG" | cut -f1)
EOF
  build_fingerprint > "$STAMP"   # last: a build without its stamp is never used
  remove_build_dir "$FULL_STATE/build"
  flog "image built: $ROOT_IMG (${size} MiB apparent, $(du -m "$ROOT_IMG" | cut -f1) MiB allocated; rootfs $used MiB)"
}
