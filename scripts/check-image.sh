#!/usr/bin/env bash
# check-image.sh IMAGE ELF: sanity-checks the arm64 Image made by objcopy
# against the boot protocol (Documentation/arch/arm64/booting.rst):
#   magic "ARM\x64" (0x644d5241) at offset 56, text_offset (offset 8) 0,
#   flags (offset 24): bit 0 = 0 (little endian), bits 1-2 = 1 (4K pages),
#   bit 3 = 1 (placed anywhere 2 MiB aligned), image_size (offset 16) >= the
#   file size, 8-byte aligned, and covering the ELF's load span (BSS too);
#   the ELF must be AArch64.
# Exits non-zero with a message naming the field on any failure.
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 IMAGE ELF" >&2
	exit 2
fi

exec python3 - "$1" "$2" <<'PY'
import os, struct, sys

image, elf = sys.argv[1], sys.argv[2]
errors = []

def fail(msg):
    errors.append(msg)

try:
    with open(image, "rb") as f:
        data = f.read(64)
    size = os.path.getsize(image)
except OSError as e:
    sys.exit("check-image: %s" % e)

if len(data) < 64:
    sys.exit("check-image: %s: only %d bytes, too short for an arm64 Image header"
             % (image, len(data)))

code0, code1, text_offset, image_size, flags, res2, res3, res4, magic, res5 = \
    struct.unpack("<IIQQQQQQII", data)

if magic != 0x644D5241:
    fail("magic at offset 56 is 0x%08x, want 0x644d5241 (\"ARM\\x64\")" % magic)
if code0 == 0:
    fail("code0 (offset 0) is 0: the Image does not start with the entry code")
if text_offset != 0:
    fail("text_offset (offset 8) is 0x%x, want 0" % text_offset)
if flags & 1:
    fail("flags (offset 24) = 0x%x: bit 0 set (big endian), want little endian"
         % flags)
if (flags >> 1) & 3 != 1:
    fail("flags (offset 24) = 0x%x: page size field (bits 1-2) is %d, want 1 (4K)"
         % (flags, (flags >> 1) & 3))
if not (flags >> 3) & 1:
    fail("flags (offset 24) = 0x%x: bit 3 clear, want 1 (placed anywhere)" % flags)
if image_size == 0:
    fail("image_size (offset 16) is 0")
else:
    if image_size < size:
        fail("image_size (offset 16) is %d (0x%x), smaller than the file (%d bytes)"
             % (image_size, image_size, size))
    if image_size % 8:
        fail("image_size (offset 16) is %d (0x%x), not a multiple of 8"
             % (image_size, image_size))

# ---- the ELF the Image came from ----
try:
    with open(elf, "rb") as f:
        e = f.read()
except OSError as err:
    sys.exit("check-image: %s" % err)

if e[:4] != b"\x7fELF" or len(e) < 64:
    fail("%s is not an ELF file" % elf)
elif e[4] != 2 or e[5] != 1:
    fail("%s is not a 64-bit little-endian ELF" % elf)
else:
    (e_type, e_machine, _ver, e_entry, e_phoff, _shoff, _flags, _ehsize,
     e_phentsize, e_phnum) = struct.unpack_from("<HHIQQQIHHH", e, 16)
    if e_machine != 183:
        fail("%s: e_machine is %d, want 183 (AArch64)" % (elf, e_machine))
    loads = []
    for i in range(e_phnum):
        off = e_phoff + i * e_phentsize
        p_type, _pf, _po, _va, p_paddr, p_filesz, p_memsz, _al = \
            struct.unpack_from("<IIQQQQQQ", e, off)
        # Where each segment is loaded: the per-CPU template is linked
        # elsewhere (linker.ld) but loaded inside the image.
        if p_type == 1 and p_memsz:
            loads.append((p_paddr, p_filesz, p_memsz))
    if not loads:
        fail("%s has no PT_LOAD segment" % elf)
    else:
        base = min(v for v, _, _ in loads)
        span = max(v + m for v, _, m in loads) - base
        if image_size and image_size < span:
            fail("image_size (offset 16) is 0x%x but the ELF spans 0x%x bytes "
                 "from 0x%x (BSS not covered)" % (image_size, span, base))

if errors:
    for m in errors:
        print("check-image: %s: %s" % (image, m), file=sys.stderr)
    sys.exit(1)
PY
