#!/usr/bin/env bash
# make bench: the benchmark suites, then boot time to the first test line at
# several RAM sizes and what one more page of RAM costs at boot. QEMU runs
# with -icount shift=0,sleep=off: one guest instruction is one nanosecond
# of guest time, so printk's time stamps are exact from run to run.
# Ends with a table of every figure beside Linux's, from the last `make
# bench-linux` (scripts/bench-table.sh), and draws the plots under
# build/bench (scripts/bench-plots.sh).
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

# The IRQ round trip on the other GIC (the default run above is GICv2's).
bench_qemu "$cpu" 512M "$image" "ktest.bench=1 ktest.filter=bench_irq $args" -machine gic-version=3 |
	keep

# The cross-CPU call round trips and the allocators on several CPUs at
# once need other CPUs: 4, as virt-smp4. -icount runs them in one host
# thread in turn whatever -accel says (thread=single, said here, is the
# only setting it allows): the clock counts every CPU's instructions
# (tests/kernel/bench_smp_alloc.c).
bench_qemu "$cpu" 512M "$image" "ktest.bench=1 ktest.filter=bench_smp_call,bench_smp_alloc $args" \
	-smp 4 -accel tcg,thread=single | keep

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

# The figures, kept for the plots (scripts/bench-plots.sh) and the table.
res=build/bench
mkdir -p "$res"
grep -o '# bench: .*' "$log" > "$res/mk64.txt"
echo
scripts/bench-table.sh "$res"
scripts/bench-plots.sh "$res"
