#!/usr/bin/env bash
# make bench: the benchmark suites, then boot time to the first test line at
# several RAM sizes and what one more page of RAM costs at boot. QEMU runs
# with -icount shift=0,sleep=off: one guest instruction is one nanosecond
# of guest time, so printk's time stamps are exact from run to run.
# Ends with a table of every figure beside tests/bench-baseline.txt's.
# Usage: bench.sh IMAGE CPU [EXTRA KERNEL ARGS]
set -euo pipefail
image=$1 cpu=$2 args=${3:-}
. "$(dirname "$0")/bench-qemu.sh"

qemu() {
	bench_qemu "$cpu" "$1" "$image" "$2"
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Shows the output and keeps it for the table at the end.
keep() {
	tee -a "$log"
}

qemu 512M "ktest.bench=1 $args" | keep
# kmap's highmem figures need highmem=: the top 256 MiB of 1 GiB.
qemu 1G "ktest.bench=1 highmem=256M ktest.filter=bench_kmap.kmap_pair,bench_kmap.kmap_atomic_pair $args" |
	keep

# Seconds.micros of the first "KTAP version" line, in nanoseconds.
boot_ns() {
	qemu "$1" "ktest.filter=no-suite-matches $args" |
		awk '/KTAP version/ { match($0, /[0-9]+\.[0-9]+/);
				       split(substr($0, RSTART, RLENGTH), t, ".");
				       printf "%d\n", t[1] * 1000000000 + t[2] * 1000; exit }'
}

declare -A ns
for mem in 512M 2G 8G; do
	ns[$mem]=$(boot_ns $mem)
	echo "# bench: boot_to_first_test_$mem ops=1 ns_per_op=${ns[$mem]}.0" | keep
done
# The 8G and 512M boots differ by 7.5 GiB of struct pages to initialise and free.
pages=$(((8192 - 512) * 256))
awk -v d=$((ns[8G] - ns[512M])) -v p=$pages \
	'BEGIN { printf "# bench: boot_ns_per_extra_page ops=%d ns_per_op=%.1f\n", p, d / p }' | keep

# The table: one row a figure (guest ns = guest instructions under icount),
# beside the same figure from the baseline commit named in $baseline.
baseline=tests/bench-baseline.txt
echo
grep -o '# bench: .*' "$log" |
	awk -v base="$baseline" '
	     BEGIN { while ((getline line < base) > 0) {
			if (line ~ /^#/) continue
			split(line, f, " "); sub(/^ns_per_op=/, "", f[3]); before[f[1]] = f[3] } }
	     { sub(/^ops=/, "", $4); sub(/^ns_per_op=/, "", $5)
	       old = ($3 in before) ? before[$3] : "-"
	       ratio = (old != "-" && $5 > 0) ? sprintf("%.2fx", old / $5) : "-"
	       rows[++n] = sprintf("%-28s %14s %14s %8s %12s", $3, $5, old, ratio, $4) }
	     END { printf "%-28s %14s %14s %8s %12s\n", "benchmark", "ns per op", "before", "speedup", "ops"
		   for (i = 1; i <= n; i++) print rows[i]
		   print "(before: " base "; speedup = before / now)" }'
