#!/usr/bin/env bash
# make bench-linux: mk64's benchmarks measured in Debian's arm64 Linux on the
# emulator setting of `make bench` (scripts/bench-qemu.sh). Fetches the
# kernel, its headers and busybox (scripts/linux-fetch.sh), builds
# tests/linux/mk64_bench.c against the headers, packs it with busybox and
# tests/linux/init into an initramfs, and boots it twice: Debian's defaults
# (init_on_alloc=1) and init_on_alloc=0. The figures go to
# build/bench/linux-defaults.txt and linux-init0.txt, which `make bench`
# puts beside its own. Both on make bench's 512 MiB. Then the reference
# check: the operations of the table in tests/linux/reference.txt on its
# setting (1 GiB), 3 x 100000 per operation (median), both ways, each
# figure beside the table's; a difference over 3% is reported as a
# failure. (On 512 MiB the order-0 and vmalloc batches of 1000 cost more:
# the per-CPU page lists' high mark, which Linux derives from the zone's
# watermarks, is then below what the batch frees; init prints it.)
# Then the multi-CPU loops (the module's smp=2) in a -smp 4 boot, both
# ways, their figures added to linux-defaults.txt and linux-init0.txt.
# Usage: bench-linux.sh CPU [quick]
#   quick: build and boot for a few iterations of every loop, and say in
#   KTAP whether every operation reported a figure (make test's check of
#   this harness); the figures go to build/linux/quick-defaults.txt, not
#   build/bench.
set -euo pipefail
cpu=$1 mode=${2:-full}
case $mode in full | quick) ;; *) echo "bench-linux: unknown mode '$mode' (full or quick)" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."
. scripts/bench-qemu.sh

scripts/linux-fetch.sh "$([ "$mode" = quick ] && echo current-if-gone)" >&2
out=build/linux

# The module, built out of tree: kbuild writes its objects beside the source.
mod=$out/module
mkdir -p "$mod"
cp tests/linux/Kbuild tests/linux/mk64_bench.c "$mod/"
# (Debian ships no vmlinux, so no BTF for it: kbuild says so, we do not.)
make -s -C "$out/headers" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- M="$PWD/$mod" modules 2>&1 |
	{ grep -v '^Skipping BTF generation' || true; } >&2

# The initramfs: busybox, /init, the module.
ird=$out/initramfs
rm -rf "$ird" && mkdir -p "$ird"/{bin,dev,proc,sys}
cp "$out/busybox" "$ird/bin/busybox"
cp tests/linux/init "$ird/init"
cp "$mod/mk64_bench.ko" "$ird/"
(cd "$ird" && find . | cpio -o -H newc --quiet -R 0:0) | gzip -9 > "$out/initramfs.cpio.gz"

# boot MEM KERNEL-ARGS MODULE-ARGS OUTPUT [QEMU ARGS...]: the figures, and
# the lines that say what ran, into OUTPUT.
boot() {
	local mem=$1
	shift
	local log=$3.log
	bench_qemu "$cpu" "$mem" "$out/Image" \
		"console=ttyAMA0 quiet nokaslr panic=-1 $1 -- $2" \
		-initrd "$out/initramfs.cpio.gz" "${@:4}" > "$log" 2>&1 || {
		echo "bench-linux: Linux did not power off cleanly ($1 $2): see $log" >&2
		return 1
	}
	{
		echo "# $(cat "$out/version"), -cpu $cpu -m $mem, kernel args: $1, module args: $2"
		grep -a -o '# \(bench\|mk64_bench\|linux\): .*' "$log" | tr -d '\r' || true
	} > "$3"
	if ! grep -q '# \(mk64_bench: done\|bench: linux_boot\)' "$3"; then
		echo "bench-linux: the module did not finish ($1 $2): see $log" >&2
		return 1
	fi
}

# Every operation reported a figure: no "failed" line.
check_complete() {
	local bad
	bad=$(grep -c '# bench: .* failed' "$1" || true)
	if [ "$bad" != 0 ]; then
		echo "bench-linux: $bad operations report no figure in $1:" >&2
		grep '# bench: .* failed' "$1" >&2
		return 1
	fi
}

