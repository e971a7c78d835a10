#!/usr/bin/env python3
"""check-kmalloc-const.py BUILD: kmalloc() of a constant size compiles to a
direct allocation from the cache chosen at compile time, as KTAP.

Disassembles (with relocations) the probe functions of
tests/kernel/test_kmalloc.c in BUILD/kernel/tests/kernel/test_kmalloc.c.o and
checks each against what it must be: a load of its cache's slot of
kmalloc_caches[][] (the offset worked out below from Linux's class indices,
not read from the kernel) and a call or tail call of kmem_cache_alloc, no
__kmalloc; above 8 KiB a call of kmalloc_large and no cache; kmalloc(0) no
call at all, only ZERO_SIZE_PTR (16) returned. Python 3 standard library.
"""
import re
import subprocess
import sys

OBJDUMP = "aarch64-linux-gnu-objdump"
# kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1]: rows of 14 pointers.
ROW = 14
# Linux's indices: 2^n bytes at n, 96 at 1, 192 at 2.
SLOT = lambda dma, index: (ROW * dma + index) * 8

PROBES = [
    # name, cache slot offset or None, function it must call, or None
    ("kmalloc_const_probe_64", SLOT(0, 6), "kmem_cache_alloc"),
    ("kmalloc_const_probe_100", SLOT(0, 7), "kmem_cache_alloc"),
    ("kmalloc_const_probe_dma_192", SLOT(1, 2), "kmem_cache_alloc"),
    ("kmalloc_const_probe_large", None, "kmalloc_large"),
    ("kmalloc_const_probe_zero", None, None),
]
CALLS = re.compile(r"R_AARCH64_(?:CALL26|JUMP26)\s+(\S+)")
CACHE = re.compile(r"R_AARCH64_LDST64_ABS_LO12_NC\s+kmalloc_caches(?:\+0x([0-9a-f]+))?")


def functions(obj):
    out = subprocess.run([OBJDUMP, "-dr", "--no-show-raw-insn", obj], check=True,
                         capture_output=True, text=True).stdout
    funcs, name = {}, None
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <([^>]+)>:$", line)
        if m:
            name = m.group(1)
            funcs[name] = []
        elif name and line.strip():
            funcs[name].append(line)
        elif not line.strip():
            name = None
    return funcs


def check(body, slot, callee):
    """Returns what is wrong with a probe's code, or None."""
    calls = [m.group(1) for l in body for m in [CALLS.search(l)] if m]
    caches = [int(m.group(1) or "0", 16) for l in body for m in [CACHE.search(l)] if m]
    if any(c.startswith("__kmalloc") for c in calls):
        return "calls %s: the size was not resolved at compile time" % calls
    if callee is None:
        if calls or caches:
            return "kmalloc(0) calls %s, loads caches %s" % (calls, caches)
        if not any(re.search(r"\bmov\s+x0, #0x10\b", l) for l in body):
            return "kmalloc(0) does not return ZERO_SIZE_PTR (16)"
        return None
    if calls != [callee]:
        return "calls %s, not %s alone" % (calls, callee)
    want = [] if slot is None else [slot]
    if caches != want:
        return "loads kmalloc_caches slot(s) %s, not %s" % (
            ["+%#x" % c for c in caches], ["+%#x" % c for c in want])
    return None


def main():
    obj = sys.argv[1] + "/kernel/tests/kernel/test_kmalloc.c.o"
    funcs = functions(obj)
    print("KTAP version 1")
    print("1..%d" % len(PROBES))
    failed = 0
    for i, (name, slot, callee) in enumerate(PROBES, 1):
        why = "not found in %s" % obj if name not in funcs else check(funcs[name], slot, callee)
        for l in funcs.get(name, []):
            print("# " + l.strip())
        if why:
            failed += 1
            print("# %s: %s" % (name, why))
        print("%s %d %s" % ("not ok" if why else "ok", i, name))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
