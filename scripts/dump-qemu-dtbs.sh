#!/usr/bin/env bash
# Writes the reference blobs for the device-tree tests into OUT (default
# build/dtb): QEMU virt's own DTB in several machine configurations, dumped
# with -M virt,dumpdtb=, and the RockPI 4A DTB with the /memory node U-Boot
# would add. The QEMU blobs carry fresh rng-seed/kaslr-seed values each run.
set -euo pipefail

out=${1:-build/dtb}
rockpi_dtb=${ROCKPI_DTB:-build/deps/root/usr/lib/u-boot/rock-pi-4-rk3399/rk3399-rock-pi-4a.dtb}
qemu=${QEMU:-qemu-system-aarch64}

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# dumpdtb writes the tree and exits before running anything. A kernel file
# is only needed so that -append reaches /chosen/bootargs.
dump() {
	local name=$1 machine=$2
	shift 2
	"$qemu" -M "virt${machine:+,$machine},dumpdtb=$tmp/$name.dtb" -cpu cortex-a53 \
		-nographic -nic none "$@" </dev/null >"$tmp/$name.log" 2>&1 ||
		{ cat "$tmp/$name.log" >&2; exit 1; }
	mv "$tmp/$name.dtb" "$out/$name.dtb"
}

printf 'not a kernel\n' >"$tmp/kernel"
dump qemu-smp1 '' -smp 1 -m 512M
dump qemu-smp4 '' -smp 4 -m 512M -kernel "$tmp/kernel" \
	-append 'console=ttyAMA0 ktest.filter=dt* quoted="a b"'
dump qemu-gicv2 gic-version=2 -smp 4 -m 1G
dump qemu-gicv3 gic-version=3 -smp 4 -m 1G
dump qemu-el2 virtualization=on -smp 2 -m 512M
dump qemu-numa gic-version=3 -smp 4 -m 1G \
	-object memory-backend-ram,id=m0,size=512M \
	-object memory-backend-ram,id=m1,size=512M \
	-numa node,memdev=m0,cpus=0-1,nodeid=0 \
	-numa node,memdev=m1,cpus=2-3,nodeid=1 \
	-numa dist,src=0,dst=1,val=20

# U-Boot's fdt_fixup_memory_banks() adds a plain /memory node with the root's
# 2+2 cells; the first 2 MiB of RAM belong to TF-A.
cp "$rockpi_dtb" "$tmp/rockpi4a.dtb"
fdtput -c "$tmp/rockpi4a.dtb" /memory
fdtput -t s "$tmp/rockpi4a.dtb" /memory device_type memory
fdtput -t x "$tmp/rockpi4a.dtb" /memory reg 0x0 0x200000 0x0 0xf7e00000
mv "$tmp/rockpi4a.dtb" "$out/rockpi4a.dtb"
