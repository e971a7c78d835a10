#!/usr/bin/env bash
# Build the RockPI 4A SD card image, also bootable under QEMU's U-Boot:
#   sector 0        MBR, one partition, bootable (0x80), type 0x0c FAT32 LBA
#   sector 64       idbloader.img (TPL+SPL): where the RK3399 bootrom looks
#   sectors 8128-   U-Boot's environment on the board: left zero
#   sector 16384    u-boot.itb (U-Boot proper + TF-A BL31)
#   sector 32768-   FAT32 boot partition: Image, rk3399-rock-pi-4a.dtb, boot.scr
# MBR rather than GPT: it needs only sector 0 and no backup header at the
# end, and both U-Boots (and the bootrom, which ignores it) handle it.
# No root, loop devices or mount: sfdisk edits the file, mtools fills the FAT.
#
# Usage: mksdcard.sh OUT KERNEL_IMAGE UBOOT_DIR BOOT_SCR
set -euo pipefail

[ $# -eq 4 ] || { echo "usage: $0 OUT KERNEL_IMAGE UBOOT_DIR BOOT_SCR" >&2; exit 2; }
out=$1 kernel=$2 ubdir=$3 script=$4

# Layout, in 512-byte sectors (scripts/check-sdcard.sh checks the same).
IMG_SECTORS=131072	# 64 MiB
IDB_SECTOR=64
ENV_SECTOR=8128		# env: 8128-8191
ITB_SECTOR=16384
PART_START=32768
PART_SECTORS=$((IMG_SECTORS - PART_START))
DISK_ID=0x6d6b3634	# "mk64": fixed so the image is reproducible

idb=$ubdir/idbloader.img itb=$ubdir/u-boot.itb dtb=$ubdir/rk3399-rock-pi-4a.dtb
for f in "$kernel" "$idb" "$itb" "$dtb" "$script"; do
	[ -f "$f" ] || { echo "mksdcard: missing $f" >&2; exit 1; }
done

sectors() { echo $((($(stat -c %s "$1") + 511) / 512)); }
# Refuse a package whose loaders would run into the env or the partition.
[ $((IDB_SECTOR + $(sectors "$idb"))) -le $ENV_SECTOR ] ||
	{ echo "mksdcard: $idb overlaps the environment" >&2; exit 1; }
[ $((ITB_SECTOR + $(sectors "$itb"))) -le $PART_START ] ||
	{ echo "mksdcard: $itb overlaps the boot partition" >&2; exit 1; }
[ $(($(stat -c %s "$kernel") + $(stat -c %s "$dtb") + $(stat -c %s "$script"))) \
	-lt $((PART_SECTORS * 512 - 4 * 1024 * 1024)) ] ||
	{ echo "mksdcard: files too big for the boot partition" >&2; exit 1; }

# Build beside the target and rename, so a failure never leaves a half image.
tmp=$out.tmp
rm -f "$tmp"
truncate -s $((IMG_SECTORS * 512)) "$tmp"

# --wipe never: sfdisk must not clear anything outside sector 0.
sfdisk --quiet --wipe never "$tmp" <<SFDISK
label: dos
label-id: $DISK_ID
unit: sectors
start=$PART_START, size=$PART_SECTORS, type=c, bootable
SFDISK

dd if="$idb" of="$tmp" bs=512 seek=$IDB_SECTOR conv=notrunc status=none
dd if="$itb" of="$tmp" bs=512 seek=$ITB_SECTOR conv=notrunc status=none

# mtools addresses the partition as IMG@@BYTE_OFFSET. -H records the hidden
# sectors in the boot sector as a partitioned disk's FAT should; -N fixes the
# volume serial; SOURCE_DATE_EPOCH (from make) fixes the timestamps.
fat="$tmp@@$((PART_START * 512))"
export MTOOLS_SKIP_CHECK=1 MTOOLS_NO_VFAT=0
mformat -i "$fat" -F -T $PART_SECTORS -h 64 -s 32 -H $PART_START \
	-N "${DISK_ID#0x}" -v MK64BOOT ::
mcopy -i "$fat" "$kernel" ::Image
mcopy -i "$fat" "$dtb" ::rk3399-rock-pi-4a.dtb
mcopy -i "$fat" "$script" ::boot.scr

mv "$tmp" "$out"
echo "mksdcard: wrote $out"
