# common.sh: helpers shared by golden.test, linktypes.test and
# badinput.test (sourced, not run).
#
# jq 1.6 (Debian 12) holds numbers as doubles: nanosecond timestamps since
# the epoch (19 digits) lose up to 256 ns in it. So before jq sees a report
# or a truth file, exact() turns every integer of 16 or more digits that
# stands alone as a value on its line (jansson's and mkpcap's indented
# output) into a string; jq then compares those exactly, as text.

# Find the source and build trees (make check sets top_srcdir and
# top_builddir; by hand, run from the build directory).
: "${top_srcdir:=.}" "${top_builddir:=.}"
srcdir=$(cd "$top_srcdir" && pwd)
builddir=$(cd "$top_builddir" && pwd)
mkpcap=$builddir/tests/mkpcap
analyze=$builddir/analyze/migtrace-analyze
export TZ=UTC
# shellcheck source=../skip.sh
. "$srcdir/tests/skip.sh"
test_name=$(basename "$0")

# skip_part PART REASON: a part of this test cannot run on this machine.
# Allowed when MIGTRACE_ALLOW_SKIP names TEST:PART (tests/skip.sh): prints
# the marker the end of make check lists and returns 0; otherwise prints a
# failure and returns 1 (the caller counts it). A whole test that cannot
# run prints "SKIP: REASON" and exits 77 instead (tests/driver decides).
skip_part() {
	if skip_allowed "$test_name:$1"; then
		echo "$SKIP_MARK $test_name:$1: $2"
		return 0
	fi
	echo "$SKIP_REFUSED $test_name:$1: $2"
	echo "FAIL $1: cannot run here: $2 (MIGTRACE_ALLOW_SKIP=$test_name:$1 allows it)"
	return 1
}

need_tools() {
	if ! command -v jq >/dev/null 2>&1; then
		echo "SKIP: jq not found (Debian package jq)"
		exit 77
	fi
	for p in "$mkpcap" "$analyze"; do
		if [ ! -x "$p" ]; then
			echo "ERROR: $p not built (run make check)"
			exit 99
		fi
	done
}

exact() {
	sed -E 's/^([[:space:]]*("[^"]*": )?)(-?[0-9]{16,})(,?)[[:space:]]*$/\1"\3"\4/' "$@"
}

# truth_check REPORT TRUTH: print mismatches, return 1 if any.
truth_check() {
	local out f
	for f in "$1" "$2"; do
		if ! jq -e 'type == "object"' "$f" >/dev/null 2>&1; then
			echo "$f: missing, empty or not a JSON object"
			return 1
		fi
	done
	out=$(exact "$1" | jq -r --slurpfile truth <(exact "$2") \
	    -f "$srcdir/tests/golden/truth.jq") || { echo "jq failed on $1"; return 1; }
	if [ -n "$out" ]; then
		printf '%s\n' "$out"
		return 1
	fi
}

# canon FILE [JQFILTER]: the JSON in a canonical form (sorted keys), exact
# integers kept as strings, volatile keys (the program version) removed,
# then JQFILTER applied.
canon() {
	exact "$1" | jq -S "del(.program.version) | ${2:-.}"
}

# make_tmp: a scratch folder removed at exit (kept with KEEP=1).
make_tmp() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/migtrace-test.XXXXXX")
	if [ "${KEEP:-0}" = 1 ]; then
		echo "scratch folder kept: $tmp"
	else
		trap 'rm -rf "$tmp"' EXIT
	fi
}
