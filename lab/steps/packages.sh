# Install what is missing from Debian's packages (nothing is downloaded from elsewhere).
LAB_PACKAGES=(libvirt-daemon-system libvirt-clients qemu-utils qemu-system-x86 openssh-server
  tgt libvirt-daemon-driver-storage-iscsi-direct e2fsprogs util-linux)
missing=()
for p in "${LAB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "packages present"
fi
