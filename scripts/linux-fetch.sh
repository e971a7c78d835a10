#!/usr/bin/env bash
# Fetches Debian's arm64 Linux for `make bench-linux`: the kernel image, the
# headers and kbuild tools to build a module against it (kbuild for the host
# architecture: the arm64 one's fixdep and modpost do not run here), and
# busybox-static for the initramfs. One pinned version of every package:
# the figures are those of that kernel. The .debs are kept in build/deps
# (make clean keeps them), unpacked with dpkg-deb -x into build/linux/root;
# nothing is installed. Reruns fetch nothing. Leaves build/linux/Image (the
# kernel, for QEMU's -kernel), build/linux/headers (the tree to
# build modules against), build/linux/busybox and build/linux/version.
# Usage: linux-fetch.sh [current-if-gone]  (exits non-zero with a one-line
# headline when a package cannot be had). current-if-gone (make test's
# harness check, which needs some Debian kernel, not the pinned one): when
# the mirror no longer has the pin, take the version it has now, and say so.
set -euo pipefail
fallback=${1:-}

# The pin. `apt-cache depends linux-image-arm64:arm64` names the current ABI.
abi=6.1.0-57
version=6.1.192-3
busybox_version=1:1.35.0-4+deb12u1+b1

debs=${LINUX_DEBS_DIR:-build/deps/linux-debs}
out=build/linux
root=$out/root
host_arch=$(dpkg --print-architecture)

set_pkgs() {
	pkgs=("linux-image-$abi-arm64:arm64=$version"
	      "linux-headers-$abi-arm64:arm64=$version"
	      "linux-headers-$abi-common=$version"
	      "linux-kbuild-6.1:$host_arch=$version"
	      "busybox-static:arm64=$busybox_version")
	stamp=$root/.unpacked-$abi-$version
}
set_pkgs

# The ABI and versions Debian's mirror offers now, in place of the pin.
use_current() {
	local image
	image=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		awk '/Depends: linux-image-/ { sub(/:arm64$/, "", $2); print $2; exit }')
	abi=${image#linux-image-}
	abi=${abi%-arm64}
	version=$(apt-cache policy "$image:arm64" | awk '/Candidate:/ { print $2 }')
	busybox_version=$(apt-cache policy busybox-static:arm64 | awk '/Candidate:/ { print $2 }')
	[ -n "$abi" ] && [ -n "$version" ] && [ "$version" != "(none)" ] &&
		[ -n "$busybox_version" ] && [ "$busybox_version" != "(none)" ]
}

# The arm64 headers' Makefile includes the common tree by its installed
# absolute path: point it into our tree, wherever the checkout now is.
fix_include() {
	sed -i "s|^include .*/linux-headers-$abi-common/Makefile|include $(cd "$root" && pwd)/usr/src/linux-headers-$abi-common/Makefile|" \
		"$root/usr/src/linux-headers-$abi-arm64/Makefile"
}
if [ -f "$stamp" ] && [ -f "$out/Image" ]; then
	fix_include
	exit 0
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The .deb file name apt-get download writes for NAME[:ARCH]=VERSION (no
# ARCH: an arch "all" package; the epoch's colon comes URL-encoded).
deb_name() {
	local spec=$1 name ver arch
	name=${spec%%=*} ver=${spec#*=}
	arch=${name#*:}
	[ "$arch" = "$name" ] && arch=all
	name=${name%%:*}
	echo "${name}_${ver/:/%3a}_${arch}.deb"
}

download() {
	(cd "$debs" && apt-get download -qq -o Acquire::Retries=3 -o APT::Sandbox::User=root "$@")
}

mkdir -p "$debs"
need=()
for p in "${pkgs[@]}"; do
	[ -f "$debs/$(deb_name "$p")" ] || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		as_root dpkg --add-architecture arm64
		as_root apt-get update -qq
	fi
	echo "bench-linux: fetching ${need[*]}"
	if ! download "${need[@]}"; then
		as_root apt-get update -qq
		if ! download "${need[@]}"; then
			if [ "$fallback" = current-if-gone ] && use_current; then
				echo "bench-linux: the mirror no longer has the pinned kernel; using Debian's current $abi ($version)" >&2
				set_pkgs
				download "${pkgs[@]}" || {
					echo "bench-linux: cannot fetch Debian's current kernel $abi ($version)" >&2
					exit 1
				}
			else
				echo "bench-linux: Debian's mirror no longer has the pinned kernel $abi ($version)" >&2
				echo "  the current one: $(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
					awk '/Depends:/ { print $2; exit }'); update abi/version in $0" >&2
				exit 1
			fi
		fi
	fi
fi

rm -rf "$root"
mkdir -p "$root"
for p in "${pkgs[@]}"; do
	dpkg-deb -x "$debs/$(deb_name "$p")" "$root"
done

fix_include
hdr=$root/usr/src/linux-headers-$abi-arm64
# Its scripts/ and tools/ are symlinks into /usr/lib/linux-kbuild-6.1: ours.
for l in "$hdr"/scripts "$hdr"/tools; do
	[ -L "$l" ] || continue
	t=$(readlink "$l")
	case $t in /*) ln -sfn "$(cd "$root" && pwd)$t" "$l" ;; esac
done
# vmlinuz is the arm64 Image itself in this version, gzip-compressed in
# others: QEMU's -kernel takes the Image.
vmlinuz=$root/boot/vmlinuz-$abi-arm64
if gzip -t "$vmlinuz" 2>/dev/null; then
	gzip -dc "$vmlinuz" > "$out/Image"
else
	cp "$vmlinuz" "$out/Image"
fi
ln -sfn "root/usr/src/linux-headers-$abi-arm64" "$out/headers"
ln -sfn root/bin/busybox "$out/busybox"
echo "Debian linux-image-$abi-arm64 $version" > "$out/version"
touch "$stamp"
