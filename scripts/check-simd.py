#!/usr/bin/env python3
"""check-simd.py BUILD: the kernel's SIMD rule (see the Makefile), as KTAP.

Exception entry saves no FP/SIMD register and CPACR_EL1.FPEN traps them,
so the kernel must contain no FP/SIMD instruction that can run:

  1. none in our own objects (BUILD/kernel/objects), but the one
     deliberate probe of the boot suite (ALLOWED);
  2. none in a function of the linked image (BUILD/mk64.elf) that our code
     can reach through direct branches and calls, or whose address it takes
     in code (adr, adrp+add: a callback handed to a function): libfdt.a is
     user-space code, and its read-write functions use SIMD registers.
     Not followed: addresses stored in data (an ops table's initialiser,
     ldr of a literal); every such table in the image is ours, and rule 1
     covers our functions.

An instruction is FP/SIMD by its encoding, not by how it prints: bits 27
and 26 both set is the A64 class of SIMD&FP data processing and of loads
and stores of SIMD&FP registers. Data the assembler marked as such (literal
pools, printed as .word) is not code. Python 3 standard library only.
"""

import os
import re
import subprocess
import sys

OBJDUMP = os.environ.get("OBJDUMP", "aarch64-linux-gnu-objdump")
ALLOWED = {"fpsimd_trap_probe"}   # tests/kernel/test_boot.c: must trap

FUNC = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
INSN = re.compile(r"^\s*[0-9a-f]+:\s+([0-9a-f]{8})\s+(\S+)\s*(.*)$")
TARGET = re.compile(r"<([^>+]+)(?:\+0x[0-9a-f]+)?>")
BRANCHES = {"b", "bl", "cbz", "cbnz", "tbz", "tbnz", "adr"}
ADRP = re.compile(r"^(x\d+), ([0-9a-f]+)\b")
ADD_IMM = re.compile(r"^(x\d+), (x\d+), #(0x[0-9a-f]+|\d+)$")


def is_fpsimd(word):
    return (int(word, 16) >> 26) & 3 == 3


def disassemble(path):
    """{function: ([FP/SIMD instructions], {branch and address targets})}

    An adrp's page plus the add that follows it on the same register is an
    address; when it is a function's entry, that function is a target.
    (In an object file adrp's page is a relocation, 0: nothing matches.)
    """
    out = subprocess.run([OBJDUMP, "-d", "-w", path], check=True,
                         capture_output=True, text=True).stdout
    funcs, starts, cur, pages = {}, {}, None, {}
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            starts[int(m.group(1), 16)] = m.group(2)
            cur = funcs.setdefault(m.group(2), ([], set(), set()))
            pages = {}
            continue
        m = INSN.match(line)
        if not m or cur is None:
            continue
        word, mnem, ops = m.groups()
        if mnem.startswith("."):
            continue
        if is_fpsimd(word):
            cur[0].append("%s %s" % (mnem, ops.split("//")[0].strip()))
        if mnem in BRANCHES or mnem.startswith("b."):
            t = TARGET.search(ops)
            if t:
                cur[1].add(t.group(1))
        if mnem == "adrp":
            a = ADRP.match(ops)
            if a:
                pages[a.group(1)] = int(a.group(2), 16)
            continue
        a = ADD_IMM.match(ops.split("//")[0].strip()) if mnem == "add" else None
        if a and a.group(2) in pages:
            cur[2].add(pages[a.group(2)] + int(a.group(3), 0))
    return {name: (simd, targets | {starts[x] for x in addrs if x in starts})
            for name, (simd, targets, addrs) in funcs.items()}


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    with open(os.path.join(build, "kernel", "objects")) as f:
        objects = f.read().split()
    print("KTAP version 1")
    print("1..2")

    ours, bad = set(), []
    for obj in objects:
        for name, (simd, _) in disassemble(obj).items():
            ours.add(name)
            if simd and name not in ALLOWED:
                bad.append("%s: %s: %s" % (obj, name, simd[0]))
    for b in bad:
        print("# FP/SIMD in our code: %s" % b)
    print("%s 1 own_objects_general_registers_only" % ("not ok" if bad else "ok"))

    image = disassemble(os.path.join(build, "mk64.elf"))
    parent = {name: None for name in ours if name in image}
    todo = list(parent)
    while todo:
        name = todo.pop()
        for callee in image[name][1]:
            if callee in image and callee not in parent:
                parent[callee] = name
                todo.append(callee)
    reached = []
    for name in sorted(parent):
        if image[name][0] and name not in ALLOWED:
            path, p = [name], parent[name]
            while p:
                path.append(p)
                p = parent[p]
            reached.append("%s (%s), reached by %s" % (
                name, image[name][0][0], " <- ".join(path[1:]) or "our code"))
    for r in reached:
        print("# FP/SIMD reachable: %s" % r)
    unreached = sorted(n for n, (simd, _) in image.items()
                       if simd and n not in parent)
    if unreached:
        print("# linked but unreachable, with FP/SIMD: %s" % ", ".join(unreached))
    print("%s 2 image_simd_unreachable" % ("not ok" if reached else "ok"))
    return 1 if bad or reached else 0


if __name__ == "__main__":
    sys.exit(main())
