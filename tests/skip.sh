# skip.sh: which skipped tests this machine allows (sourced by
# tests/driver and tests/golden/common.sh, not run).
#
# A test that cannot run here (exit 77, or a part of it: skip_part in
# golden/common.sh) fails the run unless MIGTRACE_ALLOW_SKIP names it: a
# list of shell patterns, separated by spaces or commas, matched against
# the test's file name ("mkpcap.test", "check_echo") or, for a part,
# "TEST:PART" ("badinput.test:unreadable"). Set it on a machine that
# lacks something on purpose (a laptop without root:
# MIGTRACE_ALLOW_SKIP='capture-*.test lab*.test'); CI sets none.

# skip_allowed NAME: true when a pattern of MIGTRACE_ALLOW_SKIP matches NAME.
skip_allowed() {
	local pat pats
	IFS=', ' read -r -a pats <<<"${MIGTRACE_ALLOW_SKIP:-}"
	for pat in ${pats[@]+"${pats[@]}"}; do
		# shellcheck disable=SC2254  # the pattern is meant to match
		case $1 in $pat) return 0 ;; esac
	done
	return 1
}

# The marker lines a test's log carries for the summary at the end of the
# run (tests/driver --summary).
SKIP_MARK='migtrace-skip:'
SKIP_REFUSED='migtrace-skip-refused:'