# The multi-CPU boot: 4 CPUs, as make bench's (-icount takes only thread=single).
smp4=(-smp 4 -accel tcg,thread=single)

# quick: KTAP on stdout, one case per operation the module's tables name
# (read from its source), ok when the boot printed a figure for it (for
# a multi-CPU loop: its figure on every CPU, <name>_smpN). One -smp 4
# boot runs them all.
if [ "$mode" = quick ]; then
	boot 512M "" "div=1000 smp=1" "$out/quick-defaults.txt" "${smp4[@]}"
	grep -o '^	{ "[a-z0-9_]*",' tests/linux/mk64_bench.c | tr -d '\t{",' |
		awk -v figs="$out/quick-defaults.txt" '
		BEGIN { while ((getline line < figs) > 0)
				if (line ~ /^# bench: [a-z0-9_]+ ops=[0-9]+ ns_per_op=[0-9.]+ /) {
					split(line, f, " "); fig[f[3]] = 1
					if (sub(/_smp[0-9]+$/, "", f[3])) fig[f[3]] = 1 } }
		{ names[++n] = $1 }
		END {
			print "KTAP version 1"
			print "1.." n
			for (i = 1; i <= n; i++)
				printf "%sok %d linux_%s%s\n", (names[i] in fig) ? "" : "not ",
					i, names[i], (names[i] in fig) ? "" : " # no figure"
		}'
	exit 0
fi

res=build/bench
mkdir -p "$res"
for run in "defaults:" "init0:init_on_alloc=0"; do
	name=${run%%:*} args=${run#*:} label="Debian's defaults"
	[ -n "$args" ] && label=$args
	echo "bench-linux: Linux, $label, our counts" >&2
	boot 512M "$args" "" "$res/linux-$name.txt"
	check_complete "$res/linux-$name.txt"
	echo "bench-linux: Linux, $label, multi-CPU loops (-smp 4)" >&2
	boot 512M "$args" "smp=2" "$res/linux-$name-smp.txt" "${smp4[@]}"
	check_complete "$res/linux-$name-smp.txt"
	grep -h '^# bench:' "$res/linux-$name-smp.txt" >> "$res/linux-$name.txt"
	echo "bench-linux: Linux, $label, reference check (1G, 3 x 100000)" >&2
	boot 1G "$args" "ref=1 reps=3 ops=100000" "$res/linux-ref-$name.txt"
done

# Boot time against RAM size, as make bench measures mk64's: reset to /init.
echo "bench-linux: Linux, Debian's defaults, boot time at 512M, 2G, 8G" >&2
for m in 512M 2G 8G; do
	boot "$m" "" "boottime $m" "$res/linux-boot-$m.txt"
	grep -h '^# bench:' "$res/linux-boot-$m.txt" >> "$res/linux-defaults.txt"
done

# The reference check: each column against the reference table.
awk -v tol=3 '
	FNR == 1 { file++; col = file == 2 ? "defaults" : "init0" }
	file == 1 && !/^#/ { want[$1, "defaults"] = $2; want[$1, "init0"] = $3; names[++n] = $1; next }
	file > 1 && /^# bench:/ { sub(/^ns_per_op=/, "", $5); got[$3, col] = $5 }
	END {
		printf "\n%-24s %10s %10s %7s %10s %10s %7s\n", "reference check", "defaults", "table", "diff", "init0", "table", "diff"
		for (i = 1; i <= n; i++) {
			k = names[i]; line = sprintf("%-24s", k)
			for (c = 0; c < 2; c++) {
				col = c ? "init0" : "defaults"
				g = got[k, col]; w = want[k, col]
				d = (g != "" && w > 0) ? (g - w) * 100 / w : 999
				if (d > tol || d < -tol) bad++
				line = line sprintf(" %10s %10s %6.1f%%", g == "" ? "-" : g, w, d)
			}
			print line
		}
		if (bad) { printf "bench-linux: %d figures differ from the reference table by more than %d%%\n", bad, tol; exit 1 }
		printf "(all within %d%% of tests/linux/reference.txt)\n", tol
	}' tests/linux/reference.txt <(grep . "$res/linux-ref-defaults.txt") \
	<(grep . "$res/linux-ref-init0.txt") | tee "$res/linux-reference-check.txt"
