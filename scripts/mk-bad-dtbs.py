#!/usr/bin/env python3
"""Writes a malformed device tree for the kernel's negative-boot config.

The blob is QEMU virt's own tree with a structural defect that QEMU's -dtb
loading lets through (it checks the header and edits /chosen, /memory and
the root's cells, so a defect there or before them is refused by QEMU
itself), so the kernel is the first to see it and must diagnose it. The
in-kernel `dt` suite covers the other malformations.
Usage: mk-bad-dtbs.py GOOD.dtb OUT.dtb
"""
import struct
import sys

FDT_PROP = 3


def header(blob):
    names = ("magic totalsize off_dt_struct off_dt_strings off_mem_rsvmap version "
             "last_comp_version boot_cpuid_phys size_dt_strings size_dt_struct").split()
    return dict(zip(names, struct.unpack(">10I", blob[:40])))


def first_prop(blob, h):
    off = h["off_dt_struct"]
    while struct.unpack(">I", blob[off:off + 4])[0] != FDT_PROP:
        off += 4
    return off


def compact(blob, h):
    """Drops the padding after the last block: QEMU's dump is 1 MiB, and
    QEMU's -dtb loading doubles a blob's size, past the arm64 boot
    protocol's 2 MiB cap, which the kernel would report first."""
    end = max(h["off_mem_rsvmap"] + 16, h["off_dt_struct"] + h["size_dt_struct"],
              h["off_dt_strings"] + h["size_dt_strings"])
    mem_rsv = h["off_mem_rsvmap"]
    while struct.unpack(">QQ", blob[mem_rsv:mem_rsv + 16]) != (0, 0):
        mem_rsv += 16
    end = max(end, mem_rsv + 16)
    del blob[end:]
    struct.pack_into(">I", blob, 4, end)


def bad_nameoff(blob, h):
    """The first property's name offset points past the strings block."""
    struct.pack_into(">I", blob, first_prop(blob, h) + 8, h["size_dt_strings"] + 100)


def main():
    good, out = sys.argv[1], sys.argv[2]
    blob = bytearray(open(good, "rb").read())
    compact(blob, header(blob))
    bad_nameoff(blob, header(blob))
    with open(out, "wb") as f:
        f.write(blob)


if __name__ == "__main__":
    main()
