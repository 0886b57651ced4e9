# Start virtlogd and libvirtd (systemctl where systemd is PID 1, directly otherwise).
if [ -e /dev/kvm ]; then
  # libvirt's qemu runs as libvirt-qemu; /dev/kvm is often root-only on minimal machines.
  chmod 666 /dev/kvm
else
  warn "/dev/kvm not present: the lab's VMs run under TCG (software emulation)"
fi
if has_systemd; then
  systemctl start virtlogd libvirtd
else
  pgrep -x virtlogd >/dev/null || virtlogd -d
  if ! virsh -c qemu:///system version >/dev/null 2>&1; then
    rm -f /run/libvirtd.pid
    libvirtd -d
  fi
fi
for _ in $(seq 1 50); do virsh -c qemu:///system version >/dev/null 2>&1 && break; sleep 0.2; done
virsh -c qemu:///system version >/dev/null || die "libvirtd did not start (see /var/log/libvirt)"
log "libvirtd running ($(virsh -c qemu:///system version | sed -n 's/^Running hypervisor: //p'))"
