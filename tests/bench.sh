#!/bin/sh
# Times ./actviz on the default figure: each format alone, all three in
# one run, and the CSV alone.  Prints the median wall time of RUNS runs
# (default 15) and each case's ratio to the three-format run.  Machines
# are noisy: compare medians from one invocation, not across machines.
set -eu

runs=${RUNS:-15}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export SOURCE_DATE_EPOCH=0

# Prints the median of the numbers on standard input.
median() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Runs "./actviz ARGS" $runs times and prints the median in ms.
time_case() {
	i=0
	while [ "$i" -lt "$runs" ]; do
		start=$(date +%s%N)
		./actviz "$@"
		end=$(date +%s%N)
		echo $(((end - start) / 1000))
		i=$((i + 1))
	done | median | awk '{ printf "%.1f", $1 / 1000 }'
}

./actviz -o "$dir/warm.png"	# fills the fontconfig cache first
all=$(time_case -o "$dir/a.png" -o "$dir/a.svg" -o "$dir/a.pdf")
printf 'median of %d runs, ms (ratio to png+svg+pdf)\n' "$runs"
printf '  %-14s %8s  1.00\n' "png+svg+pdf" "$all"
for c in png svg pdf; do
	t=$(time_case -o "$dir/a.$c")
	printf '  %-14s %8s  %.2f\n' "$c" "$t" \
	    "$(echo "$t $all" | awk '{ print $1 / $2 }')"
done
t=$(time_case -o "$dir/b.png" --data "$dir/b.csv")
printf '  %-14s %8s  %.2f\n' "png+csv" "$t" \
    "$(echo "$t $all" | awk '{ print $1 / $2 }')"
