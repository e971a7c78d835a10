#!/usr/bin/env bash
# Writes QEMU virt's tree plus a /memreserve/ entry and the /reserved-memory
# children of tests/dts/reserved-overlay.dtsi, for the virt-reserved config.
# Usage: mk-reserved-dtb.sh OUT.dtb
set -euo pipefail
out=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
qemu-system-aarch64 -M virt,dumpdtb="$tmp/virt.dtb",dtb-randomness=off -cpu cortex-a53 \
	-m 512M -nographic -nic none </dev/null >/dev/null 2>&1
dtc -q -I dtb -O dts "$tmp/virt.dtb" |
	sed 's|^/dts-v1/;|/dts-v1/;\n/memreserve/ 0x52000000 0x10000;|' >"$tmp/virt.dts"
cat tests/dts/reserved-overlay.dtsi >>"$tmp/virt.dts"
dtc -q -I dts -O dtb -o "$out" "$tmp/virt.dts"
