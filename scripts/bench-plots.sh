#!/usr/bin/env bash
# The plots of `make bench`, drawn with gnuplot from the figures kept in
# DIR (mk64.txt from the last `make bench`, linux-defaults.txt and
# linux-init0.txt from the last `make bench-linux`): kmalloc cost per size
# class, one-page vmalloc cost against live areas, mk64/Linux for every
# operation both sides measure, boot time against RAM size.
# Usage: bench-plots.sh DIR  (writes DIR/*.png)
set -euo pipefail
dir=$1
dat=$dir/plot-data
mkdir -p "$dat"

# figure FILE NAME: ns_per_op of NAME in FILE, or "NaN" (gnuplot skips it).
figures() {
	local f=$1
	[ -f "$f" ] || { : > "$dat/empty"; f=$dat/empty; }
	awk '/^# bench: / && !/ failed: / {
		for (i = 4; i <= NF; i++) if ($i ~ /^ns_per_op=/) { v = $i; sub(/^ns_per_op=/, "", v) }
		print $3, v }' "$f"
}
figures "$dir/mk64.txt" > "$dat/mk64"
figures "$dir/linux-defaults.txt" > "$dat/linux"
figures "$dir/linux-init0.txt" > "$dat/linux0"

# series X:NAME[:LINUX-NAME]...: one row "X mk64 linux linux0" per NAME
# (Linux's figure named LINUX-NAME when given).
series() {
	for xn in "$@"; do
		x=${xn%%:*} n=${xn#*:} ln=${xn#*:}
		n=${n%%:*} ln=${ln#*:}
		printf '%s' "$x"
		for s in mk64 linux linux0; do
			[ $s = mk64 ] || n=$ln
			awk -v n="$n" '$1 == n { v = $2 } END { printf " %s", v == "" ? "NaN" : v }' "$dat/$s"
		done
		echo
	done
}
series 8:kmalloc8_pair 64:kmalloc64_pair 256:kmalloc256_pair 1024:kmalloc1k_pair \
	4096:kmalloc4k_pair 8192:kmalloc8k_pair 16384:kmalloc16k_pair > "$dat/kmalloc"
series 10:vmalloc4k_live10 100:vmalloc4k_live100 1000:vmalloc4k_live1000 \
	10000:vmalloc4k_live10000 > "$dat/vmalloc-live"
series 512:boot_to_first_test_512M:linux_boot_to_init_512M \
	2048:boot_to_first_test_2G:linux_boot_to_init_2G \
	8192:boot_to_first_test_8G:linux_boot_to_init_8G > "$dat/boot"
# Every operation both kernels measure: mk64 / Linux, both Linux columns.
awk 'FILENAME ~ /mk64$/ { m[$1] = $2; order[++n] = $1; next }
     FILENAME ~ /linux$/ { l[$1] = $2; next }
     { l0[$1] = $2 }
     function r(a, b) { return b > 0 ? a / b : "NaN" }
     END { for (i = 1; i <= n; i++) { k = order[i]
		if ((k in l) || (k in l0)) print k, r(m[k], l[k]), r(m[k], l0[k]) } }' \
	"$dat/mk64" "$dat/linux" "$dat/linux0" > "$dat/ratio"

# plot NAME COMMANDS DATA: NAME.png, unless DATA has no figure at all.
plot() {
	if ! awk '{ for (i = 2; i <= NF; i++) if ($i != "NaN") found = 1 } END { exit !found }' "$3"; then
		echo "bench-plots: no figures for $dir/$1.png" >&2
		return
	fi
	gnuplot -e "set terminal pngcairo size 900,560 font 'DejaVu Sans,10' noenhanced; set output '$dir/$1.png'; $2"
}
common="set datafile missing 'NaN'; set grid; set key top left; set style data linespoints"
plot kmalloc "$common; set logscale xy 2; set xlabel 'kmalloc size (bytes)';
	set ylabel 'guest instructions per kmalloc+kfree'; set logscale y 10;
	set title 'kmalloc+kfree per size class (-icount shift=0)';
	plot '$dat/kmalloc' u 1:2 t 'mk64', '' u 1:3 t 'Linux 6.1 (Debian defaults)', '' u 1:4 t 'Linux 6.1, init_on_alloc=0'" "$dat/kmalloc"
plot vmalloc-live "$common; set logscale x 10; set xlabel 'one-page areas already live';
	set ylabel 'guest instructions per vmalloc(4K)+vfree'; set yrange [0:*];
	set title 'one-page vmalloc+vfree against live areas';
	plot '$dat/vmalloc-live' u 1:2 t 'mk64', '' u 1:3 t 'Linux 6.1 (Debian defaults)', '' u 1:4 t 'Linux 6.1, init_on_alloc=0'" "$dat/vmalloc-live"
n=$(wc -l < "$dat/ratio") io0=""
[ -s "$dat/linux0" ] && io0=", '' u 3 t 'against init_on_alloc=0'"
plot ratio "set terminal pngcairo size 900,$((200 + 18 * n)) font 'DejaVu Sans,10' noenhanced; set output '$dir/ratio.png';
	set grid x; set style data histograms; set style histogram clustered gap 1;
	set style fill solid 0.8 border -1; set logscale y 10; set yrange [0.01:4];
	set ytics ('0.01' 0.01, '0.03' 0.03, '0.1' 0.1, '0.3' 0.3, '1' 1, '2' 2, '4' 4);
	set xtics rotate by 90 right; set key outside top center horizontal; set bmargin 14;
	set ylabel 'mk64 / Linux (log scale; below 1: mk64 takes fewer instructions)';
	set title 'mk64 / Linux 6.1 per operation';
	plot '$dat/ratio' u 2:xtic(1) t 'against Debian defaults'$io0" "$dat/ratio"
plot boot "$common; set logscale x 2; set xlabel 'RAM (MiB)'; set ylabel 'ms of guest time';
	set logscale y 10; set title 'boot time against RAM size (guest time)';
	plot '$dat/boot' u 1:(\$2/1e6) t 'mk64: reset to the first test line',
	     '' u 1:(\$3/1e6) t 'Linux 6.1 (Debian defaults): reset to /init'" "$dat/boot"
