#!/usr/bin/env bash
# Writes QEMU virt's tree for the given machine options with a dtsi
# appended to its source (/memory amended through &{/path}, bootargs in
# /chosen), for configs whose RAM layout QEMU cannot describe itself.
# QEMU replaces every /memory node of a tree it loads for -kernel, so such
# a tree is loaded with the generic loader and tests/dts/boot-stub.S.
# Usage: mk-overlay-dtb.sh OUT.dtb OVERLAY.dtsi QEMU-OPTIONS...
set -euo pipefail
out=$1 overlay=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
qemu-system-aarch64 -M virt,dumpdtb="$tmp/virt.dtb",dtb-randomness=off "$@" \
	-nographic -nic none </dev/null >/dev/null 2>&1
{ dtc -q -I dtb -O dts "$tmp/virt.dtb" && cat "$overlay"; } | dtc -q -I dts -O dtb -o "$out" -
