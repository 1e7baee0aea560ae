# pause-check.sh: pause_check RUNDIR REPORT.json checks migtrace-analyze's
# "pause" of a traced run directory (lab/lab run --qemu-trace: captures,
# qemu-trace-a.log of the source, qemu-trace-b.log of the destination)
# against the trace lines themselves (grep and shell arithmetic, not the
# analyzer's reader) and the raw captures (tcpdump). Sourced by
# lab-trace.test and pause-sample.test, which define fail and ok and set
# ANALYZE.

# ns of the first line of EVENT ARGS in a log: SECONDS * 10^9 + USEC * 1000.
at() {
	local line sec usec
	line=$(grep -m1 -E "^[0-9]+@[0-9]+\.[0-9]{6}:$2\$" "$1") || return 1
	sec=${line#*@}; sec=${sec%%.*}
	usec=${line#*.}; usec=${usec%%:*}
	echo $((sec * 1000000000 + 10#$usec * 1000))
}

# ns of a tcpdump -tt time with nine decimals.
ns() { local s=${1%.*} f=${1#*.}; echo $((s * 1000000000 + 10#$f)); }

pause_check() {
	local RUN A B R stopped dstart dend loaded running saves loads last_data rarp
	RUN=$1
	A=$RUN/qemu-trace-a.log
	B=$RUN/qemu-trace-b.log
	[ -s "$A" ] && [ -s "$B" ] || fail "qemu-trace-a.log or -b.log missing or empty"

	stopped=$(at "$A" 'vmstate_downtime_checkpoint src-vm-stopped') || fail "no src-vm-stopped in qemu-trace-a.log"
	dstart=$(at "$A" 'vmstate_downtime_checkpoint src-downtime-start') || fail "no src-downtime-start"
	dend=$(at "$A" 'vmstate_downtime_checkpoint src-downtime-end') || fail "no src-downtime-end"
	loaded=$(at "$B" 'vmstate_downtime_checkpoint dst-precopy-loadvm-completed') || fail "no dst-precopy-loadvm-completed in qemu-trace-b.log"
	running=$(at "$B" 'runstate_set current_run_state [0-9]+ \(paused\) new_state [0-9]+ \(running\)') ||
		fail "no runstate change to running in qemu-trace-b.log"
	ok "trace lines: stopped $stopped, loaded $loaded, running $running"

	R=$2
	jq -e '.pause | type == "object"' "$R" >/dev/null || fail "no pause in the report"

	# The checkpoints come out exactly as the lines say (ns, to the us).
	[ "$(jq .pause.stopped_ns "$R")" = "$stopped" ] || fail "stopped_ns $(jq .pause.stopped_ns "$R"), the line says $stopped"
	[ "$(jq .pause.loaded_ns "$R")" = "$loaded" ] || fail "loaded_ns $(jq .pause.loaded_ns "$R"), the line says $loaded"
	[ "$(jq .pause.resumed_ns "$R")" = "$running" ] || fail "resumed_ns $(jq .pause.resumed_ns "$R"), the line says $running"
	[ "$(jq -r .pause.resumed_by "$R")" = runstate ] || fail "resumed_by $(jq -r .pause.resumed_by "$R")"
	jq -e --argjson d "$((dend - dstart))" '(.pause.qemu_downtime_s * 1e9 - $d | fabs) < 1' "$R" >/dev/null ||
		fail "qemu_downtime_s $(jq .pause.qemu_downtime_s "$R"), the lines say $((dend - dstart)) ns"
	ok "checkpoints as the lines say; QEMU's downtime $((dend - dstart)) ns"

	# Every device line of this run is in the devices (the lab copies only
	# this run's lines; no device is saved or loaded twice in a pause).
	saves=$(grep -cE '^[0-9]+@[0-9.]+:vmstate_downtime_save ' "$A")
	loads=$(grep -cE '^[0-9]+@[0-9.]+:vmstate_downtime_load ' "$B")
	[ "$(jq '[.pause.devices[] | select(.side == "source")] | length' "$R")" = "$saves" ] ||
		fail "source devices $(jq '[.pause.devices[] | select(.side == "source")] | length' "$R"), $saves save lines"
	[ "$(jq '[.pause.devices[] | select(.side == "destination")] | length' "$R")" = "$loads" ] ||
		fail "destination devices, not the $loads load lines"
	ok "$saves devices saved, $loads loaded"

	# The joins with the wire: the source's last migration payload (tcpdump)
	# to loaded; the guest running before the first RARP.
	last_data=$(tcpdump --time-stamp-precision=nano -tt -nn -r "$RUN/mgmt-nodea.pcap" \
	    'tcp and src host 192.0.2.11 and dst portrange 49152-49215 and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)' \
	    2>/dev/null | tail -1 | cut -d' ' -f1)
	rarp=$(tcpdump --time-stamp-precision=nano -tt -nn -r "$RUN/ext-client.pcap" rarp 2>/dev/null | head -1 | cut -d' ' -f1)
	last_data=$(ns "$last_data")
	rarp=$(ns "$rarp")
	jq -e --argjson d "$((loaded - last_data))" '(.pause.last_data_to_loaded_s * 1e9 - $d | fabs) < 1' "$R" >/dev/null ||
		fail "last_data_to_loaded_s $(jq .pause.last_data_to_loaded_s "$R"), tcpdump and the line say $((loaded - last_data)) ns"
	[ "$last_data" -le "$loaded" ] || fail "the destination loaded before the stream's last bytes ($last_data > $loaded)"
	[ "$running" -le "$rarp" ] || fail "the guest ran after the first RARP ($running > $rarp)"
	[ "$(jq '.pause.disagreements | length' "$R")" = 0 ] || fail "disagreements: $(jq -c .pause.disagreements "$R")"
	ok "last data -> loaded $((loaded - last_data)) ns; running -> first RARP $((rarp - running)) ns"

	# The steps, in time order, and the text report's table.
	jq -e '[.pause.steps[].ns] as $t | $t == ($t | sort) and ($t | length) == 8' "$R" >/dev/null ||
		fail "steps not 8 in time order: $(jq -c '[.pause.steps[] | [.step, .ns]]' "$R")"
	"$ANALYZE" "$RUN" 2>/dev/null | grep -q '^Inside the pause' || fail "no 'Inside the pause' in the text report"
	ok "8 steps in time order; text table"
}
