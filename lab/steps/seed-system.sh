# Seed the system libvirt with the tutorial's objects (see lab/README.md).

ensure_dir_pool() { # name path
  if ! sys_pool_exists "$1"; then
    "${SYS[@]}" pool-define-as "$1" dir --target "$2" >/dev/null
    "${SYS[@]}" pool-build "$1" >/dev/null
    echo "$1" >> "$STATE/created-pools"
  fi
  sys_pool_active "$1" || "${SYS[@]}" pool-start "$1" >/dev/null
  "${SYS[@]}" pool-autostart "$1" >/dev/null
}
ensure_dir_pool default /var/lib/libvirt/images
ensure_dir_pool vm "$VM_DIR"

# --- disk images in pool `vm` (made with qemu-img, as the tutorial does) ---
cd "$VM_DIR"
if [ ! -f base-centos7.qcow2 ]; then
  qemu-img create -q -f qcow2 base-centos7.qcow2 1G
  # Real data, so overlays, maps and checksums have something to show.
  qemu-io -f qcow2 -c 'write -q -P 0x5a 0 8M' -c 'write -q -P 0xc3 256M 4M' base-centos7.qcow2 >/dev/null
fi
if [ ! -f oa-disk0.qcow2 ]; then
  # Relative backing path, exactly as in the tutorial (section 3.3).
  qemu-img create -q -f qcow2 -b base-centos7.qcow2 -F qcow2 oa-disk0.qcow2
  qemu-io -f qcow2 -c 'write -q -P 0x11 1M 2M' oa-disk0.qcow2 >/dev/null
fi
if [ ! -f centos7-vm001.qcow2 ]; then
  qemu-img create -q -f qcow2 -b "$VM_DIR/base-centos7.qcow2" -F qcow2 centos7-vm001.qcow2
  qemu-io -f qcow2 -c 'write -q -P 0x22 4M 1M' centos7-vm001.qcow2 >/dev/null
fi
if [ ! -f vmtest01.img ]; then
  qemu-img create -q -f raw vmtest01.img 512M
  qemu-io -f raw -c 'write -q -P 0x33 0 16M' vmtest01.img >/dev/null
fi
if [ ! -f vm003.qcow2 ]; then
  qemu-img create -q -f qcow2 vm003.qcow2 2G
  qemu-io -f qcow2 -c 'write -q -P 0x44 0 4M' vm003.qcow2 >/dev/null
  qemu-img snapshot -c s1 vm003.qcow2
  qemu-io -f qcow2 -c 'write -q -P 0x45 0 2M' vm003.qcow2 >/dev/null
fi
cd - >/dev/null
"${SYS[@]}" pool-refresh vm >/dev/null

# --- fs pool on a loop device formatted ext4; libvirt mounts it ---
FS_IMG="$STATE/guest_images_fs.img"
if [ ! -f "$FS_IMG" ]; then truncate -s 256M "$FS_IMG"; fi
FS_LOOP=$(losetup -j "$FS_IMG" | head -n1 | cut -d: -f1)
[ -n "$FS_LOOP" ] || FS_LOOP=$(losetup -f --show "$FS_IMG")
blkid -p "$FS_LOOP" >/dev/null 2>&1 || mkfs.ext4 -q -L guest_images_fs "$FS_LOOP"
if sys_pool_exists guest_images_fs && ! grep -q "path='$FS_LOOP'" <<<"$("${SYS[@]}" pool-dumpxml guest_images_fs)"; then
  # The loop device number changed (e.g. after a reboot): redefine on the current one.
  "${SYS[@]}" pool-destroy guest_images_fs >/dev/null 2>&1 || true
  "${SYS[@]}" pool-undefine guest_images_fs >/dev/null
fi
if ! sys_pool_exists guest_images_fs; then
  "${SYS[@]}" pool-define-as guest_images_fs fs --source-dev "$FS_LOOP" --target "$FS_TARGET" >/dev/null
  "${SYS[@]}" pool-build guest_images_fs >/dev/null
  echo guest_images_fs >> "$STATE/created-pools"
