#!/bin/bash
# make-seeds.sh: regenerate the checked-in seed captures of fuzz_capture
# (tests/fuzz/seeds/capture/). Maintainers only. Usage:
#   tests/fuzz/make-seeds.sh BUILD/tests/mkpcap
# Each seed is one small file holding both capture points (mkpcap -r both,
# merged with mergecap), so one input reaches every measure: echo gaps,
# the announce, the VM finder, the migration stream, the timeline. Kept
# under 64 KiB (fuzz-smoke's -max_len).
set -eu
mk=${1:?usage: make-seeds.sh path/to/mkpcap}
command -v mergecap >/dev/null || { echo "make-seeds.sh: needs mergecap (wireshark-common)" >&2; exit 1; }
cd "$(dirname "$0")/seeds/capture"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
small="--probe-interval 20ms --outage 300ms:200ms --duration 1s --stream-bytes 30000 --stream-start 100ms --no-background"

# seed NAME MKPCAP-ARGS...: both roles, merged into NAME.pcap(ng).
seed() {
	local name=$1 ext=pcap fmt=pcap
	shift
	case " $* " in *" pcapng "*) ext=pcapng fmt=pcapng ;; esac
	"$mk" $small "$@" -r both -w "$tmp/$name"
	mergecap -F "$fmt" -w "$name.$ext" "$tmp/$name-ext.$ext" "$tmp/$name-mgmt.$ext"
}
seed en10mb
seed sll -l sll
seed sll2 -l sll2
seed raw -l raw
seed null -l null --af-inet6 24
seed loop -l loop -6
seed vlan2 --vlan 2
seed ipv6 -6
seed ns-pcapng -p ns -f pcapng --ns-offset 789
seed retrans-zw --retrans 2 --zero-windows 1 --stream-bytes 60000
seed multifd --multifd 2
seed garp-chatter --garp --vm-chatter 50ms
seed garbage --garbage 5 --seed 7
seed snap68 -s 68
# Background traffic (other hosts, ssh bulk, libvirtd RPC), shorter.
"$mk" --probe-interval 50ms --outage 200ms:100ms --duration 400ms --stream-bytes 5000 --stream-start 50ms -r both -w "$tmp/bg"
mergecap -F pcap -w "$tmp/bg.pcap" "$tmp/bg-ext.pcap" "$tmp/bg-mgmt.pcap"
# Its first 300 records only (the ssh bulk flow is large).
editcap -F pcap -r "$tmp/bg.pcap" background.pcap 1-300
# mgmt alone (no VM) and ext alone (no stream): the other exits.
"$mk" $small -r ext -w ext-only.pcap
"$mk" $small -r mgmt -w mgmt-only.pcap
ls -l
