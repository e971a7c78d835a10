#!/usr/bin/env bash
# Check an SD card image made by scripts/mksdcard.sh; prints KTAP (one test
# per check, "# " detail lines before a result) and exits 1 if any fails.
#
# Usage: check-sdcard.sh IMG [KERNEL_IMAGE [UBOOT_DIR [BOOT_CMD]]]
# Defaults: Image and deps/ (u-boot-rockchip unpacked) in IMG's directory,
# the build directory, and the repository's boot/boot.cmd.
# shellcheck disable=SC2317  # the t_* checks are called through $tests
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
{ [ $# -ge 1 ] && [ $# -le 4 ]; } ||
	{ echo "usage: $0 IMG [KERNEL_IMAGE [UBOOT_DIR [BOOT_CMD]]]" >&2; exit 2; }
img=$1
build=$(dirname "$img")
kernel=${2:-$build/Image}
ubdir=${3:-$build/deps/root/usr/lib/u-boot/rock-pi-4-rk3399}
bootcmd=${4:-$root/boot/boot.cmd}

if [ ! -r "$img" ]; then
	# Nothing else can be checked: one failing test says why.
	printf 'KTAP version 1\n1..1\n# %s: not found\nnot ok 1 image_exists\n' "$img"
	exit 1
fi

# The layout mksdcard.sh writes, in 512-byte sectors.
IDB_SECTOR=64 ENV_SECTOR=8128 ENV_SECTORS=64 ITB_SECTOR=16384 MIN_PART_START=32768

export MTOOLS_SKIP_CHECK=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Partition facts, read once: "label count start size type bootable".
part=$(sfdisk --json "$img" 2>/dev/null | python3 -c '
import json, sys
t = json.load(sys.stdin)["partitiontable"]
p = t.get("partitions", [])
f = p[0] if p else {}
print(t.get("label"), len(p), f.get("start", 0), f.get("size", 0),
      f.get("type", "-"), int(bool(f.get("bootable"))))' 2>/dev/null) || part="none 0 0 0 - 0"
read -r p_label p_count p_start p_size p_type p_boot <<<"$part"
fat="$img@@$((p_start * 512))"

# Does IMG hold FILE byte for byte at SECTOR?
same_at() {
	local file=$1 sector=$2 size
	[ -f "$file" ] || { echo "missing $file"; return 1; }
	size=$(stat -c %s "$file")
	if cmp -s -n "$size" "$file" <(tail -c +$((sector * 512 + 1)) "$img"); then
		echo "$(basename "$file"): $size bytes at sector $sector"
	else
		echo "$(basename "$file") differs from the image at sector $sector"
		return 1
	fi
}

t_image_size() {
	local size; size=$(stat -c %s "$img") || return 1
	echo "$size bytes"
	[ $((size % 512)) -eq 0 ] || { echo "not a whole number of sectors"; return 1; }
}
t_idbloader() { same_at "$ubdir/idbloader.img" "$IDB_SECTOR"; }
t_uboot_itb() { same_at "$ubdir/u-boot.itb" "$ITB_SECTOR"; }
t_env_zero() {
	# U-Boot on the board reads its environment here: garbage would be used
	# if its CRC happened to match, so nothing may be written there.
	cmp -s -n $((ENV_SECTORS * 512)) /dev/zero \
		<(tail -c +$((ENV_SECTOR * 512 + 1)) "$img") ||
		{ echo "sectors $ENV_SECTOR-$((ENV_SECTOR + ENV_SECTORS - 1)) not zero"; return 1; }
}
t_loaders_fit() {
	# Each loader must end before the next region starts.
	local idb_end itb_end
	idb_end=$((IDB_SECTOR + ($(stat -c %s "$ubdir/idbloader.img") + 511) / 512))
	itb_end=$((ITB_SECTOR + ($(stat -c %s "$ubdir/u-boot.itb") + 511) / 512))
	echo "idbloader ends at sector $idb_end, u-boot.itb at $itb_end"
	[ "$idb_end" -le "$ENV_SECTOR" ] && [ "$itb_end" -le "$p_start" ]
}
t_one_partition() {
	echo "label $p_label, $p_count partition(s)"
	# MBR: GPT would put its header and entries in sectors 1-33 and a
	# backup at the end; one MBR sector avoids both.
	[ "$p_label" = dos ] && [ "$p_count" -eq 1 ]
}
t_partition_place() {
	local end=$((p_start + p_size)) total=$(($(stat -c %s "$img") / 512))
	echo "start $p_start, size $p_size, ends at $end of $total sectors"
	[ "$p_start" -ge "$MIN_PART_START" ] && [ "$p_size" -gt 0 ] && [ "$end" -le "$total" ]
}
t_bootable() {
	# Distro boot scans only partitions flagged bootable.
	[ "$p_boot" = 1 ] || { echo "partition not flagged bootable"; return 1; }
}
t_fat_type() {
	echo "MBR type 0x$p_type"
	case $p_type in b | c | e | 6) ;; *) echo "not a FAT type"; return 1 ;; esac
	local info; info=$(minfo -i "$fat" :: 2>&1) || { echo "$info"; return 1; }
	grep -m1 'disk type=' <<<"$info"
	grep -q 'disk type="FAT' <<<"$info"
}
same_file() {
	local src=$1 name=$2
	[ -f "$src" ] || { echo "missing $src"; return 1; }
	mcopy -n -i "$fat" "::$name" "$tmp/$name" 2>&1 || { echo "no $name on the partition"; return 1; }
	cmp -s "$src" "$tmp/$name" || { echo "$name differs from $src"; return 1; }
	echo "$name: $(stat -c %s "$src") bytes"
}
t_kernel() { same_file "$kernel" Image; }
t_dtb() { same_file "$ubdir/rk3399-rock-pi-4a.dtb" rk3399-rock-pi-4a.dtb; }
t_script_header() {
	mcopy -n -i "$fat" ::boot.scr "$tmp/boot.scr" 2>&1 || { echo "no boot.scr"; return 1; }
	local l; l=$(dumpimage -l "$tmp/boot.scr" 2>&1) || { echo "$l"; return 1; }
	grep -E 'Image Name|Image Type' <<<"$l"
	grep -q 'Image Type:.*Script' <<<"$l"
}
t_script_payload() {
	[ -f "$tmp/boot.scr" ] || { echo "no boot.scr"; return 1; }
	dumpimage -T script -p 0 -o "$tmp/boot.cmd" "$tmp/boot.scr" >/dev/null 2>&1 ||
		{ echo "dumpimage could not extract the script"; return 1; }
	# A script image's data is a length table (big-endian u32 sizes ended
	# by a 0) followed by the script: check the table, then the text.
	python3 - "$tmp/boot.cmd" "$bootcmd" <<'PY'
import struct, sys
data, want = open(sys.argv[1], 'rb').read(), open(sys.argv[2], 'rb').read()
size, end = struct.unpack('>II', data[:8])
if end != 0 or len(data) != 8 + size:
    sys.exit('bad length table: %d, %d for %d data bytes' % (size, end, len(data)))
if data[8:] != want:
    sys.exit('payload differs from ' + sys.argv[2])
print('%d bytes, same as %s' % (size, sys.argv[2]))
PY
}
t_no_extlinux() {
	# Distro boot tries extlinux.conf before boot.scr; it must not exist.
	if mdir -i "$fat" ::extlinux/extlinux.conf >/dev/null 2>&1 ||
		mdir -i "$fat" ::boot/extlinux/extlinux.conf >/dev/null 2>&1; then
		echo "extlinux.conf would shadow boot.scr"; return 1
	fi
}

tests=(image_size t_image_size idbloader_at_sector_64 t_idbloader
	uboot_itb_at_sector_16384 t_uboot_itb env_sectors_zero t_env_zero
	loaders_fit t_loaders_fit mbr_one_partition t_one_partition
	partition_placement t_partition_place partition_bootable t_bootable
	partition_fat t_fat_type kernel_image t_kernel rock_pi_4a_dtb t_dtb
	boot_scr_is_script t_script_header boot_scr_matches_boot_cmd t_script_payload
	no_extlinux_conf t_no_extlinux)

echo "KTAP version 1"
echo "1..$((${#tests[@]} / 2))"
n=0 failed=0
for ((i = 0; i < ${#tests[@]}; i += 2)); do
	n=$((n + 1))
	# A subshell so a check's own failure cannot stop the others.
	if out=$( ("${tests[i + 1]}") 2>&1); then status=ok; else status="not ok"; failed=1; fi
	[ -z "$out" ] || while IFS= read -r l; do echo "# $l"; done <<<"$out"
	echo "$status $n ${tests[i]}"
done
exit $failed
