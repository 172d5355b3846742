#!/bin/sh
# Runs each test program given as an argument and prints one total:
# "N passed, N failed".  A program that crashes or exits non-zero
# without a cmocka summary counts as one failure.
set -u

passed=0
failed=0
out=$(mktemp) || exit 1
log=$(mktemp) || exit 1
trap 'rm -f "$out" "$log"' EXIT

# cmocka prints test names on stdout and the summary on stderr; the two
# are kept apart so a buffered stdout line cannot split a summary line.
for prog in "$@"; do
	"./$prog" >"$out" 2>"$log"
	status=$?
	cat "$out" "$log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$status" -ne 0 ] && [ -z "${f:-}" ]; then
		echo "$prog: exited with status $status" >&2
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
