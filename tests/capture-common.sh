# capture-common.sh: shared setup of the migtrace-capture tests (sourced).
# Two network namespaces A (where the capture runs) and B (the peer),
# joined by two veth pairs: management 192.0.2.1 <-> 192.0.2.2 and
# external 198.51.100.1 <-> 198.51.100.2. Names carry the test's PID so
# that tests can run in parallel; everything is removed on exit.

: "${top_srcdir:=.}" "${top_builddir:=.}"
CAP=$top_builddir/capture/migtrace-capture
T=$(basename "$0" .test)

skip() { echo "$T: SKIP: $*"; exit 77; }
fail() { echo "$T: FAIL: $*"; exit 1; }
hard() { echo "$T: ERROR: $*"; exit 99; }
ok() { echo "$T: ok: $*"; }

[ -x "$CAP" ] || hard "$CAP not built"
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, capture)"
for t in ip tcpdump jq timeout; do
	command -v $t >/dev/null 2>&1 || skip "needs $t"
done

S=$$
A=mtcA$S B=mtcB$S
MA=mA$S MB=mB$S EA=eA$S EB=eB$S
WORK=$(mktemp -d "${TMPDIR:-/tmp}/$T.XXXXXX")
chmod 755 "$WORK"
CAP_PIDS=""
CLEANUP_EXTRA=""

cap_cleanup() {
	for p in $CAP_PIDS; do
		{ kill -9 "$p" && wait "$p"; } 2>/dev/null || true
	done
	eval "$CLEANUP_EXTRA"
	ip netns pids "$A" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
	ip netns pids "$B" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
	ip netns del "$A" 2>/dev/null || true
	ip netns del "$B" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cap_cleanup EXIT

ip netns add "$A" 2>/dev/null || skip "cannot create a network namespace"
ip netns add "$B" || hard "ip netns add $B"
ip link add "$MA" type veth peer name "$MB" || skip "cannot create veth pairs"
ip link add "$EA" type veth peer name "$EB" || hard "veth"
ip link set "$MA" netns "$A"; ip link set "$EA" netns "$A"
ip link set "$MB" netns "$B"; ip link set "$EB" netns "$B"
ip -n "$A" addr add 192.0.2.1/24 dev "$MA"
ip -n "$B" addr add 192.0.2.2/24 dev "$MB"
ip -n "$A" addr add 198.51.100.1/24 dev "$EA"
ip -n "$B" addr add 198.51.100.2/24 dev "$EB"
for n in "$A" "$B"; do ip -n "$n" link set lo up; done
ip -n "$A" link set "$MA" up; ip -n "$A" link set "$EA" up
ip -n "$B" link set "$MB" up; ip -n "$B" link set "$EB" up
# No IPv6 chatter (router/neighbour solicitations) in the counts.
for n in "$A" "$B"; do
	ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null || true
done

inA() { ip netns exec "$A" "$@"; }
inB() { ip netns exec "$B" "$@"; }

# Start the capture in A in the background: cap_start OUTDIR ARGS...
cap_start() {
	local out=$1; shift
	# Not through inA: $! must be the capture itself (ip execs it).
	ip netns exec "$A" "$CAP" -o "$out" "$@" >"$WORK/cap.out" 2>"$WORK/cap.err" &
	CAP_PID=$!
	CAP_PIDS="$CAP_PIDS $CAP_PID"
	# Ready when the start manifest exists (files are open then).
	for _ in $(seq 100); do
		[ -f "$out/manifest.json" ] && return 0
		kill -0 "$CAP_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$WORK/cap.err"
	fail "capture did not start"
}

# Wait for the capture to end within SECS; sets CAP_RC.
cap_wait() {
	local secs=${1:-20}
	for _ in $(seq $((secs * 20))); do
		kill -0 "$CAP_PID" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$CAP_PID" 2>/dev/null; then
		kill -9 "$CAP_PID"
		cat "$WORK/cap.err"
		fail "capture still running after ${secs}s"
	fi
	CAP_RC=0
	wait "$CAP_PID" 2>/dev/null || CAP_RC=$?
}

# A TCP sink in B on the given ports, which counts what it receives.
tcp_sink() {
	command -v python3 >/dev/null 2>&1 || skip "needs python3"
	inB python3 -c '
import socket, sys, threading, time
def serve(port):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port)); s.listen(8)
    while True:
        c, _ = s.accept()
        while c.recv(65536): pass
        c.close()
for p in sys.argv[1:]:
    threading.Thread(target=serve, args=(int(p),), daemon=True).start()
time.sleep(60)
' "$@" &
	CAP_PIDS="$CAP_PIDS $!"
	# Ready when every port listens (python may be slow to start).
	local p n
	for p in "$@"; do
		for n in $(seq 100); do
			inB ss -Hltn "sport = :$p" | grep -q LISTEN && break
			[ "$n" = 100 ] && hard "TCP sink on port $p did not start"
			sleep 0.05
		done
	done
}

# Send N bytes from A to 192.0.2.2:PORT over one TCP connection.
tcp_send() {
	inA timeout 10 bash -c "exec 3<>/dev/tcp/192.0.2.2/$1 && head -c $2 /dev/zero >&3 && exec 3>&-"
}

# Number of records tcpdump reads from FILE matching FILTER; fails the
# test if tcpdump reports the file damaged.
pcount() {
	local f=$1; shift
	local n
	n=$(tcpdump -nr "$f" "$@" 2>"$WORK/tcpdump.err" | wc -l) || true
	if grep -q '^tcpdump: ' "$WORK/tcpdump.err"; then
		cat "$WORK/tcpdump.err"
		fail "$f: tcpdump says the file is damaged"
	fi
	echo "$n"
}

# The magic of a classic pcap file with nanosecond time stamps, as
# written on this (little-endian) host: a1b23c4d.
magic_ns() {
	[ "$(od -An -tx1 -N4 "$1" | tr -d ' \n')" = 4d3cb2a1 ] ||
		fail "$1: not a nanosecond pcap (magic $(od -An -tx1 -N4 "$1"))"
}

# Manifest field for the interface with ROLE: mf ROLE FIELD
mf() { jq -r --arg r "$1" ".interfaces[] | select(.role == \$r) | .$2" "$OUT/manifest.json"; }
