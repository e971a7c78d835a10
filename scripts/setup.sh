#!/usr/bin/env bash
# Install what mk64 needs from Debian's packages, and unpack the two arm64
# packages (libfdt-dev:arm64, u-boot-rockchip:arm64) into build/deps without
# installing them: libfdt-dev:arm64 would conflict with the host's libfdt-dev.
# Idempotent: does nothing when everything is present.
set -euo pipefail

deps=${DEPS_DIR:-build/deps}
host_pkgs=(make gcc-aarch64-linux-gnu qemu-system-arm device-tree-compiler
	u-boot-qemu u-boot-tools mtools dosfstools fdisk libfdt-dev
	clang libclang-rt-dev gdb-multiarch python3 cpio gnuplot-nox)
arm64_pkgs=(libfdt-dev u-boot-rockchip)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${host_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done

need_arm64=0
for p in "${arm64_pkgs[@]}"; do
	[ -f "$deps/.$p.unpacked" ] || need_arm64=1
done

updated=0
apt_update() {
	[ $updated = 1 ] && return
	echo "setup: apt-get update"
	as_root apt-get update -qq
	updated=1
}

if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	apt_update
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
fi

if [ $need_arm64 = 1 ]; then
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		as_root dpkg --add-architecture arm64
		updated=0
	fi
	apt_update
	mkdir -p "$deps/debs"
	for p in "${arm64_pkgs[@]}"; do
		[ -f "$deps/.$p.unpacked" ] && continue
		echo "setup: unpacking $p:arm64 into $deps"
		(cd "$deps/debs" && rm -f "${p}_"*_arm64.deb && apt-get download -qq -o APT::Sandbox::User=root "$p:arm64")
		dpkg-deb -x "$deps/debs/${p}_"*_arm64.deb "$deps/root"
		touch "$deps/.$p.unpacked"
	done
fi
