# shellcheck shell=bash
# lab/modes.sh: `lab/lab run --mode MODE`, each way libvirt moves a VM
# (sourced by lab/lab; docs/migration-modes.md has what each puts on the
# wire). Every function takes the mode first; "plain" changes nothing.
#
#   tunnelled  virsh migrate --p2p --tunnelled: QEMU's stream inside the
#              source libvirtd's RPC connection to the destination's 16509
#   tls        --tls: QEMU's native TLS on the migration port, with a CA
#              and certificates made by certtool (the server certificate
#              names both nodes' management addresses)
#   postcopy   --postcopy, then virsh migrate-postcopy --switch-after
#              seconds (default 2) after the stream began
#   multifd    --parallel --parallel-connections 4
#   storage    --copy-storage-all --disks-port 49153: a raw disk at the
#              same path on both nodes, different files (each node's
#              /var/lib/libvirt is its own), filled on node A
#   abort      virsh domjobabort --switch-after seconds after the stream
#              began: the migration fails, the guest stays on node A

MODES="plain tunnelled tls postcopy multifd storage abort"
MODE_NBD_PORT=49153
MODE_DISK=/var/lib/libvirt/images/mtlab-disk.raw

mode_check() {
	case " $MODES " in
	*" $1 "*) ;;
	*) die "bad --mode '$1' (one of: $MODES)" ;;
	esac
}

# mode_args MODE: the arguments of `virsh migrate` beyond --live --p2p.
mode_args() {
	case "$1" in
	tunnelled) echo "--tunnelled" ;;	# no --migrateuri: libvirt's own connection
	tls) echo "--tls --migrateuri tcp://$IP_B:$MIG_PORT" ;;
	postcopy) echo "--postcopy --migrateuri tcp://$IP_B:$MIG_PORT" ;;
	multifd) echo "--parallel --parallel-connections 4 --migrateuri tcp://$IP_B:$MIG_PORT" ;;
	storage) echo "--copy-storage-all --disks-port $MODE_NBD_PORT --migrateuri tcp://$IP_B:$MIG_PORT" ;;
	*) echo "--migrateuri tcp://$IP_B:$MIG_PORT" ;;
	esac
}

# mode_tls_certs: a CA, a server certificate naming both nodes'
# management addresses (QEMU checks the destination's address against
# it) and a client certificate, in each node's /etc/libvirt/pki-qemu under the
# names QEMU's x509 credentials look for (ca-cert.pem, server-cert.pem,
# server-key.pem, client-cert.pem, client-key.pem: QEMU
# crypto/tlscredsx509.c). Made once; the node's qemu.conf points
# migrate_tls_x509_cert_dir there (write_node_config).
mode_tls_certs() {
	local t="$IST/pki" n
	command -v certtool >/dev/null || die "--mode tls needs certtool (Debian package gnutls-bin)"
	for n in a b; do
		grep -q '^migrate_tls_x509_cert_dir' "$IST/node-$n/etc/qemu.conf" ||
		    die "--mode tls: node $n was set up before TLS was configured: lab/lab down, then up"
	done
	if [ ! -f "$t/client-key.pem" ]; then
		mkdir -p "$t"
		certtool --generate-privkey --outfile "$t/ca-key.pem" 2>/dev/null
		printf 'cn = migtrace lab CA\nca\ncert_signing_key\nexpiration_days = 3650\n' >"$t/ca.info"
		certtool --generate-self-signed --load-privkey "$t/ca-key.pem" \
		    --template "$t/ca.info" --outfile "$t/ca-cert.pem" 2>/dev/null
		printf 'organization = migtrace lab\ncn = %s\nip_address = %s\nip_address = %s\ntls_www_server\nencryption_key\nsigning_key\nexpiration_days = 3650\n' \
		    "$IP_B" "$IP_A" "$IP_B" >"$t/server.info"
		printf 'organization = migtrace lab\ncn = %s\ntls_www_client\nencryption_key\nsigning_key\nexpiration_days = 3650\n' \
		    "$IP_A" >"$t/client.info"
		for n in server client; do
			certtool --generate-privkey --outfile "$t/$n-key.pem" 2>/dev/null
			certtool --generate-certificate --load-privkey "$t/$n-key.pem" \
			    --load-ca-certificate "$t/ca-cert.pem" --load-ca-privkey "$t/ca-key.pem" \
			    --template "$t/$n.info" --outfile "$t/$n-cert.pem" 2>/dev/null
		done
	fi
	for n in a b; do
		mkdir -p "$IST/node-$n/etc/pki-qemu"
		cp "$t/ca-cert.pem" "$t/server-cert.pem" "$t/server-key.pem" \
		    "$t/client-cert.pem" "$t/client-key.pem" "$IST/node-$n/etc/pki-qemu/"
	done
}

# mode_prepare MODE OUT: what the mode needs before the guest boots.
mode_prepare() {
	case "$1" in
	tls) mode_tls_certs ;;
	storage)
		# Node A's disk holds 32 MiB of data to copy; node B's is
		# empty (libvirt copies into an existing file of that size).
		local n
		for n in a b; do
			mkdir -p "$IST/node-$n/lib/images"
			rm -f "$IST/node-$n/lib/images/mtlab-disk.raw"
			truncate -s 64M "$IST/node-$n/lib/images/mtlab-disk.raw"
		done
		head -c 32M /dev/urandom | dd of="$IST/node-a/lib/images/mtlab-disk.raw" \
		    conv=notrunc status=none
		;;
	esac
}

# mode_disk_xml MODE: the domain's disk element, if the mode has one.
mode_disk_xml() {
	[ "$1" = storage ] || return 0
	cat <<EOF
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$MODE_DISK'/>
      <target dev='vda' bus='virtio'/>
    </disk>
EOF
}

# mode_during MODE SECONDS: run beside `virsh migrate` (in the
# background): switch to post-copy, or abort, after SECONDS.
mode_during() {
	case "$1" in
	postcopy | abort) ;;
	*) return 0 ;;
	esac
	# From when QEMU's stream runs (libvirt's prepare phase can take
	# seconds under TCG): post-copy cannot start, nor an abort hit the
	# stream, before it.
	local i=0 ran
	while [ $i -lt 240 ]; do
		ran=$(in_ns "$NS_C" virsh -c "$URI_A" domjobinfo "$DOMAIN" 2>/dev/null |
		    awk '/^Memory processed:/ { print ($3 > 0) }')
		[ "$ran" = 1 ] && break
		sleep 0.25
		i=$((i + 1))
	done
	sleep "$2"
	if [ "$1" = postcopy ]; then
		log "run: switching to post-copy"
		in_ns "$NS_C" virsh -c "$URI_A" migrate-postcopy "$DOMAIN" || true
	else
		log "run: aborting the migration (domjobabort)"
		in_ns "$NS_C" virsh -c "$URI_A" domjobabort "$DOMAIN" || true
	fi
}
