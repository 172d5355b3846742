#!/bin/sh
# Runs each test program given as an argument and prints one total:
# "N passed, N failed, N skipped".  A program that crashes or exits non-zero
# without a cmocka summary counts as one failure.
set -u

passed=0
failed=0
skipped=0
out=$(mktemp) || exit 1
log=$(mktemp) || exit 1
trap 'rm -f "$out" "$log"' EXIT

# cmocka prints test names on stdout and the summary on stderr.  The two
# are kept apart, so a buffered stdout line cannot split a summary line.
for prog in "$@"; do
	"./$prog" >"$out" 2>"$log"
	status=$?
	cat "$out" "$log"
	# A program may run several groups, each with its own summary.
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" |
	    awk '{ n += $1 } END { if (NR) print n }')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" |
	    awk '{ n += $1 } END { if (NR) print n }')
	k=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" |
	    awk '{ n += $1 } END { if (NR) print n }')
	passed=$((passed + ${p:-0}))
	skipped=$((skipped + ${k:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$status" -ne 0 ] && [ -z "${f:-}" ]; then
		echo "$prog: exited with status $status" >&2
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
