# Write the host inventory the console reads (KSC_INVENTORY points at it in the demo and tests).
# The entries lab/up owns (lab, lab2) are added or updated in place; others are kept. `nestlab`
# (lab/full/up adds it) stays while its VM runs, and is dropped if the VM is gone.
fp_lab=$(cat "$STATE/sshd-lab/fingerprint")
fp_lab2=$(cat "$STATE/sshd-lab2/fingerprint")
entry_lab=$(printf '{"id":"lab","name":"Lab host (system libvirt)","transport":"ssh","address":"127.0.0.1","port":%s,"user":"%s","uri":"qemu:///system","hostKey":"%s","identityFile":"id_ed25519"}' \
  "$SSH_PORT" "$ADMIN_USER" "$fp_lab")
entry_lab2=$(printf '{"id":"lab2","name":"Lab host 2 (kscuser session libvirt)","transport":"ssh","address":"127.0.0.2","port":%s,"user":"%s","uri":"qemu:///session","hostKey":"%s","identityFile":"id_ed25519"}' \
  "$SSH_PORT" "$LAB_USER" "$fp_lab2")
if ! inventory_put "$entry_lab" 2>"$STATE/inventory.err"; then
  warn "$(cat "$STATE/inventory.err"): writing a new one"
  rm -f "$STATE/hosts.json"
  inventory_put "$entry_lab"
fi
rm -f "$STATE/inventory.err"
inventory_put "$entry_lab2"
# In a subshell: full/common.sh re-sources lib.sh and defines the VM helpers.
if ! ( source "$LAB_DIR/full/common.sh"; vm_pid >/dev/null ); then
  inventory_del nestlab
fi
