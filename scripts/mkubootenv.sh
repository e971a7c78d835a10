#!/usr/bin/env bash
# Build a pflash image holding an environment for QEMU's U-Boot
# (/usr/lib/u-boot/qemu_arm64/u-boot.bin), attached with
#   -drive if=pflash,unit=1,format=raw,file=OUT,readonly=on
# It sets bootdelay=0 (the default 2 s countdown is most of a QEMU boot) and
# any NAME=VALUE given, e.g. "mk64_args=ktest.filter=dt.*" which boot.scr
# appends to the kernel command line.
#
# Measured facts about that U-Boot (2023.01) behind the choices here:
# - a valid environment in flash REPLACES the built-in one (no bootcmd, no
#   distro boot), so the image holds the whole default environment, taken
#   from the u-boot.bin itself, with our changes applied;
# - it reads CONFIG_ENV_SIZE = 0x40000 bytes at the start of flash bank 1
#   (0x0400_0000): any other -s gives "bad CRC, using default environment";
# - QEMU wants the pflash file to be exactly 64 MiB.
#
# Usage: mkubootenv.sh OUT [NAME=VALUE...]   (UBOOT_BIN overrides the binary)
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 OUT [NAME=VALUE...]" >&2; exit 2; }
out=$1; shift
uboot=${UBOOT_BIN:-/usr/lib/u-boot/qemu_arm64/u-boot.bin}
ENV_SIZE=0x40000
FLASH_SIZE=64M

txt=$(mktemp); trap 'rm -f "$txt" "$out.tmp"' EXIT

# The default environment is one block of NUL-terminated "name=value"
# strings ending in an empty string; find it around "bootdelay=".
python3 - "$uboot" "$txt" bootdelay=0 "$@" <<'PY'
import re, sys
blob = open(sys.argv[1], 'rb').read()
i = blob.find(b'\0bootdelay=')
if i < 0:
    sys.exit('mkubootenv: no default environment found in ' + sys.argv[1])
i += 1
var = re.compile(rb'[A-Za-z_][A-Za-z0-9_.]*=[^\0]*\Z')
start = i
while True:
    prev = blob.rfind(b'\0', 0, start - 1) + 1
    if not var.match(blob[prev:start - 1]):
        break
    start = prev
end = blob.find(b'\0\0', i)
env = {}
for kv in blob[start:end].decode().split('\0'):
    name, _, value = kv.partition('=')
    env[name] = value
if 'bootcmd' not in env:
    sys.exit('mkubootenv: default environment has no bootcmd')
for kv in sys.argv[3:]:
    name, eq, value = kv.partition('=')
    if not eq or not re.fullmatch(r'[A-Za-z_][A-Za-z0-9_.]*', name) or '\n' in value:
        sys.exit('mkubootenv: bad assignment: %r' % kv)
    env[name] = value
with open(sys.argv[2], 'w') as f:
    for name in sorted(env):
        f.write('%s=%s\n' % (name, env[name]))
PY

mkenvimage -s $ENV_SIZE -o "$out.tmp" "$txt"
truncate -s $FLASH_SIZE "$out.tmp"
chmod 644 "$out.tmp"
mv "$out.tmp" "$out"
