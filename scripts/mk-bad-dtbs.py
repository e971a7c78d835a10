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


def bad_nameoff(blob, h):
    """The first property's name offset points past the strings block."""
    struct.pack_into(">I", blob, first_prop(blob, h) + 8, h["size_dt_strings"] + 100)


def main():
    good, out = sys.argv[1], sys.argv[2]
    blob = bytearray(open(good, "rb").read())
    bad_nameoff(blob, header(blob))
    with open(out, "wb") as f:
        f.write(blob)


if __name__ == "__main__":
    main()
