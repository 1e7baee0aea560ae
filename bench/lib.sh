# bench/lib.sh: what bench/analyze and bench/scale share (sourced, bash).
# Runs commands under bench/runstat, keeps every raw number in $RAW, and
# turns them into medians.
#
# Environment (all optional):
#   BENCH_DATA   where the generated captures go (default /tmp/migtrace-bench;
#                never the source tree); deleted afterwards unless BENCH_KEEP=1
#   BENCH_CACHE  warm (default: files are read once first, then every run
#                finds them in the page cache) or cold (the page cache is
#                dropped before every run; needs root)

BENCH_DATA=${BENCH_DATA:-/tmp/migtrace-bench}
BENCH_CACHE=${BENCH_CACHE:-warm}
BENCH_KEEP=${BENCH_KEEP:-0}
BENCH_MADE=()

bench_init() {
	builddir=$(cd "${1:-.}" && pwd)
	ANALYZE=$builddir/analyze/migtrace-analyze
	BIGPCAP=$builddir/bench/bigpcap
	FLOOR=$builddir/bench/floor
	RUNSTAT=$builddir/bench/runstat
	for p in "$ANALYZE" "$BIGPCAP" "$FLOOR" "$RUNSTAT"; do
		if [ ! -x "$p" ]; then
			echo "$0: $p is missing: run 'make bench' in the build directory" >&2
			exit 2
		fi
	done
	case $BENCH_CACHE in
	warm) ;;
	cold)
		if [ "$(id -u)" != 0 ]; then
			echo "$0: BENCH_CACHE=cold needs root (drop_caches)" >&2
			exit 2
		fi ;;
	*) echo "$0: BENCH_CACHE is warm or cold, not '$BENCH_CACHE'" >&2; exit 2 ;;
	esac
	mkdir -p "$BENCH_DATA"
	avail=$(df -Pk "$BENCH_DATA" | awk 'NR == 2 { print $4 }')
	echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) CPUs," \
	    "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
	    "$(awk '/^MemTotal/ { printf "%.1f GB RAM", $2 / 1048576 }' /proc/meminfo)," \
	    "cache $BENCH_CACHE, data in $BENCH_DATA ($((avail / 1048576)) GB free)," \
	    "load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# gen NAME ARGS...: write $BENCH_DATA/NAME-ext.pcap and NAME-mgmt.pcap
# (or .pcapng with --format pcapng) unless a pair made with the same
# arguments is there already (NAME.args remembers them).
gen() {
	local name=$1 ext=pcap e m
	shift
	case " $* " in *" --format pcapng "*) ext=pcapng ;; esac
	e=$BENCH_DATA/$name-ext.$ext m=$BENCH_DATA/$name-mgmt.$ext
	if [ ! -s "$e" ] || [ ! -s "$m" ] ||
	    [ "$(cat "$BENCH_DATA/$name.$ext.args" 2>/dev/null)" != "$*" ]; then
		echo "# bigpcap $* $name-ext.$ext $name-mgmt.$ext" >&2
		"$BIGPCAP" "$@" "$e" "$m" >&2
		echo "$*" > "$BENCH_DATA/$name.$ext.args"
	fi
	BENCH_MADE+=("$e" "$m" "$BENCH_DATA/$name.$ext.args")
	[ "$BENCH_CACHE" = cold ] || cat "$e" "$m" >/dev/null
}

# run LABEL CMD...: one timed run; its line goes to $RAW:
#   LABEL wall user sys maxrss_kb anon_kb status
# The command's output goes to $RUN_OUT if set, else /dev/null.
run() {
	local label=$1 out
	shift
	out=$(mktemp)
	if [ "$BENCH_CACHE" = cold ]; then
		sync
		echo 3 > /proc/sys/vm/drop_caches
	fi
	"$RUNSTAT" -o "$out" "$@" >"${RUN_OUT:-/dev/null}" 2>>"$BENCH_DATA/stderr.log" || true
	sed -e 's/[a-z_]*=//g' -e "s/^/$label /" "$out" >> "$RAW"
	rm -f "$out"
}

# median LABEL FIELD: the median of field FIELD (2 wall, 3 user, 4 sys,
# 8 user+sys) over the runs of LABEL; max for 5 and 6 (memory).
# minimum LABEL FIELD: the smallest (the run least disturbed by others).
minimum() {
	awk -v l="$1" -v f="$2" '$1 == l { v = (f == 8) ? $3 + $4 : $f; print v }' "$RAW" |
	    sort -g | head -1 | grep . || echo -
}

median() {
	awk -v l="$1" -v f="$2" '$1 == l { v = (f == 8) ? $3 + $4 : $f; print v }' "$RAW" |
	    sort -g | awk -v f="$2" '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "-"; exit }
			if (f == 5 || f == 6) { print v[NR]; exit }
			if (NR % 2) print v[(NR + 1) / 2]
			else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

# runs LABEL: how many runs, and whether any failed.
runs() {
	awk -v l="$1" '$1 == l { n++; if ($7 != 0) bad++ }
	    END { printf "%d%s\n", n, bad ? " (" bad " failed)" : "" }' "$RAW"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "-") printf "%.2f", a / b; else print "-" }'
}

# table FLOOR LABEL...: a Markdown table of medians, ratios to FLOOR.
table() {
	local floor=$1 fw fc fm l w c m
	shift
	fw=$(median "$floor" 2)
	fc=$(median "$floor" 8)
	fm=$(minimum "$floor" 2)
	echo "| command | runs | wall s (median) | wall s (min) | CPU s (user+sys, median) | wall / floor (medians) | wall / floor (mins) | CPU / floor | peak RSS MB | peak anon MB |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	for l in "$floor" "$@"; do
		w=$(median "$l" 2)
		c=$(median "$l" 8)
		m=$(minimum "$l" 2)
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n" "$l" "$(runs "$l")" \
		    "$w" "$m" "$c" "$(ratio "$w" "$fw")" "$(ratio "$m" "$fm")" "$(ratio "$c" "$fc")" \
		    "$(awk -v k="$(median "$l" 5)" 'BEGIN { printf "%.1f", k / 1024 }')" \
		    "$(awk -v k="$(median "$l" 6)" 'BEGIN { printf "%.1f", k / 1024 }')"
	done
}

# raw LABEL...: every run, as measured.
raw() {
	echo '```'
	echo "label wall_s user_s sys_s maxrss_kb anon_kb status"
	for l in "$@"; do
		grep "^$l " "$RAW" || true
	done
	echo '```'
}

# Remove the captures this run generated or used (only those).
cleanup() {
	[ "$BENCH_KEEP" = 1 ] || [ "${#BENCH_MADE[@]}" = 0 ] || rm -f "${BENCH_MADE[@]}"
}