fi
sys_pool_active guest_images_fs || "${SYS[@]}" pool-start guest_images_fs >/dev/null
"${SYS[@]}" pool-autostart guest_images_fs >/dev/null
"${SYS[@]}" vol-info --pool guest_images_fs data01.qcow2 >/dev/null 2>&1 ||
  "${SYS[@]}" vol-create-as guest_images_fs data01.qcow2 128M --format qcow2 >/dev/null

# --- iscsi-direct pool on a userspace tgt target with two LUNs ---
mkdir -p "$STATE/iscsi"
[ -f "$STATE/iscsi/lun1.img" ] || truncate -s 64M "$STATE/iscsi/lun1.img"
[ -f "$STATE/iscsi/lun2.img" ] || truncate -s 128M "$STATE/iscsi/lun2.img"
if ! tgtadm --lld iscsi --mode target --op show >/dev/null 2>&1; then
  tgtd --iscsi "portal=$ISCSI_PORTAL:3260" >/dev/null 2>&1 || die "tgtd did not start"
  for _ in $(seq 1 50); do tgtadm --lld iscsi --mode target --op show >/dev/null 2>&1 && break; sleep 0.1; done
fi
if ! grep -q "$ISCSI_IQN" <<<"$(tgtadm --lld iscsi --mode target --op show)"; then
  tgtadm --lld iscsi --op new --mode target --tid 1 -T "$ISCSI_IQN"
  tgtadm --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b "$STATE/iscsi/lun1.img"
  tgtadm --lld iscsi --op new --mode logicalunit --tid 1 --lun 2 -b "$STATE/iscsi/lun2.img"
  tgtadm --lld iscsi --op bind --mode target --tid 1 -I ALL
fi
if ! sys_pool_exists storage01; then
  cat > "$STATE/storage01.xml" <<XML
<pool type='iscsi-direct'>
  <name>storage01</name>
  <source>
    <host name='$ISCSI_PORTAL'/>
    <device path='$ISCSI_IQN'/>
    <initiator><iqn name='$ISCSI_INITIATOR'/></initiator>
  </source>
</pool>
XML
  "${SYS[@]}" pool-define "$STATE/storage01.xml" >/dev/null
  echo storage01 >> "$STATE/created-pools"
fi
sys_pool_active storage01 || "${SYS[@]}" pool-start storage01 >/dev/null || warn "iscsi-direct pool storage01 did not start"

# --- VMs: firmware-only guests are enough for storage work ---
define_vm() { # name disk-xml...
  local name=$1; shift
  sys_dom_exists "$name" && return 0
  cat > "$STATE/$name.xml" <<XML
<domain type='$(virt_type)'>
  <name>$name</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <!-- ACPI lets disks be hot-plugged into the running guest. -->
  <features><acpi/></features>
  <on_reboot>restart</on_reboot>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    $*
    <controller type='scsi' model='virtio-scsi'/>
    <memballoon model='none'/>
  </devices>
</domain>
XML
  "${SYS[@]}" define "$STATE/$name.xml" >/dev/null
}
disk() { # file format target bus
  echo "<disk type='file' device='disk'><driver name='qemu' type='$2' cache='none'/><source file='$1'/><target dev='$3' bus='$4'/></disk>"
}
define_vm vm001 "$(disk "$VM_DIR/centos7-vm001.qcow2" qcow2 vda virtio)"
define_vm vm002 "$(disk "$VM_DIR/oa-disk0.qcow2" qcow2 vda virtio) $(disk "$VM_DIR/vmtest01.img" raw vdb virtio)"
[ "$(sys_dom_state vm001)" = running ] || "${SYS[@]}" start vm001 >/dev/null
[ "$(sys_dom_state vm002)" = "shut off" ] || "${SYS[@]}" destroy vm002 >/dev/null
log "system libvirt seeded: pools $("${SYS[@]}" pool-list --all --name | xargs)"
