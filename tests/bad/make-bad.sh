#!/bin/bash
# make-bad.sh: regenerate the bad-input corpus in this folder (maintainers
# only; the files are checked in). Usage: tests/bad/make-bad.sh MKPCAP
# where MKPCAP is a built tests/mkpcap. See README.md for what each file is.
set -eu
mk=${1:?usage: make-bad.sh path/to/mkpcap}
cd "$(dirname "$0")"
# A small, valid pair: 100 ms probes, a 400 ms outage, a 20000-byte stream.
small=(--probe-interval 100ms --outage 500ms:400ms --no-background --duration 1500ms --stream-bytes 20000 --stream-start 300ms)

# good-ext.pcap + good-mgmt.pcap and their truth; then the external one
# alone (the same file: mkpcap draws the same numbers for every role) for
# the truth of the external capture only.
"$mk" "${small[@]}" -r both -w good -t good.truth.json
cp good-ext.pcap good-ext.pcap.tmp
"$mk" "${small[@]}" -r ext -w good-ext.pcap -t good-ext.truth.json
cmp good-ext.pcap good-ext.pcap.tmp
rm good-ext.pcap.tmp

printf 'this is not a capture file, just text\n' > not-a-capture.pcap
: > empty.pcap
head -c 10 good-ext.pcap > truncated-header.pcap
# good-ext.pcap plus a record header that promises 60 bytes, then 30.
# Record header fields are in the writer's (little-endian) byte order.
{ cat good-ext.pcap
  printf '\x00\x00\x00\x00\x00\x00\x00\x00\x3c\x00\x00\x00\x3c\x00\x00\x00'
  head -c 30 /dev/zero; } > truncated-record.pcap
# good-ext.pcap as pcapng, its last block cut short by 10 bytes.
"$mk" "${small[@]}" -r ext -f pcapng -w good-ext.pcapng.tmp
sz=$(stat -c %s good-ext.pcapng.tmp)
head -c $((sz - 10)) good-ext.pcapng.tmp > truncated-block.pcapng
rm good-ext.pcapng.tmp
# good-ext.pcap plus a record whose caplen is 2^31-1.
{ cat good-ext.pcap
  printf '\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\x7f\x3c\x00\x00\x00'
  head -c 60 /dev/zero; } > absurd-caplen.pcap
"$mk" "${small[@]}" -r ext -l 147 -w linktype-147.pcap
"$mk" "${small[@]}" -r ext -f pcapng --extra-if 101 -w mixed-linktypes.pcapng
# good-ext.pcap plus one background frame 500 ms before its predecessor.
"$mk" "${small[@]}" -r ext --backwards -w backwards.pcap
"$mk" "${small[@]}" -r ext --no-probes --no-announce -w no-vm.pcap
"$mk" "${small[@]}" -r mgmt --no-stream -w no-stream-mgmt.pcap
# good-mgmt.pcap cut inside a record two thirds of the way in.
sz=$(stat -c %s good-mgmt.pcap)
head -c $((sz * 2 / 3)) good-mgmt.pcap > mgmt-cut.pcap
