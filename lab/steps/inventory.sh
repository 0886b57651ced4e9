# Write the host inventory the console reads (KSC_INVENTORY points at it in the demo and tests).
fp_lab=$(cat "$STATE/sshd-lab/fingerprint")
fp_lab2=$(cat "$STATE/sshd-lab2/fingerprint")
cat > "$STATE/hosts.json" <<JSON
{
  "hosts": [
    {
      "id": "lab",
      "name": "Lab host (system libvirt)",
      "transport": "ssh",
      "address": "127.0.0.1",
      "port": $SSH_PORT,
      "user": "$ADMIN_USER",
      "uri": "qemu:///system",
      "hostKey": "$fp_lab",
      "identityFile": "id_ed25519"
    },
    {
      "id": "lab2",
      "name": "Lab host 2 (kscuser session libvirt)",
      "transport": "ssh",
      "address": "127.0.0.2",
      "port": $SSH_PORT,
      "user": "$LAB_USER",
      "uri": "qemu:///session",
      "hostKey": "$fp_lab2",
      "identityFile": "id_ed25519"
    }
  ]
}
JSON
