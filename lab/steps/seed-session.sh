# Seed the lab user's own libvirt (qemu:///session): a second, independent host.
as_user "mkdir -p ~/images"
if ! USR pool-info images >/dev/null 2>&1; then
  USR "pool-define-as images dir --target \$HOME/images" >/dev/null
  USR pool-build images >/dev/null
fi
usr_pool_active images || USR pool-start images >/dev/null
USR pool-autostart images >/dev/null
as_user 'cd ~/images
  [ -f template-debian12.qcow2 ] || { qemu-img create -q -f qcow2 template-debian12.qcow2 2G &&
    qemu-io -f qcow2 -c "write -q -P 0x66 0 6M" template-debian12.qcow2 >/dev/null; }
  [ -f web01.qcow2 ] || qemu-img create -q -f qcow2 -b "$HOME/images/template-debian12.qcow2" -F qcow2 web01.qcow2
  [ -f web02.qcow2 ] || qemu-img create -q -f qcow2 -b "$HOME/images/template-debian12.qcow2" -F qcow2 web02.qcow2
  [ -f scratch.raw ] || qemu-img create -q -f raw scratch.raw 256M'
USR pool-refresh images >/dev/null
if ! USR dominfo web01 >/dev/null 2>&1; then
  home=$(getent passwd "$LAB_USER" | cut -d: -f6)
  cat > "$STATE/web01.xml" <<XML
<domain type='qemu'>
  <name>web01</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <features><acpi/></features>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$home/images/web01.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <memballoon model='none'/>
  </devices>
</domain>
XML
  chmod 644 "$STATE/web01.xml"
  cp "$STATE/web01.xml" "$home/web01.xml"; chown "$LAB_USER" "$home/web01.xml"
  USR define "\$HOME/web01.xml" >/dev/null
fi
log "session libvirt of $LAB_USER seeded: pools $(USR pool-list --all --name | xargs)"
